package jsonld

import (
	"context"
	"errors"
	"testing"
)

// TestAppendCanonicalValue checks that appending gives CanonicalizeValue's
// output after the prefix, and leaves dst alone on error.
func TestAppendCanonicalValue(t *testing.T) {
	p := embeddedProcessor(t)
	doc := map[string]any{"@context": map[string]any{"@vocab": "http://ex.org/"}, "@id": "urn:a", "p": "v"}
	ctx := context.Background()
	want, err := p.CanonicalizeValue(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.AppendCanonicalValue(ctx, []byte("x"), doc)
	if err != nil || string(got) != "x"+string(want) {
		t.Fatalf("got %q (%v)", got, err)
	}
	dst := []byte("keep")
	out, err := p.AppendCanonicalValue(ctx, dst, map[string]any{"undefined": 1})
	if err == nil || string(out) != "keep" {
		t.Fatalf("undefined term: %q, %v", out, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if out, err := p.AppendCanonicalValue(cancelled, dst, doc); !errors.Is(err, context.Canceled) || string(out) != "keep" {
		t.Fatalf("cancelled: %q, %v", out, err)
	}
}
