package verifier

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcjwt"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxClockSkew        = 5 * time.Minute
	DefaultMaxEndorsementDepth = 2
)

// MaxEndorsements bounds the embedded endorsements verified for one
// credential, so that a hostile badge cannot make one Verify call verify
// thousands of signatures; the others are skipped with a warning.
const MaxEndorsements = 32

// Status checks the credentialStatus entries of a credential (revocation,
// suspension). The status package provides implementations; any type with
// this method plugs in.
type Status interface {
	// CheckStatus returns nil when entry says the credential is in good
	// standing. An error wrapping ErrStatusNotChecked (an entry type the
	// implementation does not handle) is reported as a warning; any other
	// error fails the credential. If the error has a method
	// ProblemType() string, its result is the problem type reported
	// (for example the Bitstring Status List's STATUS_RETRIEVAL_ERROR).
	CheckStatus(ctx context.Context, c *credential.Credential, entry credential.CredentialStatus) error
}

// Config configures a Verifier. Suites or Algorithms is required; the zero
// value of every other field is safe and offline.
type Config struct {
	// Suites lists the Data Integrity suites accepted for embedded proofs
	// (dataintegrity.SuiteEdDSARDFC2022, …), and Algorithms the JOSE
	// algorithms accepted for VC-JWTs (vcjwt.EdDSA, vcjwt.RS256, …). They
	// are allow-lists, and at least one of them is required: New fails
	// when both are empty, so that nothing is accepted implicitly. A
	// credential with an embedded proof is refused when Suites is empty,
	// a compact JWS when Algorithms is.
	Suites     []dataintegrity.SuiteName
	Algorithms []vcjwt.Algorithm
	// Resolver finds verification methods. Nil means did.DefaultResolver():
	// did:key and did:jwk, offline. The network is used only when the
	// caller passes a resolver that uses it (did.NewWebResolver, …).
	Resolver did.Resolver
	// Loader serves JSON-LD contexts. Nil means jsonld.Embedded(): the
	// pinned contexts only, no network.
	Loader jsonld.DocumentLoader
	// Now is the verifier's clock. Nil means time.Now.
	Now func() time.Time
	// MaxClockSkew is the clock difference tolerated on validity dates and
	// proof dates. Zero means DefaultMaxClockSkew; negative is an error.
	MaxClockSkew time.Duration
	// Status checks credentialStatus (NewStatusChecker builds one). Nil
	// means there is no way to learn a credential's status: a credential
	// that has a credentialStatus then fails with its status unknown,
	// unless SkipStatus is set. Treating an unknown status as good standing
	// would let a revoked badge verify.
	Status Status
	// SkipStatus skips the status check explicitly: credentialStatus is
	// then reported as skipped, with a warning, never as passed.
	SkipStatus bool
	// JWTIssuerKeys supplies issuers' published keys (vcjwt.StaticKeySets,
	// or vcjwt.HTTPKeySets to opt in to the network), among which the key
	// in a VC-JWT's jwk header is looked for. Nil means only the issuer's
	// DID document, when the issuer is a DID, can show that such a key is
	// the issuer's. A jwk key that neither shows is refused
	// (vcjwt.ErrUnprovenKey) unless InsecureAcceptUnprovenJWK is set.
	JWTIssuerKeys vcjwt.IssuerKeys
	// MaxEndorsementDepth bounds how deeply embedded endorsements (and
	// their own endorsements) are verified. Zero means
	// DefaultMaxEndorsementDepth; negative means endorsements are not
	// verified (a warning says so).
	MaxEndorsementDepth int
	// IgnoreUnknownSuites follows OB 3.0's "a verifier MAY accept any one
	// proof": proofs whose suite is not accepted are skipped with a warning
	// as long as another proof verifies. By default every proof must
	// verify, as VC Data Integrity requires.
	IgnoreUnknownSuites bool
	// InsecureAcceptUnprovenJWK accepts a VC-JWT whose key comes only from
	// its own jwk header, when neither the issuer's DID document nor
	// JWTIssuerKeys lists that key (a warning is reported instead). By
	// default such a token is refused (vcjwt.ErrUnprovenKey): anyone can
	// sign a credential naming an https issuer and embed their own key, so
	// the key proves nothing until the issuer's published key set does (as
	// the Open Badges 3.0 implementation guide says). The 1EdTech validator
	// accepts such tokens; this option reproduces that.
	InsecureAcceptUnprovenJWK bool
	// InsecureAllowInlineContexts accepts @context objects (inline
	// contexts) in credentials. By default a context is accepted by URL
	// only, and only if the loader serves it: an inline context can remap
	// terms so that the JSON a person reads differs from what was signed
	// (see ErrInlineContext).
	InsecureAllowInlineContexts bool
	// Lenient is for wallets and displayers, which must not tell a person
	// that an authentic badge is fake because its issuer broke a rule that
	// has nothing to do with authenticity. It turns into warnings (marked
	// Relaxed): Open Badges 3.0 conformance failures (problems of
	// credential.StandardOB3); status lists that are authentic but too
	// short or issued by another issuer than the credential's
	// (status.ErrNonconformant); and embedded endorsements and
	// CLR-embedded credentials that fail or are past the count and depth
	// limits, which are then reported and left out of what the Result
	// presents as verified. Lenient never relaxes a bad or missing
	// signature, a key not bound to the issuer, expiry or not-yet-valid
	// dates, revocation or suspension, an unusable status list (missing,
	// unsigned, tampered, expired, not yet valid, of the wrong type),
	// JSON-LD safe mode, inline contexts, VC Data Model failures, or an
	// unproven VC-JWT jwk key. The default, false, is strict: what
	// conformance tools need.
	Lenient bool
	// InsecureSkipIssuerBinding accepts a proof whose verification method
	// is not controlled by the credential's issuer. With it, anyone can
	// sign a badge in any issuer's name: use only to test cryptosuites.
	InsecureSkipIssuerBinding bool
}

// Verifier verifies credentials. It is safe for concurrent use; share one.
type Verifier struct {
	suites      []dataintegrity.SuiteName
	resolver    did.Resolver
	loader      jsonld.DocumentLoader
	proc        *jsonld.Processor
	now         func() time.Time
	skew        time.Duration
	status      Status
	skipStatus  bool
	algs        []vcjwt.Algorithm
	issuerKeys  vcjwt.IssuerKeys
	maxDepth    int
	ignore      bool
	skipBinding bool
	inlineCtx   bool
	unproven    bool
	lenient     bool
	// proofs checks Data Integrity proofs; built once (each call passes
	// its instant in the options).
	proofs *dataintegrity.Verifier
	// keys caches did:key resolutions (default resolver only), nil if none.
	keys *keyCache
}

// New checks cfg and returns a Verifier.
func New(cfg Config) (*Verifier, error) {
	if len(cfg.Suites) == 0 && len(cfg.Algorithms) == 0 {
		return nil, errors.New("verifier: Config.Suites or Config.Algorithms is required (the accepted cryptosuites and JOSE algorithms)")
	}
	for _, a := range cfg.Algorithms {
		// Refused here, not only when a token comes: "none" and HMAC must
		// not even look configured.
		if !slices.Contains(vcjwt.SupportedAlgorithms(), a) {
			return nil, fmt.Errorf("verifier: JOSE algorithm %q is not supported (RS256, ES256, ES384, EdDSA)", a)
		}
	}
	if cfg.MaxClockSkew < 0 {
		return nil, errors.New("verifier: negative MaxClockSkew")
	}
	defaultResolver := cfg.Resolver == nil
	cfg = cfg.WithDefaults()
	v := &Verifier{
		resolver:    cfg.Resolver,
		loader:      cfg.Loader,
		now:         cfg.Now,
		skew:        cfg.MaxClockSkew,
		status:      cfg.Status,
		skipStatus:  cfg.SkipStatus,
		issuerKeys:  cfg.JWTIssuerKeys,
		maxDepth:    cfg.MaxEndorsementDepth,
		ignore:      cfg.IgnoreUnknownSuites,
		skipBinding: cfg.InsecureSkipIssuerBinding,
		inlineCtx:   cfg.InsecureAllowInlineContexts,
		unproven:    cfg.InsecureAcceptUnprovenJWK,
		lenient:     cfg.Lenient,
		suites:      slices.Clone(cfg.Suites),
		algs:        slices.Clone(cfg.Algorithms),
	}
	if defaultResolver {
		// The default resolver's answers depend on the DID alone, so
		// they are cached; a caller's resolver may answer otherwise.
		v.keys = new(keyCache)
	}
	p, err := jsonld.NewProcessor(jsonld.Config{Loader: v.loader, UnwrapNestedContexts: v.inlineCtx})
	if err != nil {
		return nil, fmt.Errorf("verifier: %w", err)
	}
	v.proc = p
	// Check the suite names once, here, rather than on every Verify.
	if len(v.suites) > 0 {
		dv, err := v.proofVerifier(p, v.now)
		if err != nil {
			return nil, fmt.Errorf("verifier: %w", err)
		}
		v.proofs = dv
	}
	return v, nil
}

func (v *Verifier) proofVerifier(c dataintegrity.Canonicalizer, now func() time.Time) (*dataintegrity.Verifier, error) {
	return dataintegrity.NewVerifier(dataintegrity.VerifierConfig{
		Suites:              v.suites,
		Processor:           c,
		Now:                 now,
		ClockSkew:           v.skew,
		IgnoreUnknownSuites: v.ignore,
	})
}

// Verify verifies a credential: JSON with an embedded proof, a baked PNG or
// SVG image, or a VC-JWT (when Config.Algorithms lists a JOSE algorithm). The
// outcome, failures included, is in the Result; the error is non-nil only
// for misuse (a Verifier not made by New) or when ctx ends.
func (v *Verifier) Verify(ctx context.Context, data []byte) (*Result, error) {
	if v == nil || v.proc == nil {
		return nil, errors.New("verifier: Verify on a Verifier not made by New")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := v.verify(ctx, data, 0, "$")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// verify runs every check on one credential; depth counts endorsement
// nesting and at is the credential's JSON path in the outermost document.
func (v *Verifier) verify(ctx context.Context, data []byte, depth int, at string) *Result {
	// Room for the checks of a typical credential, which would otherwise
	// take five allocations to grow into.
	res := &Result{Checks: make([]Check, 0, 12), Errors: []ProblemDetail{}, Warnings: []ProblemDetail{}}
	now := v.now()

	if depth == 0 && bake.IsImage(data) {
		b, err := bake.Unbake(data)
		if err != nil {
			res.add(Check{Name: "parse", Outcome: Failed, Detail: err.Error()})
			res.fail("parse", "", ProblemParsing, err)
			res.skipAfter("parse", "the image holds no credential that can be read")
			return res
		}
		data = []byte(b.Credential)
	}

	jwtVerified := false
	if trimmed := bytes.TrimSpace(data); vcjwt.IsCompactJWS(trimmed) {
		payload, ok := v.verifyJWT(ctx, res, trimmed, now)
		if !ok {
			res.skipAfter("", "the VC-JWT did not verify")
			return res
		}
		data, jwtVerified = payload, true
	}

	// 1. Strict parse: one document that every check reads.
	err := credential.ReadDocument(string(data), func(c *credential.Credential, doc strictjson.Value) {
		v.checkDocument(ctx, res, c, doc, jwtVerified, now, depth, at)
	})
	if err != nil {
		res.add(Check{Name: "parse", Outcome: Failed, Detail: err.Error()})
		res.fail("parse", pathOf(err), ProblemParsing, err)
		res.skipAfter("parse", "the credential could not be parsed")
	}
	return res
}

// checkDocument runs the checks after the parse on c, read from doc (the
// Result holds the typed credential, strings and errors, never a Value of
// doc; embedded credentials are verified from copies).
func (v *Verifier) checkDocument(ctx context.Context, res *Result, c *credential.Credential, doc strictjson.Value, jwtVerified bool, now time.Time, depth int, at string) {
	res.Credential = c
	res.add(Check{Name: "parse", Outcome: Passed})

	// 2. JSON-LD: safe-mode expansion with the allowed contexts, of the
	// document without its proofs. The RDFC proof suites canonicalize
	// exactly that document (4.), so the check takes their outcome when
	// they computed it, and expands the document itself only otherwise. A
	// refused inline context fails the check, whatever the proofs say
	// (they are checked all the same, over the document as it is).
	proofs := v.verifyProofs(ctx, c, doc, now)
	var jsonldErr error
	if p := ""; !v.inlineCtx {
		if p = findInlineContext(doc); p != "" {
			jsonldErr = &inlineContextError{path: p}
		}
	}
	if jsonldErr == nil {
		if proofs.res != nil && proofs.res.DocumentCanonicalized {
			jsonldErr = proofs.res.DocumentErr
		} else {
			_, jsonldErr = v.proc.CanonicalizeValue(ctx, doc.Without("proof"))
		}
	}
	if jsonldErr != nil {
		if ctx.Err() != nil {
			return
		}
		res.add(Check{Name: "jsonld", Outcome: Failed, Detail: jsonldErr.Error()})
		res.fail("jsonld", pathOf(jsonldErr), JSONLDProblem(jsonldErr), jsonldErr)
	} else {
		res.add(Check{Name: "jsonld", Outcome: Passed})
	}

	// 3. Open Badges 3.0 and VC Data Model rules.
	v.checkConformance(res, c)

	// 4. Proofs.
	proofOK := v.checkProofs(res, c, doc, proofs, jwtVerified)

	// 5. Validity period.
	v.checkValidity(res, c, now)

	// 6. Related resources.
	v.checkRelated(ctx, res, c, doc)

	// 7. Status.
	v.checkStatus(ctx, res, c)

	// 8. Endorsements.
	v.checkEndorsements(ctx, res, doc, depth, at)

	// 9. Credentials embedded in the subject (a CLR's achievements).
	v.checkNested(ctx, res, doc, depth, at)

	res.conclude(proofOK)
}

// checkConformance reports the problems of credential.Validate (and of
// clr.Rules for a ClrCredential): failures of the VC Data Model always,
// failures of Open Badges 3.0 and CLR 2.0 as warnings when the verifier is
// lenient.
func (v *Verifier) checkConformance(res *Result, c *credential.Credential) {
	problems := c.Validate()
	problems = append(problems, clr.Rules(c)...)
	errs := 0
	for _, p := range problems {
		e := fmt.Errorf("%s (%s)", p.Message, p.Rule)
		std := p.Standard.String()
		switch {
		case p.Severity != credential.SeverityError:
			res.Warnings = append(res.Warnings, conformanceProblem("ob3", p.Path, std, e))
		case v.lenient && p.Standard == credential.StandardOB3:
			w := conformanceProblem("ob3", p.Path, std, e)
			w.Relaxed = true
			res.Warnings = append(res.Warnings, w)
		default:
			res.Errors = append(res.Errors, conformanceProblem("ob3", p.Path, std, e))
			errs++
		}
	}
	switch {
	case errs > 0:
		res.add(Check{Name: "ob3", Outcome: Failed, Detail: fmt.Sprintf("%d errors", errs)})
	case len(problems) > 0:
		res.add(Check{Name: "ob3", Outcome: Warning, Detail: fmt.Sprintf("%d warnings", len(problems))})
	default:
		res.add(Check{Name: "ob3", Outcome: Passed})
	}
}

func conformanceProblem(check, path, standard string, err error) ProblemDetail {
	p := newProblem(ProblemMalformedValue, check, path, err)
	p.Conformance = standard
	return p
}

// proofOutcome is what dataintegrity said of a credential's proofs, and
// the controller of each verification method whose key it was given.
type proofOutcome struct {
	res         *dataintegrity.Result
	err         error
	controllers controllers
}

// controllers maps verification methods to their controllers: a list,
// since a credential has a proof or two (a map would allocate its table).
type controllers []vmController

type vmController struct{ vm, controller string }

// get returns the controller of vm, or "".
func (cs controllers) get(vm string) string {
	for _, c := range cs {
		if c.vm == vm {
			return c.controller
		}
	}
	return ""
}

// verifyProofs checks the Data Integrity proofs of doc, when it has any and
// a suite is accepted (checkProofs reports the other cases). Each proof is
// verified with its own verification method's key, resolved under its own
// purpose; the controllers are noted, and the binding to the issuer is
// judged over the whole proof set by checkProofs.
func (v *Verifier) verifyProofs(ctx context.Context, c *credential.Credential, doc strictjson.Value, now time.Time) proofOutcome {
	if !doc.Has("proof") || len(v.suites) == 0 {
		return proofOutcome{}
	}
	var mu sync.Mutex
	var found controllers
	keys := func(ctx context.Context, vmURL, purpose string) (crypto.PublicKey, error) {
		controller, pub, err := v.keys.resolve(ctx, v.resolver, vmURL, purpose)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		if i := slices.IndexFunc(found, func(c vmController) bool { return c.vm == vmURL }); i >= 0 {
			found[i].controller = controller
		} else {
			found = append(found, vmController{vmURL, controller})
		}
		mu.Unlock()
		return pub, nil
	}
	r, err := v.proofs.VerifyDocument(ctx, doc, keys, dataintegrity.VerifyOptions{Now: now})
	return proofOutcome{res: r, err: err, controllers: found}
}

// checkProofs reports the outcome of verifyProofs.
func (v *Verifier) checkProofs(res *Result, c *credential.Credential, doc strictjson.Value, out proofOutcome, jwtVerified bool) bool {
	if !doc.Has("proof") {
		if jwtVerified {
			return true
		}
		res.add(Check{Name: "proof", Outcome: Failed, Detail: ErrNoProof.Error()})
		res.fail("proof", "$.proof", ProblemProofVerification, ErrNoProof)
		return false
	}
	if len(v.suites) == 0 {
		err := fmt.Errorf("%w: no Data Integrity suite is accepted", dataintegrity.ErrSuiteNotAccepted)
		res.add(Check{Name: "proof", Path: "$.proof", Outcome: Failed, Detail: err.Error()})
		res.fail("proof", "$.proof", ProblemProofVerification, err)
		return false
	}
	issuer := c.Issuer.ID()
	r, err, controllers := out.res, out.err, out.controllers
	if err != nil {
		res.add(Check{Name: "proof", Path: "$.proof", Outcome: Failed, Detail: err.Error()})
		res.fail("proof", "$.proof", proofProblem(err), err)
		return false
	}
	// At least one verified proof must be by a key of the issuer; proofs
	// by other keys (a co-signer, the first link of a chain) then stand
	// as what they are, each listed with its signer. If none is the
	// issuer's, every verified proof by another key fails, as it always
	// did. A VC-JWT is bound to the issuer by its own check.
	bound := v.skipBinding || jwtVerified
	for _, p := range r.Proofs {
		if p.Verified && controllers.get(p.VerificationMethod) == issuer {
			bound = true
		}
	}
	proof, _ := doc.Get("proof")
	single := proof.Kind() == strictjson.Object
	verified := r.Verified
	for _, p := range r.Proofs {
		path := "$.proof"
		if !single {
			path += "[" + strconv.Itoa(p.Index) + "]"
		}
		controller := controllers.get(p.VerificationMethod)
		if p.Verified && !bound && controller != issuer {
			p.Verified = false
			p.Err = fmt.Errorf("%w: %s is controlled by %q, the issuer is %q", ErrIssuerMismatch, p.VerificationMethod, controller, issuer)
			verified = false
		}
		if p.Verified || (!p.Ignored && controller != "") {
			res.Proofs = append(res.Proofs, ProofSigner{Path: path, VerificationMethod: p.VerificationMethod,
				Controller: controller, Purpose: p.Purpose, Issuer: controller == issuer, Verified: p.Verified})
		}
		switch {
		case p.Verified:
			res.add(Check{Name: "proof", Path: path, Outcome: Passed})
		case p.Ignored:
			res.add(Check{Name: "proof", Path: path, Outcome: Skipped, Detail: p.Err.Error()})
			res.warn("proof", path, proofProblem(p.Err), p.Err)
		default:
			res.add(Check{Name: "proof", Path: path, Outcome: Failed, Detail: p.Err.Error()})
			res.fail("proof", path, proofProblem(p.Err), p.Err)
		}
	}
	if !verified && r.Verified {
		return false
	}
	return r.Verified || (jwtVerified && len(r.Proofs) > 0 && r.Err() == nil)
}

func proofProblem(err error) string {
	if errors.Is(err, ErrIssuerMismatch) {
		return ProblemProofVerification
	}
	if t := dataintegrity.ProblemType(err); t != "" {
		return t
	}
	return ProblemProofVerification
}

// JSONLDProblem is the problem type of a JSON-LD failure (an error of the
// jsonld package): a value safe mode refuses is a malformed value, anything
// else a parsing error. The presentation package reports its envelope's
// failures with it too.
func JSONLDProblem(err error) string {
	if jsonld.IsValueError(err) {
		return ProblemMalformedValue
	}
	return ProblemParsing
}

// problemTypeOf returns the problem type an error declares through a
// ProblemType method, or def.
func problemTypeOf(err error, def string) string {
	var pt interface{ ProblemType() string }
	if errors.As(err, &pt) {
		if t := pt.ProblemType(); t != "" {
			return t
		}
	}
	return def
}

func (v *Verifier) checkValidity(res *Result, c *credential.Credential, now time.Time) {
	fromName, from := "validFrom", c.ValidFrom
	if from == "" {
		fromName, from = "issuanceDate", c.IssuanceDate
	}
	untilName, until := "validUntil", c.ValidUntil
	if until == "" {
		untilName, until = "expirationDate", c.ExpirationDate
	}
	failed := false
	// An absent bound is not parsed (its error would be built and dropped).
	if t, ok := parseDate(from); ok && t.After(now.Add(v.skew)) {
		e := fmt.Errorf("%w: %s is %s, now is %s", ErrNotYetValid, fromName, from, now.UTC().Format(time.RFC3339))
		res.fail("validity", "$."+fromName, ProblemRange, e)
		res.add(Check{Name: "validity", Outcome: Failed, Detail: e.Error()})
		failed = true
	}
	if t, ok := parseDate(until); ok && now.After(t.Add(v.skew)) {
		e := fmt.Errorf("%w: %s was %s, now is %s", ErrExpired, untilName, until, now.UTC().Format(time.RFC3339))
		res.fail("validity", "$."+untilName, ProblemRange, e)
		res.add(Check{Name: "validity", Outcome: Failed, Detail: e.Error()})
		failed = true
	}
	if !failed {
		res.add(Check{Name: "validity", Outcome: Passed})
	}
}

// parseDate returns the time d stands for; ok is false when d is absent or
// does not parse (Validate reports that).
func parseDate(d credential.DateTime) (t time.Time, ok bool) {
	if d == "" {
		return time.Time{}, false
	}
	t, err := d.Time()
	return t, err == nil
}

func (v *Verifier) checkStatus(ctx context.Context, res *Result, c *credential.Credential) {
	entries := c.CredentialStatus.Items
	if len(entries) == 0 {
		res.add(Check{Name: "status", Outcome: Skipped, Detail: "no credentialStatus"})
		return
	}
	if v.skipStatus {
		e := fmt.Errorf("%w: skipped by the caller", ErrStatusNotChecked)
		res.add(Check{Name: "status", Outcome: Skipped, Detail: e.Error()})
		res.warn("status", "$.credentialStatus", ProblemStatusVerification, e)
		return
	}
	if v.status == nil {
		e := fmt.Errorf("%w: status unknown: no status checker configured", ErrStatus)
		res.add(Check{Name: "status", Outcome: Failed, Detail: e.Error()})
		res.fail("status", "$.credentialStatus", ProblemStatusVerification, e)
		return
	}
	for i, entry := range entries {
		path := "$.credentialStatus"
		if !c.CredentialStatus.Single || len(entries) > 1 {
			path += "[" + strconv.Itoa(i) + "]"
		}
		err := v.status.CheckStatus(ctx, c, entry)
		switch {
		case err == nil:
			res.add(Check{Name: "status", Path: path, Outcome: Passed})
		case errors.Is(err, ErrStatusNotChecked):
			res.add(Check{Name: "status", Path: path, Outcome: Warning, Detail: err.Error()})
			res.warn("status", path, problemTypeOf(err, ProblemStatusVerification), err)
		case errors.Is(err, status.ErrNonconformant):
			// Authentic, and the credential in good standing: the list
			// only breaks a rule of the Bitstring Status List.
			e := fmt.Errorf("%w: %w", ErrStatus, err)
			p := newProblem(problemTypeOf(err, ProblemStatusVerification), "status", path, e)
			p.Conformance = ConformanceStatusList
			if v.lenient {
				p.Relaxed = true
				res.add(Check{Name: "status", Path: path, Outcome: Warning, Detail: err.Error()})
				res.Warnings = append(res.Warnings, p)
			} else {
				res.add(Check{Name: "status", Path: path, Outcome: Failed, Detail: err.Error()})
				res.Errors = append(res.Errors, p)
			}
		case errors.Is(err, status.ErrRevoked), errors.Is(err, status.ErrSuspended):
			// An outcome, not a malfunction: the list was read and says
			// so. The check says which, and where; the problem is not a
			// STATUS_VERIFICATION_ERROR, which would say the status could
			// not be established.
			word, typ := string(status.StatusRevoked), ProblemStatusRevoked
			if errors.Is(err, status.ErrSuspended) {
				word, typ = string(status.StatusSuspended), ProblemStatusSuspended
			}
			detail := word
			var fe *status.FieldError
			if errors.As(err, &fe) && fe.Field != "" {
				detail += " (" + fe.Field
				if fe.Reason != "" {
					detail += ", " + fe.Reason
				}
				detail += ")"
			}
			e := fmt.Errorf("%w: %w", ErrStatus, err)
			res.add(Check{Name: "status", Path: path, Outcome: Failed, Detail: detail})
			res.fail("status", path, typ, e)
		default:
			e := fmt.Errorf("%w: %w", ErrStatus, err)
			res.add(Check{Name: "status", Path: path, Outcome: Failed, Detail: err.Error()})
			res.fail("status", path, problemTypeOf(err, ProblemStatusVerification), e)
		}
	}
}

// verifyJWT checks a VC-JWT with package vcjwt and returns the credential
// it secures. An expired or not yet valid token is still returned: the
// validity check reports it on the credential.
func (v *Verifier) verifyJWT(ctx context.Context, res *Result, token []byte, now time.Time) ([]byte, bool) {
	if len(v.algs) == 0 {
		err := fmt.Errorf("%w: a VC-JWT, and no JOSE algorithm is accepted", ErrUnsupportedFormat)
		res.add(Check{Name: "proof", Path: "jwt", Outcome: Failed, Detail: err.Error()})
		res.fail("proof", "jwt", ProblemProofVerification, err)
		return nil, false
	}
	vr, err := vcjwt.Verify(ctx, token, vcjwt.VerifyOptions{
		Algorithms: v.algs,
		Resolver:   v.resolver,
		IssuerKeys: v.issuerKeys,
		// A jwk header key must be the issuer's, shown by its DID document
		// or published key set, unless the caller opted out.
		InsecureAcceptUnprovenJWK: v.unproven,
		// A missing sub is a warning: the 1EdTech validator's own baked
		// VC-JWT fixtures omit it, and it only repeats credentialSubject.id,
		// which the signature covers.
		InsecureAcceptMissingSubject: true,
		Now:                          func() time.Time { return now },
		ClockSkew:                    v.skew,
	})
	if vr != nil && err != nil && !errors.Is(err, vcjwt.ErrExpired) && !errors.Is(err, vcjwt.ErrNotYetValid) {
		vr = nil // only a date problem comes with a result; be strict anyway
	}
	if vr == nil {
		typ := ProblemCryptographicSecurity
		if errors.Is(err, vcjwt.ErrMalformed) || errors.Is(err, vcjwt.ErrTokenTooLarge) || errors.Is(err, vcjwt.ErrDataModel) {
			typ = ProblemParsing
		} else if errors.Is(err, vcjwt.ErrClaimMismatch) {
			typ = ProblemMalformedValue
		}
		res.add(Check{Name: "proof", Path: "jwt", Outcome: Failed, Detail: err.Error()})
		res.fail("proof", "jwt", typ, err)
		return nil, false
	}
	res.add(Check{Name: "proof", Path: "jwt", Outcome: Passed, Detail: string(vr.Header.Algorithm)})
	for _, w := range vr.Warnings {
		res.warn("proof", "jwt", ProblemCryptographicSecurity, fmt.Errorf("%s: %s", w.Code, w.Message))
	}
	return vr.Credential, true
}

// pathOf extracts a JSON path from the typed errors of credential and jsonld.
func pathOf(err error) string {
	var pe *credential.ParseError
	if errors.As(err, &pe) {
		return pe.Path
	}
	var te *jsonld.TermError
	if errors.As(err, &te) {
		return te.Path
	}
	var ie *inlineContextError
	if errors.As(err, &ie) {
		return ie.path
	}
	return ""
}
