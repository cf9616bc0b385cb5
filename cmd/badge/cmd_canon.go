package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/rdfc"
)

const canonUsage = `badge canon [--input jsonld|nquads] [FILE|-]

Prints the canonical N-Quads (RDFC-1.0, SHA-256) of a JSON-LD document, or
of an RDF dataset given as N-Quads. JSON-LD is expanded in safe mode with the
embedded contexts only: an undefined term, a relative IRI or a context that is
not embedded is an error. The input is FILE, or standard input for "-" or no
FILE.

  --input FORMAT  jsonld (default) or nquads

Exit status: 0 printed, 1 input rejected (safe mode, limits, bad N-Quads),
2 usage error or unreadable input`

func init() {
	register(&command{
		name:    "canon",
		summary: "print the canonical N-Quads (RDFC-1.0) of a JSON-LD or N-Quads input",
		usage:   canonUsage,
		run:     runCanon,
	})
}

func runCanon(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("canon", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	input := fs.String("input", "jsonld", "input format: jsonld or nquads")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge canon: "+format+"\nusage: %s\n", append(a, canonUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", canonUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if *input != "jsonld" && *input != "nquads" {
		return usageErr("--input must be jsonld or nquads, not %q", *input)
	}
	if fs.NArg() > 1 {
		return usageErr("at most one input file")
	}
	data, err := readInput(e, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge canon: %v\n", err)
		return exitUsage
	}
	var out []byte
	switch *input {
	case "nquads":
		quads, perr := rdfc.ParseNQuads(data)
		if perr != nil {
			fmt.Fprintf(e.stderr, "badge canon: %v\n", perr)
			return exitRejected
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
		return exitRejected
	}
	if _, err := e.stdout.Write(out); err != nil {
		fmt.Fprintf(e.stderr, "badge canon: %v\n", err)
		return exitUsage
	}
	return exitOK
}
