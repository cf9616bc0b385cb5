package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/bake"
)

func init() { register("", newUnbakeCmd) }

func newUnbakeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "unbake [FILE|-]",
		Short: "print the credential baked into a PNG or SVG badge image",
		Long: `Takes the credential out of a baked PNG or SVG badge image (FILE, or
standard input for "-" or no FILE) and prints it on standard output: the
JSON credential or the VC-JWT compact JWS, followed by a line end. The
format is detected from the content. The whole image is checked; an image
with no credential, more than one, an Open Badges 2.0 assertion only, bad
PNG CRCs, or XML entity declarations is rejected. The credential is not
verified: pipe it to "badge verify".`,
		Annotations: map[string]string{annotationExit: `0 credential printed, 1 image rejected, 2 usage error or
unreadable input`},
		Args: maxArgs(1, "input file"),
	}
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		img, err := readInput(e, args)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge unbake: %v\n", err)
			return exitUsage
		}
		b, err := bake.Unbake(img)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge unbake: %v\n", err)
			return exitRejected
		}
		if _, err := fmt.Fprintf(e.stdout, "%s\n", b.Credential); err != nil {
			fmt.Fprintf(e.stderr, "badge unbake: %v\n", err)
			return exitUsage
		}
		return exitOK
	})
	return cmd
}
