package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
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
// Proofs and proof options are JSON objects; the Env canonicalizes. The
// generic Data Integrity checks (proof purpose, dates, domain, challenge,
// proof chains, key resolution) are done by Prover and Verifier; a Suite
// only transforms, hashes, signs and verifies. Implementations must be safe
// for concurrent use.
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
	// "proof" absent or holding the previous proofs of a chain) under
	// options, the proof options as a JSON object (type, cryptosuite,
	// created, verificationMethod, proofPurpose, …, without proofValue),
	// and returns the proof as a JSON object: the options' members, the
	// proofValue and any other member the suite defines (eddsa-jcs-2022
	// leads with the document's @context), in the order they are to be
	// written.
	CreateProof(ctx context.Context, env *Env, options []byte, key crypto.Signer) ([]byte, error)
	// VerifyProof checks proof, a JSON object with its proofValue, over
	// env's document with pub.
	VerifyProof(ctx context.Context, env *Env, proof []byte, pub crypto.PublicKey) error
}

// Canonicalizer turns a JSON-LD document (JSON text) into RDFC-1.0
// canonical N-Quads. *jsonld.Processor implements it (and is handed the
// parsed document rather than its text); share one processor across the
// application, since it caches processed contexts.
type Canonicalizer interface {
	Canonicalize(ctx context.Context, doc []byte) ([]byte, error)
}

// Env is the document one or more proofs are made or verified over, with
// its canonical forms, each computed at most once (a proof set over one
// document canonicalizes it once, not once per proof). An Env lives for
// one AddProof or Verify call.
type Env struct {
	doc strictjson.Value
	rdf Canonicalizer
	// The document's @context as JSON (nil if it has none), once read.
	context    []byte
	contextSet bool
	// The document's canonical forms, once computed, and the SHA-256 of
	// its RDFC-1.0 form, which a built-in suite may compute without the
	// form itself (see documentDigestRDF).
	nq, jcs    []byte
	nqErr      error
	nqDone     bool
	jcsDone    bool
	nqDigest   [sha256.Size]byte
	nqDigested bool
	sha        hash.Hash // kept by a pooled Env for documentDigestRDF
	buf        []byte    // a proof configuration; kept by a pooled Env
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
	*e = Env{sha: e.sha, buf: e.buf[:0], context: e.context[:0]}
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

// contextJSON returns the document's @context as JSON, or nil if it has
// none, read once.
func (e *Env) contextJSON() []byte {
	if !e.contextSet {
		if c, ok := e.doc.Get("@context"); ok {
			e.context = c.AppendJSON(e.context[:0])
		} else {
			e.context = nil
		}
		e.contextSet = true
	}
	return e.context
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
		if p, ok := e.canonicalizer().(*jsonld.Processor); ok {
			e.nq, e.nqErr = p.CanonicalizeValue(ctx, e.doc)
		} else {
			e.nq, e.nqErr = e.canonicalizer().Canonicalize(ctx, e.doc.AppendJSON(nil))
		}
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
		e.jcs = e.doc.AppendJCS(nil)
		e.jcsDone = true
	}
	return e.jcs, nil
}

// documentDigestRDF returns the SHA-256 of the document's RDFC-1.0
// canonical N-Quads, computed once per Env (a jsonld.Processor writes them
// to the hash, without keeping them). Failures wrap ErrTransformation.
func (e *Env) documentDigestRDF(ctx context.Context) ([sha256.Size]byte, error) {
	if e.nqDigested {
		return e.nqDigest, nil
	}
	p, ok := e.canonicalizer().(*jsonld.Processor)
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
	if err := p.WriteCanonicalValue(ctx, e.sha, e.doc); err != nil {
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

// canonicalized reports whether the document's RDFC-1.0 form was computed,
// and the canonicalizer's error if that failed.
func (e *Env) canonicalized() (bool, error) { return e.nqDone || e.nqDigested, e.nqErr }

// CanonicalProofConfigRDF returns the RDFC-1.0 canonical proof
// configuration of proof (a JSON object, with or without its proofValue),
// as VC-DI-EdDSA and VC-DI-ECDSA define it for their RDFC suites: the
// proof's members but proofValue, under the document's @context (any
// @context of the proof's own is replaced). The Prover or Verifier
// remembers the last one, so a batch of proofs that differ only in their
// proofValue canonicalizes it once. Failures wrap ErrTransformation.
func (e *Env) CanonicalProofConfigRDF(ctx context.Context, proof []byte) ([]byte, error) {
	p, err := parseObject(proof, "the proof", ErrTransformation)
	if err != nil {
		return nil, err
	}
	out, err := e.canonicalConfig(ctx, e.configJSON(p))
	return bytes.Clone(out), err
}

// configJSON returns the proof configuration of proof as JSON: its members
// but proofValue, under the document's @context. It is the Env's buffer,
// until the next call.
func (e *Env) configJSON(proof strictjson.Value) []byte {
	e.buf = appendObject(e.buf[:0], proof, e.contextJSON(), true, false)
	return e.buf
}

// canonicalConfig returns the RDFC-1.0 form of config, a proof
// configuration as JSON; what it returns may be the memo's, and is not to
// be changed.
func (e *Env) canonicalConfig(ctx context.Context, config []byte) ([]byte, error) {
	if out, hit := e.configs.get(config); hit {
		return out, nil
	}
	out, err := e.CanonicalizeRDF(ctx, config)
	if err == nil {
		e.configs.put(config, out)
	}
	return out, err
}

// appendObject appends obj's members as a JSON object, without proofValue
// when dropValue, and led by "@context": context instead of obj's own
// @context when context is not nil (without obj's own when dropContext).
func appendObject(b []byte, obj strictjson.Value, context []byte, dropValue, dropContext bool) []byte {
	b = append(b, '{')
	first := true
	if context != nil {
		b = append(append(b, `"@context":`...), context...)
		first = false
	}
	for k, v := range obj.Members() {
		if (k == "proofValue" && dropValue) || (k == "@context" && (context != nil || dropContext)) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = v.AppendJSON(append(jcs.AppendJSONString(b, k), ':'))
	}
	return append(b, '}')
}

// leadWithContext appends obj, a compact JSON object without @context, led
// by "@context": context unless context is nil.
func leadWithContext(b, context, obj []byte) []byte {
	if context == nil {
		return append(b, obj...)
	}
	b = append(append(b, `{"@context":`...), context...)
	if len(obj) > 2 {
		b = append(b, ',')
	}
	return append(b, obj[1:]...)
}

// appendProofValue appends head, a proof as a JSON object, with the
// member "proofValue": proofValue added last unless proofValue is "".
func appendProofValue(b, head []byte, proofValue string) []byte {
	if proofValue == "" {
		return append(b, head...)
	}
	b = append(b, head[:len(head)-1]...)
	if len(head) > 2 {
		b = append(b, ',')
	}
	return append(append(append(b, `"proofValue":"`...), proofValue...), `"}`...)
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

// CanonicalizeRDF returns the RDFC-1.0 canonical N-Quads of doc, JSON-LD
// as JSON text, with the Env's processor. Nothing is cached:
// CanonicalDocumentRDF is the document's cached form. Failures wrap
// ErrTransformation.
func (e *Env) CanonicalizeRDF(ctx context.Context, doc []byte) ([]byte, error) {
	if len(doc) == 0 {
		return nil, fmt.Errorf("%w: no document", ErrTransformation)
	}
	out, err := e.canonicalizer().Canonicalize(ctx, doc)
	if err != nil {
		return nil, transformationErr(err)
	}
	return out, nil
}

// CanonicalizeJCS returns the RFC 8785 canonical form of doc, JSON text.
// Failures wrap ErrTransformation.
func (e *Env) CanonicalizeJCS(doc []byte) ([]byte, error) {
	v, err := strictjson.Parse(string(doc), documentLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTransformation, err)
	}
	return v.AppendJCS(nil), nil
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

func (f failingCanonicalizer) Canonicalize(context.Context, []byte) ([]byte, error) {
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
// and cryptosuite must be this suite's (unless the proof is the zero Value:
// the Prover wrote it), and the document's @context must include the
// suite's own context, if it has one. kind is the error's sentinel.
func (s *eddsaSuite) checkType(env *Env, proof strictjson.Value, kind error) error {
	t, _ := proof.Get("type")
	cs, _ := proof.Get("cryptosuite")
	if proof.Kind() != strictjson.Invalid && (t.Str() != s.proofType || cs.Str() != s.cryptosuite) {
		return proofErrf(-1, "type", kind, "proof type %q / cryptosuite %q is not %s", t.Str(), cs.Str(), s.name)
	}
	if s.suiteContext != "" {
		dc, _ := env.doc.Get("@context")
		found := false
		for i := range listLen(dc) {
			found = found || listItem(dc, i).Str() == s.suiteContext
		}
		if !found {
			return proofErrf(-1, "", kind, "the document's @context must include %s for %s proofs", s.suiteContext, s.name)
		}
	}
	return nil
}

// parseObject parses data, which must be a JSON object; kind is the
// error's sentinel.
func parseObject(data []byte, what string, kind error) (strictjson.Value, error) {
	v, err := strictjson.Parse(string(data), documentLimits)
	if err == nil && v.Kind() != strictjson.Object {
		err = errors.New("not an object")
	}
	if err != nil {
		return v, proofErr(-1, "", kind, what+" is not a JSON object", err)
	}
	return v, nil
}

func (s *eddsaSuite) CreateProof(ctx context.Context, env *Env, options []byte, key crypto.Signer) ([]byte, error) {
	opts, err := parseObject(options, "the proof options", ErrProofGeneration)
	if err != nil {
		return nil, err
	}
	if err := s.checkType(env, opts, ErrProofGeneration); err != nil {
		return nil, err
	}
	if opts.Has("proofValue") {
		return nil, proofErrf(-1, "proofValue", ErrProofGeneration, "proof options already carry a proofValue")
	}
	head, pv, err := s.create(ctx, env, appendObject(nil, opts, nil, false, true), key)
	if err != nil {
		return nil, err
	}
	if own, ok := opts.Get("@context"); ok && s.canon == canonRDF {
		// Not signed (the proof configuration takes the document's), but
		// kept.
		head = leadWithContext(nil, own.AppendJSON(nil), head)
	}
	return appendProofValue(nil, head, pv), nil
}

// create is CreateProof of options the Prover wrote: a compact JSON
// object of the suite's type and cryptosuite, without proofValue or
// @context. It returns the proof without its proofValue, and the
// proofValue.
func (s *eddsaSuite) create(ctx context.Context, env *Env, options []byte, key crypto.Signer) ([]byte, string, error) {
	if s.verifyOnly {
		return nil, "", proofErrf(-1, "cryptosuite", ErrProofGeneration, "%s is accepted for verification only; sign with %s", s.name, SuiteEdDSARDFC2022)
	}
	if err := s.checkType(env, strictjson.Value{}, ErrProofGeneration); err != nil {
		return nil, "", err
	}
	head := options
	var hash []byte
	var err error
	if s.canon == canonRDF {
		env.buf = leadWithContext(env.buf[:0], env.contextJSON(), options)
		hash, err = s.hashRDF(ctx, env, env.buf)
	} else {
		// VC-DI-EdDSA "Create Proof (eddsa-jcs-2022)" step 2: the proof
		// carries the document's @context, and keeps it.
		head = leadWithContext(nil, env.contextJSON(), options)
		hash, err = s.hashJCS(env, head, nil)
	}
	if err != nil {
		return nil, "", err
	}
	sig, err := signEd25519(key, hash)
	if err != nil {
		return nil, "", err
	}
	if env.CheckSignatures() {
		if err := verifyEd25519(key.Public(), hash, sig); err != nil {
			return nil, "", proofErr(-1, "proofValue", ErrProofGeneration, "the signer returned a signature that does not verify", err)
		}
	}
	return head, EncodeProofValue(sig), nil
}

func (s *eddsaSuite) VerifyProof(ctx context.Context, env *Env, proof []byte, pub crypto.PublicKey) error {
	p, err := parseObject(proof, "the proof", ErrMalformedProof)
	if err != nil {
		return err
	}
	return s.verify(ctx, env, p, pub)
}

// verify is VerifyProof of a parsed proof.
func (s *eddsaSuite) verify(ctx context.Context, env *Env, proof strictjson.Value, pub crypto.PublicKey) error {
	if err := s.checkType(env, proof, ErrTransformation); err != nil {
		return err
	}
	raw, present := proof.Get("proofValue")
	if !present {
		return proofErr(-1, "proofValue", ErrMalformedProof, "", errMissing)
	}
	if raw.Kind() != strictjson.String {
		return proofErrf(-1, "proofValue", ErrMalformedProof, "not a string")
	}
	sig, err := DecodeProofValue(raw.Str(), 64)
	if err != nil {
		return proofErr(-1, "proofValue", ErrMalformedProof, "", unwrapSentinel(err, ErrMalformedProof))
	}
	if err := s.CheckKey(pub); err != nil {
		return proofErr(-1, "verificationMethod", ErrInvalidKey, "", unwrapSentinel(err, ErrInvalidKey))
	}
	// VC-DI-EdDSA "Verify Proof (eddsa-jcs-2022)" step 4, which this
	// package applies to the RDFC suites too (see proofContextPrefix).
	var signed []byte // the document as signed, when not env's
	if pc, ok := proof.Get("@context"); ok && s.proofContextPrefix {
		dc, hasDoc := env.doc.Get("@context")
		if why := contextMismatch(dc, hasDoc, pc); why != "" {
			return proofErr(-1, "@context", ErrMalformedProof, "", fmt.Errorf("%w (%s)", errContextNotPrefix, why))
		}
		if s.canon == canonJCS {
			// Step 4.2: the proof's @context is the one the document was
			// signed under (contexts may have been appended since).
			signed = appendObject(nil, env.doc, pc.AppendJSON(nil), false, false)
		}
	}
	var hash []byte
	if s.canon == canonRDF {
		hash, err = s.hashRDF(ctx, env, env.configJSON(proof))
	} else {
		hash, err = s.hashJCS(env, appendObject(nil, proof, nil, true, false), signed)
	}
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

// hashRDF is SHA-256(canonical proof configuration) ‖ SHA-256(canonical
// document) with RDFC-1.0: proof first, 64 bytes, the message Ed25519
// signs. config is the proof configuration as JSON: the proof, without its
// proofValue, under the document's @context.
func (s *eddsaSuite) hashRDF(ctx context.Context, env *Env, config []byte) ([]byte, error) {
	config, err := env.canonicalConfig(ctx, config)
	if err != nil {
		return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
	}
	digest, err := env.documentDigestRDF(ctx)
	if err != nil {
		return nil, proofErr(-1, "", ErrTransformation, "document", unwrapSentinel(err, ErrTransformation))
	}
	h := sha256.Sum256(config)
	return append(h[:], digest[:]...), nil
}

// hashJCS is hashRDF with JCS: config is the proof configuration (the
// proof without its proofValue) as JSON, signed the document as signed
// when it is not env's (eddsa-jcs-2022 under the proof's own @context).
func (s *eddsaSuite) hashJCS(env *Env, config, signed []byte) ([]byte, error) {
	config, err := env.CanonicalizeJCS(config)
	if err != nil {
		return nil, proofErr(-1, "", ErrTransformation, "proof configuration", unwrapSentinel(err, ErrTransformation))
	}
	var canonDoc []byte
	if signed != nil {
		canonDoc, err = env.CanonicalizeJCS(signed)
	} else {
		canonDoc, err = env.CanonicalDocumentJCS()
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
func contextMismatch(doc strictjson.Value, hasDoc bool, proofCtx strictjson.Value) string {
	if !hasDoc {
		return "the document has no @context"
	}
	nd, np := listLen(doc), listLen(proofCtx)
	for i := range np {
		if i >= nd {
			return fmt.Sprintf("the proof's @context has %d values, the document's %d", np, nd)
		}
		if !sameJSON(listItem(proofCtx, i), listItem(doc, i)) {
			return fmt.Sprintf("value %d differs", i)
		}
	}
	return ""
}

// listLen and listItem read v as a list: an array's elements, or v alone.
func listLen(v strictjson.Value) int {
	if v.Kind() == strictjson.Array {
		return v.Len()
	}
	return 1
}

func listItem(v strictjson.Value, i int) strictjson.Value {
	if v.Kind() == strictjson.Array {
		return v.Index(i)
	}
	return v
}

// sameJSON reports whether a and b have the same JCS form.
func sameJSON(a, b strictjson.Value) bool {
	if a.Kind() == strictjson.String || b.Kind() == strictjson.String {
		return a.Kind() == b.Kind() && a.Str() == b.Str()
	}
	return string(a.AppendJCS(nil)) == string(b.AppendJCS(nil))
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
