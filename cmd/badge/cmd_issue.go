package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/issuer"
)

func init() { register("", newIssueCmd) }

func newIssueCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "issue --key FILE [--suite SUITE] [--format di|jwt] [--created RFC3339] [FILE|-]",
		Short: "sign a credential (Data Integrity proof or VC-JWT)",
		Long: `Signs a credential and prints it. The credential (FILE, or standard input
for "-" or no FILE) is checked first: an invalid badge is refused with its
problems and never signed. Without an issuer, the key's controller becomes
the issuer; a credential naming another issuer is refused.`,
		Annotations: map[string]string{annotationExit: `0 signed, 1 refused, 2 usage error or unreadable input or key`},
		Args:        maxArgs(1, "input file"),
	}
	fs := cmd.Flags()
	keyFile := fs.String("key", "", "the signing key `FILE`: a private JWK as written by \"badge keygen\", or a Multikey JSON {publicKeyMultibase, secretKeyMultibase}")
	suite := fs.String("suite", "", "the cryptosuite: eddsa-rdfc-2022 (default), eddsa-jcs-2022 or Ed25519Signature2020 (Ed25519 keys)")
	format := fs.String("format", "di", "the output `FORMAT`: di, a Data Integrity proof, or jwt, a VC-JWT (compact JWS) instead, with any key badge keygen makes")
	asJWT := fs.Bool("jwt", false, "the same as --format jwt")
	created := fs.String("created", "", "the proof's created `TIME` (RFC 3339); default now")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		return runIssue(cmd, e, issueFlags{keyFile: *keyFile, suite: *suite, format: *format, asJWT: *asJWT, created: *created}, args)
	})
	return cmd
}

// issueFlags are the flags of badge issue.
type issueFlags struct {
	keyFile, suite, format, created string
	asJWT                           bool
}

func runIssue(cmd *cobra.Command, e *env, f issueFlags, args []string) int {
	ctx := cmd.Context()
	usageErr := usageErrFunc(e, cmd)
	keyFile, suite, format, created, asJWT := &f.keyFile, &f.suite, &f.format, &f.created, &f.asJWT
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
	key, err := readKeyFile(e, *keyFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge issue: %v\n", err)
		return exitUsage
	}
	cfg.Signer, cfg.VerificationMethod, cfg.Controller = key.Signer, key.VerificationMethod, key.DID
	data, err := readInput(e, args)
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
