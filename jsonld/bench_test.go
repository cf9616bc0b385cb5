package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/microcred/openbadges/internal/cpumeter"

	"github.com/piprate/json-gold/ld"
)

// BenchmarkCanonicalizeOB3 measures Processor.Canonicalize (strict JSON
// parse, safe-mode expansion with cached embedded contexts, toRDF, RDFC-1.0)
// on the shared OB 3.0 sample.
func BenchmarkCanonicalizeOB3(b *testing.B) {
	doc := benchSample(b)
	p := embeddedProcessor(b)
	ctx := context.Background()
	if _, err := p.Canonicalize(ctx, doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := p.Canonicalize(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkToRDFOB3 is the JSON-LD part alone (no RDFC-1.0).
func BenchmarkToRDFOB3(b *testing.B) {
	doc := benchSample(b)
	p, _ := NewProcessor(Config{})
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := p.ToRDFBytes(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkJSONGoldNormalizeOB3 is json-gold's Normalize (URDNA2015) on the
// same document with a loader serving the same embedded contexts, for
// comparison. The JSON decoding is included, as in ours.
func BenchmarkJSONGoldNormalizeOB3(b *testing.B) {
	doc := benchSample(b)
	opts := goldOptions(Embedded())
	// json-gold's own caching loader, so it does not re-parse contexts.
	opts.DocumentLoader = ld.NewCachingDocumentLoader(goldLoader{Embedded()})
	proc := ld.NewJsonLdProcessor()
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	cpu := cpumeter.Start()
	defer cpu.Report(b)
	for b.Loop() {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
		if _, err := proc.Normalize(v, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonicalizeValueOB3 is Canonicalize for the sample already
// decoded (as credential.Parse leaves it, numbers as json.Number): what
// Data Integrity proofs over a parsed credential cost.
func BenchmarkCanonicalizeValueOB3(b *testing.B) {
	data := benchSample(b)
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		b.Fatal(err)
	}
	p := embeddedProcessor(b)
	ctx := context.Background()
	if _, err := p.CanonicalizeValue(ctx, doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := p.CanonicalizeValue(ctx, doc); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}
