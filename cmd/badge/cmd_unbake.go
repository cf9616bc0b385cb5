package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/microcred/openbadges/bake"
)

const unbakeUsage = `badge unbake [FILE]

Takes the credential out of a baked PNG or SVG badge image (FILE, or
standard input for "-" or no FILE) and prints it on standard output: the
JSON credential or the VC-JWT compact JWS, followed by a line end. The
format is detected from the content. The whole image is checked; an image
with no credential, more than one, an Open Badges 2.0 assertion only, bad
PNG CRCs, or XML entity declarations is rejected. The credential is not
verified: pipe it to "badge verify".

Exit status: 0 credential printed, 1 image rejected, 2 usage error or
unreadable input`

func init() {
	register(&command{
		name:    "unbake",
		summary: "print the credential baked into a PNG or SVG badge image",
		usage:   unbakeUsage,
		run:     runUnbake,
	})
}

func runUnbake(_ context.Context, e *env) int {
	fs := flag.NewFlagSet("unbake", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", unbakeUsage)
			return exitOK
		}
		fmt.Fprintf(e.stderr, "badge unbake: %v\nusage: %s\n", err, unbakeUsage)
		return exitUsage
	}
	img, err := readInput(e, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge unbake: %v\n", err)
		if errors.Is(err, errUsage) {
			fmt.Fprintf(e.stderr, "usage: %s\n", unbakeUsage)
		}
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
}
