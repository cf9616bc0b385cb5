package issuer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/microcred/openbadges/issuer"
)

// benchSample returns ../shared/bench/ob3-sample.json (beside the module
// root) with ISSUER_DID replaced by did, or skips.
func benchSample(b *testing.B, did string) []byte {
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
	data, err := os.ReadFile(filepath.Join(dir, "..", "shared", "bench", "ob3-sample.json"))
	if err != nil {
		b.Skipf("benchmark sample not available: %v", err)
	}
	return bytes.ReplaceAll(data, []byte("ISSUER_DID"), []byte(did))
}

// BenchmarkIssueOB3 signs the shared sample badge with eddsa-rdfc-2022 and
// the embedded contexts, on one goroutine: validation, JSON-LD expansion,
// RDFC-1.0, SHA-256 and Ed25519.
func BenchmarkIssueOB3(b *testing.B) {
	is := newIssuer(b, 1, "")
	data := benchSample(b, is.Controller())
	ctx := context.Background()
	if _, err := is.IssueJSON(ctx, data); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		if _, err := is.IssueJSON(ctx, data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// BenchmarkIssueOB3NewSecond is BenchmarkIssueOB3 with a clock that moves
// one second per credential, so that no two proofs share a created time
// and the Prover's memo of the canonical proof configuration never hits:
// the cost of signing one credential on its own.
func BenchmarkIssueOB3NewSecond(b *testing.B) {
	priv, _, vm := testKey(1)
	now := testNow
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: func() time.Time {
		now = now.Add(time.Second)
		return now
	}})
	if err != nil {
		b.Fatal(err)
	}
	data := benchSample(b, is.Controller())
	ctx := context.Background()
	if _, err := is.IssueJSON(ctx, data); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for b.Loop() {
		if _, err := is.IssueJSON(ctx, data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}
