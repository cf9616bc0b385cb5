package presentation

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// Limits of a Verifier when VerifierConfig leaves them zero.
const (
	DefaultMaxCredentials     = 100
	DefaultMaxCredentialBytes = 1 << 20
	DefaultMaxBytes           = 16 << 20
)

// VerifierConfig configures a Verifier. Credentials and Suites are required;
// the zero value of every other field is safe and offline.
type VerifierConfig struct {
	// Credentials verifies each credential inside a presentation, with the
	// full credential checks (proof, issuer binding, dates, status, OB 3.0
	// rules). Required.
	Credentials *verifier.Verifier
	// Suites lists the Data Integrity suites accepted for the
	// presentation's own proof (dataintegrity.SuiteEdDSARDFC2022, …).
	// Required: nothing is accepted implicitly.
	Suites []dataintegrity.SuiteName
	// Resolver finds the holder's verification method. Nil means
	// did.DefaultResolver(): did:key and did:jwk, offline (the default of
	// verifier.Config.WithDefaults, as for the other defaults below).
	Resolver did.Resolver
	// Processor canonicalizes JSON-LD for the RDFC-based suites, and
	// expands the presentation's envelope in safe mode if it has an Expand
	// method (as *jsonld.Processor does); nil means a process-wide
	// processor with the embedded contexts only.
	Processor dataintegrity.Canonicalizer
	// Now is the clock for the proof's created and expires; nil means
	// time.Now. (The credentials are judged by Credentials' own clock.)
	Now func() time.Time
	// MaxClockSkew is how far the proof's created may lie in the future;
	// 0 means verifier.DefaultMaxClockSkew.
	MaxClockSkew time.Duration
	// Challenges, if set, makes every challenge single-use: a presentation
	// is accepted only if its proof's challenge was issued by Challenges,
	// has not expired and was not used before; Verify consumes it once the
	// proof has verified.
	Challenges *Challenges
	// MaxCredentials bounds the credentials of one presentation; 0 means
	// DefaultMaxCredentials.
	MaxCredentials int
	// MaxCredentialBytes bounds the size of each credential (its JSON, or
	// its JWS); 0 means DefaultMaxCredentialBytes.
	MaxCredentialBytes int
	// MaxBytes bounds the whole presentation; 0 means DefaultMaxBytes.
	MaxBytes int
	// InsecureAllowUnsigned accepts a presentation without a proof, whose
	// credentials are then verified but whose holder is not authenticated:
	// anyone holding copies of the credentials can make such a
	// presentation. It is still refused when VerifyOptions expects a
	// challenge or a domain, or requires the holder to be the subject.
	InsecureAllowUnsigned bool
	// RequireHolder refuses a signed presentation that names no holder
	// (ErrNoHolder). By default holder is optional, as in VC Data Model
	// 2.0: a presentation without one is verified against its proof's own
	// key, and the Result reports who signed it (Signers) and that no
	// holder was claimed. VerifyOptions.RequireHolder asks the same of one
	// call.
	RequireHolder bool
}

// Verifier verifies presentations. It is safe for concurrent use; share one.
type Verifier struct {
	creds      *verifier.Verifier
	proofs     *dataintegrity.Verifier
	expander   expander
	resolver   did.Resolver
	now        func() time.Time
	challenges *Challenges
	maxCreds   int
	maxCred    int
	maxBytes   int
	unsigned   bool
	reqHolder  bool
}

// NewVerifier checks cfg and returns a Verifier.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Credentials == nil {
		return nil, errors.New("presentation: VerifierConfig.Credentials is required")
	}
	if len(cfg.Suites) == 0 {
		return nil, errors.New("presentation: VerifierConfig.Suites is required")
	}
	if cfg.MaxCredentials < 0 || cfg.MaxCredentialBytes < 0 || cfg.MaxBytes < 0 || cfg.MaxClockSkew < 0 {
		return nil, errors.New("presentation: negative limit in VerifierConfig")
	}
	// The holder's key and proof default as the credentials' do.
	defaults := verifier.Config{Resolver: cfg.Resolver, Now: cfg.Now, MaxClockSkew: cfg.MaxClockSkew}.WithDefaults()
	v := &Verifier{
		creds:      cfg.Credentials,
		resolver:   defaults.Resolver,
		now:        defaults.Now,
		challenges: cfg.Challenges,
		maxCreds:   cfg.MaxCredentials,
		maxCred:    cfg.MaxCredentialBytes,
		maxBytes:   cfg.MaxBytes,
		unsigned:   cfg.InsecureAllowUnsigned,
		reqHolder:  cfg.RequireHolder,
	}
	if v.maxCreds == 0 {
		v.maxCreds = DefaultMaxCredentials
	}
	if v.maxCred == 0 {
		v.maxCred = DefaultMaxCredentialBytes
	}
	if v.maxBytes == 0 {
		v.maxBytes = DefaultMaxBytes
	}
	p, err := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{
		Suites:    cfg.Suites,
		Processor: cfg.Processor,
		Now:       defaults.Now,
		ClockSkew: defaults.MaxClockSkew,
		Purpose:   PurposeAuthentication,
	})
	if err != nil {
		return nil, fmt.Errorf("presentation: %w", err)
	}
	v.proofs = p
	if e, ok := cfg.Processor.(expander); ok {
		v.expander = e
	} else if v.expander, err = defaultProcessor(); err != nil {
		return nil, fmt.Errorf("presentation: %w", err)
	}
	return v, nil
}

// expander expands JSON-LD in safe mode; *jsonld.Processor is one.
type expander interface {
	Expand(ctx context.Context, doc any) (any, error)
}

// defaultProcessor is the processor used when the config names none with an
// Expand method: embedded contexts only, safe mode, one per process.
var defaultProcessor = sync.OnceValues(func() (*jsonld.Processor, error) {
	return jsonld.NewProcessor(jsonld.Config{})
})

// VerifyOptions are the expectations of one Verify call.
type VerifyOptions struct {
	// Challenge is the challenge the verifier gave the holder. If set, the
	// proof must carry exactly it (INVALID_CHALLENGE_ERROR otherwise). If
	// empty and VerifierConfig.Challenges is set, the proof must carry a
	// challenge the store issued. If both are unset the challenge is not
	// checked, with a warning: the presentation could be a replay.
	Challenge string
	// Domain is the verifier's domain (e.g. its origin). If set, the proof's
	// domain must be exactly it (INVALID_DOMAIN_ERROR otherwise).
	Domain string
	// RequireHolderIsSubject requires every credential's subject (each
	// credentialSubject's id) to be the presentation's holder, so that a
	// holder cannot present someone else's badge as their own.
	RequireHolderIsSubject bool
	// RequireHolder refuses a signed presentation that names no holder, as
	// VerifierConfig.RequireHolder does for every call.
	RequireHolder bool
}

// Result is the outcome of Verify, in the shape of the VC API's
// verify-presentation response: the verdict, the presentation's own checks,
// one result per credential (in verifiableCredential order) and the
// problems that made it fail.
type Result struct {
	// Verified is true when the presentation's checks passed and every
	// credential inside verified.
	Verified bool `json:"verified"`
	// Holder is the presentation's holder, "" if none.
	Holder string `json:"holder,omitempty"`
	// HolderClaimed reports that the presentation names a holder. A signed
	// presentation without one is bound to no holder: only Signers says
	// who made it.
	HolderClaimed bool `json:"holderClaimed"`
	// Signers are the controllers of the keys whose proofs on the
	// presentation verified (the holder, when one is claimed), in proof
	// order and without repeats.
	Signers []string `json:"signers,omitempty"`
	// PresentationResult is the outcome of the presentation's own checks.
	PresentationResult PresentationResult `json:"presentationResult"`
	// CredentialResults has one entry per credential.
	CredentialResults []CredentialResult `json:"credentialResults"`
	// ProblemDetails are the reasons the presentation is not verified: the
	// presentation's errors, then one problem per credential that failed,
	// whose Path names it ($.verifiableCredential[i]).
	ProblemDetails []verifier.ProblemDetail `json:"problemDetails"`
	// Warnings are findings that do not prevent verification.
	Warnings []verifier.ProblemDetail `json:"warnings"`
}

// PresentationResult is the outcome of the checks on the presentation
// itself: parse, presentation (data model), jsonld (the envelope expands in
// safe mode with allowed contexts), holder (skipped when no holder is
// claimed), proof, challenge, domain and subject
// (the holder-is-subject check).
type PresentationResult struct {
	Verified bool                     `json:"verified"`
	Checks   []verifier.Check         `json:"checks"`
	Errors   []verifier.ProblemDetail `json:"errors"`
	Warnings []verifier.ProblemDetail `json:"warnings"`
}

// CredentialResult is the outcome for one credential of the presentation.
type CredentialResult struct {
	// Index is the credential's position in verifiableCredential.
	Index int `json:"index"`
	// ID is the credential's id, when it could be read.
	ID string `json:"id,omitempty"`
	// Format is "json" for an embedded credential, "jwt" for a VC-JWT
	// (enveloped in 2.0, a string in 1.1).
	Format string `json:"format"`
	// Result is the credential's verification result.
	*verifier.Result
}

// Err returns nil when the presentation is verified, and otherwise an error
// joining every problem, so that errors.Is works with the sentinels of this
// package, dataintegrity, did and verifier.
func (r *Result) Err() error {
	if r.Verified {
		return nil
	}
	// A presentation that is not verified has at least one problem, joined
	// as a credential's are.
	return (&verifier.Result{Errors: r.ProblemDetails}).Err()
}

// Summary returns a one-line verdict: "verified (N credentials)", or "not
// verified: " and the reasons.
func (r *Result) Summary() string {
	var b strings.Builder
	if r.Verified {
		fmt.Fprintf(&b, "verified (%d credential%s)", len(r.CredentialResults), plural(len(r.CredentialResults)))
	} else {
		b.WriteString("not verified: ")
		for i, p := range r.ProblemDetails {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(p.Detail)
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString(" (warnings: ")
		for i, p := range r.Warnings {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(p.Detail)
		}
		b.WriteString(")")
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// state is one Verify call's bookkeeping.
type state struct {
	res *Result
	pr  *PresentationResult
}

func (s *state) check(name, path string, o verifier.Outcome, detail string) {
	s.pr.Checks = append(s.pr.Checks, verifier.Check{Name: name, Path: path, Outcome: o, Detail: detail})
}

func (s *state) fail(name, path, typ string, err error) {
	s.check(name, path, verifier.Failed, err.Error())
	s.pr.Errors = append(s.pr.Errors, problem(typ, name, path, err))
}

func (s *state) warn(name, path, typ string, err error) {
	s.check(name, path, verifier.Warning, err.Error())
	s.pr.Warnings = append(s.pr.Warnings, problem(typ, name, path, err))
}

// IsPresentation reports whether data is a JSON object whose type includes
// VerifiablePresentation, so that a command or endpoint receiving either a
// credential or a presentation can route it. It does not validate anything
// else.
func IsPresentation(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	d, err := strictjson.Decode(data, strictjson.Options{MaxBytes: DefaultMaxBytes})
	if err != nil {
		return false
	}
	m, ok := d.(map[string]any)
	return ok && hasType(m["type"], TypeVerifiablePresentation)
}

func hasType(t any, want string) bool {
	types, _ := t.([]any)
	return t == want || slices.Contains(types, any(want))
}

// credEntry is one credential found in verifiableCredential.
type credEntry struct {
	path   string
	format string
	id     string
	data   []byte
	err    error // set when the entry itself is malformed
	errTyp string
}

// Verify verifies a presentation (JSON) and every credential inside it. The
// outcome, failures included, is in the Result; the error is non-nil only
// for misuse (a nil Verifier) or when ctx ends.
func (v *Verifier) Verify(ctx context.Context, data []byte, opts VerifyOptions) (*Result, error) {
	if v == nil {
		return nil, errors.New("presentation: nil Verifier")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{CredentialResults: []CredentialResult{}, ProblemDetails: []verifier.ProblemDetail{}, Warnings: []verifier.ProblemDetail{}}
	res.PresentationResult.Checks = []verifier.Check{}
	res.PresentationResult.Errors = []verifier.ProblemDetail{}
	res.PresentationResult.Warnings = []verifier.ProblemDetail{}
	s := &state{res: res, pr: &res.PresentationResult}
	now := v.now()

	tree, doc, ok := v.parse(s, data)
	var entries []credEntry
	if ok {
		entries, ok = v.structure(s, doc)
	}
	if ok {
		ok = v.checkJSONLD(ctx, s, doc)
	}
	if ok {
		v.checkProof(ctx, s, tree, doc, opts, now)
	} else {
		s.check("proof", "$.proof", verifier.Skipped, "the presentation could not be read")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Credentials, each with its own result.
	for i, e := range entries {
		cr := CredentialResult{Index: i, ID: e.id, Format: e.format}
		if e.err != nil {
			cr.Result = &verifier.Result{
				Checks:   []verifier.Check{{Name: "parse", Outcome: verifier.Failed, Detail: e.err.Error()}},
				Errors:   []verifier.ProblemDetail{problem(e.errTyp, "parse", "$", e.err)},
				Warnings: []verifier.ProblemDetail{},
			}
		} else {
			r, err := v.creds.Verify(ctx, e.data)
			if err != nil {
				return nil, err
			}
			cr.Result = r
			if r.Credential != nil && cr.ID == "" {
				cr.ID = r.Credential.ID
			}
		}
		res.CredentialResults = append(res.CredentialResults, cr)
	}

	if opts.RequireHolderIsSubject && ok {
		v.checkSubjects(s, res)
	}

	res.PresentationResult.Verified = ok && len(res.PresentationResult.Errors) == 0
	res.ProblemDetails = append(res.ProblemDetails, res.PresentationResult.Errors...)
	res.Warnings = append(res.Warnings, res.PresentationResult.Warnings...)
	for _, cr := range res.CredentialResults {
		if cr.Verified {
			continue
		}
		path := entries[cr.Index].path
		name := path
		if cr.ID != "" {
			name += " (" + truncate(cr.ID, 200) + ")"
		}
		err := fmt.Errorf("%w: %s: %w", ErrCredential, name, cr.Result.Err())
		typ := ProblemProofVerification
		if len(cr.Errors) > 0 {
			typ = cr.Errors[0].Type
		}
		p := problem(typ, "credential", path, err)
		p.Detail = ErrCredential.Error() + ": " + name + ": " + strings.TrimPrefix(cr.Result.Summary(), "not verified: ")
		res.ProblemDetails = append(res.ProblemDetails, p)
	}
	res.Verified = res.PresentationResult.Verified && len(res.ProblemDetails) == 0
	return res, nil
}

// parse decodes the presentation strictly, into the tree its proofs are
// verified over and the Go values the rest reads.
func (v *Verifier) parse(s *state, data []byte) (strictjson.Value, map[string]any, bool) {
	if len(data) > v.maxBytes {
		s.fail("parse", "$", ProblemParsing, fmt.Errorf("%w: %d bytes, at most %d allowed", ErrTooLarge, len(data), v.maxBytes))
		return strictjson.Value{}, nil, false
	}
	tree, err := strictjson.Parse(string(data), strictjson.Options{MaxBytes: v.maxBytes, FoldDuplicateKeys: true})
	if err != nil {
		s.fail("parse", "$", ProblemParsing, fmt.Errorf("%w: %w", ErrMalformed, err))
		return tree, nil, false
	}
	doc, ok := tree.ToGo().(map[string]any)
	if !ok {
		s.fail("parse", "$", ProblemParsing, fmt.Errorf("%w: not a JSON object", ErrMalformed))
		return tree, nil, false
	}
	s.check("parse", "", verifier.Passed, "")
	return tree, doc, true
}

// structure checks the VC Data Model rules of the envelope and collects the
// credentials. Problems with one credential entry are that credential's, not
// the presentation's, so that a caller sees which badge is at fault.
func (v *Verifier) structure(s *state, doc map[string]any) ([]credEntry, bool) {
	malformed := func(path, format string, a ...any) ([]credEntry, bool) {
		s.fail("presentation", path, ProblemMalformedValue, fmt.Errorf("%w: %s: %s", ErrMalformed, path, fmt.Sprintf(format, a...)))
		return nil, false
	}
	ctxs, ok := doc["@context"].([]any)
	if !ok || len(ctxs) == 0 {
		return malformed("$.@context", "must be a non-empty array")
	}
	var version Version
	switch ctxs[0] {
	case credential.ContextV2:
		version = V2
	case credential.ContextV1:
		version = V1
	default:
		return malformed("$.@context[0]", "must be %s or %s", credential.ContextV2, credential.ContextV1)
	}
	if !hasType(doc["type"], TypeVerifiablePresentation) {
		return malformed("$.type", "must include %s", TypeVerifiablePresentation)
	}
	if id, has := doc["id"]; has {
		if str, ok := id.(string); !ok || !isURL(str) {
			return malformed("$.id", "must be a URL")
		}
	}
	if h, has := doc["holder"]; has {
		switch h := h.(type) {
		case string:
			if !isURL(h) {
				return malformed("$.holder", "must be a URL")
			}
			s.res.Holder = h
			s.res.HolderClaimed = true
		case map[string]any:
			id, ok := h["id"].(string)
			if !ok || !isURL(id) {
				return malformed("$.holder.id", "must be a URL")
			}
			s.res.Holder = id
			s.res.HolderClaimed = true
		default:
			return malformed("$.holder", "must be a URL or an object with an id")
		}
	}
	var items []any
	switch vc := doc["verifiableCredential"].(type) {
	case nil:
		if _, has := doc["verifiableCredential"]; has {
			return malformed("$.verifiableCredential", "must not be null")
		}
	case []any:
		items = vc
	default:
		items = []any{vc}
	}
	if len(items) > v.maxCreds {
		s.fail("presentation", "$.verifiableCredential", ProblemMalformedValue,
			fmt.Errorf("%w: %d credentials, at most %d allowed", ErrTooLarge, len(items), v.maxCreds))
		return nil, false
	}
	entries := make([]credEntry, len(items))
	for i, it := range items {
		entries[i] = v.entry(it, "$.verifiableCredential["+strconv.Itoa(i)+"]", version)
	}
	s.check("presentation", "", verifier.Passed, "")
	return entries, true
}

// entry reads one element of verifiableCredential.
func (v *Verifier) entry(it any, path string, version Version) credEntry {
	e := credEntry{path: path, format: "json"}
	bad := func(typ string, err error) credEntry {
		e.err, e.errTyp = err, typ
		return e
	}
	switch it := it.(type) {
	case string:
		e.format = "jwt"
		if version == V2 {
			return bad(ProblemMalformedValue, fmt.Errorf("%w: a VC Data Model 2.0 presentation carries a VC-JWT as an %s, not a string", ErrMalformed, TypeEnvelopedVerifiableCredential))
		}
		if !vcjwt.IsCompactJWS([]byte(it)) {
			return bad(ProblemMalformedValue, fmt.Errorf("%w: a string that is not a compact JWS", ErrMalformed))
		}
		e.data = []byte(it)
	case map[string]any:
		if id, ok := it["id"].(string); ok {
			e.id = id
		}
		if hasType(it["type"], TypeEnvelopedVerifiableCredential) {
			e.format, e.id = "jwt", ""
			jws, err := envelopedJWS(it)
			if err != nil {
				return bad(ProblemMalformedValue, err)
			}
			e.data = []byte(jws)
			break
		}
		b, err := marshal(it)
		if err != nil {
			return bad(ProblemParsing, fmt.Errorf("%w: %w", ErrMalformed, err))
		}
		e.data = b
	default:
		return bad(ProblemMalformedValue, fmt.Errorf("%w: neither a credential object nor a VC-JWT", ErrMalformed))
	}
	if len(e.data) > v.maxCred {
		return bad(ProblemMalformedValue, fmt.Errorf("%w: credential of %d bytes, at most %d allowed", ErrTooLarge, len(e.data), v.maxCred))
	}
	return e
}

// checkJSONLD expands the presentation's envelope (without its credentials,
// which are checked on their own, and its proofs, which the proof check
// reads) in safe mode: every term defined by an allowed context, no value
// silently dropped. This matters for eddsa-jcs-2022 proofs and unsigned
// presentations, which no canonicalization would otherwise look at.
func (v *Verifier) checkJSONLD(ctx context.Context, s *state, doc map[string]any) bool {
	top := make(map[string]any, len(doc))
	for k, x := range doc {
		if k != "verifiableCredential" && k != "proof" {
			top[k] = x
		}
	}
	if _, err := v.expander.Expand(ctx, top); err != nil {
		if ctx.Err() != nil {
			return false
		}
		path := "$"
		var te *jsonld.TermError
		if errors.As(err, &te) {
			path = te.Path
		}
		s.fail("jsonld", path, verifier.JSONLDProblem(err), fmt.Errorf("%w: %w", ErrMalformed, err))
		return false
	}
	s.check("jsonld", "", verifier.Passed, "")
	return true
}

// envelopedJWS returns the JWS of an EnvelopedVerifiableCredential, whose id
// is "data:application/vc+jwt,<jws>" (RFC 2397, VC-JOSE-COSE).
func envelopedJWS(m map[string]any) (string, error) {
	id, ok := m["id"].(string)
	if !ok {
		return "", fmt.Errorf("%w: %s without a string id", ErrMalformed, TypeEnvelopedVerifiableCredential)
	}
	rest, ok := strings.CutPrefix(id, "data:")
	if !ok {
		return "", fmt.Errorf("%w: %s id is not a data: URL", ErrMalformed, TypeEnvelopedVerifiableCredential)
	}
	mediaType, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return "", fmt.Errorf("%w: data: URL without a comma", ErrMalformed)
	}
	if mediaType != MediaTypeVCJWT {
		return "", fmt.Errorf("%w: media type %q (want %s)", ErrUnsupportedEnvelope, truncate(mediaType, 100), MediaTypeVCJWT)
	}
	if !vcjwt.IsCompactJWS([]byte(payload)) {
		return "", fmt.Errorf("%w: data: URL does not hold a compact JWS", ErrMalformed)
	}
	return payload, nil
}

// checkProof verifies the presentation's proof, its binding to the holder,
// and the challenge and domain.
func (v *Verifier) checkProof(ctx context.Context, s *state, tree strictjson.Value, doc map[string]any, opts VerifyOptions, now time.Time) {
	if _, has := doc["proof"]; !has {
		switch {
		case !v.unsigned:
			s.fail("proof", "$.proof", ProblemProofVerification, ErrNoProof)
		case opts.Challenge != "" || v.challenges != nil:
			s.fail("challenge", "$.proof", ProblemInvalidChallenge, fmt.Errorf("%w: a challenge is expected and the presentation is unsigned", ErrNoProof))
		case opts.Domain != "":
			s.fail("domain", "$.proof", ProblemInvalidDomain, fmt.Errorf("%w: a domain is expected and the presentation is unsigned", ErrNoProof))
		case opts.RequireHolderIsSubject:
			s.fail("proof", "$.proof", ProblemProofVerification, fmt.Errorf("%w: the holder must be authenticated", ErrNoProof))
		default:
			s.warn("proof", "$.proof", ProblemProofVerification, fmt.Errorf("%w: the holder is not authenticated", ErrNoProof))
		}
		return
	}
	holder := s.res.Holder
	if holder == "" {
		if v.reqHolder || opts.RequireHolder {
			s.fail("holder", "$.holder", ProblemProofVerification, fmt.Errorf("%w: holder binding is required", ErrNoHolder))
			return
		}
		s.check("holder", "$.holder", verifier.Skipped, "no holder claimed: the presentation is bound only to the key that signed it")
	}
	var mu sync.Mutex
	controllers := map[string]string{}
	keys := func(ctx context.Context, vmURL, purpose string) (crypto.PublicKey, error) {
		vm, _, err := did.ResolveVerificationMethod(ctx, v.resolver, vmURL, did.Relationship(purpose))
		if err != nil {
			return nil, err
		}
		mu.Lock()
		controllers[vmURL] = vm.Controller
		mu.Unlock()
		if holder != "" && vm.Controller != holder {
			return nil, fmt.Errorf("%w: %s is controlled by %q, the holder is %q", ErrHolderMismatch, truncate(vmURL, 200), truncate(vm.Controller, 200), truncate(holder, 200))
		}
		return vm.PublicKey()
	}
	vo := dataintegrity.VerifyOptions{Challenge: opts.Challenge, Now: now}
	if opts.Domain != "" {
		vo.Domain = []string{opts.Domain}
	}
	r, err := v.proofs.VerifyDocument(ctx, tree, keys, vo)
	if err != nil {
		s.fail("proof", "$.proof", proofProblem(err), err)
		return
	}
	_, single := doc["proof"].(map[string]any)
	challenges := map[string]bool{}
	for _, p := range r.Proofs {
		path := "$.proof"
		if !single {
			path += "[" + strconv.Itoa(p.Index) + "]"
		}
		switch {
		case p.Verified:
			s.check("proof", path, verifier.Passed, "")
			challenges[p.Challenge] = true
			mu.Lock()
			c := controllers[p.VerificationMethod]
			mu.Unlock()
			if c != "" && !slices.Contains(s.res.Signers, c) {
				s.res.Signers = append(s.res.Signers, c)
			}
		case p.Ignored:
			s.warn("proof", path, proofProblem(p.Err), p.Err)
		default:
			name := "proof"
			switch {
			case errors.Is(p.Err, dataintegrity.ErrChallengeMismatch):
				name = "challenge"
			case errors.Is(p.Err, dataintegrity.ErrDomainMismatch):
				name = "domain"
			}
			s.fail(name, path, proofProblem(p.Err), p.Err)
		}
	}
	if !r.Verified {
		return
	}
	// The proof verified: its challenge is now spent, whatever the
	// credentials turn out to be, so that the same bytes cannot be tried
	// again.
	switch {
	case v.challenges != nil:
		ch := opts.Challenge
		if ch == "" {
			if len(challenges) != 1 || challenges[""] {
				s.fail("challenge", "$.proof.challenge", ProblemInvalidChallenge, fmt.Errorf("%w: the proof carries no challenge", ErrChallengeUnknown))
				return
			}
			for c := range challenges {
				ch = c
			}
		}
		if err := v.challenges.Consume(ctx, ch); err != nil {
			s.fail("challenge", "$.proof.challenge", ProblemInvalidChallenge, err)
			return
		}
		s.check("challenge", "", verifier.Passed, "")
	case opts.Challenge != "":
		s.check("challenge", "", verifier.Passed, "")
	default:
		s.warn("challenge", "$.proof.challenge", ProblemInvalidChallenge, errors.New("presentation: no challenge expected: the presentation may be a replay"))
	}
	if opts.Domain != "" {
		s.check("domain", "", verifier.Passed, "")
	} else {
		s.check("domain", "", verifier.Skipped, "no domain expected")
	}
}

// checkSubjects requires every credential's subjects to be the holder.
func (v *Verifier) checkSubjects(s *state, res *Result) {
	if res.Holder == "" {
		s.fail("subject", "$.holder", ProblemProofVerification, fmt.Errorf("%w: the presentation names no holder", ErrSubjectNotHolder))
		return
	}
	failed := false
	for _, cr := range res.CredentialResults {
		if cr.Result == nil || cr.Result.Credential == nil {
			continue // not readable: the credential's own result fails
		}
		subjects := cr.Result.Credential.CredentialSubject.Items
		path := "$.verifiableCredential[" + strconv.Itoa(cr.Index) + "].credentialSubject"
		if len(subjects) == 0 {
			s.fail("subject", path, ProblemProofVerification, fmt.Errorf("%w: no credentialSubject", ErrSubjectNotHolder))
			failed = true
			continue
		}
		for _, sub := range subjects {
			if sub.ID != res.Holder {
				s.fail("subject", path, ProblemProofVerification, fmt.Errorf("%w: subject %q, holder %q", ErrSubjectNotHolder, truncate(sub.ID, 200), truncate(res.Holder, 200)))
				failed = true
				break
			}
		}
	}
	if !failed {
		s.check("subject", "", verifier.Passed, "")
	}
}
