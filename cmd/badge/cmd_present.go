package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/verifier"
)

func init() { register("", newPresentCmd) }

func newPresentCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use: `present --key FILE --challenge C [--domain D] [--suite SUITE] [--vcdm1]
              [--id URL] [--created RFC3339] [--expires RFC3339] CRED...
       badge present --key FILE --unsigned CRED...`,
		Short: "wrap credentials in a holder-signed Verifiable Presentation",
		Long: `Wraps credentials in a Verifiable Presentation signed by their holder and
prints it. Each CRED is a file holding a JSON credential with an embedded
proof, a VC-JWT (compact JWS), or a baked PNG or SVG badge; "-" reads one
from standard input. The credentials are not verified here (run badge
verify on them first).

The proof has proofPurpose authentication and carries the verifier's
challenge and domain, so that the presentation cannot be replayed to another
verifier or in another session. The key's controller becomes the holder.`,
		Annotations: map[string]string{annotationExit: `0 printed, 1 refused, 2 usage error or unreadable input or key`},
	}
	fs := cmd.Flags()
	keyFile := fs.String("key", "", "the holder's key `FILE` (Ed25519): a private JWK as written by \"badge keygen\", or a Multikey JSON")
	challenge := fs.String("challenge", "", "the challenge the verifier gave you (required unless --unsigned or --insecure-no-challenge)")
	domain := fs.String("domain", "", "the verifier's domain, e.g. https://employer.example")
	suite := fs.String("suite", "", "the cryptosuite: eddsa-rdfc-2022 (default) or eddsa-jcs-2022")
	vcdm1 := fs.Bool("vcdm1", false, "a VC Data Model 1.1 presentation (VC-JWTs as strings) instead of 2.0 (VC-JWTs as EnvelopedVerifiableCredential)")
	id := fs.String("id", "", "the presentation's id, a `URL`")
	created := fs.String("created", "", "the proof's created `TIME` (RFC 3339); default now")
	expires := fs.String("expires", "", "the proof's expires `TIME` (RFC 3339); default none")
	unsigned := fs.Bool("unsigned", false, "print the presentation without a proof")
	noChallenge := fs.Bool("insecure-no-challenge", false, "sign without a challenge: anyone who sees the presentation can replay it")
	cmd.RunE = runInt(func(cmd *cobra.Command, args []string) int {
		ctx := cmd.Context()
		usageErr := usageErrFunc(e, cmd)
		if *keyFile == "" {
			return usageErr("--key is required")
		}
		if len(args) == 0 {
			return usageErr("no credential files")
		}
		switch dataintegrity.SuiteName(*suite) {
		case "", dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022:
		default:
			return usageErr("--suite must be eddsa-rdfc-2022 or eddsa-jcs-2022")
		}
		opts := presentation.Options{
			ID: *id, Challenge: *challenge, Domain: *domain,
			InsecureNoChallenge: *noChallenge,
		}
		if *vcdm1 {
			opts.Version = presentation.V1
		}
		switch {
		case *unsigned && (*challenge != "" || *domain != "" || *noChallenge || *suite != "" || *created != "" || *expires != ""):
			return usageErr("--unsigned excludes the proof options")
		case !*unsigned && *challenge == "" && !*noChallenge:
			return usageErr("--challenge is required (the verifier's; or --insecure-no-challenge)")
		case *noChallenge && *challenge != "":
			return usageErr("--challenge and --insecure-no-challenge exclude each other")
		}
		now := time.Now
		if *created != "" {
			t, err := time.Parse(time.RFC3339, *created)
			if err != nil {
				return usageErr("--created: %v", err)
			}
			now = func() time.Time { return t }
		}
		if *expires != "" {
			t, err := time.Parse(time.RFC3339, *expires)
			if err != nil {
				return usageErr("--expires: %v", err)
			}
			opts.Expires = t
		}
		key, err := readKeyFile(e, *keyFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge present: %v\n", err)
			return exitUsage
		}
		creds, err := readCredentialFiles(e, args)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge present: %v\n", err)
			return exitUsage
		}
		for i, c := range creds {
			if bake.IsImage(c) {
				b, err := bake.Unbake(c)
				if err != nil {
					fmt.Fprintf(e.stderr, "badge present: refused: %s: %v\n", args[i], err)
					return exitRejected
				}
				creds[i] = b.Credential
			}
		}
		// Name the file of a credential that is not one, rather than its index.
		for i, c := range creds {
			if _, err := presentation.Compose("", [][]byte{c}, presentation.Options{}); err != nil {
				fmt.Fprintf(e.stderr, "badge present: refused: %s: not a JSON credential or a VC-JWT: %v\n", args[i], errors.Unwrap(err))
				return exitRejected
			}
		}
		var out []byte
		if *unsigned {
			out, err = presentation.Compose(key.DID, creds, opts)
		} else {
			var h *presentation.Holder
			h, err = presentation.NewHolder(presentation.HolderConfig{
				Signer: key.Signer, VerificationMethod: key.VerificationMethod, Holder: key.DID,
				Suite: dataintegrity.SuiteName(*suite), Now: now,
			})
			if err != nil {
				fmt.Fprintf(e.stderr, "badge present: %v\n", err)
				return exitUsage
			}
			out, err = h.Present(ctx, creds, opts)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "badge present: refused: %v\n", err)
			return exitRejected
		}
		out = indentJSON(out)
		fmt.Fprintf(e.stdout, "%s\n", out)
		return exitOK
	})
	return cmd
}

// readCredentialFiles reads each named file ("-" is standard input, once),
// bounded like readInput.
func readCredentialFiles(e *env, names []string) ([][]byte, error) {
	out := make([][]byte, 0, len(names))
	stdin := false
	for _, n := range names {
		if n == "-" {
			if stdin {
				return nil, fmt.Errorf("%w: standard input named twice", errUsage)
			}
			stdin = true
			b, err := readInput(e, nil)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
			continue
		}
		b, err := readFileLimited(e.path(n), n, maxInput)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// verifyPresentation is what badge verify does with a Verifiable
// Presentation (presentation.IsPresentation): it checks the holder's proof,
// the expected challenge and domain, and each credential inside with creds,
// then prints the verdict and details (or the full result with out.json)
// and returns the exit status. resolver and now are badge verify's.
func verifyPresentation(ctx context.Context, e *env, creds *verifier.Verifier, resolver did.Resolver, now func() time.Time, data []byte, opts presentation.VerifyOptions, out verifyOutput) int {
	v, err := presentation.NewVerifier(presentation.VerifierConfig{
		Credentials: creds,
		Suites:      verifySuites,
		Resolver:    resolver,
		Now:         now,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	res, err := v.Verify(ctx, data, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitRejected
	}
	if out.json {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(e.stdout, "%s\n", b)
	} else {
		writePresentation(e.stdout, res, out.lenient)
	}
	var errs []error
	for _, p := range res.PresentationResult.Errors {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	for _, c := range res.CredentialResults {
		errs = append(errs, resultErrors(c.Result)...)
	}
	out.hints(e, errs)
	if !res.Verified {
		return exitRejected
	}
	return exitOK
}
