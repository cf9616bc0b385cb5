package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/bake"
)

func init() { register("", newBakeCmd) }

func newBakeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bake --in IMAGE --credential FILE -o OUT [--force]",
		Short: "bake a credential into a PNG or SVG badge image",
		Long: `Bakes a signed credential (a JSON credential with an embedded proof, or a
VC-JWT compact JWS) into a PNG or SVG badge image, replacing any credential
already baked into it. The format is detected from the image content.

Nothing is verified: bake the credential that "badge verify" accepted.`,
		Annotations: map[string]string{annotationExit: `0 baked, 1 image or credential rejected, 2 usage error,
unreadable input, existing OUT without --force, or unwritable OUT`},
		Args: maxArgs(0, ""),
	}
	fs := cmd.Flags()
	in := fs.String("in", "", "the PNG or SVG `IMAGE` (\"-\" for standard input)")
	credPath := fs.String("credential", "", "the signed credential `FILE` (\"-\" for standard input)")
	out := fs.StringP("output", "o", "", "where to write the baked image, `OUT` (\"-\" for standard output)")
	force := fs.Bool("force", false, "replace OUT if it exists (by default an existing file is never overwritten)")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		usageErr := usageErrFunc(e, cmd)
		switch {
		case *in == "":
			return usageErr("--in IMAGE is required")
		case *credPath == "":
			return usageErr("--credential FILE is required")
		case *out == "":
			return usageErr("-o OUT is required (use -o - for standard output)")
		case *in == "-" && *credPath == "-":
			return usageErr("--in and --credential cannot both be standard input")
		}
		img, err := readInput(e, []string{*in})
		if err != nil {
			fmt.Fprintf(e.stderr, "badge bake: image: %v\n", err)
			return exitUsage
		}
		cred, err := readInput(e, []string{*credPath})
		if err != nil {
			fmt.Fprintf(e.stderr, "badge bake: credential: %v\n", err)
			return exitUsage
		}
		// Refuse an existing output before doing any work, so that a mistake
		// is reported as such rather than after a successful bake.
		if *out != "-" && !*force {
			if _, err := os.Lstat(e.path(*out)); err == nil {
				return usageErr("%s exists; use --force to replace it", *out)
			}
		}

		baked, format, err := bake.Bake(img, cred)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge bake: %v\n", err)
			return exitRejected
		}

		if *out == "-" {
			if _, err := e.stdout.Write(baked); err != nil {
				fmt.Fprintf(e.stderr, "badge bake: %v\n", err)
				return exitUsage
			}
			return exitOK
		}
		if err := writeOutput(e.path(*out), baked, *force); err != nil {
			fmt.Fprintf(e.stderr, "badge bake: %v\n", err)
			return exitUsage
		}
		kind := "JSON"
		if b, err := bake.Unbake(baked); err == nil && b.IsJWS {
			kind = "JWS"
		}
		fmt.Fprintf(e.stderr, "badge bake: wrote %s (%s, %s credential)\n", *out, format, kind)
		return exitOK
	})
	return cmd
}

// writeOutput writes data to path. Without force it creates the file
// exclusively, so an existing file (even one created since the check above)
// is never clobbered. With force it writes a temporary file beside path and
// renames it over path, so a failure never leaves a half-written badge.
func writeOutput(path string, data []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return err
		}
		if err := f.Close(); err != nil {
			os.Remove(path)
			return err
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".badge-bake-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
