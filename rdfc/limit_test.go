package rdfc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const exP = "http://example.org/p"

func bnode(label string) Term  { return Term{Kind: BlankNode, Value: label} }
func iri(v string) Term        { return Term{Kind: IRI, Value: v} }
func plain(v string) Term      { return Term{Kind: Literal, Value: v, Datatype: XSDString} }
func dg() Term                 { return Term{Kind: DefaultGraph} }
func triple(s, p, o Term) Quad { return Quad{s, p, o, dg()} }
func bn(i int) Term            { return bnode(fmt.Sprintf("n%d", i)) }

// clique returns k blank nodes each linked to every one (as test074).
func clique(k int) []Quad {
	var qs []Quad
	for i := range k {
		for j := range k {
			qs = append(qs, triple(bn(i), iri(exP), bn(j)))
		}
	}
	return qs
}

// chain returns an RDF list of n identical strings: every interior node has
// the same first-degree hash.
func chain(n int) []Quad {
	const first = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	const rest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	qs := []Quad{triple(iri("http://example.org/s"), iri(exP), bn(0))}
	for i := range n {
		qs = append(qs, triple(bn(i), iri(first), plain("x")))
		if i+1 < n {
			qs = append(qs, triple(bn(i), iri(rest), bn(i+1)))
		} else {
			qs = append(qs, triple(bn(i), iri(rest), iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")))
		}
	}
	return qs
}

// star returns a hub linked to m leaves that are indistinguishable.
func star(m int) []Quad {
	var qs []Quad
	for i := 1; i <= m; i++ {
		qs = append(qs, triple(bn(0), iri(exP), bn(i)))
	}
	return qs
}

// cycles returns m disjoint directed cycles of length k.
func cycles(m, k int) []Quad {
	var qs []Quad
	for c := range m {
		for i := range k {
			qs = append(qs, triple(bn(c*k+i), iri(exP), bn(c*k+(i+1)%k)))
		}
	}
	return qs
}

// grid returns a w×w grid of blank nodes with identical edges.
func grid(w int) []Quad {
	var qs []Quad
	for y := range w {
		for x := range w {
			if x+1 < w {
				qs = append(qs, triple(bn(y*w+x), iri(exP), bn(y*w+x+1)))
			}
			if y+1 < w {
				qs = append(qs, triple(bn(y*w+x), iri(exP), bn((y+1)*w+x)))
			}
		}
	}
	return qs
}

// longPredicates is a clique whose predicate IRI is very long, so that each
// related-node hash is expensive.
func longPredicates(k, n int) []Quad {
	p := iri("urn:p:" + strings.Repeat("x", n))
	var qs []Quad
	for i := range k {
		for j := range k {
			qs = append(qs, triple(bn(i), p, bn(j)))
		}
	}
	return qs
}

type shape struct {
	name  string
	quads []Quad
}

func hostileShapes() []shape {
	return []shape{
		{"clique10", clique(10)},
		{"clique20", clique(20)},
		{"chain2000", chain(2000)},
		{"star2000", star(2000)},
		{"star12", star(12)},
		{"cycles500x4", cycles(500, 4)},
		{"cycles5x200", cycles(5, 200)},
		{"grid40", grid(40)},
		{"clique6-100KB-predicate", longPredicates(6, 100_000)},
	}
}

// TestLimitBoundsHostileShapes checks that datasets built to be expensive
// stop with ErrCanonicalizationLimit (or finish) under the default budget,
// and logs how long they took: the default must keep this in the tens of
// milliseconds.
func TestLimitBoundsHostileShapes(t *testing.T) {
	for _, s := range hostileShapes() {
		start := time.Now()
		c, err := run(context.Background(), s.quads, nil)
		d := time.Since(start)
		switch {
		case err == nil:
			t.Logf("%s: finished, %d units, %v", s.name, c.work, d)
		case errors.Is(err, ErrCanonicalizationLimit):
			t.Logf("%s: rejected after %v", s.name, d)
		default:
			t.Errorf("%s: unexpected error %v", s.name, err)
		}
	}
}

// TestRecursionDepthBounded checks that a very long chain with an
// unrestricted budget fails cleanly instead of overflowing the stack.
func TestRecursionDepthBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a long chain")
	}
	_, err := CanonicalNQuads(context.Background(), chain(maxDepth+10), &Options{MaxWork: 1 << 62})
	if !errors.Is(err, ErrCanonicalizationLimit) || !strings.Contains(err.Error(), "recursion") {
		t.Fatalf("got %v", err)
	}
}
