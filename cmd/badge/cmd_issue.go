package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/issuer"
)

const issueUsage = `badge issue --key FILE [--suite SUITE] [--format di|jwt] [--created RFC3339] [FILE|-]

Signs a credential and prints it. The credential (FILE, or standard input
for "-" or no FILE) is checked first: an invalid badge is refused with its
problems and never signed. Without an issuer, the key's controller becomes
the issuer; a credential naming another issuer is refused.

  --key FILE       the signing key: a private JWK as written by "badge keygen",
                   or a Multikey JSON {publicKeyMultibase, secretKeyMultibase}
  --suite SUITE    eddsa-rdfc-2022 (default), eddsa-jcs-2022 or
                   Ed25519Signature2020 (Ed25519 keys)
  --format FORMAT  di (default): a Data Integrity proof; jwt: a VC-JWT
                   (compact JWS) instead, with any key badge keygen makes
  --jwt            the same as --format jwt
  --created TIME   the proof's created time (RFC 3339); default now

Exit status: 0 signed, 1 refused, 2 usage error or unreadable input or key`

func init() {
	register(&command{
		name:    "issue",
		summary: "sign a credential (Data Integrity proof or VC-JWT)",
		usage:   issueUsage,
		run:     runIssue,
	})
}

func runIssue(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	keyFile := fs.String("key", "", "signing key file")
	suite := fs.String("suite", "", "cryptosuite")
	asJWT := fs.Bool("jwt", false, "issue a VC-JWT")
	format := fs.String("format", "di", "di or jwt")
	created := fs.String("created", "", "proof created time")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge issue: "+format+"\nusage: %s\n", append(a, issueUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", issueUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if *keyFile == "" {
		return usageErr("--key is required")
	}
	cfg := issuer.Config{Suite: dataintegrity.SuiteName(*suite)}
	switch dataintegrity.SuiteName(*suite) {
	case "", dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020:
	default:
		return usageErr("--suite must be eddsa-rdfc-2022, eddsa-jcs-2022 or Ed25519Signature2020")
	}
	switch *format {
	case "di":
	case "jwt":
		*asJWT = true
	default:
		return usageErr("--format must be di or jwt")
	}
	if *asJWT {
		if *suite != "" {
			return usageErr("--suite and a VC-JWT (--format jwt) exclude each other")
		}
		cfg.Format = issuer.FormatJWT
	}
	if *created != "" {
		t, err := time.Parse(time.RFC3339, *created)
		if err != nil {
			return usageErr("--created: %v", err)
		}
		cfg.Now = func() time.Time { return t }
	}
	if fs.NArg() > 1 {
		return usageErr("at most one input file")
	}
	key, err := readKeyFile(e, *keyFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
		return exitUsage
	}
	cfg.Signer, cfg.VerificationMethod, cfg.Controller = key.Signer, key.VerificationMethod, key.DID
	data, err := readInput(e, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
		return exitUsage
	}
	is, err := issuer.New(cfg)
	if err != nil {
		hint := ""
		if errors.Is(err, dataintegrity.ErrInvalidKey) {
			hint = " (the Data Integrity suites need an Ed25519 key; use --format jwt for other keys)"
		}
		fmt.Fprintf(e.stderr, "badge issue: %v%s\n", err, hint)
		return exitUsage
	}
	out, warnings, err := is.IssueJSONReport(ctx, data)
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "badge issue: warning: %s: %s\n", w.Path, w.Detail)
	}
	if err != nil {
		var ve *issuer.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(e.stderr, "badge issue: refused: the credential is invalid\n")
			for _, p := range ve.Problems.Errors() {
				fmt.Fprintf(e.stderr, "  %s\n", p)
			}
		} else {
			fmt.Fprintf(e.stderr, "badge issue: refused: %v\n", err)
		}
		return exitRejected
	}
	if !*asJWT {
		var b bytes.Buffer
		if err := json.Indent(&b, out, "", "  "); err == nil {
			out = b.Bytes()
		}
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}

// readKeyFile reads a signing key file (see internal/keys).
func readKeyFile(e *env, name string) (*keys.Key, error) {
	f, err := os.Open(e.path(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, keys.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > keys.MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, keys.MaxFileSize)
	}
	k, err := keys.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}
