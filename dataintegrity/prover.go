package dataintegrity

import (
	"cmp"
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/strictjson"
)

// DefaultMaxProofs bounds the proofs of one document when a config says 0.
const DefaultMaxProofs = 16

// ProverConfig configures a Prover.
type ProverConfig struct {
	// Suite names the suite to sign with: SuiteEdDSARDFC2022 (what OB 3.0
	// requires), SuiteEdDSAJCS2022, SuiteEd25519Signature2020, or the Name
	// of one of CustomSuites. Required.
	Suite SuiteName
	// CustomSuites are suites implemented outside this package.
	CustomSuites []Suite
	// Key signs. An ed25519.PrivateKey works directly; HSM and cloud KMS
	// keys plug in as any crypto.Signer whose Public is an
	// ed25519.PublicKey and which signs with pure Ed25519 when given
	// crypto.Hash(0). Required.
	Key crypto.Signer
	// VerificationMethod is the URL of the public key, written to the proof
	// (for did:key, "did:key:z6Mk…#z6Mk…"). Required.
	VerificationMethod string
	// Processor canonicalizes JSON-LD for the RDFC-based suites; nil means
	// a process-wide processor with embedded contexts only.
	Processor Canonicalizer
	// Now is the clock for the default created time; nil means time.Now.
	Now func() time.Time
	// MaxProofs bounds the proofs a document may end up with; 0 means
	// DefaultMaxProofs.
	MaxProofs int
	// CheckSignatures verifies every signature right after signing, at
	// the cost of one verification. A faulty signer (a glitching HSM) that
	// returns a wrong deterministic signature can leak its key; this stops
	// such a signature from leaving the process.
	CheckSignatures bool
}

// ProofOptions are the per-proof options of Prover.AddProof. The zero value
// makes an assertionMethod proof created now.
type ProofOptions struct {
	// Purpose is the proofPurpose; "" means DefaultProofPurpose.
	Purpose string
	// Created is the creation time, written in UTC with second precision;
	// the zero value means the Prover's clock.
	Created time.Time
	// OmitCreated leaves created out (it is optional in Data Integrity).
	OmitCreated bool
	// Expires, if not zero, is written as expires.
	Expires time.Time
	// Domain, Challenge and Nonce, if set, are written as such. One domain is
	// written as a string, several as an array.
	Domain    []string
	Challenge string
	Nonce     string
	// ID is the proof's id (a URL), needed if later proofs chain to it.
	ID string
	// PreviousProof lists the ids of proofs already on the document that
	// this proof chains to (VC Data Integrity proof chains): they are the
	// only proofs the new proof signs over.
	PreviousProof []string
}

// Prover adds Data Integrity proofs to documents. It is safe for concurrent
// use.
type Prover struct {
	configs   configMemo // the last canonical proof configuration
	suite     Suite
	key       crypto.Signer
	vm        string
	rdf       Canonicalizer
	now       func() time.Time
	maxProofs int
	check     bool
}

// NewProver checks cfg and returns a Prover.
func NewProver(cfg ProverConfig) (*Prover, error) {
	if cfg.Suite == "" {
		return nil, errors.New("dataintegrity: ProverConfig.Suite is required")
	}
	suites, err := suiteTable(cfg.CustomSuites)
	if err != nil {
		return nil, err
	}
	var suite Suite
	for _, s := range suites {
		if SuiteName(s.Name()) == cfg.Suite {
			suite = s
		}
	}
	if suite == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedSuite, cfg.Suite)
	}
	if s, ok := suite.(*eddsaSuite); ok && s.verifyOnly {
		return nil, fmt.Errorf("%w: %s is accepted for verification only; sign with %s", ErrProofGeneration, s.name, SuiteEdDSARDFC2022)
	}
	if cfg.Key == nil {
		return nil, errors.New("dataintegrity: ProverConfig.Key is required")
	}
	if err := suite.CheckKey(cfg.Key.Public()); err != nil {
		return nil, err
	}
	if cfg.VerificationMethod == "" {
		return nil, errors.New("dataintegrity: ProverConfig.VerificationMethod is required")
	}
	p := &Prover{suite: suite, key: cfg.Key, vm: cfg.VerificationMethod, rdf: canonicalizer(cfg.Processor), now: cfg.Now, maxProofs: cfg.MaxProofs, check: cfg.CheckSignatures}
	if p.now == nil {
		p.now = time.Now
	}
	if p.maxProofs <= 0 {
		p.maxProofs = DefaultMaxProofs
	}
	return p, nil
}

// suiteTable returns the built-in suites followed by custom ones, refusing
// duplicate names or type/cryptosuite pairs.
func suiteTable(custom []Suite) ([]Suite, error) {
	all := append(append([]Suite(nil), builtinSuites...), custom...)
	names := map[string]bool{}
	kinds := map[[2]string]bool{}
	for _, s := range all {
		if s == nil {
			return nil, errors.New("dataintegrity: nil custom suite")
		}
		k := [2]string{s.ProofType(), s.Cryptosuite()}
		if names[s.Name()] || kinds[k] {
			return nil, fmt.Errorf("dataintegrity: suite %q defined twice", s.Name())
		}
		names[s.Name()], kinds[k] = true, true
	}
	return all, nil
}

// AddProof returns doc, a JSON object, signed: its members in their order
// (written compact, strings as encoding/json writes them) with a new proof
// as the last member or, if doc already has proofs, added to them as a proof
// set, signed over the document without them, or, with opts.PreviousProof,
// over the document carrying exactly the proofs it chains to. doc is parsed
// strictly, with the limits credential.Parse applies.
func (p *Prover) AddProof(ctx context.Context, doc []byte, opts ProofOptions) ([]byte, error) {
	d, err := strictjson.Parse(string(doc), strictjson.Options{})
	if err != nil {
		return nil, proofErr(-1, "", ErrProofGeneration, "the document is not JSON", err)
	}
	return p.AddDocumentProof(ctx, d, opts)
}

// AddDocumentProof is AddProof of a document internal/strictjson parsed,
// for the library's packages that parse the document themselves (the
// issuer).
func (p *Prover) AddDocumentProof(ctx context.Context, doc strictjson.Value, opts ProofOptions) ([]byte, error) {
	if doc.Kind() != strictjson.Object {
		return nil, proofErrf(-1, "", ErrProofGeneration, "no document")
	}
	var existing []strictjson.Value
	if doc.Has("proof") {
		var err error
		if existing, err = proofList(doc); err != nil {
			return nil, err
		}
	}
	if len(existing)+1 > p.maxProofs {
		return nil, proofErrf(-1, "proof", ErrTooManyProofs, "document would carry %d proofs, limit %d", len(existing)+1, p.maxProofs)
	}
	options, err := p.options(opts)
	if err != nil {
		return nil, err
	}
	input := doc.Without("proof")
	if len(opts.PreviousProof) > 0 {
		chained, err := selectPrevious(existing, opts.PreviousProof, opts.ID)
		if err != nil {
			return nil, err
		}
		if input, err = withProofs(input, chained); err != nil {
			return nil, proofErr(-1, "previousProof", ErrProofGeneration, "", err)
		}
	}
	// The proof: its members but proofValue, and its proofValue.
	var head []byte
	var pv string
	if builtin, ok := p.suite.(*eddsaSuite); ok {
		// A built-in suite keeps nothing of the Env beyond this call.
		env := pooledEnv(p.rdf, &p.configs)
		defer env.recycle()
		env.doc, env.checkSignatures = input, p.check
		head, pv, err = builtin.create(ctx, env, options, p.key)
	} else {
		env := &Env{doc: input, rdf: p.rdf, configs: &p.configs, checkSignatures: p.check}
		if head, err = p.suite.CreateProof(ctx, env, options, p.key); err == nil {
			var v strictjson.Value
			if v, err = parseObject(head, "the suite's proof", ErrProofGeneration); err == nil {
				head = v.AppendJSON(nil)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return appendSigned(make([]byte, 0, doc.CompactSourceLen()+len(head)+len(pv)+32), doc, head, pv), nil
}

// options returns the proof options as JSON, their members in proofKeys'
// order.
func (p *Prover) options(opts ProofOptions) ([]byte, error) {
	created := opts.Created
	if !opts.OmitCreated && created.IsZero() {
		created = p.now()
	}
	if !opts.Expires.IsZero() && !opts.OmitCreated && !opts.Expires.After(created) {
		return nil, proofErrf(-1, "expires", ErrProofGeneration, "expires %s is not after created %s", formatTime(opts.Expires), formatTime(created))
	}
	if slices.Contains(opts.Domain, "") {
		return nil, proofErrf(-1, "domain", ErrProofGeneration, "empty string")
	}
	if slices.Contains(opts.PreviousProof, "") {
		return nil, proofErrf(-1, "previousProof", ErrProofGeneration, "empty string")
	}
	b := append(make([]byte, 0, 256), '{')
	member := func(k string) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(jcs.AppendJSONString(b, k), ':')
	}
	str := func(k, v string) {
		if v != "" {
			member(k)
			b = jcs.AppendJSONString(b, v)
		}
	}
	list := func(k string, v []string) {
		if len(v) == 1 {
			str(k, v[0])
		} else if len(v) > 1 {
			member(k)
			b = append(b, '[')
			for i, s := range v {
				if i > 0 {
					b = append(b, ',')
				}
				b = jcs.AppendJSONString(b, s)
			}
			b = append(b, ']')
		}
	}
	str("id", opts.ID)
	str("type", p.suite.ProofType())
	str("cryptosuite", p.suite.Cryptosuite())
	if !opts.OmitCreated {
		str("created", formatTime(created))
	}
	if !opts.Expires.IsZero() {
		str("expires", formatTime(opts.Expires))
	}
	str("verificationMethod", p.vm)
	str("proofPurpose", cmp.Or(opts.Purpose, DefaultProofPurpose))
	list("domain", opts.Domain)
	str("challenge", opts.Challenge)
	str("nonce", opts.Nonce)
	list("previousProof", opts.PreviousProof)
	return append(b, '}'), nil
}

// appendSigned appends the signed document: doc, compact, its members in
// the order of the input, strings written as encoding/json writes them,
// with the proof (head with proofValue) added, as the last member or, when
// doc already has proofs, to its proof set.
func appendSigned(b []byte, doc strictjson.Value, head []byte, proofValue string) []byte {
	b = append(b, '{')
	start := len(b)
	existing, chained := doc.Get("proof")
	for k, v := range doc.Members() {
		if len(b) > start {
			b = append(b, ',')
		}
		b = append(jcs.AppendJSONString(b, k), ':')
		if k != "proof" {
			b = v.AppendJSON(b)
			continue
		}
		b = append(b, '[')
		if existing.Kind() == strictjson.Array {
			for _, p := range existing.Elements() {
				b = append(p.AppendJSON(b), ',')
			}
		} else {
			// A proof becoming a set's first is written as a new one is.
			b = append(appendProof(b, existing), ',')
		}
		b = append(appendProofValue(b, head, proofValue), ']')
	}
	if !chained {
		if len(b) > start {
			b = append(b, ',')
		}
		b = appendProofValue(append(b, `"proof":`...), head, proofValue)
	}
	return append(b, '}')
}

// proofKeys is the order of a proof's members in the specifications'
// examples, in which a new proof is written; other members follow in name
// order.
var proofKeys = []string{
	"@context", "id", "type", "cryptosuite", "created", "expires",
	"verificationMethod", "proofPurpose", "domain", "challenge",
	"nonce", "previousProof", "proofValue",
}

// appendProof appends proof, an object, its members in proofKeys' order.
func appendProof(b []byte, proof strictjson.Value) []byte {
	type member struct {
		rank int
		key  string
		val  strictjson.Value
	}
	ms := make([]member, 0, proof.Len())
	for k, v := range proof.Members() {
		r := slices.Index(proofKeys, k)
		if r < 0 {
			r = len(proofKeys)
		}
		ms = append(ms, member{r, k, v})
	}
	slices.SortFunc(ms, func(x, y member) int {
		if x.rank != y.rank {
			return x.rank - y.rank
		}
		return strings.Compare(x.key, y.key)
	})
	b = append(b, '{')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = m.val.AppendJSON(append(jcs.AppendJSONString(b, m.key), ':'))
	}
	return append(b, '}')
}

// selectPrevious returns, in document order, the proofs whose ids are
// listed in ids: every id must name exactly one proof, and not the proof
// being made (self).
func selectPrevious(proofs []strictjson.Value, ids []string, self string) ([]strictjson.Value, error) {
	want := make(map[string]int, len(ids))
	for _, id := range ids {
		if id == self && self != "" {
			return nil, proofErrf(-1, "previousProof", ErrPreviousProof, "proof %q cannot chain to itself", id)
		}
		want[id] = 0
	}
	var out []strictjson.Value
	for _, m := range proofs {
		if m.Kind() != strictjson.Object {
			continue
		}
		v, _ := m.Get("id")
		id := v.Str()
		if n, ok := want[id]; ok {
			if n > 0 {
				return nil, proofErrf(-1, "previousProof", ErrPreviousProof, "several proofs have id %q", id)
			}
			want[id] = n + 1
			out = append(out, m)
		}
	}
	for _, id := range ids {
		if want[id] == 0 {
			return nil, proofErrf(-1, "previousProof", ErrPreviousProof, "no proof with id %q", id)
		}
	}
	return out, nil
}
