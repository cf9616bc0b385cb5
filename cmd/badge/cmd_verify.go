package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

const verifyUsage = `badge verify [--json] [--now RFC3339] [--challenge C] [--domain D]
             [--did-web] [--resolve DID=FILE]... [--jwks ISSUER=FILE]...
             [--status-network] [--status-doc URL=FILE]... [--skip-status] [FILE|-]

Verifies a credential: JSON with an embedded proof, a VC-JWT (compact JWS),
a baked PNG or SVG badge, or a Verifiable Presentation of credentials
(FILE, or standard input for "-" or no FILE).
It checks the JSON-LD (safe mode, pinned contexts only), the Open Badges 3.0
rules, every proof and its key's binding to the issuer, the validity dates,
relatedResource digests, embedded endorsements and credential status, and
prints a one-line verdict with the reasons.

Keys come from did:key and did:jwk identifiers; nothing is fetched unless
--did-web or --status-network is given.

  --json               print the full result (VC API shape) instead
  --now TIME           judge dates at TIME (RFC 3339) instead of now
  --challenge C        the challenge a presentation's proof must carry
                       (without it, a replayed presentation is only a warning)
  --domain D           the domain a presentation's proof must carry
  --did-web            allow network look-ups of did:web DIDs and https keys
  --resolve DID=FILE   use the DID document (or controller document of an
                       https key URL) in FILE for DID; repeatable. Lets did:web
                       badges verify offline against a known document.
  --jwks ISSUER=FILE   the issuer's published JSON Web Key Set (its
                       /.well-known/jwks.json) from FILE: a VC-JWT whose key
                       is only in its jwk header verifies if the set has it;
                       repeatable
  --insecure-accept-unproven-jwk
                       accept such a VC-JWT without the issuer's key set (a
                       warning): anyone can sign in an https issuer's name
` + statusVerifyUsage + `

Exit status: 0 verified, 1 not verified, 2 usage error or unreadable input`

func init() {
	register(&command{
		name:    "verify",
		summary: "verify a credential, baked badge or VC-JWT",
		usage:   verifyUsage,
		run:     runVerify,
	})
}

// resolveFlags collects --resolve DID=FILE.
type resolveFlags []string

func (r *resolveFlags) String() string     { return strings.Join(*r, ",") }
func (r *resolveFlags) Set(s string) error { *r = append(*r, s); return nil }

// verifySuites is everything the library can verify: the CLI is a
// conformance tool, so it accepts every suite and algorithm it implements.
var verifySuites = []string{
	dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSA2022, dataintegrity.SuiteEdDSAJCS2022,
	dataintegrity.SuiteEd25519Signature2020,
	string(vcjwt.RS256), string(vcjwt.ES256), string(vcjwt.ES384), string(vcjwt.EdDSA),
}

func runVerify(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	challenge := fs.String("challenge", "", "a presentation's expected challenge")
	domain := fs.String("domain", "", "a presentation's expected domain")
	nowFlag := fs.String("now", "", "verifier clock")
	didWeb := fs.Bool("did-web", false, "allow did:web and https look-ups")
	var pins resolveFlags
	fs.Var(&pins, "resolve", "DID=FILE")
	statusOpts := addStatusFlags(fs)
	var jwks resolveFlags
	fs.Var(&jwks, "jwks", "ISSUER=FILE")
	unproven := fs.Bool("insecure-accept-unproven-jwk", false, "accept VC-JWT keys the issuer has not published")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge verify: "+format+"\nusage: %s\n", append(a, verifyUsage)...)
		return exitUsage
	}
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stdout, "usage: %s\n", verifyUsage)
			return exitOK
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 1 {
		return usageErr("at most one input file")
	}
	cfg := verifier.Config{Suites: verifySuites}
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		cfg.Now = func() time.Time { return t }
	}
	r, err := cliResolver(e, pins, *didWeb)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	cfg.Resolver = r
	cfg.InsecureAcceptUnprovenJWK = *unproven
	if len(jwks) > 0 {
		sets := map[string][]byte{}
		for _, j := range jwks {
			iss, file, ok := strings.Cut(j, "=")
			if !ok || iss == "" || file == "" {
				return usageErr("--jwks %q: want ISSUER=FILE", j)
			}
			b, err := readInput(e, []string{file})
			if err != nil {
				fmt.Fprintf(e.stderr, "badge verify: --jwks: %v\n", err)
				return exitUsage
			}
			sets[iss] = b
		}
		ks, err := vcjwt.NewStaticKeySets(sets)
		if err != nil {
			fmt.Fprintf(e.stderr, "badge verify: --jwks: %v\n", err)
			return exitUsage
		}
		cfg.JWTIssuerKeys = ks
	}
	// Status lists are verified by a verifier with the same configuration
	// and no status check of its own, so a list's status cannot recurse.
	listCfg := cfg
	listCfg.SkipStatus = true
	listV, err := verifier.New(listCfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	cfg.SkipStatus = statusOpts.skip
	cfg.Status, err = newVerifyStatus(e, statusOpts, cfg.Now, func(ctx context.Context, list []byte) error {
		r, err := listV.Verify(ctx, list)
		if err != nil {
			return err
		}
		return r.Err()
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	data, err := readInput(e, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	v, err := verifier.New(cfg)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitUsage
	}
	if presentation.IsPresentation(data) {
		return verifyPresentation(ctx, e, v, cfg.Resolver, cfg.Now, data, presentation.VerifyOptions{Challenge: *challenge, Domain: *domain}, *asJSON)
	}
	res, err := v.Verify(ctx, data)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitRejected
	}
	if *asJSON {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(e.stdout, "%s\n", b)
	} else {
		fmt.Fprintln(e.stdout, res.Summary())
	}
	if !res.Verified {
		return exitRejected
	}
	return exitOK
}

// cliResolver builds the resolver of badge verify: pinned documents first,
// then did:key and did:jwk, and did:web and https only with --did-web.
func cliResolver(e *env, pins resolveFlags, network bool) (did.Resolver, error) {
	m := did.Methods{"key": did.KeyResolver{}, "jwk": did.JWKResolver{}}
	if network {
		web, err := did.NewWebResolver(did.HTTPConfig{})
		if err != nil {
			return nil, err
		}
		h, err := did.NewHTTPSResolver(did.HTTPConfig{})
		if err != nil {
			return nil, err
		}
		m["web"], m["https"] = web, h
	}
	if len(pins) == 0 {
		return m, nil
	}
	var docs []*did.Document
	for _, p := range pins {
		id, file, ok := strings.Cut(p, "=")
		if !ok || id == "" || file == "" {
			return nil, fmt.Errorf("--resolve %q: want DID=FILE", p)
		}
		b, err := os.ReadFile(e.path(file))
		if err != nil {
			return nil, fmt.Errorf("--resolve: %w", err)
		}
		d, err := did.ParseDocument(b)
		if err != nil && strings.HasPrefix(id, "https://") {
			// A bare public JWK served at an https key URL, presented as
			// HTTPSResolver does: a one-method document.
			if d2, err2 := jwkDocument(id, b); err2 == nil {
				d, err = d2, nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("--resolve %s: %w", file, err)
		}
		if d.ID != id {
			return nil, fmt.Errorf("--resolve %s: the document is for %q, not %q", file, d.ID, id)
		}
		docs = append(docs, d)
	}
	static, err := did.NewStaticResolver(docs...)
	if err != nil {
		return nil, fmt.Errorf("--resolve: %w", err)
	}
	return pinnedResolver{static, m}, nil
}

// jwkDocument presents a bare public JWK at url as a controller document
// with one method, listed under assertionMethod.
func jwkDocument(url string, data []byte) (*did.Document, error) {
	j, err := did.ParseJWK(data)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(map[string]any{
		"id": url,
		"verificationMethod": []any{map[string]any{
			"id": url, "type": did.TypeJSONWebKey, "controller": url, "publicKeyJwk": j,
		}},
		"assertionMethod": []string{url},
	})
	if err != nil {
		return nil, err
	}
	return did.ParseDocument(b)
}

// pinnedResolver answers from pinned documents, and asks next for the
// others.
type pinnedResolver struct {
	pinned *did.StaticResolver
	next   did.Resolver
}

func (p pinnedResolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	d, err := p.pinned.Resolve(ctx, id)
	if errors.Is(err, did.ErrNotFound) {
		return p.next.Resolve(ctx, id)
	}
	return d, err
}
