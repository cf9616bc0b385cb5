package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/rdfc"
)

func init() { register("", newCanonCmd) }

func newCanonCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "canon [--input jsonld|nquads] [FILE|-]",
		Short: "print the canonical N-Quads (RDFC-1.0) of a JSON-LD or N-Quads input",
		Long: `Prints the canonical N-Quads (RDFC-1.0, SHA-256) of a JSON-LD document, or
of an RDF dataset given as N-Quads (--input nquads, or a FILE ending in
.nq). JSON-LD is expanded in safe mode with the
embedded contexts only: an undefined term, a relative IRI or a context that is
not embedded is an error. The input is FILE, or standard input for "-" or no
FILE.`,
		Annotations: map[string]string{annotationExit: `0 printed, 1 input rejected (safe mode, limits), 2 usage error
or unreadable or malformed input (not JSON, duplicate keys, bad N-Quads)`},
		Args: maxArgs(1, "input file"),
	}
	input := cmd.Flags().String("input", "jsonld", "the input `FORMAT`: jsonld or nquads (the default for a FILE ending in .nq)")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		if !cmd.Flags().Changed("input") && len(args) == 1 && strings.HasSuffix(args[0], ".nq") {
			*input = "nquads"
		}
		if *input != "jsonld" && *input != "nquads" {
			return usageErrFunc(e, cmd)("--input must be jsonld or nquads, not %q", *input)
		}
		return runCanon(cmd.Context(), e, *input, args)
	})
	return cmd
}

func runCanon(ctx context.Context, e *env, input string, args []string) int {
	data, err := readInput(e, args)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge canon: %v\n", err)
		return exitUsage
	}
	var out []byte
	switch input {
	case "nquads":
		quads, perr := rdfc.ParseNQuads(data)
		if perr != nil {
			fmt.Fprintf(e.stderr, "badge canon: %v\n", perr)
			return exitUsage // malformed input
		}
		out, err = rdfc.CanonicalNQuads(ctx, quads, nil)
	default:
		p, perr := jsonld.NewProcessor(jsonld.Config{})
		if perr != nil {
			fmt.Fprintf(e.stderr, "badge canon: %v\n", perr)
			return exitUsage
		}
		out, err = p.Canonicalize(ctx, data)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "badge canon: %v\n", err)
		if errors.Is(err, jsonld.ErrInvalidJSON) || errors.Is(err, jsonld.ErrDuplicateKey) {
			return exitUsage // malformed input
		}
		return exitRejected
	}
	if _, err := e.stdout.Write(out); err != nil {
		fmt.Fprintf(e.stderr, "badge canon: %v\n", err)
		return exitUsage
	}
	return exitOK
}
