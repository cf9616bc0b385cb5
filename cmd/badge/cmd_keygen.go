package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/internal/keys"
)

func init() { register("", newKeygenCmd) }

func newKeygenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keygen [--type ed25519|p256|p384|rsa] [-o FILE]",
		Short: "generate a signing key (private JWK) and print its DID",
		Long: `Generates a signing key and writes it as a private JWK whose "kid" is the
key's verification method: did:key for ed25519 (the default), p256 and p384,
did:jwk ("#0") for rsa (3072 bits). The JWK goes to FILE, created with mode
0600 and never overwritten, or to standard output. The DID is printed on
standard error. "badge issue" reads this file (and the Multikey form
{"publicKeyMultibase": …, "secretKeyMultibase": …} of the W3C test vectors).`,
		Annotations: map[string]string{annotationExit: `0 written, 1 the key could not be written (FILE exists),
2 usage error`},
		Args: maxArgs(0, ""),
	}
	fs := cmd.Flags()
	typ := fs.String("type", "ed25519", "the key `TYPE`: ed25519, p256, p384 or rsa")
	out := fs.StringP("output", "o", "", "write the key to `FILE` instead of standard output")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		usageErr := usageErrFunc(e, cmd)
		switch *typ {
		case "ed25519", "p256", "p384", "rsa":
		default:
			return usageErr("--type must be ed25519, p256, p384 or rsa, not %q", *typ)
		}
		k, err := keys.Generate(*typ, rand.Reader)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge keygen: %v\n", err)
			return exitRejected
		}
		data, err := k.MarshalJWK()
		if err != nil {
			fmt.Fprintf(e.stderr, "badge keygen: %v\n", err)
			return exitRejected
		}
		if *out == "" || *out == "-" {
			if _, err := e.stdout.Write(data); err != nil {
				fmt.Fprintf(e.stderr, "badge keygen: %v\n", err)
				return exitRejected
			}
		} else if err := writeNewFile(e.path(*out), data); err != nil {
			fmt.Fprintf(e.stderr, "badge keygen: %v\n", err)
			return exitRejected
		}
		fmt.Fprintln(e.stderr, k.DID)
		return exitOK
	})
	return cmd
}

// writeNewFile writes a secret to a file that must not exist yet, readable by
// its owner only. O_EXCL makes "does not exist" and "create" one step, so an
// existing key (or a planted symlink) is never overwritten.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists; not overwriting a key file", path)
		}
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
