package credential

import (
	"net/url"
	"strings"
	"testing"
)

// slowURL is isURL without the fast path.
func slowURL(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// FuzzFastURL checks that whatever fastURL decides, url.Parse agrees.
func FuzzFastURL(f *testing.F) {
	for _, s := range []string{
		"https://example.edu/achievements/1", "http://a", "did:key:z6Mk#z6Mk", "urn:uuid:0d6b2c53-4c7e",
		"https:", "https://", "https:///x", "https:/x", "a:b", "1a:b", "a1+.-:b", "mailto:x@y.z", "https://ex.org:8080/",
		"https://user@ex.org/", "https://[::1]/", "https://ex.org/a%20b", "https://ex.org/?q#f", ":x", "x", "",
		"https://ex_ample.org/", "HTTPS://EX.ORG/A", "https://ex.org/a/../b", "javascript:alert(1)",
		"did:key:z6Mk#", "did:#x", "a:#", "https://ex.org#f", "https://ex.org/p#f#g", "did:x#a%41", "https://#f", "did:x#é",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok, decided := fastURL(s)
		if !decided {
			return
		}
		if want := slowURL(s); ok != want {
			t.Fatalf("fastURL(%q) = %v, url.Parse says %v", s, ok, want)
		}
		if got := isURL(s); got != ok {
			t.Fatalf("isURL(%q) = %v, fastURL %v", s, got, ok)
		}
	})
}

func TestFastURLDecidesCommonShapes(t *testing.T) {
	for _, s := range []string{"https://example.edu/achievements/1", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "urn:uuid:0d6b2c53-4c7e-4a0b-9a55-3f1c2b8e7d10",
		"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "https://example.edu/issuers/1#key-1"} {
		if ok, decided := fastURL(s); !ok || !decided {
			t.Errorf("%s: ok %v decided %v", s, ok, decided)
		}
	}
}
