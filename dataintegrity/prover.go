package dataintegrity

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"

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

// AddProof returns a copy of doc with a new proof added; doc is not
// modified (the copy shares everything but its top level with doc). If doc
// already has proofs the new one joins them as a proof set, signed over the
// document without them, or, with opts.PreviousProof, over the document
// carrying exactly the proofs it chains to.
func (p *Prover) AddProof(ctx context.Context, doc map[string]any, opts ProofOptions) (map[string]any, error) {
	proof, err := p.CreateProof(ctx, doc, opts)
	if err != nil {
		return nil, err
	}
	var set []any
	switch existing := doc["proof"].(type) {
	case nil: // CreateProof refuses a null proof
		return with(doc, "proof", proof), nil
	case []any:
		set = append(set, existing...)
	case []map[string]any:
		for _, e := range existing {
			set = append(set, e)
		}
	default:
		set = append(set, existing)
	}
	return with(doc, "proof", append(set, proof)), nil
}

// CreateProof returns the proof AddProof would add, without adding it.
func (p *Prover) CreateProof(ctx context.Context, doc map[string]any, opts ProofOptions) (map[string]any, error) {
	if doc == nil {
		return nil, proofErrf(-1, "", ErrProofGeneration, "no document")
	}
	d, err := strictjson.FromGo(doc, documentLimits)
	if err != nil {
		return nil, proofErr(-1, "", ErrProofGeneration, "the document is not JSON", err)
	}
	return p.CreateDocumentProof(ctx, d, opts)
}

// CreateDocumentProof is CreateProof of a document internal/strictjson
// parsed, for the library's packages that parse the document themselves
// (the issuer).
func (p *Prover) CreateDocumentProof(ctx context.Context, doc strictjson.Value, opts ProofOptions) (map[string]any, error) {
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
	proof, err := p.options(opts)
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
	var env *Env
	if _, builtin := p.suite.(*eddsaSuite); builtin {
		// A built-in suite keeps nothing of the Env beyond this call.
		env = pooledEnv(p.rdf, &p.configs)
		defer env.recycle()
		env.doc = input
	} else {
		env = &Env{doc: input, rdf: p.rdf, configs: &p.configs}
	}
	env.checkSignatures = p.check
	if err := p.suite.CreateProof(ctx, env, proof, p.key); err != nil {
		return nil, err
	}
	return proof, nil
}

func (p *Prover) options(opts ProofOptions) (map[string]any, error) {
	proof := map[string]any{
		"type":               p.suite.ProofType(),
		"verificationMethod": p.vm,
		"proofPurpose":       DefaultProofPurpose,
	}
	if cs := p.suite.Cryptosuite(); cs != "" {
		proof["cryptosuite"] = cs
	}
	if opts.Purpose != "" {
		proof["proofPurpose"] = opts.Purpose
	}
	created := opts.Created
	if !opts.OmitCreated {
		if created.IsZero() {
			created = p.now()
		}
		proof["created"] = formatTime(created)
	}
	if !opts.Expires.IsZero() {
		if !opts.OmitCreated && !opts.Expires.After(created) {
			return nil, proofErrf(-1, "expires", ErrProofGeneration, "expires %s is not after created %s", formatTime(opts.Expires), formatTime(created))
		}
		proof["expires"] = formatTime(opts.Expires)
	}
	setStrings := func(field string, v []string) error {
		for _, s := range v {
			if s == "" {
				return proofErrf(-1, field, ErrProofGeneration, "empty string")
			}
		}
		switch len(v) {
		case 0:
		case 1:
			proof[field] = v[0]
		default:
			l := make([]any, len(v))
			for i, s := range v {
				l[i] = s
			}
			proof[field] = l
		}
		return nil
	}
	if err := setStrings("domain", opts.Domain); err != nil {
		return nil, err
	}
	if err := setStrings("previousProof", opts.PreviousProof); err != nil {
		return nil, err
	}
	if opts.Challenge != "" {
		proof["challenge"] = opts.Challenge
	}
	if opts.Nonce != "" {
		proof["nonce"] = opts.Nonce
	}
	if opts.ID != "" {
		proof["id"] = opts.ID
	}
	return proof, nil
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
