package verifier_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/issuer"
)

// BenchmarkVerifyOB3 verifies the shared sample badge
// (../shared/bench/ob3-sample.json, signed with eddsa-rdfc-2022 by a
// did:key) on one goroutine with the default, offline configuration: every
// check of Verify.
func BenchmarkVerifyOB3(b *testing.B) {
	sample := benchSample(b)
	priv, d, vm := testKey(1)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		b.Fatal(err)
	}
	signed, err := is.IssueJSON(context.Background(), bytes.ReplaceAll(sample, []byte("ISSUER_DID"), []byte(d)))
	if err != nil {
		b.Fatal(err)
	}
	v := newVerifier(b, nil)
	ctx := context.Background()
	if r := verify(b, v, signed); !r.Verified {
		b.Fatal(r.Summary())
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpumeter.Start()
	for b.Loop() {
		r, err := v.Verify(ctx, signed)
		if err != nil || !r.Verified {
			b.Fatal(err, r.Summary())
		}
	}
	cpu.Report(b)
}

// benchSample returns ../shared/bench/ob3-sample.json (beside the module
// root), or skips.
func benchSample(b testing.TB) []byte {
	b.Helper()
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			b.Skip("module root not found")
		}
		dir = filepath.Dir(dir)
	}
	sample, err := os.ReadFile(filepath.Join(dir, "..", "shared", "bench", "ob3-sample.json"))
	if err != nil {
		b.Skipf("benchmark sample not available: %v", err)
	}
	return sample
}

// replaceIssuer puts the issuer DID into the sample.
func replaceIssuer(sample []byte, did string) []byte {
	return bytes.ReplaceAll(sample, []byte("ISSUER_DID"), []byte(did))
}

// BenchmarkVerifyOB3NewSecond is BenchmarkVerifyOB3 over 64 copies of the
// sample signed one second apart, verified in turn, so that no two
// consecutive proofs share a configuration and the Verifier's memo of the
// canonical proof configuration never hits: the cost of verifying one
// credential on its own.
func BenchmarkVerifyOB3NewSecond(b *testing.B) {
	sample := benchSample(b)
	priv, d, vm := testKey(1)
	creds := make([][]byte, 64)
	for i := range creds {
		is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow.Add(-time.Duration(i) * time.Second))})
		if err != nil {
			b.Fatal(err)
		}
		if creds[i], err = is.IssueJSON(context.Background(), replaceIssuer(sample, d)); err != nil {
			b.Fatal(err)
		}
	}
	v := newVerifier(b, nil)
	ctx := context.Background()
	for _, c := range creds {
		if r := verify(b, v, c); !r.Verified {
			b.Fatal(r.Summary())
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpumeter.Start()
	i := 0
	for b.Loop() {
		r, err := v.Verify(ctx, creds[i%len(creds)])
		if err != nil || !r.Verified {
			b.Fatal(err, r.Summary())
		}
		i++
	}
	cpu.Report(b)
}
