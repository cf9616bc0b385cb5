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

const verifyUsage = `badge verify [--json] [--lenient] [--now RFC3339] [--challenge C] [--domain D] [--require-holder]
             [--network | --network-keys | --network-status]
             [--resolve DID=FILE]... [--context URL=FILE]... [--jwks ISSUER=FILE]...
             [--status-doc URL=FILE]... [--skip-status] [FILE|-]

Verifies a credential: JSON with an embedded proof, a VC-JWT (compact JWS),
a baked PNG or SVG badge, or a Verifiable Presentation of credentials
(FILE, or standard input for "-" or no FILE).
It checks the JSON-LD (safe mode; pinned contexts and --context files only),
the VC Data Model and Open Badges 3.0 rules, every proof and its key's
binding to the issuer, the validity dates, relatedResource digests, embedded
endorsements and credential status. It prints the verdict on the first line,
then what the credential says (badge, issuer, recipient, validity,
endorsements) and one line per failed check and per warning.

By default the verification is strict, as conformance tools need: every
check must pass. A credential that is authentic and in force but breaks a
rule of Open Badges 3.0 (or of the VC Data Model, or of the Bitstring Status
List for its status list) is "authentic, but it does not follow ..." and is
not verified. --lenient is for wallets and displayers: Open Badges 3.0 rule
failures, status lists that are too short or issued by another issuer, and
embedded endorsements (and CLR credentials) that fail become warnings,
marked relaxed, and the credential verifies; the endorsements that failed
are not counted as verified. Lenient never accepts a bad or missing
signature, a key not bound to the issuer, expiry, revocation or suspension,
a status list that cannot be used, unsafe JSON-LD, inline contexts, a VC
Data Model failure or an unproven VC-JWT key.

Nothing is fetched unless a network flag is given: keys come from did:key
and did:jwk identifiers and --resolve files, contexts from the pinned set
and --context files, status lists from --status-doc files.

  --json               print the full result (VC API shape, with authentic
                       and conformant) instead
  --lenient            relax what does not bear on authenticity (see above)
  --now TIME           judge dates at TIME (RFC 3339) instead of now
  --challenge C        the challenge a presentation's proof must carry
                       (without it, a replayed presentation is only a warning)
  --domain D           the domain a presentation's proof must carry
  --require-holder     refuse a signed presentation that names no holder
                       (by default holder is optional: the report then says
                       who signed the presentation and that no holder was
                       claimed)
` + verifyNetworkUsage + `
  --resolve DID=FILE   use the DID document (or controller document of an
                       https key URL) in FILE for DID; repeatable. Lets did:web
                       badges verify offline against a known document.
  --context URL=FILE   load the JSON-LD context URL from FILE; repeatable.
                       The pinned contexts cannot be replaced.
  --jwks ISSUER=FILE   the issuer's published JSON Web Key Set (its
                       /.well-known/jwks.json) from FILE: a VC-JWT whose key
                       is only in its jwk header verifies if the set has it;
                       repeatable
  --insecure-accept-unproven-jwk
                       accept such a VC-JWT without the issuer's key set (a
                       warning): anyone can sign in an https issuer's name
` + statusVerifyUsage + `

Exit status: 0 verified (in lenient mode, also with relaxed warnings),
1 not verified, 2 usage error or unreadable input`

// verifyNetworkUsage documents the network flags of badge verify, which
// verifyNetworkFlags registers.
const verifyNetworkUsage = `  --network            allow every network look-up: did:web DIDs and https
                       keys, and status lists (HTTPS to public addresses
                       only, bounded time and size)
  --network-keys       allow look-ups of did:web DIDs and https keys only
  --network-status     allow fetching status lists only (cached for each
                       list's ttl)
  --did-web            old name of --network-keys, still accepted
  --status-network     old name of --network-status, still accepted`

func init() {
	register(&command{
		name:    "verify",
		summary: "verify a credential, baked badge or VC-JWT",
		usage:   verifyUsage,
		run:     runVerify,
	})
}

// verifyNetworkFlags registers the network flags of badge verify: the
// family every command has, and the older names of two of them.
func verifyNetworkFlags(fs *flag.FlagSet) *networkFlags {
	n := addNetworkFlags(fs, true)
	n.keysAlias(fs, "did-web")
	n.statusAlias(fs, "status-network")
	return n
}

// resolveFlags collects --resolve DID=FILE.
type resolveFlags []string

func (r *resolveFlags) String() string     { return strings.Join(*r, ",") }
func (r *resolveFlags) Set(s string) error { *r = append(*r, s); return nil }

// verifySuites and verifyAlgorithms are everything the library can verify:
// the CLI is a conformance tool, so it accepts every suite and algorithm it
// implements.
var (
	verifySuites = []dataintegrity.SuiteName{
		dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSA2022, dataintegrity.SuiteEdDSAJCS2022,
		dataintegrity.SuiteEd25519Signature2020,
	}
	verifyAlgorithms = vcjwt.SupportedAlgorithms()
)

func runVerify(ctx context.Context, e *env) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	lenient := fs.Bool("lenient", false, "relax conformance failures")
	challenge := fs.String("challenge", "", "a presentation's expected challenge")
	domain := fs.String("domain", "", "a presentation's expected domain")
	requireHolder := fs.Bool("require-holder", false, "refuse a signed presentation without a holder")
	nowFlag := fs.String("now", "", "verifier clock")
	network := verifyNetworkFlags(fs)
	var pins resolveFlags
	fs.Var(&pins, "resolve", "DID=FILE")
	var ctxs contextFlags
	fs.Var(&ctxs, "context", "URL=FILE")
	statusOpts := addStatusFlags(fs, network)
	var jwks resolveFlags
	fs.Var(&jwks, "jwks", "ISSUER=FILE")
	unproven := fs.Bool("insecure-accept-unproven-jwk", false, "accept VC-JWT keys the issuer has not published")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "badge verify: "+format+"\nusage: %s\n", append(a, verifyUsage)...)
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
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
	cfg := verifier.Config{Suites: verifySuites, Algorithms: verifyAlgorithms}
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usageErr("--now: %v", err)
		}
		cfg.Now = func() time.Time { return t }
	}
	r, err := cliResolver(e, pins, network.allowKeys())
	if err != nil {
		return fail(err)
	}
	cfg.Resolver = r
	if cfg.Loader, err = contextLoader(ctxs.files(e), false); err != nil {
		return fail(err)
	}
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
				return fail(fmt.Errorf("--jwks: %w", err))
			}
			sets[iss] = b
		}
		ks, err := vcjwt.NewStaticKeySets(sets)
		if err != nil {
			return fail(fmt.Errorf("--jwks: %w", err))
		}
		cfg.JWTIssuerKeys = ks
	}
	cfg.SkipStatus = statusOpts.skip
	cfg.Status, err = newVerifyStatus(e, statusOpts, cfg)
	if err != nil {
		return fail(err)
	}
	cfg.Lenient = *lenient
	data, err := readInput(e, fs.Args())
	if err != nil {
		return fail(err)
	}
	v, err := verifier.New(cfg)
	if err != nil {
		return fail(err)
	}
	out := verifyOutput{json: *asJSON, lenient: *lenient, network: network}
	if presentation.IsPresentation(data) {
		return verifyPresentation(ctx, e, v, cfg.Resolver, cfg.Now, data, presentation.VerifyOptions{Challenge: *challenge, Domain: *domain, RequireHolder: *requireHolder}, out)
	}
	res, err := v.Verify(ctx, data)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitRejected
	}
	if out.json {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(e.stdout, "%s\n", b)
	} else {
		writeResult(e.stdout, res, out.lenient)
	}
	// Hints also for a verified result: in lenient mode, an endorsement
	// may have failed for want of a flag.
	out.hints(e, resultErrors(res))
	if !res.Verified {
		return exitRejected
	}
	return exitOK
}

// verifyOutput is how badge verify reports: the --json and --lenient flags,
// and what the hints for a failure depend on.
type verifyOutput struct {
	json, lenient bool
	network       *networkFlags // nil: no hints
}

// hints prints to standard error the advice of inputHints for errs, so
// that a person learns which flag or file would let the credential be
// checked; standard output keeps the result alone (JSON with --json).
func (o verifyOutput) hints(e *env, errs []error) {
	if o.network == nil {
		return
	}
	for _, h := range inputHints(errs, o.network.allowKeys(), o.network.allowStatus()) {
		writeWrapped(e.stderr, "", "badge verify:", h, 4)
	}
}

// cliResolver builds the resolver of the commands that verify: pinned
// documents first, then did:key and did:jwk, and did:web and https only
// when network is set (--network-keys or --network).
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
			if d2, err2 := did.KeyURLDocument(id, b); err2 == nil {
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
	r, err := did.NewPinnedResolver(m, docs...)
	if err != nil {
		return nil, fmt.Errorf("--resolve: %w", err)
	}
	return r, nil
}
