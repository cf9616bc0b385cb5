package issuer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
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
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := is.IssueJSON(ctx, data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
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
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := is.IssueJSON(ctx, data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// scaledSample is the benchmark sample with n alignments (distinct blank
// nodes) in its achievement, and the number of statements it makes.
func scaledSample(b *testing.B, did string, n int) ([]byte, int) {
	b.Helper()
	var doc map[string]any
	if err := json.Unmarshal(benchSample(b, did), &doc); err != nil {
		b.Fatal(err)
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
	return data, len(quads)
}

// BenchmarkIssueScale issues the sample with 1, 10 and 100 alignments and
// reports the time per statement (ns/quad) of the unsigned document: it
// should stay roughly constant as the document grows.
func BenchmarkIssueScale(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("alignments=%d", n), func(b *testing.B) {
			is := newIssuer(b, 1, "")
			data, quads := scaledSample(b, is.Controller(), n)
			ctx := context.Background()
			if _, err := is.IssueJSON(ctx, data); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpumeter.Start()
			for b.Loop() {
				if _, err := is.IssueJSON(ctx, data); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Report(b)
			b.ReportMetric(float64(quads), "quads")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(quads), "ns/quad")
		})
	}
}

// BenchmarkIssueBatchOB3 signs cohorts of 64 sample badges with IssueBatch
// (GOMAXPROCS workers) and reports ns per credential: compare GOMAXPROCS=1
// with 2 for the scaling. Each call wakes the cores that went idle since
// the last, which a cohort this small feels (BENCHMARKS.md).
func BenchmarkIssueBatchOB3(b *testing.B) { benchmarkIssueBatch(b, 64) }

// BenchmarkIssueChunkOB3 is BenchmarkIssueBatchOB3 with the chunks that
// package cohort hands IssueBatch when it issues a registrar's cohort
// (cohort.DefaultChunkSize credentials).
func BenchmarkIssueChunkOB3(b *testing.B) { benchmarkIssueBatch(b, 1000) }

// benchmarkIssueBatch signs cohorts of n sample badges, each with its own
// id, with IssueBatch.
func benchmarkIssueBatch(b *testing.B, cohort int) {
	is := newIssuer(b, 1, "")
	data := benchSample(b, is.Controller())
	cs := make([]*credential.Credential, cohort)
	for i := range cs {
		c, err := credential.Parse(bytes.Replace(data, []byte("credentials/3732"), []byte(fmt.Sprintf("credentials/%d", i)), 1))
		if err != nil {
			b.Fatal(err)
		}
		cs[i] = c
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpumeter.Start()
	for b.Loop() {
		for _, o := range is.IssueBatch(ctx, cs) {
			if o.Err != nil {
				b.Fatal(o.Err)
			}
		}
	}
	cpu.Report(b)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cohort), "ns/credential")
	b.ReportMetric(float64(b.N*cohort)/b.Elapsed().Seconds(), "credentials/s")
}
