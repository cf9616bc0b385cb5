package dataintegrity

import (
	"context"
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"reflect"
	"sync"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/jsonld"
)

// Proof types.
const (
	TypeDataIntegrityProof   = "DataIntegrityProof"
	TypeEd25519Signature2020 = "Ed25519Signature2020"
)

// A Suite is one cryptographic suite: how a proof of its type/cryptosuite is
// created and verified over an unsecured document. The package provides the
// EdDSA suites; other packages may implement ECDSA or others and pass them in
// ProverConfig.CustomSuites / VerifierConfig.CustomSuites.
//
// The generic Data Integrity checks (proof purpose, dates, domain,
// challenge, proof chains, key resolution) are done by Prover and Verifier;
// a Suite only transforms, hashes, signs and verifies. Implementations must
// be safe for concurrent use and must not modify the document or proof
// except as CreateProof documents.
type Suite interface {
	// Name is the identifier callers list to accept or choose the suite.
	Name() string
	// ProofType is the proof's "type" value, e.g. "DataIntegrityProof".
	ProofType() string
	// Cryptosuite is the proof's "cryptosuite" value, or "" for legacy
	// proof types that have none.
	Cryptosuite() string
	// CheckKey reports (with an error wrapping ErrInvalidKey) whether pub
	// is a public key this suite can verify with.
	CheckKey(pub crypto.PublicKey) error
	// CreateProof signs env's document (the unsecured document, with
	// "proof" absent or holding the previous proofs of a chain) under the
	// proof options in proof (type, cryptosuite, created,
	// verificationMethod, proofPurpose, …) and sets proof["proofValue"];
	// it may set other members of proof that the suite defines
	// (eddsa-jcs-2022 sets "@context").
	CreateProof(ctx context.Context, env *Env, proof map[string]any, key crypto.Signer) error
	// VerifyProof checks proof (with its proofValue) over env's document
	// with pub.
	VerifyProof(ctx context.Context, env *Env, proof map[string]any, pub crypto.PublicKey) error
}

// Canonicalizer turns a JSON-LD document decoded from JSON into RDFC-1.0
// canonical N-Quads. *jsonld.Processor implements it; share one processor
// across the application, since it caches processed contexts.
type Canonicalizer interface {
	CanonicalizeValue(ctx context.Context, doc any) ([]byte, error)
}

// Env is the document one or more proofs are made or verified over, with
// its canonical forms, each computed at most once (a proof set over one
// document canonicalizes it once, not once per proof). An Env lives for
// one AddProof or Verify call.
type Env struct {
	doc strictjson.Value
	rdf Canonicalizer
	// The document's @context as Go values, once read.
	context                any
	hasContext, contextSet bool
	// The document's canonical forms, once computed, and the SHA-256 of
	// its RDFC-1.0 form, which a built-in suite may compute without the
	// form itself (see documentDigestRDF).
	nq, jcs       []byte
	nqErr, jcsErr error
	nqDone        bool
	jcsDone       bool
	nqDigest      [sha256.Size]byte
	nqDigested    bool
	sha           hash.Hash // kept by a pooled Env for documentDigestRDF
	// checkSignatures is ProverConfig.CheckSignatures.
	checkSignatures bool
	// configs, when set, remembers the last canonical proof configuration
	// of the Prover or Verifier.
	configs *configMemo
	// pooled: the Env came from envPool (its suites are all built in, and
	// keep nothing of it beyond the call), and goes back there.
	pooled bool
}

// envPool holds the Envs of calls whose suites are all built in.
var envPool = sync.Pool{New: func() any { return new(Env) }}

// pooledEnv returns an Env from envPool, for one call of built-in suites.
func pooledEnv(rdf Canonicalizer, configs *configMemo) *Env {
	e := envPool.Get().(*Env)
	e.rdf, e.configs, e.pooled = rdf, configs, true
	return e
}

// recycle gives a pooled Env back, emptied: neither it nor its document
// may be used afterwards.
func (e *Env) recycle() {
	if !e.pooled {
		return
	}
	*e = Env{sha: e.sha}
	envPool.Put(e)
}

// Document returns the document the proofs are over, as JSON of the
// caller's own.
func (e *Env) Document() []byte {
	if e.doc.Kind() == strictjson.Invalid {
		return nil
	}
	return e.doc.AppendJSON(nil)
}

// documentContext returns the document's @context as Go values (see
// strictjson.Value.ToGo), read once.
func (e *Env) documentContext() (any, bool) {
	if !e.contextSet {
		c, ok := e.doc.Get("@context")
		e.context, e.hasContext, e.contextSet = c.ToGo(), ok, true
	}
	return e.context, e.hasContext
}

// CheckSignatures reports whether a suite should verify each signature it
// makes before returning it (ProverConfig.CheckSignatures).
func (e *Env) CheckSignatures() bool { return e.checkSignatures }

// CanonicalDocumentRDF returns the RDFC-1.0 canonical N-Quads of the
// document, computed once per Env. Failures wrap ErrTransformation.
func (e *Env) CanonicalDocumentRDF(ctx context.Context) ([]byte, error) {
	if e.doc.Kind() == strictjson.Invalid {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	if !e.nqDone {
		c := e.canonicalizer()
		e.nq, e.nqErr = c.CanonicalizeValue(ctx, documentFor(c, e.doc))
		// A cancelled context is not the document's fault: try again
		// next time.
		e.nqDone = ctx.Err() == nil
	}
	if e.nqErr != nil {
		return nil, transformationErr(e.nqErr)
	}
	return e.nq, nil
}

// CanonicalDocumentJCS returns the RFC 8785 canonical JSON of the
// document, computed once per Env. Failures wrap ErrTransformation.
func (e *Env) CanonicalDocumentJCS() ([]byte, error) {
	if e.doc.Kind() == strictjson.Invalid {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	if !e.jcsDone {
		e.jcs, e.jcsErr = jcsCanonical(e.doc.ToGo())
		e.jcsDone = true
	}
	return e.jcs, e.jcsErr
}

// canonicalWriter is a Canonicalizer that can write the canonical form to
// a writer (*jsonld.Processor does), so that a suite that only hashes it
// need not keep it.
type canonicalWriter interface {
	WriteCanonicalValue(ctx context.Context, w io.Writer, doc any) error
}

// documentDigestRDF returns the SHA-256 of the document's RDFC-1.0
// canonical N-Quads, computed once per Env (with the N-Quads themselves
// only when the canonicalizer cannot write them to the hash). Failures wrap
// ErrTransformation.
func (e *Env) documentDigestRDF(ctx context.Context) ([sha256.Size]byte, error) {
	if e.nqDigested {
		return e.nqDigest, nil
	}
	cw, ok := e.canonicalizer().(canonicalWriter)
	if e.nqDone || !ok || e.doc.Kind() == strictjson.Invalid {
		nq, err := e.CanonicalDocumentRDF(ctx)
		if err != nil {
			return [sha256.Size]byte{}, err
		}
		e.nqDigest, e.nqDigested = sha256.Sum256(nq), true
		return e.nqDigest, nil
	}
	if e.sha == nil {
		e.sha = sha256.New()
	}
	e.sha.Reset()
	if err := cw.WriteCanonicalValue(ctx, e.sha, documentFor(cw, e.doc)); err != nil {
		// A cancelled context is not the document's fault.
		if ctx.Err() == nil {
			e.nqErr, e.nqDone = err, true
		}
		return [sha256.Size]byte{}, transformationErr(err)
	}
	e.sha.Sum(e.nqDigest[:0])
	e.nqDigested = true
	return e.nqDigest, nil
}

// documentFor is doc as c takes it: the parsed document itself for the
// library's JSON-LD processor, encoding/json's shapes for any other.
func documentFor(c any, doc strictjson.Value) any {
	if _, ok := c.(*jsonld.Processor); ok {
		return doc
	}
	return doc.ToGo()
}

// canonicalized reports whether the document's RDFC-1.0 form was computed,
// and the canonicalizer's error if that failed.
func (e *Env) canonicalized() (bool, error) { return e.nqDone || e.nqDigested, e.nqErr }

// canonicalConfig returns the RDFC-1.0 canonical proof configuration:
// options without its proofValue, under the document's @context (c, when
// hasContext) rather than any of its own. It comes from the memo when that
// holds the same configuration, which is then not even built.
func (e *Env) canonicalConfig(ctx context.Context, options map[string]any, c any, hasContext bool) ([]byte, error) {
	if e.configs != nil {
		if out, hit := e.configs.getVariant(options, "proofValue", "@context", c, hasContext); hit {
			return out, nil
		}
	}
	cfg := without(options, "proofValue")
	if hasContext {
		cfg["@context"] = c
	} else {
		delete(cfg, "@context")
	}
	out, err := e.CanonicalizeRDF(ctx, cfg)
	if err == nil && e.configs != nil {
		e.configs.put(cfg, out)
	}
	return out, err
}

// canonicalizer returns c, or nil if c is a nil pointer in an interface
// (a nil *jsonld.Processor), so that the default applies instead of a panic.
func canonicalizer(c Canonicalizer) Canonicalizer {
	if c == nil {
		return nil
	}
	if v := reflect.ValueOf(c); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return c
}

// CanonicalizeRDF returns the RDFC-1.0 canonical N-Quads of doc (any JSON
// value decoded as CanonicalizeValue takes it), with the Env's processor.
// Nothing is cached: CanonicalDocumentRDF is the document's cached form.
// Failures wrap ErrTransformation.
func (e *Env) CanonicalizeRDF(ctx context.Context, doc any) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	out, err := e.canonicalizer().CanonicalizeValue(ctx, doc)
	if err != nil {
		return nil, transformationErr(err)
	}
	return out, nil
}

// canonicalizer is the Env's RDFC-1.0 canonicalizer: its own, or the
// package's default processor.
func (e *Env) canonicalizer() Canonicalizer {
	if e.rdf != nil {
		return e.rdf
	}
	c, err := defaultProcessor()
	if err != nil {
		return failingCanonicalizer{err}
	}
	return c
}

// failingCanonicalizer fails every call with err (the default processor
// could not be built).
type failingCanonicalizer struct{ err error }

func (f failingCanonicalizer) CanonicalizeValue(context.Context, any) ([]byte, error) {
	return nil, f.err
}

// transformationErr wraps err, a canonicalizer's failure, in
// ErrTransformation.
func transformationErr(err error) error {
	if errors.Is(err, ErrTransformation) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrTransformation, err)
}

func jcsCanonical(doc any) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	out, err := jcs.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTransformation, err)
	}
	return out, nil
}

var defaultProc struct {
	once sync.Once
	p    *jsonld.Processor
	err  error
}

// defaultProcessor is the processor used when a config names none: embedded
// contexts only, safe mode. One per process, shared.
func defaultProcessor() (Canonicalizer, error) {
	defaultProc.once.Do(func() {
		defaultProc.p, defaultProc.err = jsonld.NewProcessor(jsonld.Config{})
	})
	if defaultProc.err != nil {
		return nil, fmt.Errorf("%w: default JSON-LD processor: %w", ErrTransformation, defaultProc.err)
	}
	return defaultProc.p, nil
}

type canonKind int

const (
	canonRDF canonKind = iota
	canonJCS
)

// eddsaSuite implements the EdDSA suites, which differ only in names and in
// how the document and the proof configuration are canonicalized.
type eddsaSuite struct {
	name, proofType, cryptosuite string
	canon                        canonKind
	verifyOnly                   bool
	// suiteContext, if set, must be among the document's @context entries
	// (as jsonld-signatures requires for Ed25519Signature2020, whose terms
	// are defined only there).
	suiteContext string
	// proofContextPrefix: a proof's own @context must be a prefix of the
	// document's (ErrMalformedProof with errContextNotPrefix otherwise). eddsa-jcs-2022 requires
	// it (VC-DI-EdDSA "Verify Proof (eddsa-jcs-2022)" step 4.1), and its
	// proof @context is signed. The RDFC suites' proof configuration
	// takes the document's @context in place of the proof's, so their
	// signature leaves the proof's @context out: without this rule it
	// could be added or changed after signing, and the proof, read as
	// JSON-LD within the document, mean other than what was signed.
	// Ed25519Signature2020's specification has no such rule (its proof
	// configuration, too, takes the document's @context), so that legacy
	// suite leaves a proof @context alone, as it always has.
	proofContextPrefix bool
}

func (s *eddsaSuite) Name() string        { return s.name }
func (s *eddsaSuite) ProofType() string   { return s.proofType }
func (s *eddsaSuite) Cryptosuite() string { return s.cryptosuite }

func (s *eddsaSuite) CheckKey(pub crypto.PublicKey) error {
	_, err := ed25519PublicKey(pub)
	return err
}

var builtinSuites = []Suite{
	&eddsaSuite{name: string(SuiteEdDSARDFC2022), proofType: TypeDataIntegrityProof, cryptosuite: string(SuiteEdDSARDFC2022), canon: canonRDF, proofContextPrefix: true},
	&eddsaSuite{name: string(SuiteEdDSAJCS2022), proofType: TypeDataIntegrityProof, cryptosuite: string(SuiteEdDSAJCS2022), canon: canonJCS, proofContextPrefix: true},
	&eddsaSuite{name: string(SuiteEdDSA2022), proofType: TypeDataIntegrityProof, cryptosuite: string(SuiteEdDSA2022), canon: canonRDF, verifyOnly: true, proofContextPrefix: true},
	&eddsaSuite{name: string(SuiteEd25519Signature2020), proofType: TypeEd25519Signature2020, canon: canonRDF, suiteContext: did.ContextEd25519},
}

// checkType is the transformation check of VC-DI-EdDSA: the proof's type
// and cryptosuite must be this suite's.
func (s *eddsaSuite) checkType(env *Env, proof map[string]any) error {
	t, _ := proof["type"].(string)
	cs, _ := proof["cryptosuite"].(string)
	if t != s.proofType || cs != s.cryptosuite {
		return proofErrf(-1, "type", ErrTransformation, "proof type %q / cryptosuite %q is not %s", t, cs, s.name)
	}
	if s.suiteContext != "" {
		found := false
		dc, _ := env.documentContext()
		for _, c := range asList(dc) {
			if c == s.suiteContext {
				found = true
			}
		}
		if !found {
			return proofErrf(-1, "", ErrTransformation, "the document's @context must include %s for %s proofs", s.suiteContext, s.name)
		}
	}
	return nil
}

func (s *eddsaSuite) CreateProof(ctx context.Context, env *Env, proof map[string]any, key crypto.Signer) error {
	if s.verifyOnly {
		return proofErrf(-1, "cryptosuite", ErrProofGeneration, "%s is accepted for verification only; sign with %s", s.name, SuiteEdDSARDFC2022)
	}
	if err := s.checkType(env, proof); err != nil {
		var pe *ProofError
		if errors.As(err, &pe) {
			return proofErr(-1, pe.Field, ErrProofGeneration, pe.Reason, nil)
		}
		return err
	}
	if _, ok := proof["proofValue"]; ok {
		return proofErrf(-1, "proofValue", ErrProofGeneration, "proof options already carry a proofValue")
	}
	if s.canon == canonJCS {
		// VC-DI-EdDSA "Create Proof (eddsa-jcs-2022)" step 2: the proof
		// carries the document's @context, and keeps it.
		if c, ok := env.documentContext(); ok {
			proof["@context"] = c
		}
	}
	hash, err := s.hashData(ctx, env, nil, proof)
	if err != nil {
		return err
	}
	sig, err := signEd25519(key, hash)
	if err != nil {
		return err
	}
	if env.CheckSignatures() {
		if err := verifyEd25519(key.Public(), hash, sig); err != nil {
			return proofErr(-1, "proofValue", ErrProofGeneration, "the signer returned a signature that does not verify", err)
		}
	}
	proof["proofValue"] = EncodeProofValue(sig)
	return nil
}

func (s *eddsaSuite) VerifyProof(ctx context.Context, env *Env, proof map[string]any, pub crypto.PublicKey) error {
	if err := s.checkType(env, proof); err != nil {
		return err
	}
	raw, present := proof["proofValue"]
	if !present {
		return proofErr(-1, "proofValue", ErrMalformedProof, "", errMissing)
	}
	pv, ok := raw.(string)
	if !ok {
		return proofErrf(-1, "proofValue", ErrMalformedProof, "not a string")
	}
	sig, err := DecodeProofValue(pv, 64)
	if err != nil {
		return proofErr(-1, "proofValue", ErrMalformedProof, "", unwrapSentinel(err, ErrMalformedProof))
	}
	if err := s.CheckKey(pub); err != nil {
		return proofErr(-1, "verificationMethod", ErrInvalidKey, "", unwrapSentinel(err, ErrInvalidKey))
	}
	// VC-DI-EdDSA "Verify Proof (eddsa-jcs-2022)" step 4, which this
	// package applies to the RDFC suites too (see proofContextPrefix).
	// Only a proof that has an @context pays for it: one map lookup
	// otherwise, on the hot path.
	var signed map[string]any // the document as signed, when not env's
	if pc, ok := proof["@context"]; ok && s.proofContextPrefix {
		dc, hasDoc := env.documentContext()
		if why := contextMismatch(dc, hasDoc, pc); why != "" {
			return proofErr(-1, "@context", ErrMalformedProof, "", fmt.Errorf("%w (%s)", errContextNotPrefix, why))
		}
		if s.canon == canonJCS {
			// Step 4.2: the proof's @context is the one the document was
			// signed under (contexts may have been appended since).
			signed = with(env.doc.ToGo().(map[string]any), "@context", pc)
		}
	}
	// hashData sets proofValue aside itself.
	hash, err := s.hashData(ctx, env, signed, proof)
	if err != nil {
		return err
	}
	if err := verifyEd25519(pub, hash, sig); err != nil {
		if errors.Is(err, ErrInvalidSignature) {
			return proofErr(-1, "proofValue", ErrInvalidSignature, "", nil)
		}
		return err
	}
	return nil
}

// hashData is SHA-256(canonical proof configuration) ‖ SHA-256(canonical
// document): proof first, 64 bytes, the message Ed25519 signs. The document
// is env's, or other when it is not nil (eddsa-jcs-2022 under the proof's
// own @context). options is the proof, with or without its proofValue
// (which is left out); it is not modified.
func (s *eddsaSuite) hashData(ctx context.Context, env *Env, other, options map[string]any) ([]byte, error) {
	var config, canonDoc []byte
	var err error
	switch s.canon {
	case canonRDF:
		// The proof configuration is the proof options under the document's
		// @context (any @context of the proof's own is replaced).
		c, hasContext := env.documentContext()
		if other != nil {
			c, hasContext = other["@context"]
		}
		if config, err = env.canonicalConfig(ctx, options, c, hasContext); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
		}
		digest, err := env.documentDigestRDF(ctx)
		if err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "document", unwrapSentinel(err, ErrTransformation))
		}
		h := sha256.Sum256(config)
		return append(h[:], digest[:]...), nil
	case canonJCS:
		if config, err = jcsCanonical(without(options, "proofValue")); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
		}
		if other != nil {
			canonDoc, err = jcsCanonical(other)
		} else {
			canonDoc, err = env.CanonicalDocumentJCS()
		}
	}
	if err != nil {
		return nil, proofErr(-1, "", ErrTransformation, "document", unwrapSentinel(err, ErrTransformation))
	}
	return HashData(config, canonDoc), nil
}

// HashData returns SHA-256(canonicalProofConfig) ‖ SHA-256(canonicalDocument),
// the 64-byte message the EdDSA suites sign (VC-DI-EdDSA "Hashing").
func HashData(canonicalProofConfig, canonicalDocument []byte) []byte {
	out := make([]byte, 0, 64)
	h := sha256.Sum256(canonicalProofConfig)
	out = append(out, h[:]...)
	h = sha256.Sum256(canonicalDocument)
	return append(out, h[:]...)
}

// contextMismatch says why the document's @context (doc, if hasDoc) does
// not start with every value of the proof's, in the same order, or returns
// "" if it does. A value that is not an array is a list of that one value
// (null included: in JSON-LD it resets the active context, so it is a
// value, not an absence), so a single string equals a one-item list.
// Entries are equal when their JCS forms are (strings, the common case,
// are compared directly, without allocating).
func contextMismatch(doc any, hasDoc bool, proofCtx any) string {
	if !hasDoc {
		return "the document has no @context"
	}
	d, p := contextList(doc), contextList(proofCtx)
	for i := range p {
		if i >= len(d) {
			return fmt.Sprintf("the proof's @context has %d values, the document's %d", len(p), len(d))
		}
		if !sameJSON(p[i], d[i]) {
			return fmt.Sprintf("value %d differs", i)
		}
	}
	return ""
}

// contextList is an @context value as a list of its values.
func contextList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// sameJSON reports whether a and b have the same JCS form; a value JCS
// cannot encode equals nothing.
func sameJSON(a, b any) bool {
	sa, okA := a.(string)
	sb, okB := b.(string)
	if okA || okB {
		return okA && okB && sa == sb
	}
	ja, err1 := jcs.Marshal(a)
	jb, err2 := jcs.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// without returns a shallow copy of m without key.
func without(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// with returns a shallow copy of m with key set to v.
func with(m map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out[key] = v
	return out
}

// unwrapSentinel strips a leading sentinel from err's message so that a
// ProofError does not repeat it; the error chain is kept.
func unwrapSentinel(err, sentinel error) error {
	var pe *ProofError
	if errors.As(err, &pe) {
		return err
	}
	return trimmed{err: err, prefix: sentinel.Error() + ": "}
}

type trimmed struct {
	err    error
	prefix string
}

func (t trimmed) Error() string {
	s := t.err.Error()
	if len(s) > len(t.prefix) && s[:len(t.prefix)] == t.prefix {
		return s[len(t.prefix):]
	}
	return s
}

func (t trimmed) Unwrap() error { return t.err }
