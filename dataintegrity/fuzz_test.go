package dataintegrity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func FuzzDecodeProofValue(f *testing.F) {
	sig := make([]byte, 64)
	for i := range sig {
		sig[i] = byte(255 - i)
	}
	f.Add(EncodeProofValue(sig))
	f.Add(EncodeProofValue(make([]byte, 64)))
	f.Add("z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme")
	f.Add("uAAAA")
	f.Add("z0OIl")
	f.Add("z")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeProofValue(s, 64)
		if err != nil {
			if !errors.Is(err, ErrMalformedProof) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(b) != 64 {
			t.Fatalf("decoded %d bytes", len(b))
		}
		// base58btc has one encoding per byte string.
		if EncodeProofValue(b) != s {
			t.Fatalf("non-canonical encoding %q accepted", s)
		}
	})
}

// FuzzVerifyProof verifies random proof objects over a fixed document with
// every suite accepted: it must never panic, must never verify a proof the
// fuzzer made up, and must never verify a proof of a suite that reads the
// proof's @context when that @context is not a prefix of the document's.
func FuzzVerifyProof(f *testing.F) {
	for _, suite := range []SuiteName{SuiteEdDSARDFC2022, SuiteEdDSAJCS2022, SuiteEd25519Signature2020} {
		doc, err := newTestProver(f, suite, jcsCanonicalizer{}).addMap(context.Background(), sampleDoc(), ProofOptions{ID: "urn:p1", Domain: []string{"d"}})
		if err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(doc["proof"])
		f.Add(b)
		// Valid proofs with an @context of their own: the document's, a
		// strict prefix of it, and values that are not prefixes.
		dc := sampleDoc()["@context"].([]any)
		for _, pc := range []any{dc, dc[:1], dc[0], []any{dc[1], dc[0]}, "https://w3id.org/security/data-integrity/v2", nil} {
			b, _ := json.Marshal(with(doc["proof"].(map[string]any), "@context", pc))
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","id":"a","previousProof":"b"},{"id":"b","previousProof":["a"]}]`))
	f.Add([]byte(`{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","@context":{"a":1},"proofValue":"z1"}`))
	f.Add([]byte(`{"type":["DataIntegrityProof"],"created":"2024-99-99T00:00:00Z","domain":[null]}`))
	f.Add([]byte(`"proof"`))
	f.Add([]byte(`[]`))
	v, err := NewVerifier(VerifierConfig{
		Suites:    []SuiteName{SuiteEdDSARDFC2022, SuiteEdDSAJCS2022, SuiteEd25519Signature2020, SuiteEdDSA2022},
		Processor: jcsCanonicalizer{},
		Now:       fixedClock(testTime),
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var proof any
		if err := dec.Decode(&proof); err != nil {
			return
		}
		doc := with(sampleDoc(), "proof", proof)
		res, err := v.verifyMap(context.Background(), doc, Key(testPub), VerifyOptions{})
		if err != nil {
			return
		}
		for _, p := range res.Proofs {
			if p.Err != nil && ProblemType(p.Err) == "" {
				t.Fatalf("error without a problem type: %v", p.Err)
			}
		}
		if res.Verified {
			// Only proofs made by the test key over this document verify;
			// the seeds are such proofs, as are re-orderings of their
			// members. Anything else verifying would be a forgery.
			for _, p := range res.Proofs {
				if p.Verified && p.VerificationMethod != testVM {
					t.Fatalf("verified a proof with verification method %q", p.VerificationMethod)
				}
			}
		}
		proofs, _ := proofList(tree(t, doc))
		for _, p := range res.Proofs {
			pc, has := proofs[p.Index].Get("@context")
			if p.Verified && has && p.Type == TypeDataIntegrityProof {
				dc, _ := tree(t, doc).Get("@context")
				if why := contextMismatch(dc, true, pc); why != "" {
					t.Fatalf("verified a %s proof whose @context is not a prefix of the document's (%s)", p.Cryptosuite, why)
				}
			}
		}
	})
}
