package verifier_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
)

// signedScaled returns the shared benchmark sample with n alignments
// (distinct blank nodes) in its achievement, signed by the key of seed 1,
// and the number of statements of the unsigned document.
func signedScaled(b testing.TB, n int, id string) ([]byte, int) {
	b.Helper()
	return signedScaledBy(b, 1, n, id)
}

// signedScaledBy is signedScaled with the key testKey(seed).
func signedScaledBy(b testing.TB, seed byte, n int, id string) ([]byte, int) {
	b.Helper()
	sample := benchSample(b)
	priv, d, vm := testKey(seed)
	var doc map[string]any
	if err := json.Unmarshal(replaceIssuer(sample, d), &doc); err != nil {
		b.Fatal(err)
	}
	if id != "" {
		doc["id"] = id
	}
	ach := doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	list := make([]any, n)
	for i := range list {
		list[i] = map[string]any{
			"type":            []any{"Alignment"},
			"targetName":      fmt.Sprintf("Skill %d", i),
			"targetUrl":       fmt.Sprintf("https://example.org/frameworks/skills/%d", i),
			"targetFramework": "Example Skills Framework",
			"targetType":      "CFItem",
		}
	}
	ach["alignment"] = list
	data, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	p, err := jsonld.NewProcessor(jsonld.Config{})
	if err != nil {
		b.Fatal(err)
	}
	quads, err := p.ToRDFBytes(context.Background(), data)
	if err != nil {
		b.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		b.Fatal(err)
	}
	signed, err := is.IssueJSON(context.Background(), data)
	if err != nil {
		b.Fatal(err)
	}
	return signed, len(quads)
}

// BenchmarkVerifyScale verifies the sample with 1, 10 and 100 alignments
// and reports the time per statement (ns/quad): it should stay roughly
// constant as the document grows.
func BenchmarkVerifyScale(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("alignments=%d", n), func(b *testing.B) {
			signed, quads := signedScaled(b, n, "")
			v := newVerifier(b, nil)
			if r := verify(b, v, signed); !r.Verified {
				b.Fatal(r.Summary())
			}
			ctx := context.Background()
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
			b.ReportMetric(float64(quads), "quads")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(quads), "ns/quad")
		})
	}
}

// BenchmarkVerifyOB3Parallel verifies the sample from GOMAXPROCS goroutines
// sharing one Verifier: compare the ns/op of -cpu 1 and -cpu 2 for the
// scaling with cores.
func BenchmarkVerifyOB3Parallel(b *testing.B) {
	signed, _ := signedScaled(b, 1, "")
	v := newVerifier(b, nil)
	if r := verify(b, v, signed); !r.Verified {
		b.Fatal(r.Summary())
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpumeter.Start()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			r, err := v.Verify(ctx, signed)
			if err != nil || !r.Verified {
				b.Error(err, r.Summary())
				return
			}
		}
	})
	cpu.Report(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}

// TestVerifyMemoryFlat verifies 20,000 credentials (each with its own id,
// so nothing is served from a per-document cache) with one Verifier and
// checks that the live heap does not grow: the caches (processed contexts,
// did:key documents, pooled scratch memory) are bounded. Skipped with
// -short; the heap is reported with -v.
func TestVerifyMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 verifications; skipped with -short")
	}
	const n, distinct = 20000, 64
	creds := make([][]byte, distinct)
	for i := range creds {
		creds[i], _ = signedScaled(t, 1+i%8, fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i))
	}
	v := newVerifier(t, nil)
	ctx := context.Background()
	run := func(from, to int) {
		for i := from; i < to; i++ {
			r, err := v.Verify(ctx, creds[i%distinct])
			if err != nil || !r.Verified {
				t.Fatalf("credential %d: %v %s", i, err, r.Summary())
			}
		}
	}
	run(0, 1000) // warm: contexts processed, pools filled
	base := liveHeap()
	run(1000, n)
	after := liveHeap()
	t.Logf("live heap after 1,000 verifications: %d KB; after %d: %d KB", base/1024, n, after/1024)
	if after > base+2<<20 {
		t.Fatalf("live heap grew from %d KB to %d KB over %d verifications", base/1024, after/1024, n-1000)
	}
}

// BenchmarkVerifyMemoryFlat verifies b.N credentials in a loop with one
// Verifier and reports the live heap after a warm-up of 1,000 and after all
// b.N (run it with -benchtime=100000x). The 64 credentials cycled through
// are signed by 48 different keys, more than the Ed25519 table cache holds,
// so its eviction runs too.
func BenchmarkVerifyMemoryFlat(b *testing.B) {
	const distinct = 64
	creds := make([][]byte, distinct)
	for i := range creds {
		creds[i], _ = signedScaledBy(b, byte(1+i%48), 1+i%8, fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i))
	}
	v := newVerifier(b, nil)
	ctx := context.Background()
	for i := range 1000 {
		if r, err := v.Verify(ctx, creds[i%distinct]); err != nil || !r.Verified {
			b.Fatalf("credential %d: %v %s", i, err, r.Summary())
		}
	}
	base := liveHeap()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if r, err := v.Verify(ctx, creds[i%distinct]); err != nil || !r.Verified {
			b.Fatalf("credential %d: %v %s", i, err, r.Summary())
		}
		i++
	}
	b.StopTimer()
	after := liveHeap()
	b.ReportMetric(float64(base)/1024, "heap-KB-warm")
	b.ReportMetric(float64(after)/1024, "heap-KB-after")
	if after > base+4<<20 {
		b.Fatalf("live heap grew from %d KB to %d KB over %d verifications", base/1024, after/1024, b.N)
	}
}

// liveHeap returns the bytes of live heap after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
