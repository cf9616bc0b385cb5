// Package issuer signs Open Badges 3.0 credentials.
//
// An Issuer holds a signing key (any crypto.Signer: an ed25519.PrivateKey, or
// an HSM or cloud KMS key), the URL of its verification method and a
// cryptosuite (eddsa-rdfc-2022 by default, as OB 3.0 requires). Issue checks
// the credential with credential.Validate and refuses an invalid one with
// its problems, so that a signature never vouches for a broken badge; it
// fills in the issuer from the key's controller when the credential has
// none, refuses a credential that names another issuer, and returns the
// signed credential as JSON, its members in the order they were given. With
// FormatJWT it returns a VC-JWT (package vcjwt) instead. IssueBatch signs a
// whole cohort on all cores.
//
// Issue checks the digests of every relatedResource it can resolve without
// the network, the JSON-LD contexts the credential uses (from
// Config.Loader) and those embedded in package jsonld, and refuses a
// mismatch (ErrDigestMismatch). Other resources are signed as given;
// IssueJSONReport says which.
//
// Nothing here touches the network: contexts come from the pinned copies in
// package jsonld unless Config.Loader says otherwise.
package issuer

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/related"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/vcjwt"
)

// Errors returned by Issue. A refused credential's error wraps one of them,
// and exactly one of the two classes, ErrInvalidInput and ErrSigning (a
// canceled call returns the context's error instead), so that a caller such
// as an HTTP server tells the input's fault from its own with one errors.Is.
var (
	// ErrInvalidInput is the class of the errors that are the input's
	// fault: ErrMalformed, ErrInvalidCredential, ErrIssuerMismatch and
	// ErrUnsignable wrap it. Issuing the same input again fails again.
	ErrInvalidInput = errors.New("issuer: invalid input")
	// ErrSigning is the class of the errors that are the issuer's: the
	// signer failed (an HSM, a KMS) or the proof options are unusable.
	// The input may be fine.
	ErrSigning = errors.New("issuer: signing failed")

	// ErrInvalidCredential: the credential breaks the VC or OB 3.0 rules;
	// the error is a *ValidationError listing the problems.
	ErrInvalidCredential error = &classError{"issuer: invalid credential", ErrInvalidInput}
	// ErrIssuerMismatch: the credential names an issuer other than the
	// controller of the signing key.
	ErrIssuerMismatch error = &classError{"issuer: credential issuer is not the key's controller", ErrInvalidInput}
	// ErrMalformed: the input is not a credential that can be read.
	ErrMalformed error = &classError{"issuer: malformed credential", ErrInvalidInput}
	// ErrUnsignable: the credential is valid but its document cannot be
	// secured: JSON-LD safe mode or canonicalization refuses it (an
	// undefined term, a context the loader does not serve, a poison
	// graph), or a proof it already carries is malformed. The error wraps
	// dataintegrity.ErrTransformation or ErrMalformedProof, and the cause.
	ErrUnsignable error = &classError{"issuer: the credential cannot be signed", ErrInvalidInput}
	// ErrDigestMismatch: a relatedResource digest does not match the
	// resource, which the issuer resolved offline (a context it serves).
	// The error is a *DigestMismatchError, with both digests.
	ErrDigestMismatch error = &classError{"issuer: relatedResource digest does not match the resource", ErrInvalidInput}
	// ErrInvalidDigest: a relatedResource digest of a resource the issuer
	// resolved cannot be read (an unsupported algorithm, a wrong length).
	ErrInvalidDigest error = &classError{"issuer: relatedResource digest malformed", ErrInvalidInput}
)

// DigestMismatchError is a relatedResource whose digest does not match the
// resource: its path in the credential, its id, the member (digestSRI or
// digestMultibase), the digest given and the one computed, in the same
// encoding. It wraps ErrDigestMismatch.
type DigestMismatchError struct {
	Path, ID, Member, Given, Computed string
}

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("%v: %s (%s) %s: given %s, computed %s", ErrDigestMismatch, e.Path, e.ID, e.Member, e.Given, e.Computed)
}

// Unwrap returns ErrDigestMismatch.
func (e *DigestMismatchError) Unwrap() error { return ErrDigestMismatch }

// Warning is a finding that did not prevent signing: a relatedResource the
// issuer could not resolve offline, signed as given.
type Warning struct {
	Path   string `json:"path"`
	Detail string `json:"detail"`
}

// classError is a sentinel error that belongs to a class (ErrInvalidInput):
// errors.Is matches both, and the message is the sentinel's alone.
type classError struct {
	msg   string
	class error
}

func (e *classError) Error() string { return e.msg }
func (e *classError) Unwrap() error { return e.class }

// proofError wraps an error of creating a proof in its class: the input's
// fault when dataintegrity could not canonicalize the document or read a
// proof it carries, the signer's otherwise.
func proofError(err error) error {
	if errors.Is(err, dataintegrity.ErrTransformation) || errors.Is(err, dataintegrity.ErrMalformedProof) {
		return fmt.Errorf("%w: %w", ErrUnsignable, err)
	}
	return fmt.Errorf("%w: %w", ErrSigning, err)
}

// ValidationError lists why a credential was refused.
type ValidationError struct {
	Problems credential.Problems // the errors (and warnings) found
}

// Error lists the problems that made the credential invalid.
func (e *ValidationError) Error() string {
	errs := e.Problems.Errors()
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d problems", ErrInvalidCredential, len(errs))
	for i, p := range errs {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalidCredential.
func (e *ValidationError) Unwrap() error { return ErrInvalidCredential }

// Config configures an Issuer.
type Config struct {
	// Signer signs. An ed25519.PrivateKey works directly; an HSM or KMS key
	// must sign with pure Ed25519 when given crypto.Hash(0). Required.
	Signer crypto.Signer
	// VerificationMethod is the URL of the public key, written to each
	// proof: "did:key:z6Mk…#z6Mk…", "did:web:example.edu#key-1",
	// "https://example.edu/issuers/1#key-1". Required.
	VerificationMethod string
	// Controller is the identifier of the key's controller, which becomes
	// the credential's issuer. Empty means the verification method URL
	// without its fragment.
	Controller string
	// Suite is the cryptosuite: dataintegrity.SuiteEdDSARDFC2022 (the
	// default), SuiteEdDSAJCS2022 or SuiteEd25519Signature2020.
	Suite dataintegrity.SuiteName
	// Now is the clock for the proof's created time. Nil means time.Now.
	Now func() time.Time
	// Loader serves JSON-LD contexts. Nil means jsonld.Embedded().
	Loader jsonld.DocumentLoader
	// Format is how the credential is secured: FormatDataIntegrity (the
	// default, an embedded proof of Suite) or FormatJWT (a VC-JWT, compact
	// JWS, signed with the algorithm vcjwt.AlgorithmFor gives for the key
	// and the verification method as kid).
	Format Format
}

// Format is how an Issuer secures credentials.
type Format int

// Formats.
const (
	FormatDataIntegrity Format = iota // embedded Data Integrity proof (JSON)
	FormatJWT                         // VC-JWT (compact JWS)
)

// Issuer signs credentials. It is safe for concurrent use.
type Issuer struct {
	format     Format
	signer     crypto.Signer
	vm         string
	prover     *dataintegrity.Prover
	suite      dataintegrity.SuiteName
	controller string
	loader     jsonld.DocumentLoader
}

// Outcome is the result of signing one credential of a batch.
type Outcome struct {
	Signed []byte // the signed credential, when Err is nil
	Err    error
}

// New checks cfg and returns an Issuer.
func New(cfg Config) (*Issuer, error) {
	if cfg.Signer == nil {
		return nil, errors.New("issuer: Config.Signer is required")
	}
	if cfg.VerificationMethod == "" {
		return nil, errors.New("issuer: Config.VerificationMethod is required")
	}
	if cfg.Format != FormatDataIntegrity && cfg.Format != FormatJWT {
		return nil, fmt.Errorf("issuer: unknown Format %d", cfg.Format)
	}
	suite := cfg.Suite
	if cfg.Format == FormatJWT {
		if suite != "" {
			return nil, errors.New("issuer: Suite is for Data Integrity proofs, not VC-JWTs")
		}
		if _, err := vcjwt.AlgorithmFor(cfg.Signer.Public()); err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
	}
	if suite == "" {
		suite = dataintegrity.SuiteEdDSARDFC2022
	}
	controller := cfg.Controller
	if controller == "" {
		controller, _, _ = strings.Cut(cfg.VerificationMethod, "#")
	}
	var proc dataintegrity.Canonicalizer
	if cfg.Loader != nil {
		p, err := jsonld.NewProcessor(jsonld.Config{Loader: cfg.Loader})
		if err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
		proc = p
	}
	is := &Issuer{format: cfg.Format, signer: cfg.Signer, vm: cfg.VerificationMethod, suite: suite, controller: controller, loader: cfg.Loader}
	if is.loader == nil {
		is.loader = jsonld.Embedded()
	}
	if cfg.Format == FormatJWT {
		return is, nil
	}
	prover, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite:              suite,
		Key:                cfg.Signer,
		VerificationMethod: cfg.VerificationMethod,
		Processor:          proc,
		Now:                cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	is.prover = prover
	return is, nil
}

// Controller returns the identifier the issuer signs as: the issuer id of
// the credentials it signs.
func (is *Issuer) Controller() string { return is.controller }

// Issue signs c and returns the signed credential as JSON (or, with
// FormatJWT, the compact JWS). c is not
// modified. A credential read with credential.Parse is signed as it was
// read (its unknown members kept); one built in Go is signed as it
// marshals.
func (is *Issuer) Issue(ctx context.Context, c *credential.Credential) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("%w: nil credential", ErrMalformed)
	}
	src := c.RawString()
	if src == "" {
		data, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		src = string(data)
	}
	return is.issueJSON(ctx, src, nil)
}

// IssueJSON signs the credential given as JSON, read strictly (see
// credential.Parse), and returns the signed credential as JSON.
func (is *Issuer) IssueJSON(ctx context.Context, data []byte) ([]byte, error) {
	return is.issueJSON(ctx, string(data), nil)
}

// IssueJSONReport is IssueJSON, and also returns the warnings of signing:
// the relatedResource entries whose digests could not be checked, because
// the issuer cannot resolve them offline.
func (is *Issuer) IssueJSONReport(ctx context.Context, data []byte) ([]byte, []Warning, error) {
	var warnings []Warning
	signed, err := is.issueJSON(ctx, string(data), &warnings)
	if err != nil {
		return nil, nil, err
	}
	return signed, warnings, nil
}

// issueJSON is IssueJSON of the JSON src. Warnings, if not nil, gets the
// warnings.
func (is *Issuer) issueJSON(ctx context.Context, src string, warnings *[]Warning) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var signed, rewritten []byte
	var err error
	sign := func(c *credential.Credential, doc strictjson.Value) { signed, err = is.sign(ctx, c, doc, warnings) }
	perr := credential.ReadScoped(src, func(c *credential.Credential, doc strictjson.Value) {
		if rewritten, err = is.completed(doc, c.IsBadge()); err == nil && rewritten == nil {
			sign(c, doc)
		}
	})
	if perr == nil && rewritten != nil {
		// A missing issuer or suite context was added (rarely): the
		// credential is read again, so that what is validated and signed
		// is what is returned.
		perr = credential.ReadScoped(string(rewritten), sign)
	}
	if perr != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, perr)
	}
	return signed, err
}

// completed returns doc with its missing issuer or suite context added,
// or nil when it lacks neither.
func (is *Issuer) completed(doc strictjson.Value, badge bool) ([]byte, error) {
	replace := map[string][]byte{}
	iss, changed, err := is.bindIssuer(doc, badge)
	if err != nil {
		return nil, err
	}
	if changed {
		replace["issuer"] = iss
	}
	if is.format == FormatDataIntegrity {
		if ctxs, add := is.suiteContext(doc); add {
			replace["@context"] = ctxs
		}
	}
	if len(replace) == 0 {
		return nil, nil
	}
	return withMembers(doc, replace), nil
}

// sign validates c, read from doc, and signs doc. Nothing it returns holds
// a Value of doc.
func (is *Issuer) sign(ctx context.Context, c *credential.Credential, doc strictjson.Value, warnings *[]Warning) ([]byte, error) {
	// A CLR is also held to the CLR 2.0 rules (clr.Rules is empty for
	// other credentials).
	if ps := append(c.Validate(), clr.Rules(c)...); ps.HasErrors() {
		return nil, &ValidationError{Problems: ps}
	}
	if err := is.checkRelated(ctx, c, doc, warnings); err != nil {
		return nil, err
	}
	if is.format == FormatJWT {
		tok, err := vcjwt.Sign(ctx, c.Raw(), is.signer, vcjwt.SignOptions{KeyID: is.vm})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, proofError(err)
		}
		return []byte(tok), nil
	}
	signed, err := is.prover.AddDocumentProof(ctx, doc, dataintegrity.ProofOptions{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, proofError(err)
	}
	return signed, nil
}

// checkRelated checks the digests of every relatedResource the issuer can
// resolve offline: the contexts the credential uses, from the issuer's
// loader (which has to load them to sign anyway), and the contexts
// embedded in package jsonld. A mismatch is refused; the others are
// reported to warnings (if not nil).
func (is *Issuer) checkRelated(ctx context.Context, c *credential.Credential, doc strictjson.Value, warnings *[]Warning) error {
	items := c.RelatedResource.Items
	if len(items) == 0 {
		return nil
	}
	used := related.Contexts(doc)
	for i, rr := range items {
		path := "$.relatedResource"
		if !c.RelatedResource.Single || len(items) > 1 {
			path += "[" + strconv.Itoa(i) + "]"
		}
		if rr.DigestSRI == "" && rr.DigestMultibase == "" {
			continue // Validate refuses it
		}
		var data string
		if used[rr.ID] {
			if rd, err := is.loader.LoadDocument(ctx, rr.ID); err == nil {
				data = rd.Document
			}
		}
		if data == "" {
			if rd, err := jsonld.Embedded().LoadDocument(ctx, rr.ID); err == nil {
				data = rd.Document
			}
		}
		if data == "" {
			if warnings != nil {
				*warnings = append(*warnings, Warning{Path: path,
					Detail: fmt.Sprintf("%s: digest not checked: the issuer cannot resolve it offline", rr.ID)})
			}
			continue
		}
		if err := related.Check(rr, data); err != nil {
			var me *related.MismatchError
			if errors.As(err, &me) {
				return &DigestMismatchError{Path: path, ID: me.ID, Member: me.Member, Given: me.Given, Computed: me.Computed}
			}
			return fmt.Errorf("%w: %s: %w", ErrInvalidDigest, path, err)
		}
	}
	return nil
}

// bindIssuer returns the issuer the document should have, as JSON, and
// whether that is not the one it has (which is then the key's
// controller): for a badge a new issuer is an OB 3.0 Profile, for any
// other credential the plain URI, since a base VC context does not define
// the Profile type (it would not canonicalize in safe mode).
func (is *Issuer) bindIssuer(doc strictjson.Value, badge bool) (issuer []byte, changed bool, err error) {
	iss, _ := doc.Get("issuer")
	switch iss.Kind() {
	case strictjson.Invalid:
		controller := jcs.AppendJSONString(nil, is.controller)
		if badge {
			return fmt.Appendf(nil, `{"id":%s,"type":["Profile"]}`, controller), true, nil
		}
		return controller, true, nil
	case strictjson.Null:
		return nil, false, fmt.Errorf("%w: issuer is null", ErrMalformed)
	case strictjson.String:
		if iss.Str() != is.controller {
			return nil, false, fmt.Errorf("%w: issuer %q, key controller %q", ErrIssuerMismatch, iss.Str(), is.controller)
		}
		return nil, false, nil
	case strictjson.Object:
		id, has := iss.Get("id")
		if !has {
			return withMembers(iss, map[string][]byte{"id": jcs.AppendJSONString(nil, is.controller)}), true, nil
		}
		if id.Kind() != strictjson.String || id.Str() != is.controller {
			shown := id.Str()
			if id.Kind() != strictjson.String {
				shown = string(id.AppendJSON(nil))
			}
			return nil, false, fmt.Errorf("%w: issuer.id %v, key controller %q", ErrIssuerMismatch, shown, is.controller)
		}
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("%w: issuer is neither a URI nor a profile", ErrMalformed)
}

// suiteContext returns the document's @context, as JSON, with the context
// that defines the proof's terms added (add true) when its contexts do
// not define them: the VCDM 1.1 context predates Data Integrity, and no
// base context defines Ed25519Signature2020.
func (is *Issuer) suiteContext(doc strictjson.Value) (ctxs []byte, add bool) {
	cs, _ := doc.Get("@context")
	if cs.Kind() != strictjson.Array || cs.Len() == 0 {
		return nil, false // Validate reports it
	}
	var need string
	switch {
	case is.suite == dataintegrity.SuiteEd25519Signature2020:
		need = did.ContextEd25519
	case cs.Index(0).Str() == credential.ContextV1:
		need = dataintegrity.ContextDataIntegrityV2
	default:
		return nil, false
	}
	for _, c := range cs.Elements() {
		if c.Kind() == strictjson.String && c.Str() == need {
			return nil, false
		}
	}
	out := cs.AppendJSON(nil)
	out = append(out[:len(out)-1], ',')
	return append(jcs.AppendJSONString(out, need), ']'), true
}

// withMembers writes the object o with the members of set (JSON values)
// in place of its own, in o's order, those it lacks after its others in
// name order.
func withMembers(o strictjson.Value, set map[string][]byte) []byte {
	b := []byte{'{'}
	for k, v := range o.Members() {
		b = append(jcs.AppendJSONString(b, k), ':')
		if x, ok := set[k]; ok {
			b = append(b, x...)
		} else {
			b = v.AppendJSON(b)
		}
		b = append(b, ',')
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if !o.Has(k) {
			b = append(append(jcs.AppendJSONString(b, k), ':'), set[k]...)
			b = append(b, ',')
		}
	}
	if len(b) > 1 {
		b = b[:len(b)-1]
	}
	return append(b, '}')
}

// IssueBatch signs every credential of cs on a pool of GOMAXPROCS workers
// and returns one Outcome per credential, in order. A credential that fails
// does not stop the batch; when ctx ends, the credentials not yet signed get
// ctx's error.
//
// Each credential is parsed once, into one immutable tree that validation,
// signing and the output read, and the tree and the typed model go to the
// next credential (credential.ReadScoped), so it allocates little beyond
// its output, the garbage collector stays out of the way and the batch
// scales with the cores (BENCHMARKS.md has the measurements).
// The library leaves the collector's settings, which are the whole
// process's, to the program.
func (is *Issuer) IssueBatch(ctx context.Context, cs []*credential.Credential) []Outcome {
	out := make([]Outcome, len(cs))
	workers := min(runtime.GOMAXPROCS(0), len(cs))
	// Workers claim the next credential with an atomic counter rather than
	// receiving it from a channel: no hand-off through the scheduler per
	// credential.
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(cs) {
				return
			}
			if err := ctx.Err(); err != nil {
				out[i].Err = err
				continue
			}
			out[i].Signed, out[i].Err = is.Issue(ctx, cs[i])
		}
	}
	// The calling goroutine is one of the workers: it starts at once, while
	// the others wait for the scheduler to wake a thread for them.
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	return out
}
