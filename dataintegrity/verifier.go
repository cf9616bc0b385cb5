package dataintegrity

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
)

// DefaultClockSkew is the clock difference tolerated when a config says 0.
const DefaultClockSkew = 5 * time.Minute

// KeyResolver returns the public key of a verification method, after
// checking that it may be used for purpose (a verification relationship of
// its controller, e.g. "assertionMethod"). The verifier supplies it: from a
// DID resolver, a static map (StaticKeys), or a single known key (Key).
type KeyResolver func(ctx context.Context, verificationMethod, purpose string) (crypto.PublicKey, error)

// Key returns a KeyResolver that answers pub for every verification method.
// Use it when the caller already knows the one key the document must be
// signed with.
func Key(pub crypto.PublicKey) KeyResolver {
	return func(context.Context, string, string) (crypto.PublicKey, error) { return pub, nil }
}

// StaticKeys returns a KeyResolver that looks verification methods up in
// keys and fails for any other.
func StaticKeys(keys map[string]crypto.PublicKey) KeyResolver {
	return func(_ context.Context, vm, _ string) (crypto.PublicKey, error) {
		if k, ok := keys[vm]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("unknown verification method %q", truncate(vm, 200))
	}
}

// VerifierConfig configures a Verifier. Suites is required; the zero value
// of every other field is a safe default.
type VerifierConfig struct {
	// Suites lists the suites accepted, by name (SuiteEdDSARDFC2022, …).
	// A proof of any other suite fails with ErrSuiteNotAccepted or
	// ErrUnsupportedSuite. Required: nothing is accepted implicitly.
	Suites []SuiteName
	// CustomSuites are suites implemented outside this package; they must
	// also be listed in Suites to be accepted.
	CustomSuites []Suite
	// Processor canonicalizes JSON-LD for the RDFC-based suites; nil means
	// a process-wide processor with embedded contexts only.
	Processor Canonicalizer
	// Now is the clock for created and expires; nil means time.Now.
	Now func() time.Time
	// ClockSkew is how far created may lie in the future, and how long
	// after expires a proof is still accepted; 0 means DefaultClockSkew.
	ClockSkew time.Duration
	// Purpose is the expected proofPurpose; "" means DefaultProofPurpose.
	Purpose string
	// IgnoreUnknownSuites follows OB 3.0's "a verifier MAY accept any one
	// proof": proofs whose suite is not accepted are skipped with a warning
	// instead of failing the document, as long as at least one proof
	// verifies. A proof of an accepted suite that fails still fails the
	// document. By default, as VC Data Integrity says, every proof must
	// verify.
	IgnoreUnknownSuites bool
	// MaxProofs bounds the proofs of one document (and so the depth of a
	// proof chain); 0 means DefaultMaxProofs.
	MaxProofs int
}

// VerifyOptions are per-call expectations of Verifier.Verify.
type VerifyOptions struct {
	// Purpose overrides VerifierConfig.Purpose.
	Purpose string
	// Domain, if set, must be the proof's domain (as a set of strings).
	Domain []string
	// Challenge, if set, must be the proof's challenge.
	Challenge string
	// Now, if not zero, is the time created and expires are judged at,
	// instead of VerifierConfig.Now (so that a caller can use one instant
	// for all its checks while sharing one Verifier).
	Now time.Time
}

// Verifier verifies the Data Integrity proofs of documents. It is safe for
// concurrent use.
type Verifier struct {
	accepted  map[[2]string]Suite
	known     map[[2]string]Suite
	rdf       Canonicalizer
	now       func() time.Time
	skew      time.Duration
	purpose   string
	ignore    bool
	maxProofs int
	configs   configMemo
	builtin   bool // no custom suite: the Env of a call can be pooled
}

// NewVerifier checks cfg and returns a Verifier.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if len(cfg.Suites) == 0 {
		return nil, errors.New("dataintegrity: VerifierConfig.Suites is required: list the suites to accept, e.g. " + string(SuiteEdDSARDFC2022))
	}
	all, err := suiteTable(cfg.CustomSuites)
	if err != nil {
		return nil, err
	}
	v := &Verifier{
		accepted: map[[2]string]Suite{}, known: map[[2]string]Suite{},
		rdf: canonicalizer(cfg.Processor), now: cfg.Now, skew: cfg.ClockSkew, purpose: cfg.Purpose,
		ignore: cfg.IgnoreUnknownSuites, maxProofs: cfg.MaxProofs,
		builtin: len(cfg.CustomSuites) == 0,
	}
	byName := map[string]Suite{}
	for _, s := range all {
		byName[s.Name()] = s
		v.known[[2]string{s.ProofType(), s.Cryptosuite()}] = s
	}
	for _, name := range cfg.Suites {
		s, ok := byName[string(name)]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedSuite, name)
		}
		v.accepted[[2]string{s.ProofType(), s.Cryptosuite()}] = s
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.skew == 0 {
		v.skew = DefaultClockSkew
	}
	if v.skew < 0 {
		return nil, errors.New("dataintegrity: VerifierConfig.ClockSkew is negative")
	}
	if v.purpose == "" {
		v.purpose = DefaultProofPurpose
	}
	if v.maxProofs <= 0 {
		v.maxProofs = DefaultMaxProofs
	}
	return v, nil
}

// Result is the outcome of Verify.
type Result struct {
	// Verified is true when at least one proof verified and no proof
	// failed (ignored proofs aside).
	Verified bool
	// Proofs has one entry per proof, in document order.
	Proofs []ProofResult
	// DocumentCanonicalized reports that a proof's suite canonicalized
	// the unsecured document (the document without its proofs) with
	// RDFC-1.0, and so expanded it as JSON-LD in safe mode; DocumentErr is
	// why that failed, if it did. A caller that checks the document as
	// JSON-LD can take the outcome from here rather than expand it again.
	DocumentCanonicalized bool
	DocumentErr           error
}

// ProofResult is the outcome for one proof.
type ProofResult struct {
	// Index is the proof's position in the document's proof set.
	Index int
	// The proof's members, as far as they could be read (zero if absent).
	Type, Cryptosuite, ID, VerificationMethod, Purpose string
	Created, Expires                                   time.Time
	Domain, PreviousProof                              []string
	Challenge, Nonce                                   string
	// Verified reports that every check passed.
	Verified bool
	// Ignored reports a proof skipped under IgnoreUnknownSuites; Err then
	// says why, as a warning.
	Ignored bool
	// Err is why the proof failed (or was ignored), a *ProofError.
	Err error
}

// Err returns the errors of the failed proofs joined; if no proof failed
// but none verified either (all were ignored), an error wrapping ErrNoProof;
// nil when Verified.
func (r *Result) Err() error {
	var errs []error
	for _, p := range r.Proofs {
		if !p.Verified && !p.Ignored && p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	if len(errs) == 0 && !r.Verified {
		return proofErrf(-1, "proof", ErrNoProof, "no proof verified")
	}
	return errors.Join(errs...)
}

// Warnings returns the errors of ignored proofs.
func (r *Result) Warnings() []error {
	var ws []error
	for _, p := range r.Proofs {
		if p.Ignored {
			ws = append(ws, p.Err)
		}
	}
	return ws
}

// Verify verifies every proof of doc, a JSON object, each over the document
// without any proof, or, for a proof with previousProof, over the document
// carrying exactly the proofs it names. keys supplies each proof's public
// key. doc is parsed strictly, with the limits credential.Parse applies.
// The error is non-nil only when doc cannot be examined at all (not a JSON
// object, nil keys, no proof, a proof property that is not an object or
// array, too many proofs) or ctx is done; otherwise the outcome, failures
// included, is in the Result.
func (v *Verifier) Verify(ctx context.Context, doc []byte, keys KeyResolver, opts VerifyOptions) (*Result, error) {
	d, err := strictjson.Parse(string(doc), strictjson.Options{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: Verify: the document is not JSON: %w", err)
	}
	return v.VerifyDocument(ctx, d, keys, opts)
}

// VerifyDocument is Verify of a document internal/strictjson parsed, for
// the library's packages that parse the document themselves (the
// verifier).
func (v *Verifier) VerifyDocument(ctx context.Context, doc strictjson.Value, keys KeyResolver, opts VerifyOptions) (*Result, error) {
	if doc.Kind() != strictjson.Object {
		return nil, errors.New("dataintegrity: Verify: the document is not an object")
	}
	if keys == nil {
		return nil, errors.New("dataintegrity: Verify: nil KeyResolver")
	}
	raw, err := proofList(doc)
	if err != nil {
		return nil, err
	}
	if len(raw) > v.maxProofs {
		return nil, proofErrf(-1, "proof", ErrTooManyProofs, "%d proofs, limit %d", len(raw), v.maxProofs)
	}
	purpose := opts.Purpose
	if purpose == "" {
		purpose = v.purpose
	}
	now := opts.Now
	if now.IsZero() {
		now = v.now()
	}
	// The document without its proofs, canonicalized at most once for all
	// the proofs over it.
	var unsecured *Env
	if v.builtin {
		unsecured = pooledEnv(v.rdf, &v.configs)
		defer unsecured.recycle()
		unsecured.doc = doc.Without("proof")
	} else {
		unsecured = &Env{doc: doc.Without("proof"), rdf: v.rdf, configs: &v.configs}
	}

	infos := make([]*proofInfo, len(raw))
	errs := make([]error, len(raw))
	res := &Result{Proofs: make([]ProofResult, len(raw))}
	for i, p := range raw {
		infos[i], errs[i] = parseProof(i, p)
		r := &res.Proofs[i]
		r.Index = i
		if info := infos[i]; info != nil {
			r.Type, r.Cryptosuite, r.ID, r.VerificationMethod, r.Purpose = info.typ, info.cryptosuite, info.id, info.vm, info.purpose
			r.Created, r.Expires = info.created, info.expires
			r.Domain, r.PreviousProof, r.Challenge, r.Nonce = info.domain, info.previous, info.challenge, info.nonce
		}
	}
	chainErrs := checkChains(infos, errs)

	inputs := map[string]*Env{}
	verified, failed := 0, 0
	for i := range raw {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := &res.Proofs[i]
		// The suite is looked up first, so that under IgnoreUnknownSuites a
		// proof of a foreign suite is ignored however its other members look.
		suite, err := v.suiteFor(i, raw[i])
		if err != nil && v.ignore && (errors.Is(err, ErrUnsupportedSuite) || errors.Is(err, ErrSuiteNotAccepted)) {
			r.Ignored, r.Err = true, err
			continue
		}
		if errs[i] != nil {
			err = errs[i]
		}
		if err == nil && suite == nil {
			err = proofErrf(i, "type", ErrMalformedProof, "no usable type")
		}
		if err == nil {
			err = v.checkGeneric(i, infos[i], purpose, opts, now)
		}
		if err == nil {
			err = chainErrs[i]
		}
		var input *Env
		if err == nil {
			input, err = chainInput(unsecured, raw, infos, i, inputs)
		}
		var pub crypto.PublicKey
		if err == nil {
			pub, err = keys(ctx, infos[i].vm, infos[i].purpose)
			if err != nil {
				err = proofErr(i, "verificationMethod", ErrKeyResolution, "", err)
			}
		}
		if err == nil {
			if e := suite.CheckKey(pub); e != nil {
				err = proofErr(i, "verificationMethod", ErrInvalidKey, "", unwrapSentinel(e, ErrInvalidKey))
			}
		}
		if err == nil {
			if s, ok := suite.(*eddsaSuite); ok {
				err = s.verify(ctx, input, raw[i], pub)
			} else {
				err = suite.VerifyProof(ctx, input, raw[i].AppendJSON(nil), pub)
			}
			err = withIndex(i, err)
		}
		if err != nil {
			r.Err = err
			failed++
			continue
		}
		r.Verified = true
		verified++
	}
	// A chained proof stands on the proofs it names: if one of them did
	// not verify (or was ignored), neither does it.
	byID := map[string]int{}
	for i, p := range infos {
		if p != nil && p.id != "" {
			byID[p.id] = i
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range res.Proofs {
			r := &res.Proofs[i]
			if !r.Verified {
				continue
			}
			for _, ref := range infos[i].previous {
				if !res.Proofs[byID[ref]].Verified {
					r.Verified = false
					r.Err = proofErrf(i, "previousProof", ErrPreviousProof, "previous proof %q did not verify", truncate(ref, 200))
					verified, failed, changed = verified-1, failed+1, true
					break
				}
			}
		}
	}
	res.Verified = verified > 0 && failed == 0
	res.DocumentCanonicalized, res.DocumentErr = unsecured.canonicalized()
	return res, nil
}

func (v *Verifier) suiteFor(i int, m strictjson.Value) (Suite, error) {
	if m.Kind() != strictjson.Object {
		return nil, proofErrf(i, "", ErrMalformedProof, "proof is not a JSON object")
	}
	t, _ := m.Get("type")
	c, present := m.Get("cryptosuite")
	typ, cs := t.Str(), c.Str()
	if t.Kind() != strictjson.String || (c.Kind() != strictjson.String && present) {
		// Let parseProof report the member at fault.
		return nil, nil
	}
	k := [2]string{typ, cs}
	if s, ok := v.accepted[k]; ok {
		return s, nil
	}
	name := typ
	if cs != "" {
		name = cs
	}
	if _, ok := v.known[k]; ok {
		return nil, proofErrf(i, "cryptosuite", ErrSuiteNotAccepted, "%q is not among the accepted suites", truncate(name, 100))
	}
	return nil, proofErrf(i, "cryptosuite", ErrUnsupportedSuite, "type %q, cryptosuite %q", truncate(typ, 100), truncate(cs, 100))
}

// checkGeneric runs the checks of VC Data Integrity "Verify Proof" that do
// not depend on the suite.
func (v *Verifier) checkGeneric(i int, p *proofInfo, purpose string, opts VerifyOptions, now time.Time) error {
	if p.purpose != purpose {
		return proofErrf(i, "proofPurpose", ErrPurposeMismatch, "got %q, want %q", truncate(p.purpose, 100), purpose)
	}
	if len(opts.Domain) > 0 && !sameStringSet(opts.Domain, p.domain) {
		return proofErrf(i, "domain", ErrDomainMismatch, "got %q, want %q", p.domain, opts.Domain)
	}
	if opts.Challenge != "" && p.challenge != opts.Challenge {
		return proofErrf(i, "challenge", ErrChallengeMismatch, "")
	}
	if !p.created.IsZero() && p.created.After(now.Add(v.skew)) {
		return proofErrf(i, "created", ErrCreatedInFuture, "created %s, now %s", formatTime(p.created), formatTime(now))
	}
	if !p.expires.IsZero() && now.After(p.expires.Add(v.skew)) {
		return proofErrf(i, "expires", ErrProofExpired, "expired %s, now %s", formatTime(p.expires), formatTime(now))
	}
	return nil
}

// checkChains validates previousProof references: each must name exactly
// one other proof of the document, and following them must not loop.
func checkChains(infos []*proofInfo, parseErrs []error) []error {
	out := make([]error, len(infos))
	ids := map[string][]int{}
	for i, p := range infos {
		if p != nil && p.id != "" {
			ids[p.id] = append(ids[p.id], i)
		}
	}
	edges := make([][]int, len(infos))
	for i, p := range infos {
		if p == nil || parseErrs[i] != nil {
			continue
		}
		for _, ref := range p.previous {
			idx := ids[ref]
			switch {
			case len(idx) == 0:
				out[i] = proofErrf(i, "previousProof", ErrPreviousProof, "no proof with id %q", truncate(ref, 200))
			case len(idx) > 1:
				out[i] = proofErrf(i, "previousProof", ErrPreviousProof, "several proofs have id %q", truncate(ref, 200))
			case idx[0] == i:
				out[i] = proofErrf(i, "previousProof", ErrPreviousProof, "proof chains to itself")
			default:
				edges[i] = append(edges[i], idx[0])
			}
			if out[i] != nil {
				break
			}
		}
	}
	// A proof is on a cycle if it can reach itself; n ≤ MaxProofs keeps
	// this quadratic walk cheap.
	for i := range infos {
		if out[i] == nil && reaches(edges, i) {
			out[i] = proofErrf(i, "previousProof", ErrPreviousProof, "proof chain has a cycle")
		}
	}
	return out
}

func reaches(edges [][]int, start int) bool {
	seen := make([]bool, len(edges))
	stack := slices.Clone(edges[start])
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == start {
			return true
		}
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, edges[n]...)
	}
	return false
}

// chainInput returns the document proof i is verified over: the unsecured
// document, plus, for a chained proof, exactly the proofs it names (in
// document order). Inputs are shared between proofs that name the same
// proofs, so that their canonical form is computed once.
func chainInput(unsecured *Env, raw []strictjson.Value, infos []*proofInfo, i int, memo map[string]*Env) (*Env, error) {
	prev := infos[i].previous
	if len(prev) == 0 {
		return unsecured, nil
	}
	var idx []int
	for j, p := range infos {
		if p != nil && p.id != "" && slices.Contains(prev, p.id) {
			idx = append(idx, j)
		}
	}
	var key strings.Builder
	for _, j := range idx {
		key.WriteString(strconv.Itoa(j))
		key.WriteByte(',')
	}
	if in, ok := memo[key.String()]; ok {
		return in, nil
	}
	chained := make([]strictjson.Value, len(idx))
	for n, j := range idx {
		chained[n] = raw[j]
	}
	doc, err := withProofs(unsecured.doc, chained)
	if err != nil {
		return nil, proofErr(i, "previousProof", ErrMalformedProof, "", err)
	}
	in := &Env{doc: doc, rdf: unsecured.rdf, configs: unsecured.configs}
	memo[key.String()] = in
	return in, nil
}

// withIndex sets the proof index on errors from a suite.
func withIndex(i int, err error) error {
	if err == nil {
		return nil
	}
	var pe *ProofError
	if errors.As(err, &pe) {
		if pe.Index < 0 {
			cp := *pe
			cp.Index = i
			return &cp
		}
		return err
	}
	kind := ErrInvalidSignature
	for _, s := range []error{ErrMalformedProof, ErrInvalidKey, ErrTransformation, ErrInvalidSignature, ErrUnsupportedSuite} {
		if errors.Is(err, s) {
			kind = s
			break
		}
	}
	return proofErr(i, "", kind, "", unwrapSentinel(err, kind))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
