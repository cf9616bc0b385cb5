package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"strings"
	"testing"

	"github.com/microcred/openbadges/did"
)

// benchDoc is /work/shared/bench/ob3-sample.json with ISSUER_DID replaced
// by the did:key of the benchmark key.
func benchDoc(b *testing.B) ([]byte, ed25519.PrivateKey, string) {
	b.Helper()
	key := ed25519.NewKeyFromSeed(testSeed)
	didKey, vm, err := did.NewKeyDID(key.Public())
	if err != nil {
		b.Fatal(err)
	}
	data := strings.ReplaceAll(string(benchSample(b)), "ISSUER_DID", didKey)
	return []byte(data), key, vm
}

func benchSign(b *testing.B, suite SuiteName, canon Canonicalizer) {
	doc, key, vm := benchDoc(b)
	p, err := NewProver(ProverConfig{Suite: suite, Key: key, VerificationMethod: vm, Processor: canon, Now: fixedClock(testTime)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.AddProof(ctx, doc, ProofOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, suite SuiteName, canon Canonicalizer) {
	doc, key, vm := benchDoc(b)
	p, err := NewProver(ProverConfig{Suite: suite, Key: key, VerificationMethod: vm, Processor: canon, Now: fixedClock(testTime)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	signed, err := p.AddProof(ctx, doc, ProofOptions{})
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(VerifierConfig{Suites: []SuiteName{suite}, Processor: canon, Now: fixedClock(testTime)})
	if err != nil {
		b.Fatal(err)
	}
	keys := StaticKeys(map[string]crypto.PublicKey{vm: key.Public()})
	b.ReportAllocs()
	for b.Loop() {
		res, err := v.Verify(ctx, signed, keys, VerifyOptions{})
		if err != nil || !res.Verified {
			b.Fatal(err, res.Err())
		}
	}
}

// The issue path target is ≤ 100 µs per credential.
func BenchmarkSignRDFC(b *testing.B)   { benchSign(b, SuiteEdDSARDFC2022, realProcessor(b)) }
func BenchmarkVerifyRDFC(b *testing.B) { benchVerify(b, SuiteEdDSARDFC2022, realProcessor(b)) }
func BenchmarkSignJCS(b *testing.B)    { benchSign(b, SuiteEdDSAJCS2022, nil) }
func BenchmarkVerifyJCS(b *testing.B)  { benchVerify(b, SuiteEdDSAJCS2022, nil) }
