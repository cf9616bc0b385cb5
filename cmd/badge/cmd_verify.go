package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

const verifyLong = `Verifies a credential: JSON with an embedded proof, a VC-JWT (compact JWS),
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

` + verifyInputsDoc

// verifyInputsDoc says where the commands that verify get what a
// credential refers to; their help ends with it.
const verifyInputsDoc = `Nothing is fetched unless a network flag is given: keys come from did:key
and did:jwk identifiers and --resolve files, contexts from the pinned set
and --context files, status lists from --status-doc files. Without
--network-status (or --network) or --status-doc, a credential that has a
credentialStatus does not verify: its status is unknown. The old names
--did-web (of --network-keys), --status-network and --fetch-status (of
--network-status) are still accepted.`

func init() { register("", newVerifyCmd) }

// verifyInputs are the input flags of every command that verifies:
// the network opt-ins, --resolve, --context, --status-doc and
// --skip-status, one set so that what works on one command works on the
// others.
type verifyInputs struct {
	network *networkFlags
	pins    resolveFlags
	ctxs    contextFlags
	status  *statusVerifyOptions
}

// addVerifyInputs registers the input flags of a command that verifies.
func addVerifyInputs(fs *pflag.FlagSet) *verifyInputs {
	in := &verifyInputs{network: addNetworkFlags(fs, true)}
	fs.Var(&in.pins, "resolve", "use the DID document (or controller document of an https key URL) in FILE for DID; repeatable. Lets did:web badges verify offline against a known document")
	fs.Var(&in.ctxs, "context", "load the JSON-LD context URL from FILE; repeatable. The pinned contexts cannot be replaced")
	in.status = addStatusFlags(fs, in.network)
	return in
}

// verifyOptions are the flags of badge verify.
type verifyOptions struct {
	asJSON, lenient, requireHolder, unproven bool
	challenge, domain, now                   string
	jwks                                     resolveFlags
	in                                       *verifyInputs
}

func newVerifyCmd(e *env) *cobra.Command {
	var o verifyOptions
	cmd := &cobra.Command{
		Use:   "verify [flags] [FILE|-]",
		Short: "verify a credential, baked badge, VC-JWT or presentation",
		Long:  verifyLong,
		Annotations: map[string]string{annotationExit: `0 verified (in lenient mode, also with relaxed warnings),
1 not verified, 2 usage error or unreadable or malformed input`},
		Args: maxArgs(1, "input file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd, e, &o, args)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&o.asJSON, "json", false, "print the full result (VC API shape, with authentic and conformant) instead")
	fs.BoolVar(&o.lenient, "lenient", false, "relax what does not bear on authenticity (see above)")
	fs.StringVar(&o.now, "now", "", "judge dates at `TIME` (RFC 3339) instead of now")
	fs.StringVar(&o.challenge, "challenge", "", "the challenge a presentation's proof must carry (without it, a replayed presentation is only a warning)")
	fs.StringVar(&o.domain, "domain", "", "the domain a presentation's proof must carry")
	fs.BoolVar(&o.requireHolder, "require-holder", false, "refuse a signed presentation that names no holder (by default holder is optional: the report then says who signed the presentation and that no holder was claimed)")
	o.in = addVerifyInputs(fs)
	fs.Var(&o.jwks, "jwks", "the issuer's published JSON Web Key Set (its /.well-known/jwks.json) from FILE: a VC-JWT whose key is only in its jwk header verifies if the set has it; repeatable")
	fs.BoolVar(&o.unproven, "insecure-accept-unproven-jwk", false, "accept such a VC-JWT without the issuer's key set (a warning): anyone can sign in an https issuer's name")
	return cmd
}

// resolveFlags collects --resolve DID=FILE (and --jwks ISSUER=FILE).
type resolveFlags []string

func (r *resolveFlags) String() string     { return strings.Join(*r, ",") }
func (r *resolveFlags) Set(s string) error { *r = append(*r, s); return nil }
func (r *resolveFlags) Type() string       { return "ID=FILE" }

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

// config returns the verifier configuration the input flags give: the
// resolver, the JSON-LD loader and the status checker, on top of cfg (whose
// Now the status checker uses).
func (in *verifyInputs) config(e *env, cfg verifier.Config) (verifier.Config, error) {
	r, err := cliResolver(e, in.pins, in.network.allowKeys())
	if err != nil {
		return cfg, err
	}
	cfg.Resolver = r
	if cfg.Loader, err = contextLoader(in.ctxs.files(e), false); err != nil {
		return cfg, err
	}
	cfg.SkipStatus = in.status.skip
	if cfg.Status, err = newVerifyStatus(e, in.status, cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// verifier returns a strict verifier with the input flags' configuration
// on top of cfg.
func (in *verifyInputs) verifier(e *env, cfg verifier.Config) (*verifier.Verifier, error) {
	cfg, err := in.config(e, cfg)
	if err != nil {
		return nil, err
	}
	return verifier.New(cfg)
}

func runVerify(cmd *cobra.Command, e *env, o *verifyOptions, args []string) error {
	ctx := cmd.Context()
	fail := func(err error) error {
		if errors.Is(err, errUsage) {
			return usageError(cmd, "%v", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		}
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitCode(exitUsage)
	}
	cfg := verifier.Config{Suites: verifySuites, Algorithms: verifyAlgorithms}
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			return usageError(cmd, "--now: %v", err)
		}
		cfg.Now = func() time.Time { return t }
	}
	cfg.InsecureAcceptUnprovenJWK = o.unproven
	if len(o.jwks) > 0 {
		sets := map[string][]byte{}
		for _, j := range o.jwks {
			iss, file, ok := strings.Cut(j, "=")
			if !ok || iss == "" || file == "" {
				return usageError(cmd, "--jwks %q: want ISSUER=FILE", j)
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
	cfg, err := o.in.config(e, cfg)
	if err != nil {
		return fail(err)
	}
	cfg.Lenient = o.lenient
	data, err := readInput(e, args)
	if err != nil {
		return fail(err)
	}
	v, err := verifier.New(cfg)
	if err != nil {
		return fail(err)
	}
	out := verifyOutput{json: o.asJSON, lenient: o.lenient, network: o.in.network}
	if presentation.IsPresentation(data) {
		return code(verifyPresentation(ctx, e, v, cfg.Resolver, cfg.Now, data, presentation.VerifyOptions{Challenge: o.challenge, Domain: o.domain, RequireHolder: o.requireHolder}, out))
	}
	res, err := v.Verify(ctx, data)
	if err != nil {
		fmt.Fprintf(e.stderr, "badge verify: %v\n", err)
		return exitCode(exitRejected)
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
	switch {
	case res.Verified:
		return nil
	case malformed(res):
		return exitCode(exitUsage)
	}
	return exitCode(exitRejected)
}

// malformed reports whether the input of a result was not a credential
// at all (not JSON, a VC-JWT or a badge image carrying one): the parse
// check failed, which is exit status 2, not 1.
func malformed(res *verifier.Result) bool {
	for _, c := range res.Checks {
		if c.Name == "parse" && c.Outcome == verifier.Failed {
			return true
		}
	}
	return false
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
