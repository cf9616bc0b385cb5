package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/microcred/openbadges/internal/keys"
)

const keygenUsage = `badge keygen [--type ed25519|p256|p384|rsa] [-o FILE]

Generates a signing key and writes it as a private JWK whose "kid" is the
key's verification method: did:key for ed25519 (the default), p256 and p384,
did:jwk ("#0") for rsa (3072 bits). The JWK goes to FILE, created with mode
0600 and never overwritten, or to standard output. The DID is printed on
standard error. "badge issue" reads this file (and the Multikey form
{"publicKeyMultibase": …, "secretKeyMultibase": …} of the W3C test vectors).

  --type TYPE  ed25519 (default), p256, p384 or rsa
  -o FILE      write the key to FILE instead of standard output

Exit status: 0 written, 1 the key could not be written (FILE exists),
2 usage error`

func init() {
	register(&command{
		name:    "keygen",
		summary: "generate a signing key (private JWK) and print its DID",
		usage:   keygenUsage,
		run:     runKeygen,
	})
}

func runKeygen(_ context.Context, e *env) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typ := fs.String("type", "ed25519", "key type")
	out := fs.String("o", "", "output file")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge keygen: "+format+"\nusage: %s\n", append(a, keygenUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", keygenUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
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
