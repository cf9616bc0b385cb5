package dataintegrity

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/microcred/openbadges/did"
	"github.com/stretchr/testify/require"
)

// The proof's own @context. VC-DI-EdDSA "Verify Proof (eddsa-jcs-2022)"
// steps 4.1–4.2: when the proof has an @context, the document's @context
// must start with all of its values, in the same order, or the proof does
// not verify; the document is then canonicalized under the proof's
// @context. The RDFC suites' proof configuration takes the document's
// @context instead of the proof's, so their signature does not cover the
// proof's @context at all: this package holds eddsa-rdfc-2022 and
// eddsa-2022 to the same prefix rule, so that a proof @context added or
// changed after signing cannot give the proof, read as JSON-LD, terms other
// than the ones that were signed.

const (
	ctxV2       = "https://www.w3.org/ns/credentials/v2"
	ctxExamples = "https://www.w3.org/ns/credentials/examples/v2"
	ctxOther    = "https://w3id.org/security/data-integrity/v2"
)

// docContext is sampleDoc's @context: v2, examples, ed25519-2020.
func docContext() []any { return slices.Clone(sampleDoc()["@context"].([]any)) }

// signedDoc signs doc with suite over the JCS stand-in for RDFC-1.0. The
// verification-only eddsa-2022 is signed through a copy of its suite that
// may sign (the algorithm is eddsa-rdfc-2022's, under another name).
func signedDoc(t *testing.T, suite SuiteName, doc map[string]any) map[string]any {
	t.Helper()
	if suite != SuiteEdDSA2022 {
		out, err := newTestProver(t, suite, jcsCanonicalizer{}).addMap(context.Background(), doc, ProofOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	s := *builtinSuite(t, SuiteEdDSA2022)
	s.verifyOnly = false
	proof := map[string]any{
		"type": TypeDataIntegrityProof, "cryptosuite": string(SuiteEdDSA2022), "created": formatTime(testTime),
		"verificationMethod": testVM, "proofPurpose": DefaultProofPurpose,
	}
	proof, err := suiteProof(t, &s, &Env{doc: tree(t, doc), rdf: jcsCanonicalizer{}}, proof)
	require.NoError(t, err)
	return with(doc, "proof", proof)
}

func builtinSuite(t *testing.T, name SuiteName) *eddsaSuite {
	t.Helper()
	for _, s := range builtinSuites {
		if SuiteName(s.Name()) == name {
			return s.(*eddsaSuite)
		}
	}
	t.Fatalf("no built-in suite %s", name)
	return nil
}

// checkContextVerdict verifies doc and checks the outcome: verified when
// want is nil, otherwise a failure wrapping want. For errContextNotPrefix
// that is an ErrMalformedProof on proof[0].@context, reported as
// PROOF_VERIFICATION_ERROR (the spec says "set verified to false"), and
// not a signature failure: the check comes before the hash.
func checkContextVerdict(t *testing.T, suite SuiteName, doc map[string]any, want error) {
	t.Helper()
	v := newTestVerifier(t, jcsCanonicalizer{}, suite)
	res, err := v.verifyMap(context.Background(), doc, Key(testPub), VerifyOptions{})
	if err != nil {
		t.Fatalf("document-level error: %v", err)
	}
	if want == nil {
		if !res.Verified {
			t.Fatalf("not verified: %v", res.Err())
		}
		return
	}
	if res.Verified {
		t.Fatalf("verified, want %v", want)
	}
	got := res.Proofs[0].Err
	if !errors.Is(got, want) {
		t.Fatalf("err = %v, want %v", got, want)
	}
	if want != errContextNotPrefix {
		return
	}
	var pe *ProofError
	if !errors.As(got, &pe) || pe.Index != 0 || pe.Field != "@context" || pe.Kind != ErrMalformedProof {
		t.Errorf("not an ErrMalformedProof on proof[0].@context: %#v", got)
	}
	if p := ProblemType(got); p != ProblemProofVerification {
		t.Errorf("ProblemType = %s, want %s", p, ProblemProofVerification)
	}
	if errors.Is(got, ErrInvalidSignature) {
		t.Errorf("err %v is also a signature failure", got)
	}
	if !strings.Contains(got.Error(), "not a prefix of the document's @context") {
		t.Errorf("error text %q does not say what is wrong", got)
	}
}

// Proof @context values that are not a prefix of the document's
// [v2, examples, ed25519-2020].
func notPrefixes() map[string]any {
	d := docContext()
	return map[string]any{
		"another context":           ctxOther,
		"another list":              []any{ctxV2, ctxOther},
		"reverse order":             []any{d[2], d[1], d[0]},
		"first two swapped":         []any{d[1], d[0]},
		"a later entry alone":       ctxExamples,
		"an entry skipped":          []any{d[0], d[2]},
		"one extra at the end":      append(docContext(), ctxOther),
		"one extra at the start":    append([]any{ctxOther}, docContext()...),
		"an inline context":         map[string]any{"@vocab": "https://attacker.example/#"},
		"prefix then inline":        []any{ctxV2, map[string]any{"proofPurpose": "https://attacker.example/#p"}},
		"null (resets the context)": nil,
		"a number":                  1.0,
	}
}

// Proof @context values that are a prefix of the document's.
func prefixes() map[string]any {
	d := docContext()
	return map[string]any{
		"equal":                  d,
		"first two":              []any{d[0], d[1]},
		"first only, as a list":  []any{ctxV2},
		"first only, as string":  ctxV2,
		"empty list (no values)": []any{},
	}
}

// The RDFC suites: a proof @context that is not a prefix of the
// document's fails, whether added after signing (the signer wrote none) or
// changed from one the proof carried when it was signed; a prefix verifies.
func TestProofContextRDFC(t *testing.T) {
	for _, suite := range []SuiteName{SuiteEdDSARDFC2022, SuiteEdDSA2022} {
		t.Run(string(suite), func(t *testing.T) {
			plain := signedDoc(t, suite, sampleDoc())
			checkContextVerdict(t, suite, plain, nil)
			proof := plain["proof"].(map[string]any)
			if _, ok := proof["@context"]; ok {
				t.Fatalf("the %s signer wrote a proof @context", suite)
			}

			// What the suite hashes: the proof configuration under the
			// document's @context, whatever the proof's own. Signing with
			// a proof @context present gives the very same proofValue, so
			// adding one after signing is the same as signing with it.
			withCtx := sampleDoc()
			s := *builtinSuite(t, suite)
			s.verifyOnly = false
			opts := without(proof, "proofValue")
			opts["@context"] = docContext()
			opts, err := suiteProof(t, &s, &Env{doc: tree(t, withCtx), rdf: jcsCanonicalizer{}}, opts)
			require.NoError(t, err)
			if opts["proofValue"] != proof["proofValue"] {
				t.Fatalf("a proof @context changed the signature: %v vs %v", opts["proofValue"], proof["proofValue"])
			}
			signedWithCtx := with(sampleDoc(), "proof", opts)
			checkContextVerdict(t, suite, signedWithCtx, nil)

			for name, pc := range notPrefixes() {
				t.Run("added/"+name, func(t *testing.T) {
					checkContextVerdict(t, suite, setProof(plain, "@context", pc), errContextNotPrefix)
				})
				t.Run("changed/"+name, func(t *testing.T) {
					checkContextVerdict(t, suite, setProof(signedWithCtx, "@context", pc), errContextNotPrefix)
				})
			}
			for name, pc := range prefixes() {
				t.Run("prefix/"+name, func(t *testing.T) {
					checkContextVerdict(t, suite, setProof(plain, "@context", pc), nil)
				})
			}
			// The document's @context as a single string: a proof @context
			// of that string, or of a list holding only it, is a prefix.
			single := sampleDoc()
			single["@context"] = ctxV2
			singleSigned := signedDoc(t, suite, single)
			checkContextVerdict(t, suite, setProof(singleSigned, "@context", ctxV2), nil)
			checkContextVerdict(t, suite, setProof(singleSigned, "@context", []any{ctxV2}), nil)
			checkContextVerdict(t, suite, setProof(singleSigned, "@context", []any{ctxV2, ctxExamples}), errContextNotPrefix)
			// A proof @context on a document without one.
			bare := signedDoc(t, suite, without(sampleDoc(), "@context"))
			checkContextVerdict(t, suite, bare, nil)
			checkContextVerdict(t, suite, setProof(bare, "@context", []any{}), errContextNotPrefix)
			checkContextVerdict(t, suite, setProof(bare, "@context", ctxV2), errContextNotPrefix)
			// The document's own @context still matters as before.
			checkContextVerdict(t, suite, with(setProof(plain, "@context", ctxV2), "@context", []any{ctxV2, ctxExamples}), ErrInvalidSignature)
		})
	}
}

// The same with the JSON-LD processor, on the W3C eddsa-rdfc-2022 vector.
func TestProofContextRDFCVector(t *testing.T) {
	ref := refDir(t)
	proc := realProcessor(t)
	signed := readJSON(t, filepath.Join(ref, vdi, "eddsa-rdfc-2022", "signedDataInt.json"))
	_, pub, _ := vectorKey(t, ref, "keyPair.json", "")
	v, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: proc})
	if err != nil {
		t.Fatal(err)
	}
	dc := signed["@context"].([]any) // [credentials/v2, credentials/examples/v2]
	for _, tc := range []struct {
		name string
		pc   any
		ok   bool
	}{
		{"equal", slices.Clone(dc), true},
		{"strict prefix", []any{dc[0]}, true},
		{"strict prefix as a string", dc[0], true},
		{"reverse order", []any{dc[1], dc[0]}, false},
		{"extra context", append(slices.Clone(dc), ctxOther), false},
		{"another context", ctxOther, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := v.verifyMap(context.Background(), setProof(signed, "@context", tc.pc), Key(pub), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.ok && !res.Verified {
				t.Fatalf("not verified: %v", res.Err())
			}
			if !tc.ok && (res.Verified || !errors.Is(res.Err(), errContextNotPrefix)) {
				t.Fatalf("verified=%v err=%v, want errContextNotPrefix", res.Verified, res.Err())
			}
		})
	}
}

// eddsa-jcs-2022: the signer writes the document's @context into the
// proof, and it is signed; the document is canonicalized under it.
func TestProofContextJCS(t *testing.T) {
	const suite = SuiteEdDSAJCS2022
	doc := signedDoc(t, suite, sampleDoc())
	checkContextVerdict(t, suite, doc, nil)
	if got := doc["proof"].(map[string]any)["@context"]; !slices.Equal(got.([]any), docContext()) {
		t.Fatalf("proof @context = %v, want the document's", got)
	}
	for name, pc := range notPrefixes() {
		t.Run("changed/"+name, func(t *testing.T) {
			checkContextVerdict(t, suite, setProof(doc, "@context", pc), errContextNotPrefix)
		})
	}
	// Changed to a strict prefix: the document is then canonicalized under
	// that prefix, which is not what was signed.
	for name, pc := range prefixes() {
		if name == "equal" {
			continue
		}
		t.Run("changed to a prefix/"+name, func(t *testing.T) {
			checkContextVerdict(t, suite, setProof(doc, "@context", pc), ErrInvalidSignature)
		})
	}
	// Removed: the proof configuration then lacks it.
	checkContextVerdict(t, suite, delProof(doc, "@context"), ErrInvalidSignature)

	// A proof signed over a shorter @context verifies once contexts are
	// appended to the document's: its @context is then a strict prefix.
	short := sampleDoc()
	short["@context"] = []any{ctxV2, ctxExamples}
	shortSigned := signedDoc(t, suite, short)
	checkContextVerdict(t, suite, with(shortSigned, "@context", docContext()), nil)
	checkContextVerdict(t, suite, with(shortSigned, "@context", []any{ctxExamples, ctxV2, ctxOther}), errContextNotPrefix)
	// A single string equals a list of that one string.
	single := sampleDoc()
	single["@context"] = ctxV2
	singleSigned := signedDoc(t, suite, single)
	if pc := singleSigned["proof"].(map[string]any)["@context"]; pc != ctxV2 {
		t.Fatalf("proof @context = %v", pc)
	}
	checkContextVerdict(t, suite, singleSigned, nil)
	checkContextVerdict(t, suite, with(singleSigned, "@context", []any{ctxV2, ctxExamples}), nil)
	checkContextVerdict(t, suite, with(singleSigned, "@context", []any{ctxExamples}), errContextNotPrefix)
	// A proof @context on a document without one.
	checkContextVerdict(t, suite, without(doc, "@context"), errContextNotPrefix)
}

// Ed25519Signature2020 keeps its specification's rule: the proof
// configuration takes the document's @context, and nothing is said of a
// proof's own, so a proof @context is neither checked nor signed (as
// before); what such a proof means is the document's @context.
func TestProofContextEd25519Signature2020(t *testing.T) {
	const suite = SuiteEd25519Signature2020
	doc := signedDoc(t, suite, sampleDoc())
	checkContextVerdict(t, suite, doc, nil)
	checkContextVerdict(t, suite, setProof(doc, "@context", docContext()), nil)
	checkContextVerdict(t, suite, setProof(doc, "@context", did.ContextEd25519), nil)
}
