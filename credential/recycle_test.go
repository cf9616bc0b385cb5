package credential

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/microcred/openbadges/internal/reuse"
)

const recycleSample = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example U"},
  "validFrom": "2026-01-01T00:00:00Z", "name": "Badge",
  "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:2",
    "type": ["Achievement"], "name": "A", "criteria": {"narrative": "do it"},
    "alignment": [{"type": ["Alignment"], "targetName": "t", "targetUrl": "https://example.org/t"}]}},
  "x-unknown": {"kept": [1, 2, {"deep": true}]}
}`

// typed is what Parse gives a caller besides the document.
func typed(c *Credential) any {
	return []any{c.Envelope, c.CredentialSubject, c.Extra, string(c.Raw())}
}

// TestParseRecycled checks that a credential parsed into recycled memory
// reads as Parse reads it, and that once its memory has gone back (and been
// reused by other documents) its typed fields are intact and its Document
// is decoded again, equal to Parse's: on the sample above, and on every
// example of the reference that Parse accepts.
func TestParseRecycled(t *testing.T) {
	checkRecycled(t, []byte(recycleSample))
	t.Run("reference", func(t *testing.T) {
		dir, names := exampleCredentials(t)
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(b); err == nil { // some are invalid on purpose
				checkRecycled(t, b)
			}
		}
	})
}

func checkRecycled(t *testing.T, data []byte) {
	t.Helper()
	want, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c, done, err := parseRecycled(data, reuse.Options{})
	if err != nil {
		t.Fatalf("Parse accepts it, parseRecycled: %v", err)
	}
	if !reflect.DeepEqual(typed(c), typed(want)) || !reflect.DeepEqual(c.Document(), want.Document()) {
		t.Fatalf("parseRecycled reads %.80s differently from Parse", data)
	}
	done()
	// Reuse the memory for another document.
	other, done2, err := parseRecycled([]byte(recycleSample), reuse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer done2()
	if other.Document() == nil {
		t.Fatal("no document")
	}
	if !reflect.DeepEqual(typed(c), typed(want)) {
		t.Fatalf("typed fields of %.80s changed once the memory went back", data)
	}
	var wg sync.WaitGroup
	for range 4 { // Document is safe for concurrent use (run with -race)
		wg.Go(func() {
			if !reflect.DeepEqual(c.Document(), want.Document()) {
				t.Errorf("Document of %.80s after recycling differs", data)
			}
		})
	}
	wg.Wait()
}

func TestParseRecycledCopies(t *testing.T) {
	data := []byte(recycleSample)
	for _, immutable := range []bool{false, true} {
		c, done, err := parseRecycled(data, reuse.Options{Immutable: immutable})
		if err != nil {
			t.Fatal(err)
		}
		shared := &c.Raw()[0] == &data[0]
		if shared != immutable {
			t.Errorf("immutable %v: Raw shares the input: %v", immutable, shared)
		}
		done()
	}
	if _, _, err := parseRecycled([]byte(`{"a":1,"a":2}`), reuse.Options{}); err == nil {
		t.Error("duplicate key accepted")
	}
	if _, _, err := parseRecycled([]byte(`[]`), reuse.Options{}); err == nil {
		t.Error("array accepted as a credential")
	}
}

// TestParseTransient checks the issuer's use: with Transient the typed
// model is lent too, reads as Parse reads it, and a second credential
// parsed after done reuses its memory (the first one's fields are then
// zero), allocating little.
func TestParseTransient(t *testing.T) {
	data := []byte(recycleSample)
	want, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	o := reuse.Options{Transient: true, Immutable: true}
	c, done, err := parseRecycled(data, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(typed(c), typed(want)) || !reflect.DeepEqual(c.Document(), want.Document()) {
		t.Fatal("a transient parse reads the credential differently from Parse")
	}
	if ps := c.Validate(); !reflect.DeepEqual(ps, want.Validate()) {
		t.Fatalf("Validate differs: %v", ps)
	}
	done()
	if c.Subject() != nil || c.Name != "" {
		t.Error("the transient credential's fields survive done: its memory was not given back")
	}
	// Warm: parsing the same shape again allocates a fraction of what Parse
	// does (the input is not copied, the document and the model are
	// recycled; what remains is boxing arrays and numbers, and Extra).
	allocs := testing.AllocsPerRun(50, func() {
		c, done, err := parseRecycled(data, o)
		if err != nil || c.Name != want.Name {
			t.Fatal(err)
		}
		done()
	})
	parse := testing.AllocsPerRun(50, func() {
		if _, err := Parse(data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > parse/3 && !raceEnabled {
		t.Errorf("%v allocations per warm transient parse, Parse %v: want at most a third", allocs, parse)
	}
}
