package jsonld

import "testing"

// xsd:double canonical forms as JSON-LD toRDF produces them.
func TestXSDDouble(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1.1, "1.1E0"}, {0.53, "5.3E-1"}, {1e21, "1.0E21"}, {-2.5, "-2.5E0"}, {5, "5.0E0"}, {123456.789, "1.23456789E5"},
		{1e-7, "1.0E-7"}, {0.1 + 0.2, "3.0E-1"},
	} {
		if got := xsdDouble(c.f); got != c.want {
			t.Errorf("%v: got %s, want %s", c.f, got, c.want)
		}
	}
}
