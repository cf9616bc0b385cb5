package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/jsonld"
	"github.com/stretchr/testify/require"
)

// signed returns sampleDoc signed by the test key with suite, using the
// JCS-backed stand-in for RDF canonicalization.
func signed(t *testing.T, suite SuiteName, opts ProofOptions) map[string]any {
	t.Helper()
	doc, err := newTestProver(t, suite, jcsCanonicalizer{}).addMap(context.Background(), sampleDoc(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func setProof(doc map[string]any, key string, v any) map[string]any {
	p := with(doc["proof"].(map[string]any), key, v)
	return with(doc, "proof", p)
}

func delProof(doc map[string]any, key string) map[string]any {
	return with(doc, "proof", without(doc["proof"].(map[string]any), key))
}

func verifyOne(t *testing.T, v *Verifier, doc map[string]any, keys KeyResolver, opts VerifyOptions) (*Result, error) {
	t.Helper()
	res, err := v.verifyMap(context.Background(), doc, keys, opts)
	if err != nil {
		return nil, err
	}
	return res, res.Err()
}

func TestRoundTripAllSuites(t *testing.T) {
	for _, suite := range []SuiteName{SuiteEdDSARDFC2022, SuiteEdDSAJCS2022, SuiteEd25519Signature2020} {
		t.Run(string(suite), func(t *testing.T) {
			doc := signed(t, suite, ProofOptions{})
			p := doc["proof"].(map[string]any)
			if p["created"] != "2024-05-01T12:00:00Z" || p["proofPurpose"] != "assertionMethod" || p["verificationMethod"] != testVM {
				t.Errorf("proof options: %v", p)
			}
			v := newTestVerifier(t, jcsCanonicalizer{}, suite)
			res, err := verifyOne(t, v, doc, Key(testPub), VerifyOptions{})
			if err != nil || !res.Verified || !res.Proofs[0].Verified {
				t.Fatalf("verified=%v err=%v", res.Verified, err)
			}
			r := res.Proofs[0]
			if r.VerificationMethod != testVM || r.Purpose != "assertionMethod" || !r.Created.Equal(testTime) {
				t.Errorf("result fields: %+v", r)
			}
		})
	}
}

// Ed25519Signature2020 terms are defined only by the suite context, which
// the document must therefore list (as jsonld-signatures requires).
func TestEd25519Signature2020NeedsSuiteContext(t *testing.T) {
	doc := signed(t, SuiteEd25519Signature2020, ProofOptions{})
	bare := with(doc, "@context", []any{"https://www.w3.org/ns/credentials/v2"})
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEd25519Signature2020)
	if res, err := verifyOne(t, v, bare, Key(testPub), VerifyOptions{}); res.Verified || !errors.Is(err, ErrTransformation) {
		t.Errorf("verify without the suite context: %v", err)
	}
	p := newTestProver(t, SuiteEd25519Signature2020, jcsCanonicalizer{})
	if _, err := p.addMap(context.Background(), without(bare, "proof"), ProofOptions{}); !errors.Is(err, ErrProofGeneration) {
		t.Errorf("sign without the suite context: %v", err)
	}
}

func TestProverOptions(t *testing.T) {
	p := newTestProver(t, SuiteEdDSAJCS2022, nil)
	created := time.Date(2024, 1, 2, 3, 4, 5, 999, time.FixedZone("X", 3600))
	proof, err := p.createMap(context.Background(), sampleDoc(), ProofOptions{
		Purpose: "authentication", Created: created, Expires: created.Add(time.Hour),
		Domain: []string{"a.example", "b.example"}, Challenge: "c1", Nonce: "n1", ID: "urn:uuid:1",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "authentication",
		"created": "2024-01-02T02:04:05Z", "expires": "2024-01-02T03:04:05Z", "challenge": "c1", "nonce": "n1", "id": "urn:uuid:1",
	}
	for k, v := range want {
		if proof[k] != v {
			t.Errorf("%s = %v, want %v", k, proof[k], v)
		}
	}
	if d, ok := proof["domain"].([]any); !ok || len(d) != 2 {
		t.Errorf("domain = %v", proof["domain"])
	}
	proof, err = p.createMap(context.Background(), sampleDoc(), ProofOptions{OmitCreated: true, Domain: []string{"a.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := proof["created"]; ok || proof["domain"] != "a.example" {
		t.Errorf("proof = %v", proof)
	}
	if _, err := p.createMap(context.Background(), sampleDoc(), ProofOptions{Expires: testTime.Add(-time.Hour)}); !errors.Is(err, ErrProofGeneration) {
		t.Errorf("expires before created: %v", err)
	}
	if _, err := p.createMap(context.Background(), sampleDoc(), ProofOptions{Domain: []string{""}}); !errors.Is(err, ErrProofGeneration) {
		t.Errorf("empty domain: %v", err)
	}
	if _, err := p.createMap(context.Background(), nil, ProofOptions{}); !errors.Is(err, ErrProofGeneration) {
		t.Errorf("nil doc: %v", err)
	}
}

func TestNewProverRejects(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, cfg := range map[string]ProverConfig{
		"no suite":         {Key: testKey, VerificationMethod: testVM},
		"unknown suite":    {Suite: "eddsa-rdf-2022", Key: testKey, VerificationMethod: testVM},
		"verify-only":      {Suite: SuiteEdDSA2022, Key: testKey, VerificationMethod: testVM},
		"no key":           {Suite: SuiteEdDSARDFC2022, VerificationMethod: testVM},
		"ecdsa key":        {Suite: SuiteEdDSARDFC2022, Key: ecKey, VerificationMethod: testVM},
		"no vm":            {Suite: SuiteEdDSARDFC2022, Key: testKey},
		"small-order key":  {Suite: SuiteEdDSARDFC2022, Key: fakeSigner{pub: smallOrderKey()}, VerificationMethod: testVM},
		"duplicate suites": {Suite: SuiteEdDSARDFC2022, Key: testKey, VerificationMethod: testVM, CustomSuites: []Suite{builtinSuites[0]}},
	} {
		if _, err := NewProver(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNewVerifierRejects(t *testing.T) {
	for name, cfg := range map[string]VerifierConfig{
		"no suites":     {},
		"unknown suite": {Suites: []SuiteName{"eddsa-rdf-2022"}},
		"negative skew": {Suites: []SuiteName{SuiteEdDSARDFC2022}, ClockSkew: -time.Second},
	} {
		if _, err := NewVerifier(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// smallOrderKey is the identity point: with it the signature 01 00…00 ‖
// 00…00 verifies every message under crypto/ed25519.
func smallOrderKey() ed25519.PublicKey {
	k := make(ed25519.PublicKey, 32)
	k[0] = 1
	return k
}

type fakeSigner struct {
	pub crypto.PublicKey
	sig []byte
	err error
}

func (f fakeSigner) Public() crypto.PublicKey { return f.pub }
func (f fakeSigner) Sign(_ io.Reader, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	return f.sig, f.err
}

func TestCheckSignatures(t *testing.T) {
	bad := fakeSigner{pub: testPub, sig: make([]byte, 64)}
	for _, check := range []bool{false, true} {
		p, err := NewProver(ProverConfig{Suite: SuiteEdDSAJCS2022, Key: bad, VerificationMethod: testVM, CheckSignatures: check})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.addMap(context.Background(), sampleDoc(), ProofOptions{})
		if check != errors.Is(err, ErrProofGeneration) {
			t.Errorf("CheckSignatures=%v: err = %v", check, err)
		}
	}
	p, err := NewProver(ProverConfig{Suite: SuiteEdDSAJCS2022, Key: testKey, VerificationMethod: testVM, CheckSignatures: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.addMap(context.Background(), sampleDoc(), ProofOptions{}); err != nil {
		t.Errorf("good signer with CheckSignatures: %v", err)
	}
}

// Provers and Verifiers are shared between goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{})
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	doc := sampleDoc()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var err error
			for range 20 {
				var signed map[string]any
				if signed, err = p.addMap(context.Background(), doc, ProofOptions{}); err != nil {
					break
				}
				var res *Result
				if res, err = v.verifyMap(context.Background(), signed, Key(testPub), VerifyOptions{}); err == nil && !res.Verified {
					err = res.Err()
				}
				if err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestSignerFailures(t *testing.T) {
	for name, s := range map[string]fakeSigner{
		"error":     {pub: testPub, err: errors.New("hsm offline")},
		"short sig": {pub: testPub, sig: make([]byte, 63)},
		"long sig":  {pub: testPub, sig: make([]byte, 65)},
	} {
		p, err := NewProver(ProverConfig{Suite: SuiteEdDSAJCS2022, Key: s, VerificationMethod: testVM})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.addMap(context.Background(), sampleDoc(), ProofOptions{}); !errors.Is(err, ErrProofGeneration) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// Every check of Verify, each failing on its own.
func TestVerifyNegative(t *testing.T) {
	base := signed(t, SuiteEdDSARDFC2022, ProofOptions{Domain: []string{"verifier.example"}, Challenge: "abc", Expires: testTime.Add(2 * time.Hour)})
	jcsDoc := signed(t, SuiteEdDSAJCS2022, ProofOptions{})
	otherKey := ed25519.NewKeyFromSeed(make([]byte, 32)).Public()
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	good := VerifyOptions{Domain: []string{"verifier.example"}, Challenge: "abc"}
	rdfc := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	both := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022, SuiteEdDSAJCS2022)
	late, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: jcsCanonicalizer{}, Now: fixedClock(testTime.Add(2*time.Hour + 6*time.Minute))})
	early, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: jcsCanonicalizer{}, Now: fixedClock(testTime.Add(-6 * time.Minute))})
	withinSkew, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: jcsCanonicalizer{}, Now: fixedClock(testTime.Add(-4 * time.Minute))})
	failing, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: errCanonicalizer{}, Now: fixedClock(testTime)})
	tampered := with(base, "issuer", "did:example:mallory")
	pv := base["proof"].(map[string]any)["proofValue"].(string)

	if res, err := verifyOne(t, rdfc, base, Key(testPub), good); err != nil || !res.Verified {
		t.Fatalf("baseline: %v", err)
	}
	if res, err := verifyOne(t, withinSkew, base, Key(testPub), good); err != nil || !res.Verified {
		t.Fatalf("created within clock skew: %v", err)
	}
	// VerifyOptions.Now overrides the configured clock.
	lateOpts := good
	lateOpts.Now = testTime.Add(3 * time.Hour)
	if _, err := verifyOne(t, rdfc, base, Key(testPub), lateOpts); !errors.Is(err, ErrProofExpired) {
		t.Fatalf("VerifyOptions.Now: %v", err)
	}

	cases := []struct {
		name    string
		v       *Verifier
		doc     map[string]any
		keys    KeyResolver
		opts    VerifyOptions
		want    error
		field   string
		problem string
	}{
		{"tampered document", rdfc, tampered, Key(testPub), good, ErrInvalidSignature, "proofValue", ProblemProofVerification},
		{"tampered proof option", rdfc, setProof(base, "nonce", "x"), Key(testPub), good, ErrInvalidSignature, "proofValue", ProblemProofVerification},
		{"wrong key", rdfc, base, Key(otherKey), good, ErrInvalidSignature, "proofValue", ProblemProofVerification},
		{"key of wrong type", rdfc, base, Key(&ecKey.PublicKey), good, ErrInvalidKey, "verificationMethod", ProblemCryptographicSecurity},
		{"short key", rdfc, base, Key(ed25519.PublicKey(testPub[:31])), good, ErrInvalidKey, "verificationMethod", ProblemCryptographicSecurity},
		{"small-order key", rdfc, base, Key(smallOrderKey()), good, ErrInvalidKey, "verificationMethod", ProblemCryptographicSecurity},
		{"nil key", rdfc, base, Key(nil), good, ErrInvalidKey, "verificationMethod", ProblemCryptographicSecurity},
		{"unresolvable key", rdfc, base, StaticKeys(nil), good, ErrKeyResolution, "verificationMethod", ProblemProofVerification},
		{"wrong suite (cryptosuite swapped)", both, setProof(base, "cryptosuite", string(SuiteEdDSAJCS2022)), Key(testPub), good, ErrInvalidSignature, "proofValue", ProblemProofVerification},
		{"suite not accepted", rdfc, jcsDoc, Key(testPub), VerifyOptions{}, ErrSuiteNotAccepted, "cryptosuite", ProblemProofVerification},
		{"unknown suite", rdfc, setProof(base, "cryptosuite", "eddsa-rdf-2022"), Key(testPub), good, ErrUnsupportedSuite, "cryptosuite", ProblemProofVerification},
		{"unknown type", rdfc, setProof(base, "type", "RsaSignature2018"), Key(testPub), good, ErrUnsupportedSuite, "cryptosuite", ProblemProofVerification},
		{"proofValue not multibase", rdfc, setProof(base, "proofValue", pv[1:]), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue base64url multibase", rdfc, setProof(base, "proofValue", "u"+pv[1:]), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue bad base58", rdfc, setProof(base, "proofValue", pv[:10]+"0"+pv[11:]), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue too short", rdfc, setProof(base, "proofValue", EncodeProofValue(make([]byte, 63))), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue too long", rdfc, setProof(base, "proofValue", EncodeProofValue(make([]byte, 65))), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue huge", rdfc, setProof(base, "proofValue", "z"+strings.Repeat("2", 100000)), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"proofValue missing", rdfc, delProof(base, "proofValue"), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemProofVerification},
		{"proofValue number", rdfc, setProof(base, "proofValue", 5.0), Key(testPub), good, ErrMalformedProof, "proofValue", ProblemMalformedValue},
		{"expired", late, base, Key(testPub), good, ErrProofExpired, "expires", ProblemProofVerification},
		{"created in future", early, base, Key(testPub), good, ErrCreatedInFuture, "created", ProblemProofVerification},
		{"domain mismatch", rdfc, base, Key(testPub), VerifyOptions{Domain: []string{"other.example"}, Challenge: "abc"}, ErrDomainMismatch, "domain", ProblemInvalidDomain},
		{"domain superset", rdfc, base, Key(testPub), VerifyOptions{Domain: []string{"verifier.example", "other.example"}, Challenge: "abc"}, ErrDomainMismatch, "domain", ProblemInvalidDomain},
		{"domain missing", rdfc, signed(t, SuiteEdDSARDFC2022, ProofOptions{}), Key(testPub), VerifyOptions{Domain: []string{"verifier.example"}}, ErrDomainMismatch, "domain", ProblemInvalidDomain},
		{"challenge mismatch", rdfc, base, Key(testPub), VerifyOptions{Domain: []string{"verifier.example"}, Challenge: "abd"}, ErrChallengeMismatch, "challenge", ProblemInvalidChallenge},
		{"wrong proofPurpose", rdfc, base, Key(testPub), VerifyOptions{Purpose: "authentication", Domain: []string{"verifier.example"}, Challenge: "abc"}, ErrPurposeMismatch, "proofPurpose", ProblemProofVerification},
		{"proofPurpose changed", rdfc, setProof(base, "proofPurpose", "authentication"), Key(testPub), good, ErrPurposeMismatch, "proofPurpose", ProblemProofVerification},
		{"missing type", rdfc, delProof(base, "type"), Key(testPub), good, ErrMalformedProof, "type", ProblemProofVerification},
		{"missing cryptosuite", rdfc, delProof(base, "cryptosuite"), Key(testPub), good, ErrMalformedProof, "cryptosuite", ProblemProofVerification},
		{"missing verificationMethod", rdfc, delProof(base, "verificationMethod"), Key(testPub), good, ErrMalformedProof, "verificationMethod", ProblemProofVerification},
		{"verificationMethod object", rdfc, setProof(base, "verificationMethod", map[string]any{"id": testVM}), Key(testPub), good, ErrMalformedProof, "verificationMethod", ProblemMalformedValue},
		{"missing proofPurpose", rdfc, delProof(base, "proofPurpose"), Key(testPub), good, ErrMalformedProof, "proofPurpose", ProblemProofVerification},
		{"created not a date", rdfc, setProof(base, "created", "yesterday"), Key(testPub), good, ErrMalformedProof, "created", ProblemMalformedValue},
		{"created with a bad zone", rdfc, setProof(base, "created", "2024-05-01T12:00:00+25:00"), Key(testPub), good, ErrMalformedProof, "created", ProblemMalformedValue},
		{"expires not a string", rdfc, setProof(base, "expires", 1.0), Key(testPub), good, ErrMalformedProof, "expires", ProblemMalformedValue},
		{"domain of numbers", rdfc, setProof(base, "domain", []any{1.0}), Key(testPub), good, ErrMalformedProof, "domain", ProblemMalformedValue},
		{"previousProof object", rdfc, setProof(base, "previousProof", map[string]any{}), Key(testPub), good, ErrMalformedProof, "previousProof", ProblemMalformedValue},
		{"canonicalization fails", failing, base, Key(testPub), good, ErrTransformation, "", ProblemProofTransformation},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := verifyOne(t, tc.v, tc.doc, tc.keys, tc.opts)
			if res == nil {
				t.Fatalf("document-level error: %v", err)
			}
			if res.Verified {
				t.Fatal("verified")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var pe *ProofError
			if !errors.As(res.Proofs[0].Err, &pe) {
				t.Fatalf("not a *ProofError: %T %v", res.Proofs[0].Err, res.Proofs[0].Err)
			}
			if pe.Index != 0 || pe.Field != tc.field {
				t.Errorf("index %d field %q, want 0 %q (%v)", pe.Index, pe.Field, tc.field, pe)
			}
			if got := ProblemType(err); got != tc.problem {
				t.Errorf("ProblemType = %s, want %s", got, tc.problem)
			}
			if !strings.HasPrefix(err.Error(), "dataintegrity: ") {
				t.Errorf("error text %q lacks the package prefix", err)
			}
		})
	}
}

type errCanonicalizer struct{}

var errContextNotAllowed = errors.New("jsonld: context not allowed")

func (errCanonicalizer) Canonicalize(context.Context, []byte) ([]byte, error) {
	return nil, errContextNotAllowed
}

func TestVerifyCanonicalizationErrorCause(t *testing.T) {
	v, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: errCanonicalizer{}})
	res, err := verifyOne(t, v, signed(t, SuiteEdDSARDFC2022, ProofOptions{}), Key(testPub), VerifyOptions{})
	if res == nil || !errors.Is(err, errContextNotAllowed) || !errors.Is(err, ErrTransformation) {
		t.Fatalf("err = %v", err)
	}
}

func TestVerifyDocumentLevel(t *testing.T) {
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	doc := signed(t, SuiteEdDSARDFC2022, ProofOptions{})
	proof := doc["proof"]
	many := make([]any, DefaultMaxProofs+1)
	for i := range many {
		many[i] = proof
	}
	for name, tc := range map[string]struct {
		doc     map[string]any
		want    error
		problem string
	}{
		"no proof":          {sampleDoc(), ErrNoProof, ProblemProofVerification},
		"null proof":        {with(sampleDoc(), "proof", nil), ErrNoProof, ProblemProofVerification},
		"empty proof set":   {with(sampleDoc(), "proof", []any{}), ErrNoProof, ProblemProofVerification},
		"proof is a string": {with(sampleDoc(), "proof", "z123"), ErrMalformedProof, ProblemMalformedValue},
		"too many proofs":   {with(sampleDoc(), "proof", many), ErrTooManyProofs, ProblemProofVerification},
	} {
		_, err := v.verifyMap(context.Background(), tc.doc, Key(testPub), VerifyOptions{})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.want)
		}
		if ProblemType(err) != tc.problem {
			t.Errorf("%s: ProblemType = %s", name, ProblemType(err))
		}
	}
	if _, err := v.verifyMap(context.Background(), nil, Key(testPub), VerifyOptions{}); err == nil {
		t.Error("nil document accepted")
	}
	if _, err := v.verifyMap(context.Background(), doc, nil, VerifyOptions{}); err == nil {
		t.Error("nil resolver accepted")
	}
	// A proof set built in Go as []map[string]any is read too.
	if res, err := v.verifyMap(context.Background(), with(doc, "proof", []map[string]any{proof.(map[string]any)}), Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
		t.Errorf("[]map[string]any proof set: %v", err)
	}
	// A proof entry that is not an object fails that entry only.
	res, err := v.verifyMap(context.Background(), with(doc, "proof", []any{proof, "junk"}), Key(testPub), VerifyOptions{})
	if err != nil || res.Verified || !res.Proofs[0].Verified || !errors.Is(res.Proofs[1].Err, ErrMalformedProof) {
		t.Errorf("junk proof entry: %v %+v", err, res)
	}
}

func TestProofSets(t *testing.T) {
	p1 := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{})
	key2 := ed25519.NewKeyFromSeed(make([]byte, 32))
	p2, err := NewProver(ProverConfig{Suite: SuiteEdDSAJCS2022, Key: key2, VerificationMethod: "did:example:other#k", Now: fixedClock(testTime)})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := p1.addMap(context.Background(), sampleDoc(), ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = p2.addMap(context.Background(), doc, ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := doc["proof"].([]any); !ok || len(l) != 2 {
		t.Fatalf("proof set: %v", doc["proof"])
	}
	keys := StaticKeys(map[string]crypto.PublicKey{testVM: testPub, "did:example:other#k": key2.Public()})

	all := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022, SuiteEdDSAJCS2022)
	if res, err := verifyOne(t, all, doc, keys, VerifyOptions{}); err != nil || !res.Verified {
		t.Fatalf("proof set: %v", err)
	}
	// By default every proof must verify: a proof of a suite the verifier
	// does not accept fails the document.
	rdfcOnly := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	res, err := verifyOne(t, rdfcOnly, doc, keys, VerifyOptions{})
	if res.Verified || !errors.Is(err, ErrSuiteNotAccepted) || !res.Proofs[0].Verified {
		t.Fatalf("strict: verified=%v err=%v", res.Verified, err)
	}
	// With IgnoreUnknownSuites, it is skipped with a warning.
	lenient, _ := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: jcsCanonicalizer{}, IgnoreUnknownSuites: true, Now: fixedClock(testTime)})
	res, err = verifyOne(t, lenient, doc, keys, VerifyOptions{})
	if err != nil || !res.Verified || !res.Proofs[1].Ignored || len(res.Warnings()) != 1 || !errors.Is(res.Warnings()[0], ErrSuiteNotAccepted) {
		t.Fatalf("lenient: verified=%v err=%v proofs=%+v", res.Verified, err, res.Proofs)
	}
	// ... but never a failing proof of a suite it accepts.
	bad := with(doc, "proof", []any{setProof(with(doc, "proof", doc["proof"].([]any)[0]), "nonce", "x")["proof"], doc["proof"].([]any)[1]})
	res, err = verifyOne(t, lenient, bad, keys, VerifyOptions{})
	if res.Verified || !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("lenient with a failing known proof: verified=%v err=%v", res.Verified, err)
	}
	// An unknown suite's proof is ignored however malformed, but a junk
	// entry is not an unknown suite.
	odd := with(doc, "proof", []any{doc["proof"].([]any)[0], map[string]any{"type": "RsaSignature2018", "jws": "x"}})
	if res, err := verifyOne(t, lenient, odd, keys, VerifyOptions{}); err != nil || !res.Verified || !errors.Is(res.Warnings()[0], ErrUnsupportedSuite) {
		t.Fatalf("lenient with a malformed unknown proof: %v", err)
	}
	junk := with(doc, "proof", []any{doc["proof"].([]any)[0], "junk"})
	if res, err := verifyOne(t, lenient, junk, keys, VerifyOptions{}); res.Verified || !errors.Is(err, ErrMalformedProof) {
		t.Fatalf("lenient with a junk entry: %v", err)
	}
	// A replayed signature under changed options fails even inside a set
	// (the canonical forms of the two proof configurations differ).
	p0 := doc["proof"].([]any)[0].(map[string]any)
	replay := with(doc, "proof", []any{p0, with(p0, "domain", "evil.example")})
	res, err = verifyOne(t, rdfcOnly, replay, keys, VerifyOptions{})
	if res.Verified || !res.Proofs[0].Verified || !errors.Is(res.Proofs[1].Err, ErrInvalidSignature) {
		t.Fatalf("replayed signature: verified=%v err=%v", res.Verified, err)
	}
	// ... and not when no proof is left.
	onlyUnknown := with(doc, "proof", doc["proof"].([]any)[1])
	res, err = verifyOne(t, lenient, onlyUnknown, keys, VerifyOptions{})
	if res.Verified || !errors.Is(err, ErrNoProof) {
		t.Fatalf("lenient with only unknown proofs: verified=%v err=%v", res.Verified, err)
	}
	// Each proof of a set is over the document without any proof: the
	// same proof moved into a set with a foreign one still verifies, and
	// removing a proof from a set leaves the other valid.
	single := with(doc, "proof", doc["proof"].([]any)[0])
	if res, err := verifyOne(t, rdfcOnly, single, keys, VerifyOptions{}); err != nil || !res.Verified {
		t.Fatalf("proof taken out of the set: %v", err)
	}
}

func TestProofChains(t *testing.T) {
	ctx := context.Background()
	p := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{})
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	doc, err := p.addMap(ctx, sampleDoc(), ProofOptions{ID: "urn:p1"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = p.addMap(ctx, doc, ProofOptions{ID: "urn:p2"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = p.addMap(ctx, doc, ProofOptions{ID: "urn:p3", PreviousProof: []string{"urn:p1", "urn:p2"}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = p.addMap(ctx, doc, ProofOptions{ID: "urn:p4", PreviousProof: []string{"urn:p3"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := verifyOne(t, v, doc, Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
		t.Fatalf("chain: %v", err)
	}
	proofs := doc["proof"].([]any)
	p1, p2, p3, p4 := proofs[0].(map[string]any), proofs[1].(map[string]any), proofs[2].(map[string]any), proofs[3].(map[string]any)

	// Signing errors.
	if _, err := p.addMap(ctx, doc, ProofOptions{ID: "urn:p5", PreviousProof: []string{"urn:nope"}}); !errors.Is(err, ErrPreviousProof) {
		t.Errorf("missing previous proof at signing: %v", err)
	}
	if _, err := p.addMap(ctx, doc, ProofOptions{ID: "urn:p5", PreviousProof: []string{"urn:p5"}}); !errors.Is(err, ErrPreviousProof) {
		t.Errorf("self reference at signing: %v", err)
	}
	dupDoc := with(doc, "proof", []any{p1, p1})
	if _, err := p.addMap(ctx, dupDoc, ProofOptions{PreviousProof: []string{"urn:p1"}}); !errors.Is(err, ErrPreviousProof) {
		t.Errorf("ambiguous previous proof at signing: %v", err)
	}

	cases := []struct {
		name  string
		set   []any
		index int
		want  error
	}{
		// p3 names p1 and p2: without p2 in the document the chain is broken.
		{"previous proof missing", []any{p1, p3}, 1, ErrPreviousProof},
		// p4 names only p3: the document carries extra proofs, which are
		// not part of what p4 signed, so p4 still verifies; but a proof that
		// names more proofs than it signed does not.
		{"extra reference", []any{p1, p2, p3, setProof(with(sampleDoc(), "proof", p4), "previousProof", []any{"urn:p3", "urn:p1"})["proof"]}, 3, ErrInvalidSignature},
		{"reference dropped", []any{p1, p2, setProof(with(sampleDoc(), "proof", p3), "previousProof", "urn:p1")["proof"]}, 2, ErrInvalidSignature},
		{"self reference", []any{setProof(with(sampleDoc(), "proof", p1), "previousProof", "urn:p1")["proof"]}, 0, ErrPreviousProof},
		{"cycle", []any{setProof(with(sampleDoc(), "proof", p1), "previousProof", "urn:p2")["proof"], setProof(with(sampleDoc(), "proof", p2), "previousProof", "urn:p1")["proof"]}, 0, ErrPreviousProof},
		{"ambiguous id", []any{p1, p2, p3, with(p2, "nonce", "dup")}, 2, ErrPreviousProof},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := v.verifyMap(ctx, with(doc, "proof", tc.set), Key(testPub), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verified || !errors.Is(res.Proofs[tc.index].Err, tc.want) {
				t.Fatalf("verified=%v proof %d err=%v, want %v", res.Verified, tc.index, res.Proofs[tc.index].Err, tc.want)
			}
		})
	}
	// A chained proof fails when a proof it names fails, transitively.
	exp, err := p.addMap(ctx, sampleDoc(), ProofOptions{ID: "urn:e1", Expires: testTime.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	exp, err = p.addMap(ctx, exp, ProofOptions{ID: "urn:e2", PreviousProof: []string{"urn:e1"}})
	if err != nil {
		t.Fatal(err)
	}
	exp, err = p.addMap(ctx, exp, ProofOptions{ID: "urn:e3", PreviousProof: []string{"urn:e2"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := verifyOne(t, v, exp, Key(testPub), VerifyOptions{Now: testTime.Add(30 * time.Minute)}); err != nil || !res.Verified {
		t.Fatalf("chain before expiry: %v", err)
	}
	res, err := v.verifyMap(ctx, exp, Key(testPub), VerifyOptions{Now: testTime.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verified || !errors.Is(res.Proofs[0].Err, ErrProofExpired) || !errors.Is(res.Proofs[1].Err, ErrPreviousProof) || !errors.Is(res.Proofs[2].Err, ErrPreviousProof) {
		t.Fatalf("chain after expiry of its first proof: %+v", res.Proofs)
	}
	// Extra proofs in the document do not affect a chained proof.
	extra := with(doc, "proof", []any{p1, p2, p3, p4, signedProof(t, "urn:p9")})
	if res, err := verifyOne(t, v, extra, Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
		t.Fatalf("extra independent proof: %v", err)
	}
}

func signedProof(t *testing.T, id string) any {
	t.Helper()
	doc, err := newTestProver(t, SuiteEdDSARDFC2022, jcsCanonicalizer{}).addMap(context.Background(), sampleDoc(), ProofOptions{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return doc["proof"]
}

func TestProblemType(t *testing.T) {
	for err, want := range map[error]string{
		nil:                  "",
		ErrUnsupportedSuite:  ProblemProofVerification,
		ErrSuiteNotAccepted:  ProblemProofVerification,
		ErrMalformedProof:    ProblemMalformedValue,
		ErrInvalidSignature:  ProblemProofVerification,
		ErrInvalidKey:        ProblemCryptographicSecurity,
		ErrKeyResolution:     ProblemProofVerification,
		ErrProofExpired:      ProblemProofVerification,
		ErrCreatedInFuture:   ProblemProofVerification,
		ErrDomainMismatch:    ProblemInvalidDomain,
		ErrChallengeMismatch: ProblemInvalidChallenge,
		ErrPurposeMismatch:   ProblemProofVerification,
		ErrPreviousProof:     ProblemProofVerification,
		ErrTransformation:    ProblemProofTransformation,
		ErrProofGeneration:   ProblemProofGeneration,
		ErrNoProof:           ProblemProofVerification,
		errors.New("other"):  ProblemProofVerification,
	} {
		if got := ProblemType(err); got != want {
			t.Errorf("ProblemType(%v) = %q, want %q", err, got, want)
		}
	}
	// A proof @context that is not a prefix of the document's is an
	// ErrMalformedProof, but, as the spec says "set verified to false", a
	// verification failure.
	notPrefix := proofErr(0, "@context", ErrMalformedProof, "", errContextNotPrefix)
	if got := ProblemType(notPrefix); got != ProblemProofVerification {
		t.Errorf("ProblemType(%v) = %q, want %q", notPrefix, got, ProblemProofVerification)
	}
}

func TestDecodeProofValue(t *testing.T) {
	sig := make([]byte, 64)
	for i := range sig {
		sig[i] = byte(i * 7)
	}
	enc := EncodeProofValue(sig)
	got, err := DecodeProofValue(enc, 64)
	if err != nil || string(got) != string(sig) {
		t.Fatalf("round trip: %v", err)
	}
	zero := EncodeProofValue(make([]byte, 64)) // leading zero bytes are '1's
	if got, err := DecodeProofValue(zero, 64); err != nil || len(got) != 64 {
		t.Fatalf("zero signature: %q %v", zero, err)
	}
	for _, s := range []string{"", "z", "Z" + enc[1:], "u" + enc[1:], enc + "1", enc[:len(enc)-1], "z0OIl", "z" + strings.Repeat("z", 300), enc + " "} {
		if _, err := DecodeProofValue(s, 64); !errors.Is(err, ErrMalformedProof) {
			t.Errorf("DecodeProofValue(%.40q) err = %v", s, err)
		}
	}
}

// A nil *jsonld.Processor in the config means the default processor, not a
// nil-pointer call.
func TestTypedNilProcessor(t *testing.T) {
	realProcessor(t) // skips while jsonld does not work
	var proc *jsonld.Processor
	doc := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"issuer":            "did:example:issuer",
		"credentialSubject": map[string]any{"id": "did:example:subject"},
	}
	p, err := NewProver(ProverConfig{Suite: SuiteEdDSARDFC2022, Key: testKey, VerificationMethod: testVM, Processor: proc})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := p.addMap(context.Background(), doc, ProofOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: proc})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := verifyOne(t, v, signed, Key(testPub), VerifyOptions{}); err != nil || !res.Verified {
		t.Fatalf("default processor: %v", err)
	}
}

// VC Data Integrity: "Time values that are incorrectly serialized without an
// offset MUST be interpreted as UTC."
func TestCreatedWithoutOffset(t *testing.T) {
	doc := sampleDoc()
	proof := map[string]any{
		"type": TypeDataIntegrityProof, "cryptosuite": string(SuiteEdDSARDFC2022), "verificationMethod": testVM,
		"proofPurpose": "assertionMethod", "created": "2024-05-01T12:00:00", "expires": "2024-05-02T12:00:00.5",
	}
	proof, err := suiteProof(t, builtinSuites[0], &Env{doc: tree(t, doc), rdf: jcsCanonicalizer{}}, proof)
	require.NoError(t, err)
	v := newTestVerifier(t, jcsCanonicalizer{}, SuiteEdDSARDFC2022)
	res, err := verifyOne(t, v, with(doc, "proof", proof), Key(testPub), VerifyOptions{})
	if err != nil || !res.Verified {
		t.Fatal(err)
	}
	if !res.Proofs[0].Created.Equal(testTime) || !res.Proofs[0].Expires.Equal(testTime.Add(24*time.Hour+500*time.Millisecond)) {
		t.Errorf("created %v expires %v", res.Proofs[0].Created, res.Proofs[0].Expires)
	}
	for _, bad := range []string{"2024-05-01", "2024-05-01T24:00:00Z", "12024-05-01T12:00:00Z", "2024-05-01 12:00:00Z", "2024-13-01T12:00:00Z"} {
		if _, err := parseDateTime(bad); err == nil {
			t.Errorf("parseDateTime(%q) accepted", bad)
		}
	}
}
