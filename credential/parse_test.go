package credential

import (
	"github.com/microcred/openbadges/internal/strictjson"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts ParseOptions
		want error
		path string
	}{
		{"duplicate key", `{"id":"urn:a","type":"VerifiableCredential","id":"urn:b"}`, ParseOptions{}, ErrDuplicateKey, "$.id"},
		{"nested duplicate", `{"credentialSubject":{"achievement":{"name":"a","name":"b"}}}`, ParseOptions{}, ErrDuplicateKey, "$.credentialSubject.achievement.name"},
		{"case variant of a term", `{"validUntil":"2030-01-01T00:00:00Z","ValidUntil":"2000-01-01T00:00:00Z"}`, ParseOptions{}, ErrCaseVariantKey, "$.ValidUntil"},
		{"case variant alone", `{"credentialSubject":{"Achievement":"https://example.org/a"}}`, ParseOptions{}, ErrCaseVariantKey, "$.credentialSubject.Achievement"},
		{"case variant in a set item", `{"proof":[{"type":"X"},{"TYPE":"Y"}]}`, ParseOptions{}, ErrCaseVariantKey, "$.proof[1].TYPE"},
		{"case variant in an embedded issuer", `{"issuer":{"id":"urn:x","NAME":"n"}}`, ParseOptions{}, ErrCaseVariantKey, "$.issuer.NAME"},
		{"case variant of @context", `{"@Context":[]}`, ParseOptions{}, ErrCaseVariantKey, "$.@Context"},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", ParseOptions{}, ErrInvalidUTF8, "$.name"},
		{"lone surrogate", `{"name":"\ud800"}`, ParseOptions{}, ErrInvalidUTF8, "$.name"},
		{"syntax", `{"name":}`, ParseOptions{}, ErrMalformedJSON, "$.name"},
		{"trailing data", `{} {}`, ParseOptions{}, ErrMalformedJSON, "$"},
		{"not an object", `["VerifiableCredential"]`, ParseOptions{}, ErrNotObject, "$"},
		{"too large", `{"name":"` + strings.Repeat("x", 100) + `"}`, ParseOptions{MaxBytes: 64}, ErrTooLarge, "$"},
		{"too deep", `{"a":[[[[{"b":1}]]]]}`, ParseOptions{MaxDepth: 4}, ErrTooDeep, "$.a[0][0][0]"},
		{"too many keys", `{"a":1,"b":2,"c":3}`, ParseOptions{MaxKeys: 2}, ErrTooLarge, "$.c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseWith([]byte(tt.in), tt.opts)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not *ParseError", err)
			}
			if pe.Path != tt.path {
				t.Errorf("path %s, want %s", pe.Path, tt.path)
			}
			if !strings.HasPrefix(err.Error(), "credential: ") {
				t.Errorf("error text %q lacks the package prefix", err)
			}
		})
	}
}

// TestUnmarshalJSONIsStrict checks that the model's UnmarshalJSON methods,
// used by encoding/json, are as strict and case-sensitive as Parse.
func TestUnmarshalJSONIsStrict(t *testing.T) {
	var a Achievement
	if err := json.Unmarshal([]byte(`{"id":"urn:a","Name":"x"}`), &a); !errors.Is(err, ErrCaseVariantKey) {
		t.Errorf("case variant: got %v", err)
	}
	if err := json.Unmarshal([]byte(`{"id":"urn:a","id":"urn:b"}`), &a); !errors.Is(err, ErrDuplicateKey) {
		t.Errorf("duplicate: got %v", err)
	}
	if err := json.Unmarshal([]byte(`{"id":"urn:a","name":"x","ext":{"k":1}}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != "urn:a" || a.Name != "x" || string(a.Extra["ext"]) != `{"k":1}` {
		t.Errorf("got %+v", a)
	}
}

func TestParseKeepsFormsAndExtras(t *testing.T) {
	in := `{
	  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", {"extra": "https://example.org/extra"}],
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": "did:example:issuer",
	  "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "jws": "kept"},
	  "credentialSubject": {"type": "AchievementSubject", "achievement": {"id": "urn:a", "type": ["Achievement"], "name": {"@value": "Nom", "@language": "fr"}}},
	  "extra": {"nested": [1, 2.50, "x"], "n": 12345678901234567890},
	  "validFrom": "2010-01-01T00:00:00.000Z"
	}`
	c, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer.URI != "did:example:issuer" || c.Issuer.Profile != nil || c.Issuer.ID() != "did:example:issuer" {
		t.Errorf("issuer: %+v", c.Issuer)
	}
	if !c.Proof.Single || len(c.Proof.Items) != 1 || c.Proof.Items[0].Cryptosuite != "eddsa-rdfc-2022" {
		t.Errorf("proof: %+v", c.Proof)
	}
	if c.Type.Single || !HasType(c.Type, "OpenBadgeCredential") {
		t.Errorf("type: %+v", c.Type)
	}
	s := c.Subject()
	if !s.Type.Single || s.Achievement.Achievement == nil || s.Achievement.ID() != "urn:a" {
		t.Errorf("subject: %+v", s)
	}
	if got := string(s.Achievement.Achievement.Extra["name"]); got != `{"@language":"fr","@value":"Nom"}` {
		t.Errorf("language value kept as %s", got)
	}
	if string(c.Extra["extra"]) != `{"n":12345678901234567890,"nested":[1,2.50,"x"]}` {
		t.Errorf("extra kept as %s", c.Extra["extra"])
	}
	if string(c.Raw()) != in {
		t.Error("Raw is not the input")
	}
	if document(c)["validFrom"] != "2010-01-01T00:00:00.000Z" {
		t.Errorf("Document: %v", document(c)["validFrom"])
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"proof":{`, `"issuer":"did:example:issuer"`, `"type":"AchievementSubject"`,
		`"validFrom":"2010-01-01T00:00:00.000Z"`, `12345678901234567890`, `"jws":"kept"`, `{"extra":"https://example.org/extra"}`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if ps := c.Validate(); ps.HasErrors() {
		// id and the achievement's criteria and description are missing.
		if !has(ps, "$", "required", SeverityError) || !has(ps, "$.credentialSubject.achievement", "required", SeverityError) {
			t.Errorf("problems: %v", ps)
		}
	}
}

// TestRoundTripModifiedVector checks that a change made through the typed
// model shows in the output while everything else survives.
func TestRoundTripModifiedVector(t *testing.T) {
	dir, _ := exampleCredentials(t)
	data, err := os.ReadFile(filepath.Join(dir, "ob-spec/examples/extracted/fullOpenBadge.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c.Subject().Achievement.Achievement.Name = "Renamed"
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var before, after map[string]any
	_ = json.Unmarshal(data, &before)
	_ = json.Unmarshal(out, &after)
	ach := after["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	if ach["name"] != "Renamed" {
		t.Fatalf("name not changed: %v", ach["name"])
	}
	ach["name"] = before["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["name"]
	if !reflect.DeepEqual(before, after) {
		t.Error("other members changed")
	}
}

func TestValidityPeriodAndKind(t *testing.T) {
	c, err := Parse([]byte(v11Badge))
	if err != nil {
		t.Fatal(err)
	}
	from, until, err := c.ValidityPeriod()
	if err != nil || from.Format(time.RFC3339) != "2010-01-01T00:00:00Z" || !until.IsZero() {
		t.Errorf("VCDM 1.1: %v %v %v", from, until, err)
	}
	if !c.IsBadge() || !c.IsVCDM11() {
		t.Error("VCDM 1.1 badge not recognised")
	}
	c, err = Parse([]byte(plainVC))
	if err != nil {
		t.Fatal(err)
	}
	if c.IsBadge() || c.IsVCDM11() {
		t.Error("plain VC taken for a badge or VCDM 1.1")
	}
	c.ValidUntil = "2030-01-01T00:00:00"
	if _, _, err := c.ValidityPeriod(); err == nil {
		t.Error("date without time zone accepted")
	}
}

func TestUnmarshalValueTypes(t *testing.T) {
	var r ProfileRef
	if err := json.Unmarshal([]byte(`"did:example:1"`), &r); err != nil || r.ID() != "did:example:1" {
		t.Errorf("ProfileRef from URI: %+v %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"id":"did:example:2","type":"Profile"}`), &r); err != nil || r.Profile == nil || r.ID() != "did:example:2" {
		t.Errorf("ProfileRef from object: %+v %v", r, err)
	}
	if err := json.Unmarshal([]byte(`["did:example:1"]`), &r); !errors.Is(err, ErrShape) {
		t.Errorf("ProfileRef from array: %v", err)
	}
	var a AchievementRef
	if err := json.Unmarshal([]byte(`{"id":"urn:a","Name":"x"}`), &a); !errors.Is(err, ErrCaseVariantKey) {
		t.Errorf("AchievementRef case variant: %v", err)
	}
	var s Set[Proof]
	if err := json.Unmarshal([]byte(`{"type":"DataIntegrityProof"}`), &s); err != nil || !s.Single || len(s.Items) != 1 {
		t.Errorf("Set from single value: %+v %v", s, err)
	}
	if b, _ := json.Marshal(s); string(b) != `{"type":"DataIntegrityProof"}` {
		t.Errorf("Set written as %s", b)
	}
	var ctx Set[ContextEntry]
	if err := json.Unmarshal([]byte(`["https://www.w3.org/ns/credentials/v2",{"a":"https://example.org/a"}]`), &ctx); err != nil || len(ctx.Items) != 2 || ctx.Items[1].URL != "" {
		t.Errorf("context: %+v %v", ctx, err)
	}
}

// TestAppendJSONMatchesEncodingJSON checks the fast encoder of kept members
// against encoding/json (without HTML escaping).
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		`{"b":[1,2.50,-0,1e300],"a":{"z":null,"y":true,"x":false},"c":"\"\\/\b\f\n\r\t\u0001\u001f<>&\u2028\u2029é😀"}`,
		`[]`, `{}`, `""`, `"\u007f"`,
	} {
		var x any
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if err := d.Decode(&x); err != nil {
			t.Fatal(err)
		}
		want, err := marshalJSON(x)
		if err != nil {
			t.Fatal(err)
		}
		v, err := strictjson.Parse(s, strictjson.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSON(nil, v); string(got) != string(want) {
			t.Errorf("appendJSON(%s)\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestEndorsementCredentialValidate checks that an endorsement read into an
// EndorsementCredential gets the same verdict as through Credential.
func TestEndorsementCredentialValidate(t *testing.T) {
	dir, _ := exampleCredentials(t)
	for _, name := range []string{"1edtech-validator/ob30/endorsement-valid.json", "ob-spec/examples/extracted/endorsement.json", "1edtech-validator/ob30/endorsement-err-schema-status-refresh.json"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var e EndorsementCredential
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatal(err)
		}
		c, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		pe, pc := e.Validate(), c.Validate()
		if pe.HasErrors() || pc.HasErrors() || len(pe.Warnings()) != len(pc.Warnings()) {
			t.Errorf("%s:\nas EndorsementCredential: %v\nas Credential: %v", name, pe, pc)
		}
		if e.CredentialSubject.Items[0].EndorsementComment == "" {
			t.Errorf("%s: endorsementComment not read", name)
		}
	}
}

// TestCaseVariantErrorStable checks that of several keys that differ from a
// term only by case, Parse and json.Unmarshal always report the same one:
// the first in name order, depth first (the decoders visit members in Go's
// random map order).
func TestCaseVariantErrorStable(t *testing.T) {
	data := []byte(`{"credentialSubject":{"achievement":{"resultDescription":[{"Name":"a"}],"alignmeNt":[],"Type":"x"}},"vAlidFrom":"2020-01-01T00:00:00Z","iD":"urn:x"}`)
	for range 50 {
		_, err := Parse(data)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrCaseVariantKey) || pe.Path != `$.credentialSubject.achievement.Type` {
			t.Fatalf("want the case-variant key $.credentialSubject.achievement.Type, got %v", err)
		}
		var a Achievement
		err = json.Unmarshal([]byte(`{"resultDescription":[{"Name":"a"}],"alignmeNt":[],"Type":"x"}`), &a)
		if !errors.As(err, &pe) || pe.Path != `$.Type` {
			t.Fatalf("json.Unmarshal: want $.Type, got %v", err)
		}
	}
}
