package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/microcred/openbadges/internal/testref"
)

// repoRoot walks up from the working directory to the directory holding
// go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	return testref.Root(t)
}

// sharedDir returns <root>/../shared, or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	return testref.Shared(t)
}

// benchSample returns the OB 3.0 benchmark sample with ISSUER_DID replaced
// by a did:key, or skips.
func benchSample(t testing.TB) []byte {
	t.Helper()
	p := filepath.Join(repoRoot(t), "..", "shared", "bench", "ob3-sample.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("benchmark sample not present: %v", err)
	}
	return bytes.ReplaceAll(b, []byte("ISSUER_DID"), []byte("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"))
}

// goldLoader serves json-gold the same contexts as our loader, with no
// network.
type goldLoader struct{ l DocumentLoader }

func (g goldLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	rd, err := g.l.LoadDocument(context.Background(), u)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	var doc any
	if err := json.Unmarshal([]byte(rd.Document), &doc); err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

func goldOptions(l DocumentLoader) *ld.JsonLdOptions {
	o := ld.NewJsonLdOptions("")
	o.DocumentLoader = goldLoader{l}
	o.ProcessingMode = ld.JsonLd_1_1
	o.Algorithm = ld.AlgorithmURDNA2015
	o.Format = "application/n-quads"
	o.SafeMode = true
	return o
}

// goldNormalize is json-gold's URDNA2015 canonical N-Quads of doc.
func goldNormalize(t testing.TB, l DocumentLoader, doc []byte) (string, error) {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return "", err
	}
	out, err := ld.NewJsonLdProcessor().Normalize(v, goldOptions(l))
	if err != nil {
		return "", err
	}
	s, _ := out.(string)
	return s, nil
}

// goldToRDFSafe runs json-gold ToRDF with SafeMode (which, unlike Normalize,
// honours it).
func goldToRDFSafe(l DocumentLoader, doc []byte) error {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return err
	}
	_, err := ld.NewJsonLdProcessor().ToRDF(v, goldOptions(l))
	return err
}

func decodeNumber(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func firstDiff(a, b string) string {
	al := strings.Split(a, "\n")
	bl := strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n  ours: " + x + "\n  gold: " + y
		}
	}
	return ""
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// referenceLoader serves every context of the shared reference set
// (contexts/INDEX.json): a superset of Embedded, so that differential tests
// cover documents using contexts we do not embed.
func referenceLoader(t testing.TB) DocumentLoader {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "reference", "contexts")
	b, err := os.ReadFile(filepath.Join(dir, "INDEX.json"))
	if err != nil {
		t.Skipf("contexts index: %v", err)
	}
	var idx struct {
		Contexts map[string]struct {
			File string `json:"file"`
		} `json:"contexts"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for url, c := range idx.Contexts {
		d, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		docs[url] = d
	}
	l, err := NewStaticLoader(docs)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func mustMarshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// embeddedProcessor returns a Processor with the default configuration
// (embedded contexts, safe mode).
func embeddedProcessor(t testing.TB) *Processor {
	t.Helper()
	p, err := NewProcessor(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
