package rdfc

import (
	"context"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"hash"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/testref"
)

// referenceDir returns <repo root>/../shared/reference, where the shared
// reference material lives (see the developers' guide), or skips the test.
func referenceDir(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
}

type manifestEntry struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	HashAlgorithm string `json:"hashAlgorithm"`
	Action        string `json:"action"`
	Result        string `json:"result"`
}

// TestW3CSuite runs the W3C rdf-canon test suite (RDFC-1.0): evaluation
// tests compare canonical N-Quads byte for byte, map tests compare the issued
// identifiers map, negative tests must fail with ErrCanonicalizationLimit.
func TestW3CSuite(t *testing.T) {
	dir := filepath.Join(referenceDir(t), "vectors", "rdf-canon")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.jsonld"))
	if err != nil {
		t.Skipf("rdf-canon suite not present: %v", err)
	}
	var manifest struct {
		Entries []manifestEntry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	counts := map[string][2]int{} // type -> passed, total
	maxWork, maxWorkTest := 0, ""
	for _, e := range manifest.Entries {
		ok := t.Run(strings.TrimPrefix(e.ID, "#"), func(t *testing.T) {
			if w := runSuiteEntry(t, dir, e); w > maxWork {
				maxWork, maxWorkTest = w, e.ID
			}
		})
		c := counts[e.Type]
		c[1]++
		if ok {
			c[0]++
		}
		counts[e.Type] = c
	}
	total, passed := 0, 0
	for typ, c := range counts {
		t.Logf("%s: %d passed of %d", typ, c[0], c[1])
		passed += c[0]
		total += c[1]
	}
	t.Logf("rdf-canon suite: %d passed of %d", passed, total)
	if total == 0 {
		t.Fatal("manifest has no entries")
	}
	// The default budget must leave ample headroom for legitimate datasets.
	t.Logf("most work for a positive test: %d units (%s); default budget ≥ %d", maxWork, maxWorkTest, DefaultMaxWork)
	if maxWork > DefaultMaxWork/5 {
		t.Errorf("%s needs %d units, too close to DefaultMaxWork", maxWorkTest, maxWork)
	}
}

// runSuiteEntry runs one test and returns the work it needed.
func runSuiteEntry(t *testing.T, dir string, e manifestEntry) (work int) {
	in, err := os.ReadFile(filepath.Join(dir, e.Action))
	if err != nil {
		t.Fatal(err)
	}
	quads, err := ParseNQuads(in)
	if err != nil {
		t.Fatalf("parse %s: %v", e.Action, err)
	}
	opts := &Options{}
	switch e.HashAlgorithm {
	case "", "SHA256":
	case "SHA384":
		opts.Hash = func() hash.Hash { return sha512.New384() }
	default:
		t.Fatalf("unknown hash algorithm %q", e.HashAlgorithm)
	}
	switch e.Type {
	case "rdfc:RDFC10EvalTest":
		want, err := os.ReadFile(filepath.Join(dir, e.Result))
		if err != nil {
			t.Fatal(err)
		}
		got, err := CanonicalNQuads(context.Background(), quads, opts)
		if err != nil {
			t.Fatalf("CanonicalNQuads: %v", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s (%s):\ngot:\n%s\nwant:\n%s", e.ID, e.Name, got, want)
		}
		// Canonicalize must agree with CanonicalNQuads.
		res, err := Canonicalize(context.Background(), quads, opts)
		if err != nil {
			t.Fatalf("Canonicalize: %v", err)
		}
		if string(res.NQuads) != string(want) {
			t.Errorf("Canonicalize NQuads differ")
		}
		var re []byte
		for _, q := range res.Quads {
			re = AppendNQuad(re, q)
		}
		if string(re) != string(want) {
			t.Errorf("Result.Quads do not serialise to Result.NQuads:\n%s", re)
		}
		c, err := run(context.Background(), quads, opts)
		if err != nil {
			t.Fatal(err)
		}
		return c.work
	case "rdfc:RDFC10MapTest":
		raw, err := os.ReadFile(filepath.Join(dir, e.Result))
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]string
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		res, err := Canonicalize(context.Background(), quads, opts)
		if err != nil {
			t.Fatalf("Canonicalize: %v", err)
		}
		if !reflect.DeepEqual(res.IssuedIdentifiers, want) {
			t.Errorf("issued identifiers map:\ngot  %v\nwant %v", res.IssuedIdentifiers, want)
		}
	case "rdfc:RDFC10NegativeEvalTest":
		start := time.Now()
		_, err := CanonicalNQuads(context.Background(), quads, opts)
		if !errors.Is(err, ErrCanonicalizationLimit) {
			t.Fatalf("got error %v, want ErrCanonicalizationLimit", err)
		}
		t.Logf("rejected after %v: %v", time.Since(start), err)
	default:
		t.Fatalf("unknown test type %q", e.Type)
	}
	return 0
}
