package rdfc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func mustParse(t testing.TB, s string) []Quad {
	t.Helper()
	qs, err := ParseNQuads([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// Known answers from the W3C rdf-canon suite (w3c/rdf-canon, tests/rdfc10):
// test020 "blank node - diamond" with SHA-256 and test075, the same input
// with SHA-384.
const diamond = `<http://example.org/vocab#test> <http://example.org/vocab#A> _:e0 .
<http://example.org/vocab#test> <http://example.org/vocab#B> _:e1 .
_:e0 <http://example.org/vocab#next> _:e2 .
_:e1 <http://example.org/vocab#next> _:e2 .
`

func TestCanonicalizeKnownAnswers(t *testing.T) {
	tests := []struct {
		name    string
		hash    func() hash.Hash
		nquads  string
		issued  map[string]string
		workMax int
	}{
		{"test020 SHA-256", nil,
			`<http://example.org/vocab#test> <http://example.org/vocab#A> _:c14n2 .
<http://example.org/vocab#test> <http://example.org/vocab#B> _:c14n0 .
_:c14n0 <http://example.org/vocab#next> _:c14n1 .
_:c14n2 <http://example.org/vocab#next> _:c14n1 .
`, map[string]string{"e1": "c14n0", "e2": "c14n1", "e0": "c14n2"}, 0},
		{"test075 SHA-384", sha512.New384,
			`<http://example.org/vocab#test> <http://example.org/vocab#A> _:c14n0 .
<http://example.org/vocab#test> <http://example.org/vocab#B> _:c14n2 .
_:c14n0 <http://example.org/vocab#next> _:c14n1 .
_:c14n2 <http://example.org/vocab#next> _:c14n1 .
`, map[string]string{"e0": "c14n0", "e2": "c14n1", "e1": "c14n2"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Canonicalize(context.Background(), mustParse(t, diamond), &Options{Hash: tt.hash})
			if err != nil {
				t.Fatal(err)
			}
			if string(res.NQuads) != tt.nquads {
				t.Errorf("got\n%s\nwant\n%s", res.NQuads, tt.nquads)
			}
			if !reflect.DeepEqual(res.IssuedIdentifiers, tt.issued) {
				t.Errorf("issued %v, want %v", res.IssuedIdentifiers, tt.issued)
			}
		})
	}
	// test022 "double circle of 2": needs Hash N-Degree Quads.
	got, err := CanonicalNQuads(context.Background(), mustParse(t, `_:e0 <http://example.org/vocab#next> _:e1 .
_:e0 <http://example.org/vocab#prev> _:e1 .
_:e1 <http://example.org/vocab#next> _:e0 .
_:e1 <http://example.org/vocab#prev> _:e0 .
`), nil)
	want := `_:c14n0 <http://example.org/vocab#next> _:c14n1 .
_:c14n0 <http://example.org/vocab#prev> _:c14n1 .
_:c14n1 <http://example.org/vocab#next> _:c14n0 .
_:c14n1 <http://example.org/vocab#prev> _:c14n0 .
`
	if err != nil || string(got) != want {
		t.Errorf("test022: got %v\n%s", err, got)
	}
}

func TestCanonicalizeEdgeCases(t *testing.T) {
	ctx := context.Background()
	// Empty dataset: empty document.
	if got, err := CanonicalNQuads(ctx, nil, nil); err != nil || len(got) != 0 {
		t.Errorf("empty dataset: %q, %v", got, err)
	}
	// Ground dataset: sorted, duplicates removed.
	got, err := CanonicalNQuads(ctx, mustParse(t, "<urn:b> <urn:p> \"x\" .\n<urn:a> <urn:p> \"x\" .\n<urn:b> <urn:p> \"x\" .\n"), nil)
	if err != nil || string(got) != "<urn:a> <urn:p> \"x\" .\n<urn:b> <urn:p> \"x\" .\n" {
		t.Errorf("ground dataset: %q, %v", got, err)
	}
	// Duplicate quads with blank nodes must not change the hashes (test077):
	// the dataset with the duplicate canonicalizes like the one without.
	base := "_:a <urn:p> _:b .\n_:b <urn:q> \"v\" .\n_:a <urn:r> _:a .\n"
	want, err := CanonicalNQuads(ctx, mustParse(t, base), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err = CanonicalNQuads(ctx, mustParse(t, base+"_:a <urn:p> _:b .\n_:a <urn:r> _:a .\n"), nil)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("duplicates changed the result:\n%s\nwant\n%s", got, want)
	}
	// The same triple with the blank node in different graphs is not a
	// duplicate.
	res, err := Canonicalize(ctx, mustParse(t, "_:a <urn:p> _:b <urn:g1> .\n_:a <urn:p> _:b <urn:g2> .\n"), nil)
	if err != nil || len(res.Quads) != 2 {
		t.Errorf("distinct quads merged: %v %v", res, err)
	}
	// IRIs with characters N-Quads cannot hold raw are escaped, and the
	// result canonicalizes to itself.
	odd := []Quad{triple(bnode("x"), iri("urn:p|q"), iri("urn:a b>")), triple(bnode("x"), iri("urn:p"), plain("v"))}
	got, err = CanonicalNQuads(ctx, odd, nil)
	wantOdd := "_:c14n0 <urn:p> \"v\" .\n_:c14n0 <urn:p\\u007Cq> <urn:a\\u0020b\\u003E> .\n"
	if err != nil || string(got) != wantOdd {
		t.Errorf("IRI escaping: %q %v, want %q", got, err, wantOdd)
	}
	if again, err := CanonicalNQuads(ctx, mustParse(t, string(got)), nil); err != nil || !bytes.Equal(again, got) {
		t.Errorf("escaped IRIs not idempotent: %q %v", again, err)
	}
	// Three blank nodes in a single quad (a fuzzing find: table sizes).
	if got, err := CanonicalNQuads(ctx, mustParse(t, "_:a <urn:p> _:b _:c .\n"), nil); err != nil || len(got) == 0 {
		t.Errorf("one quad, three blank nodes: %q %v", got, err)
	}
	// The input is not modified, and a label shared by positions counts once.
	in := mustParse(t, "_:x <urn:p> _:x _:x .\n")
	orig := append([]Quad(nil), in...)
	res, err = Canonicalize(ctx, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Error("input modified")
	}
	if string(res.NQuads) != "_:c14n0 <urn:p> _:c14n0 _:c14n0 .\n" || res.IssuedIdentifiers["x"] != "c14n0" {
		t.Errorf("self loop: %s %v", res.NQuads, res.IssuedIdentifiers)
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	ctx := context.Background()
	bad := []Quad{triple(iri("urn:s"), iri("urn:p"), iri("urn:o")), triple(iri("urn:s"), iri("urn:p"), iri("relative"))}
	_, err := CanonicalNQuads(ctx, bad, nil)
	var qe *QuadError
	if !errors.As(err, &qe) || qe.Index != 1 || qe.Position != "object" || !errors.Is(err, ErrInvalidQuad) {
		t.Errorf("invalid quad: got %v", err)
	}
	if !strings.Contains(fmt.Sprint(err), "quad 1: object") {
		t.Errorf("error text %q does not name the quad", err)
	}
	if _, err := Canonicalize(ctx, nil, &Options{MaxWork: -1}); err == nil {
		t.Error("negative MaxWork accepted")
	}
	if _, err := Canonicalize(ctx, nil, &Options{Hash: func() hash.Hash { return nil }}); err == nil {
		t.Error("nil hash accepted")
	}
}

func TestSHA384DiffersFromSHA256(t *testing.T) {
	ctx := context.Background()
	a, _ := Canonicalize(ctx, mustParse(t, diamond), nil)
	b, _ := Canonicalize(ctx, mustParse(t, diamond), &Options{Hash: sha512.New384})
	c, _ := Canonicalize(ctx, mustParse(t, diamond), &Options{Hash: sha256.New})
	if bytes.Equal(a.NQuads, b.NQuads) || !bytes.Equal(a.NQuads, c.NQuads) {
		t.Error("Options.Hash not honoured")
	}
}

// relabel renames every blank node label of qs with a random bijection and
// shuffles the quads.
func relabel(qs []Quad, rng *rand.Rand) []Quad {
	names := map[string]string{}
	rename := func(t Term) Term {
		if t.Kind == BlankNode {
			n, ok := names[t.Value]
			if !ok {
				n = fmt.Sprintf("r%d_%d", rng.IntN(1000), len(names))
				names[t.Value] = n
			}
			t.Value = n
		}
		return t
	}
	out := make([]Quad, len(qs))
	for i, q := range qs {
		out[i] = Quad{rename(q.Subject), q.Predicate, rename(q.Object), rename(q.Graph)}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestCanonicalizeInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []shape{
		{"diamond", mustParse(t, diamond)},
		{"credential", mustParse(t, credentialNQuads)},
		{"cycles", cycles(6, 3)},
		{"clique4", clique(4)},
		{"chain", chain(12)},
		{"grid", grid(4)},
	} {
		want, err := CanonicalNQuads(context.Background(), s.quads, nil)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for range 10 {
			got, err := CanonicalNQuads(context.Background(), relabel(s.quads, rng), nil)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s: relabelled and shuffled input gave\n%s\nwant\n%s (%v)", s.name, got, want, err)
			}
		}
		// Idempotence: canonicalizing the canonical form changes nothing.
		again, err := CanonicalNQuads(context.Background(), mustParse(t, string(want)), nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Errorf("%s: not idempotent", s.name)
		}
	}
}

func TestLimitRejectsPoison(t *testing.T) {
	// rdf-canon test074: a 10-node clique (own copy of the shape).
	_, err := CanonicalNQuads(context.Background(), clique(10), nil)
	if !errors.Is(err, ErrCanonicalizationLimit) {
		t.Fatalf("got %v, want ErrCanonicalizationLimit", err)
	}
	if !strings.Contains(err.Error(), "MaxWork") {
		t.Errorf("error %q does not say how to change the limit", err)
	}
	// The budget is respected to within one step.
	c, err := run(context.Background(), clique(10), &Options{MaxWork: 5000})
	if c != nil || !errors.Is(err, ErrCanonicalizationLimit) {
		t.Errorf("MaxWork 5000: %v", err)
	}
	// A smaller clique fits in the default but not in a tiny budget.
	if _, err := CanonicalNQuads(context.Background(), clique(4), nil); err != nil {
		t.Errorf("clique(4) with the default budget: %v", err)
	}
	if _, err := CanonicalNQuads(context.Background(), clique(4), &Options{MaxWork: 10}); !errors.Is(err, ErrCanonicalizationLimit) {
		t.Errorf("clique(4) with MaxWork 10: %v", err)
	}
	// Datasets with only distinct first-degree hashes need no work at all.
	c, err = run(context.Background(), mustParse(t, credentialNQuads), &Options{MaxWork: 1})
	if err != nil || c.work != 0 {
		t.Errorf("credential: work %v, err %v", c, err)
	}
}

// TestDefaultLimitHeadroom checks that the legitimate shapes the default is
// documented to accept stay well inside it.
func TestDefaultLimitHeadroom(t *testing.T) {
	for _, s := range []shape{{"chain80", chain(80)}, {"cycles1000x3", cycles(1000, 3)}, {"star2000", star(2000)}} {
		c, err := run(context.Background(), s.quads, nil)
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		t.Logf("%s: %d units of %d", s.name, c.work, c.maxWork)
	}
}

// cancelAfter is a context whose Err starts returning context.Canceled after
// n calls, to cancel deterministically in the middle of the work.
type cancelAfter struct {
	context.Context
	mu sync.Mutex
	n  int
}

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

func TestContextCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CanonicalNQuads(ctx, mustParse(t, diamond), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before start: %v", err)
	}
	// Cancelled in the middle of a poison dataset with an unbounded budget.
	_, err := CanonicalNQuads(&cancelAfter{Context: context.Background(), n: 3}, clique(10), &Options{MaxWork: 1 << 60})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrCanonicalizationLimit) {
		t.Errorf("cancelled mid-way: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	inputs := [][]Quad{mustParse(t, diamond), mustParse(t, credentialNQuads), cycles(5, 3), clique(4), chain(10), clique(10)}
	want := make([][]byte, len(inputs))
	for i, in := range inputs {
		want[i], _ = CanonicalNQuads(context.Background(), in, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				i := (g + k) % len(inputs)
				var opts *Options
				if i == len(inputs)-1 {
					opts = &Options{MaxWork: 5000} // keep the poison case cheap under -race
				}
				got, err := CanonicalNQuads(context.Background(), inputs[i], opts)
				if i == len(inputs)-1 {
					if !errors.Is(err, ErrCanonicalizationLimit) {
						errs <- fmt.Errorf("poison: %v", err)
					}
					continue
				}
				if err != nil || !bytes.Equal(got, want[i]) {
					errs <- fmt.Errorf("input %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestAppendCanonicalNQuads checks that appending gives the same document
// after the prefix, and leaves dst alone on error.
func TestAppendCanonicalNQuads(t *testing.T) {
	quads := clique(3)
	want, err := CanonicalNQuads(context.Background(), quads, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := AppendCanonicalNQuads(context.Background(), []byte("prefix\n"), quads, nil)
	if err != nil || string(got) != "prefix\n"+string(want) {
		t.Fatalf("got %q (%v), want the prefix then %q", got, err, want)
	}
	bad := []Quad{{Subject: Term{Kind: IRI, Value: "relative"}, Predicate: Term{Kind: IRI, Value: "http://ex/p"}, Object: Term{Kind: IRI, Value: "http://ex/o"}, Graph: Term{Kind: DefaultGraph}}}
	dst := []byte("keep")
	if out, err := AppendCanonicalNQuads(context.Background(), dst, bad, nil); err == nil || string(out) != "keep" {
		t.Fatalf("invalid quad: %q, %v", out, err)
	}
}

// TestPooledStateIsolated runs canonicalizations that leave very different
// state in the pooled canonicalizer (another hash, a limit error, a large
// dataset, a dataset without blank nodes) between runs of the credential,
// whose output must not change.
func TestPooledStateIsolated(t *testing.T) {
	cred := mustParse(t, credentialNQuads)
	want, err := CanonicalNQuads(context.Background(), cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	noBlank := mustParse(t, "<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> \"x\" .\n")
	others := []func() error{
		func() error {
			_, err := CanonicalNQuads(context.Background(), cred, &Options{Hash: sha512.New384})
			return err
		},
		func() error {
			if _, err := CanonicalNQuads(context.Background(), clique(10), nil); !errors.Is(err, ErrCanonicalizationLimit) {
				return fmt.Errorf("poison: %v", err)
			}
			return nil
		},
		func() error { _, err := Canonicalize(context.Background(), chain(40), nil); return err },
		func() error { _, err := CanonicalNQuads(context.Background(), cycles(20, 3), nil); return err },
		func() error { _, err := CanonicalNQuads(context.Background(), noBlank, nil); return err },
		func() error { _, err := CanonicalNQuads(context.Background(), nil, nil); return err },
	}
	for i, other := range others {
		if err := other(); err != nil {
			t.Fatalf("other %d: %v", i, err)
		}
		got, err := AppendCanonicalNQuads(context.Background(), []byte("prefix"), cred, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, append([]byte("prefix"), want...)) {
			t.Fatalf("after other %d: output changed", i)
		}
		res, err := Canonicalize(context.Background(), cred, nil)
		if err != nil || !bytes.Equal(res.NQuads, want) || len(res.IssuedIdentifiers) != 7 {
			t.Fatalf("after other %d: Canonicalize differs (%v)", i, err)
		}
	}
}
