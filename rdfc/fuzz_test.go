package rdfc

import (
	"bytes"
	"context"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Seeds: a few small documents of our own covering the grammar and the
// algorithm's paths (unique hashes, N-degree hashing, graphs, escapes).
var fuzzSeeds = []string{
	"<urn:s> <urn:p> <urn:o> .\n",
	"<urn:s> <urn:p> \"x\"@en-GB <urn:g> .\n_:b <urn:p> \"1\"^^<urn:t> _:g .\n",
	"# comment\r\n_:a <urn:p> _:b .\n_:b <urn:p> _:a .\n",
	"_:a <urn:p> _:b .\n_:b <urn:p> _:c .\n_:c <urn:p> _:a .\n_:a <urn:q> _:c .\n",
	"_:e0 <urn:p> _:e1 .\n_:e0 <urn:p> _:e2 .\n_:e1 <urn:p> _:e0 .\n_:e1 <urn:p> _:e2 .\n_:e2 <urn:p> _:e0 .\n_:e2 <urn:p> _:e1 .\n",
	`<urn:s> <urn:p> "\u0000\b\t\n\f\r\"\\\u007F\U0001F303é" .` + "\n",
	`<urn:ex:\u221e> <urn:p> "a"^^<urn:ex:\U0001F303> .`,
	"_:x <urn:p> _:x _:x .\n_:x <urn:p> _:x _:x .\n",
	"<urn:s><urn:p>\"x\".",
	"<s> <p> <o> .",
	"_:a. <urn:p> \"unterminated .",
}

// FuzzParseNQuads checks that the parser never panics, that what it accepts
// is valid, and that serialising and re-parsing gives the same quads.
func FuzzParseNQuads(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := ParseNQuads(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("bad error %#v", err)
			}
			return
		}
		var out []byte
		for i, q := range qs {
			if err := q.Validate(); err != nil {
				t.Fatalf("parsed quad %d invalid: %v", i, err)
			}
			out = AppendNQuad(out, q)
		}
		again, err := ParseNQuads(out)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", out, err)
		}
		if len(qs) != len(again) || (len(qs) > 0 && !reflect.DeepEqual(qs, again)) {
			t.Fatalf("round trip changed quads:\n%#v\n%#v", qs, again)
		}
	})
}

// FuzzCanonicalize checks on parsed input that canonicalization never
// panics, is idempotent, does not depend on blank node labels or quad order,
// and that its output is sorted, without duplicates.
func FuzzCanonicalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		qs, err := ParseNQuads(data)
		if err != nil {
			return
		}
		ctx := context.Background()
		opts := &Options{MaxWork: 2000}
		res, err := Canonicalize(ctx, qs, opts)
		if errors.Is(err, ErrCanonicalizationLimit) {
			return
		}
		if err != nil {
			t.Fatalf("Canonicalize: %v", err)
		}
		lines := bytes.SplitAfter(res.NQuads, []byte("\n"))
		lines = lines[:len(lines)-1]
		for i := 1; i < len(lines); i++ {
			if bytes.Compare(lines[i-1], lines[i]) >= 0 {
				t.Fatalf("output not strictly sorted at line %d:\n%s", i, res.NQuads)
			}
		}
		if len(lines) != len(res.Quads) {
			t.Fatalf("%d lines but %d quads", len(lines), len(res.Quads))
		}
		// Idempotence.
		canon, err := ParseNQuads(res.NQuads)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v\n%s", err, res.NQuads)
		}
		again, err := CanonicalNQuads(ctx, canon, &Options{MaxWork: 1 << 30})
		if err != nil || !bytes.Equal(again, res.NQuads) {
			t.Fatalf("not idempotent (%v):\n%s\nvs\n%s", err, res.NQuads, again)
		}
		// Relabelling and reordering the input changes nothing.
		h := fnv.New64a()
		h.Write(data)
		seed := h.Sum64()
		relabelled, err := CanonicalNQuads(ctx, relabel(qs, rand.New(rand.NewPCG(seed, 1))), &Options{MaxWork: 1 << 30})
		if err != nil || !bytes.Equal(relabelled, res.NQuads) {
			t.Fatalf("relabelled input (%v):\n%s\nvs\n%s", err, relabelled, res.NQuads)
		}
	})
}
