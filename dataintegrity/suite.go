package dataintegrity

import (
	"context"
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/flatmemo"
	"github.com/microcred/openbadges/internal/jcs"
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
// be safe for concurrent use and must not modify doc or proof except as
// CreateProof documents.
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
	// CreateProof signs doc (the unsecured document, with "proof" absent or
	// holding the previous proofs of a chain) under the proof options in
	// proof (type, cryptosuite, created, verificationMethod, proofPurpose,
	// …) and sets proof["proofValue"]; it may set other members of proof
	// that the suite defines (eddsa-jcs-2022 sets "@context").
	CreateProof(ctx context.Context, env *Env, doc, proof map[string]any, key crypto.Signer) error
	// VerifyProof checks proof (with its proofValue) over doc with pub.
	VerifyProof(ctx context.Context, env *Env, doc, proof map[string]any, pub crypto.PublicKey) error
}

// Canonicalizer turns a JSON-LD document decoded from JSON into RDFC-1.0
// canonical N-Quads. *jsonld.Processor implements it; share one processor
// across the application, since it caches processed contexts.
type Canonicalizer interface {
	CanonicalizeValue(ctx context.Context, doc any) ([]byte, error)
}

// Env gives suites the canonicalizers, with a cache that lives for one
// AddProof or Verify call, so that a proof set canonicalizes its document
// once rather than once per proof.
type Env struct {
	rdf Canonicalizer
	mu  sync.Mutex
	// cache holds the canonical forms computed so far: a handful (one
	// document, perhaps a chained variant per proof), so a list searched
	// from the start, first in inline, costs less than a map.
	cache  []envEntry
	inline [2]envEntry
	// checkSignatures is ProverConfig.CheckSignatures.
	checkSignatures bool
	// configs, when set (by a Prover), remembers the last canonical proof
	// configuration.
	configs *configMemo
	// pooled, set by a Prover whose suite is built in (and so keeps no
	// canonical form beyond the call), lets CanonicalizeRDF write into
	// pooled buffers, which release returns.
	pooled bool
	owned  []*[]byte
}

// appendCanonicalizer is a Canonicalizer that can append to a buffer
// (*jsonld.Processor).
type appendCanonicalizer interface {
	AppendCanonicalValue(ctx context.Context, dst []byte, doc any) ([]byte, error)
}

// canonPool holds buffers for canonical documents that are only hashed.
var canonPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

const maxPooledCanon = 256 << 10

// release returns the pooled buffers; the Env's canonical forms must not be
// used afterwards.
func (e *Env) release() {
	for _, b := range e.owned {
		if cap(*b) <= maxPooledCanon {
			*b = (*b)[:0]
			canonPool.Put(b)
		}
	}
	e.owned = nil
	clear(e.inline[:])
	e.cache = nil
}

// configMemo remembers the canonical form of the last proof configuration
// a Prover canonicalized. Proof configurations differ only by their
// created time (to the second) and the document's @context, so when a
// Prover signs many credentials (IssueBatch, a registrar's cohort) almost
// every one reuses the previous result, saving a JSON-LD expansion and an
// RDFC-1.0 run per credential. A hit needs the whole configuration to be
// equal, so it is exact.
type configMemo = flatmemo.Memo

// canonicalConfig returns the RDFC-1.0 canonical proof configuration:
// options without its proofValue, under the document's @context (c, when
// hasContext) rather than any of its own. It comes from the Prover's memo
// when that holds the same configuration, which is then not even built.
func (e *Env) canonicalConfig(ctx context.Context, options map[string]any, c any, hasContext bool) ([]byte, error) {
	if e.configs != nil {
		if out, hit := e.configs.GetVariant(options, "proofValue", "@context", c, hasContext); hit {
			return out, nil
		}
	}
	cfg := without(options, "proofValue")
	if hasContext {
		cfg["@context"] = c
	} else {
		delete(cfg, "@context")
	}
	out, err := e.rdfCanonical(ctx, cfg)
	if err == nil && e.configs != nil {
		e.configs.Put(cfg, out)
	}
	return out, err
}

// CheckSignatures reports whether a suite should verify each signature it
// makes before returning it (ProverConfig.CheckSignatures).
func (e *Env) CheckSignatures() bool { return e.checkSignatures }

type envKey struct {
	doc  uintptr
	kind byte
}

// envEntry keeps the document it was computed from reachable, so that its
// address cannot be reused by another map while the Env lives.
type envEntry struct {
	key envKey
	doc map[string]any
	out []byte
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

func newEnv(rdf Canonicalizer) *Env {
	return &Env{rdf: rdf}
}

// envPool holds the Envs of calls whose suites are all built in, which keep
// nothing of their Env beyond the call (a custom suite might).
var envPool = sync.Pool{New: func() any { return new(Env) }}

func pooledEnv(rdf Canonicalizer) *Env {
	e := envPool.Get().(*Env)
	e.rdf = rdf
	return e
}

// recycle releases e's pooled buffers and returns it, emptied, to envPool.
// Neither e nor the canonical forms it computed may be used afterwards.
func (e *Env) recycle() {
	e.release()
	e.rdf, e.checkSignatures, e.configs, e.pooled = nil, false, nil, false
	envPool.Put(e)
}

// CanonicalizeRDF returns the RDFC-1.0 canonical N-Quads of doc. Results
// are cached by map identity for the life of the Env, so callers must not
// modify doc after passing it. Failures wrap ErrTransformation.
func (e *Env) CanonicalizeRDF(ctx context.Context, doc map[string]any) ([]byte, error) {
	return e.cached(doc, 'r', func() ([]byte, error) {
		if e.pooled {
			c := e.rdf
			if c == nil {
				c, _ = defaultProcessor() // nil on failure: rdfCanonical reports it
			}
			if a, ok := c.(appendCanonicalizer); ok {
				buf := canonPool.Get().(*[]byte)
				out, err := a.AppendCanonicalValue(ctx, (*buf)[:0], doc)
				if err != nil {
					canonPool.Put(buf)
					if !errors.Is(err, ErrTransformation) {
						err = fmt.Errorf("%w: %w", ErrTransformation, err)
					}
					return nil, err
				}
				*buf = out
				e.mu.Lock()
				e.owned = append(e.owned, buf)
				e.mu.Unlock()
				return out, nil
			}
		}
		return e.rdfCanonical(ctx, doc)
	})
}

func (e *Env) rdfCanonical(ctx context.Context, doc any) ([]byte, error) {
	c := e.rdf
	if c == nil {
		var err error
		if c, err = defaultProcessor(); err != nil {
			return nil, err
		}
	}
	out, err := c.CanonicalizeValue(ctx, doc)
	if err != nil && !errors.Is(err, ErrTransformation) {
		err = fmt.Errorf("%w: %w", ErrTransformation, err)
	}
	return out, err
}

// CanonicalizeJCS returns the RFC 8785 canonical JSON of doc, cached like
// CanonicalizeRDF. Failures wrap ErrTransformation.
func (e *Env) CanonicalizeJCS(doc map[string]any) ([]byte, error) {
	return e.cached(doc, 'j', func() ([]byte, error) { return jcsCanonical(doc) })
}

func jcsCanonical(doc any) ([]byte, error) {
	out, err := jcs.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTransformation, err)
	}
	return out, nil
}

func (e *Env) cached(doc map[string]any, kind byte, f func() ([]byte, error)) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	k := envKey{doc: reflect.ValueOf(doc).Pointer(), kind: kind}
	if out, ok := e.lookup(k); ok {
		return out, nil
	}
	out, err := f()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.cache == nil {
		e.cache = e.inline[:0]
	}
	e.cache = append(e.cache, envEntry{key: k, doc: doc, out: out})
	e.mu.Unlock()
	return out, nil
}

func (e *Env) lookup(k envKey) ([]byte, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.cache {
		if c.key == k {
			return c.out, true
		}
	}
	return nil, false
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
func (s *eddsaSuite) checkType(doc, proof map[string]any) error {
	t, _ := proof["type"].(string)
	cs, _ := proof["cryptosuite"].(string)
	if t != s.proofType || cs != s.cryptosuite {
		return proofErrf(-1, "type", ErrTransformation, "proof type %q / cryptosuite %q is not %s", t, cs, s.name)
	}
	if s.suiteContext != "" {
		found := false
		for _, c := range asList(doc["@context"]) {
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

func (s *eddsaSuite) CreateProof(ctx context.Context, env *Env, doc, proof map[string]any, key crypto.Signer) error {
	if s.verifyOnly {
		return proofErrf(-1, "cryptosuite", ErrProofGeneration, "%s is accepted for verification only; sign with %s", s.name, SuiteEdDSARDFC2022)
	}
	if err := s.checkType(doc, proof); err != nil {
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
		if c, ok := doc["@context"]; ok {
			proof["@context"] = c
		}
	}
	hash, err := s.hashData(ctx, env, doc, proof)
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

func (s *eddsaSuite) VerifyProof(ctx context.Context, env *Env, doc, proof map[string]any, pub crypto.PublicKey) error {
	if err := s.checkType(doc, proof); err != nil {
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
	if pc, ok := proof["@context"]; ok && s.proofContextPrefix {
		dc, hasDoc := doc["@context"]
		if why := contextMismatch(dc, hasDoc, pc); why != "" {
			return proofErr(-1, "@context", ErrMalformedProof, "", fmt.Errorf("%w (%s)", errContextNotPrefix, why))
		}
		if s.canon == canonJCS {
			// Step 4.2: the proof's @context is the one the document was
			// signed under (contexts may have been appended since).
			doc = with(doc, "@context", pc)
		}
	}
	// hashData sets proofValue aside itself.
	hash, err := s.hashData(ctx, env, doc, proof)
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
// document): proof first, 64 bytes, the message Ed25519 signs. options is
// the proof, with or without its proofValue (which is left out); it is not
// modified.
func (s *eddsaSuite) hashData(ctx context.Context, env *Env, doc, options map[string]any) ([]byte, error) {
	var config, canonDoc []byte
	var err error
	switch s.canon {
	case canonRDF:
		// The proof configuration is the proof options under the document's
		// @context (any @context of the proof's own is replaced).
		c, hasContext := doc["@context"]
		if config, err = env.canonicalConfig(ctx, options, c, hasContext); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
		}
		if canonDoc, err = env.CanonicalizeRDF(ctx, doc); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "document", unwrapSentinel(err, ErrTransformation))
		}
	case canonJCS:
		if config, err = jcsCanonical(without(options, "proofValue")); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
		}
		if canonDoc, err = env.CanonicalizeJCS(doc); err != nil {
			return nil, proofErr(-1, "", ErrTransformation, "document", unwrapSentinel(err, ErrTransformation))
		}
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
