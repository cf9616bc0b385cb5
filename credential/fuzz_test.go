package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/stretchr/testify/require"
)

// FuzzParse checks that Parse and Validate never panic on any input, that
// every rejection is a *ParseError, and that whatever Parse accepts is
// written back as the same JSON value, stably.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		baseBadge, plainVC, v11Badge,
		`{}`,
		`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":[{"id":"did:x"}]}`,
		`{"issuer":["did:x"],"validFrom":{"@value":"2010-01-01T00:00:00Z"},"proof":{"type":"X"},"name":{"@value":"n","@language":"en"}}`,
		`{"credentialSubject":{"achievement":"urn:a","result":{"type":"Result","status":"Completed"},"creditsEarned":1.50}}`,
		`{"credentialSubject":{"identifier":[{"type":"IdentityObject","hashed":null}]}}`,
		`{"id":"","type":[],"evidence":[{"type":[""]}],"@id":"x","ValidUntil":"y"}`,
		`{"a":1,"a":2}`,
		`{"issuer":{"id":"urn:x","parentOrg":{"parentOrg":{"id":"urn:y","Type":"z"}}}}`,
		`[1]`,
		`{"renderMethod":{"id":"x"},"confidenceMethod":["y",{"type":"z"}],"@context":[{"w":"@nest"}],"type":"EnvelopedVerifiableCredential"}`,
		`{"credentialSubject":{"@context":[{"a":{"@id":"@id"}},1]}}`,
		`{"image":"https://example.org/i.png","credentialSubject":{"image":{"id":"x","caption":null},"achievement":{"image":""}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseWith(data, ParseOptions{MaxBytes: 1 << 16})
		if len(data) <= 1<<16 {
			checkFromDocument(t, data, c, err)
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		for _, p := range c.Validate() {
			if _, err := p.Standard.MarshalText(); err != nil {
				t.Fatalf("%v: %v", p, err)
			}
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var in, got any
		if err := json.Unmarshal(data, &in); err != nil {
			t.Fatalf("Parse accepted what encoding/json rejects: %v", err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("Marshal wrote invalid JSON: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(in, got) {
			t.Fatalf("round trip changed the value:\n in: %s\nout: %s", data, out)
		}
		c2, err := Parse(out)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		out2, err := json.Marshal(c2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("marshalling is not stable:\n%s\n%s", out, out2)
		}
	})
}

// checkFromDocument checks that the verifier's reading (ReadDocument) and
// the issuer's (ReadScoped) agree with Parse (want, wantErr) on data, and
// that the document is readable during the read only.
func checkFromDocument(t *testing.T, data []byte, want *Credential, wantErr error) {
	t.Helper()
	var c *Credential
	var doc strictjson.Value
	err := ReadDocument(string(data), func(rc *Credential, rdoc strictjson.Value) {
		c, doc = rc, rdoc
		require.Equal(t, want.RawString(), doc.Source())
		require.Equal(t, strictjson.Object, doc.Kind())
	})
	if wantErr != nil {
		require.EqualError(t, err, wantErr.Error())
		return
	}
	require.NoError(t, err)
	require.Equal(t, strictjson.Invalid, doc.Kind(), "the document outlived the read")
	require.Equal(t, typed(want), typed(c), "ReadDocument reads the input differently from Parse")
	require.Equal(t, want.Validate(), c.Validate(), "Validate differs")

	// ReadScoped's credential is compared during the read: its objects are
	// recycled after it.
	called := false
	err = ReadScoped(string(data), func(c *Credential, doc strictjson.Value) {
		called = true
		require.Equal(t, want.RawString(), doc.Source())
		require.Equal(t, typed(want), typed(c), "ReadScoped reads the input differently from Parse")
		require.Equal(t, want.Validate(), c.Validate(), "Validate differs (ReadScoped)")
	})
	require.NoError(t, err)
	require.True(t, called)
}
