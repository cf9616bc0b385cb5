package jsonld

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/microcred/openbadges/rdfc"
)

// w3cSuiteDir finds the W3C JSON-LD 1.1 test suite that json-gold ships in
// its module (testdata), or skips.
func w3cSuiteDir(t *testing.T) string {
	t.Helper()
	gomodcache := os.Getenv("GOMODCACHE")
	if gomodcache == "" {
		home, _ := os.UserHomeDir()
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			gopath = filepath.Join(home, "go")
		}
		gomodcache = filepath.Join(gopath, "pkg", "mod")
	}
	d := filepath.Join(gomodcache, "github.com", "piprate", "json-gold@v0.9.1", "ld", "testdata")
	if _, err := os.Stat(filepath.Join(d, "toRdf-manifest.jsonld")); err != nil {
		t.Skipf("W3C JSON-LD test suite not found in the module cache (%s)", d)
	}
	return d
}

const w3cBase = "https://w3c.github.io/json-ld-api/tests/"

// suiteLoader serves the suite's files for their w3c.github.io URLs.
type suiteLoader struct{ dir string }

func (l suiteLoader) LoadDocument(_ context.Context, url string) (*RemoteDocument, error) {
	if !strings.HasPrefix(url, w3cBase) {
		return nil, fmt.Errorf("%w: %s", ErrContextNotAllowed, url)
	}
	b, err := os.ReadFile(filepath.Join(l.dir, strings.TrimPrefix(url, w3cBase)))
	if err != nil {
		return nil, err
	}
	return &RemoteDocument{DocumentURL: url, Document: string(b)}, nil
}

// w3cKnownDiffs lists suite tests where we knowingly differ, with the reason.
var w3cKnownDiffs = map[string]string{
	"te111": "vocab IRI ...rel2##fragment-works has two '#': not a well-formed IRI, so the suite drops the statement; jsonld.js's absolute-IRI test (and ours) keeps it",
	"te112": "same as te111",
	"tjs12": "a JSON literal holding 1e-27: refused by ErrLossyNumber (numbers below 1e-6 collide with 0 in jsonld.js; catalogue #18)",
}

// TestW3CToRDF runs the W3C JSON-LD 1.1 toRdf tests (with safe mode off, as
// the suite expects dropped terms to be dropped) and compares the canonical
// form of our dataset with the expected one. It checks the algorithm itself;
// safe mode only adds rejections on top.
func TestW3CToRDF(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	dir := w3cSuiteDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "toRdf-manifest.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Sequence []struct {
			ID     string         `json:"@id"`
			Type   []string       `json:"@type"`
			Input  string         `json:"input"`
			Expect string         `json:"expect"`
			Option map[string]any `json:"option"`
		} `json:"sequence"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	var pass, fail, skip int
	var failed []string
	for _, tc := range man.Sequence {
		name := strings.TrimPrefix(tc.ID, "#")
		negative := strings.Contains(strings.Join(tc.Type, " "), "Negative")
		if reason := skipW3C(tc.Option); reason != "" {
			skip++
			continue
		}
		input, err := os.ReadFile(filepath.Join(dir, tc.Input))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tc.Input, ".jsonld") {
			skip++
			continue
		}
		if strings.Contains(string(input), "@direction") && tc.Option["rdfDirection"] != "i18n-datatype" {
			skip++ // we always use i18n-datatype
			continue
		}
		base := w3cBase + tc.Input
		if b, ok := tc.Option["base"].(string); ok {
			base = b
		}
		p, _ := NewProcessor(Config{Loader: suiteLoader{dir}})
		p.unsafe = true
		p.docBase = w3cBase + tc.Input
		p.initial = &activeContext{terms: map[string]*termDef{}, base: base, hasBase: true}
		quads, ourErr := p.ToRDFBytes(context.Background(), input)
		var got []byte
		if ourErr == nil {
			got, ourErr = rdfc.CanonicalNQuads(context.Background(), quads, nil)
		}
		if negative {
			if ourErr == nil {
				fail++
				failed = append(failed, name+" (negative test accepted)")
			} else {
				pass++
			}
			continue
		}
		if tc.Expect == "" {
			skip++
			continue
		}
		exp, err := os.ReadFile(filepath.Join(dir, tc.Expect))
		if err != nil {
			t.Fatal(err)
		}
		eq, err := rdfc.ParseNQuads(exp)
		if err != nil {
			skip++ // relative IRIs or generalized RDF in the expected output
			continue
		}
		want, err := rdfc.CanonicalNQuads(context.Background(), eq, nil)
		if err != nil {
			skip++
			continue
		}
		if ourErr != nil {
			if _, known := w3cKnownDiffs[name]; !known {
				fail++
				failed = append(failed, fmt.Sprintf("%s: error %v", name, ourErr))
			}
			continue
		}
		if string(got) != string(want) {
			if _, known := w3cKnownDiffs[name]; !known {
				fail++
				failed = append(failed, fmt.Sprintf("%s: %s", name, firstDiff(string(got), string(want))))
			}
			continue
		}
		pass++
	}
	sort.Strings(failed)
	for _, f := range failed {
		t.Error(f)
	}
	t.Logf("W3C toRdf: %d passed, %d failed, %d skipped", pass, fail, skip)
}

func skipW3C(opt map[string]any) string {
	if opt == nil {
		return ""
	}
	if v, _ := opt["specVersion"].(string); v == "json-ld-1.0" {
		return "JSON-LD 1.0 only"
	}
	if v, _ := opt["processingMode"].(string); v == "json-ld-1.0" {
		return "processing mode 1.0"
	}
	if v, _ := opt["produceGeneralizedRdf"].(bool); v {
		return "generalized RDF"
	}
	if v, _ := opt["rdfDirection"].(string); v == "compound-literal" {
		return "compound-literal"
	}
	if _, ok := opt["expandContext"]; ok {
		return "expandContext"
	}
	return ""
}
