package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// Catalogue #18: numbers that the conversion to RDF would change are
// refused, so that no two different numbers share a canonical form.
func TestLossyNumbers(t *testing.T) {
	p := embeddedProcessor(t)
	doc := func(n string) string {
		return `{"@context": {"@vocab": "https://example.org/"}, "@id": "https://example.org/x", "n": ` + n + `}`
	}
	for _, n := range []string{
		"9007199254740993", "-9007199254740993", "9007199254740992", "10000000000000000000", "1e19",
		"0.30000000000000004", "1.0000000000000002", "1e-7", "-5e-10",
	} {
		_, err := p.Canonicalize(context.Background(), []byte(doc(n)))
		if !errors.Is(err, ErrLossyNumber) {
			t.Errorf("%s: err = %v, want ErrLossyNumber", n, err)
		}
		var v any
		d := json.NewDecoder(strings.NewReader(doc(n)))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if _, err := p.CanonicalizeValue(context.Background(), v); !errors.Is(err, ErrLossyNumber) {
			t.Errorf("%s (decoded): err = %v, want ErrLossyNumber", n, err)
		}
	}
	for _, n := range []string{
		"0", "-1", "9007199254740991", "-9007199254740991", "0.3", "0.1", "1.5", "2.5e-3",
		"0.3333333333333333", "1e21", "1.0", "1e-6", "0.000001", "100.25", "4.5E+30",
	} {
		if _, err := p.Canonicalize(context.Background(), []byte(doc(n))); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}
