package jsonld

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// w3cExpandKnownAccepted lists negative expansion tests we accept, with the
// reason.
var w3cExpandKnownAccepted = map[string]string{}

// TestW3CExpandNegative runs the negative tests of the W3C expansion suite:
// each must be rejected (safe mode off, so that the rejection comes from the
// algorithm).
func TestW3CExpandNegative(t *testing.T) {
	dir := w3cSuiteDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "expand-manifest.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Sequence []struct {
			ID     string         `json:"@id"`
			Type   []string       `json:"@type"`
			Input  string         `json:"input"`
			Code   string         `json:"expectErrorCode"`
			Option map[string]any `json:"option"`
		} `json:"sequence"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tc := range man.Sequence {
		if !strings.Contains(strings.Join(tc.Type, " "), "Negative") || skipW3C(tc.Option) != "" || !strings.HasSuffix(tc.Input, ".jsonld") {
			continue
		}
		name := strings.TrimPrefix(tc.ID, "#")
		input, err := os.ReadFile(filepath.Join(dir, tc.Input))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := NewProcessor(Config{Loader: suiteLoader{dir}})
		p.unsafe = true
		p.docBase = w3cBase + tc.Input
		p.initial = &activeContext{terms: map[string]*termDef{}, base: p.docBase, hasBase: true}
		v, jerr := decodeJSON(input)
		if jerr != nil {
			continue
		}
		_, err = p.Expand(context.Background(), v)
		if err == nil {
			if _, known := w3cExpandKnownAccepted[name]; !known {
				t.Errorf("%s: accepted, want error %q", name, tc.Code)
			}
			continue
		}
		if !isSentinel(err) {
			t.Errorf("%s: error without a sentinel: %v", name, err)
		}
		n++
	}
	t.Logf("%d negative expansion tests rejected", n)
}

// TestW3CExpandPositive compares Expand with the expected output of the
// W3C expansion suite (safe mode off), as JSON values.
func TestW3CExpandPositive(t *testing.T) {
	dir := w3cSuiteDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "expand-manifest.jsonld"))
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
	pass, fail := 0, 0
	for _, tc := range man.Sequence {
		if !strings.Contains(strings.Join(tc.Type, " "), "PositiveEvaluation") || skipW3C(tc.Option) != "" ||
			!strings.HasSuffix(tc.Input, ".jsonld") || tc.Expect == "" {
			continue
		}
		name := strings.TrimPrefix(tc.ID, "#")
		input, _ := os.ReadFile(filepath.Join(dir, tc.Input))
		if strings.Contains(string(input), "@direction") {
			continue
		}
		want, _ := os.ReadFile(filepath.Join(dir, tc.Expect))
		p, _ := NewProcessor(Config{Loader: suiteLoader{dir}})
		p.unsafe = true
		p.docBase = w3cBase + tc.Input
		if b, ok := tc.Option["base"].(string); ok {
			p.docBase = b
		}
		p.initial = &activeContext{terms: map[string]*termDef{}, base: p.docBase, hasBase: true}
		v, jerr := decodeJSON(input)
		if jerr != nil {
			continue
		}
		got, err := p.Expand(context.Background(), v)
		if err != nil {
			if _, known := w3cExpandKnownDiffs[name]; !known {
				t.Errorf("%s: %v", name, err)
				fail++
			}
			continue
		}
		var w any
		_ = json.Unmarshal(want, &w)
		if !jsonEqualUnordered(roundTrip(t, got), w) {
			if _, known := w3cExpandKnownDiffs[name]; !known {
				gb, _ := json.Marshal(got)
				t.Errorf("%s:\n got %s\nwant %s", name, gb, want)
				fail++
			}
			continue
		}
		pass++
	}
	t.Logf("W3C expand: %d passed, %d failed", pass, fail)
}

var w3cExpandKnownDiffs = map[string]string{
	"tjs12": w3cKnownDiffs["tjs12"],
}

// jsonEqualUnordered compares JSON values, treating arrays as equal when
// they hold the same elements in any order (expansion output order is not
// significant except in @list, which the suite's expected outputs keep in
// order anyway, and where we keep the order too).
func jsonEqualUnordered(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		used := make([]bool, len(y))
	outer:
		for _, e := range x {
			for j, f := range y {
				if !used[j] && jsonEqualUnordered(e, f) {
					used[j] = true
					continue outer
				}
			}
			return false
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !jsonEqualUnordered(v, y[k]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}
