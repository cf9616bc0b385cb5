package credential

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestHashIdentityKnownAnswer(t *testing.T) {
	// sha256("a@example.com" + "Kosher"), the example of the OB 3.0
	// specification's IdentityObject (see shared/reference/NOTES.md).
	const want = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
	if got := HashIdentity("a@example.com", "Kosher"); got != want {
		t.Fatalf("HashIdentity = %s, want %s", got, want)
	}
}

func TestMatchIdentity(t *testing.T) {
	yes, no := true, false
	md5sum := md5.Sum([]byte("a@example.comKosher"))
	md5hex := hex.EncodeToString(md5sum[:])
	sha := HashIdentity("a@example.com", "Kosher")
	tests := []struct {
		name  string
		obj   IdentityObject
		value string
		want  bool
	}{
		{"sha256", IdentityObject{Hashed: &yes, IdentityHash: sha, Salt: "Kosher"}, "a@example.com", true},
		{"sha256 upper-case hex", IdentityObject{Hashed: &yes, IdentityHash: "sha256$" + strings.ToUpper(sha[7:]), Salt: "Kosher"}, "a@example.com", true},
		{"sha256 wrong value", IdentityObject{Hashed: &yes, IdentityHash: sha, Salt: "Kosher"}, "b@example.com", false},
		{"sha256 wrong salt", IdentityObject{Hashed: &yes, IdentityHash: sha, Salt: "Kosher2"}, "a@example.com", false},
		{"md5", IdentityObject{Hashed: &yes, IdentityHash: "md5$" + md5hex, Salt: "Kosher"}, "a@example.com", true},
		{"md5 upper-case", IdentityObject{Hashed: &yes, IdentityHash: "MD5$" + strings.ToUpper(md5hex), Salt: "Kosher"}, "a@example.com", true},
		{"unknown algorithm", IdentityObject{Hashed: &yes, IdentityHash: "sha1$00", Salt: "Kosher"}, "a@example.com", false},
		{"no algorithm", IdentityObject{Hashed: &yes, IdentityHash: sha[7:], Salt: "Kosher"}, "a@example.com", false},
		{"truncated digest", IdentityObject{Hashed: &yes, IdentityHash: sha[:20], Salt: "Kosher"}, "a@example.com", false},
		{"plain text", IdentityObject{Hashed: &no, IdentityHash: "a@example.com"}, "a@example.com", true},
		{"plain text differs", IdentityObject{Hashed: &no, IdentityHash: "a@example.com"}, "A@example.com", false},
		{"plain text is not hashed", IdentityObject{Hashed: &no, IdentityHash: sha, Salt: "Kosher"}, "a@example.com", false},
	}
	for _, tt := range tests {
		if got := MatchIdentity(tt.obj, tt.value); got != tt.want {
			t.Errorf("%s: MatchIdentity = %v, want %v", tt.name, got, tt.want)
		}
	}
	s := AchievementSubject{Identifier: Many(HashedIdentity("emailAddress", "a@example.com", "salt"))}
	if !s.HasIdentity("emailAddress", "a@example.com") {
		t.Error("HasIdentity: no match")
	}
	if s.HasIdentity("name", "a@example.com") {
		t.Error("HasIdentity matched another identityType")
	}
	if ps := (&Credential{}).Validate(); !ps.HasErrors() {
		t.Error("empty credential valid")
	}
}

func TestNewID(t *testing.T) {
	id, err := NewID(bytes.NewReader(bytes.Repeat([]byte{0xff}, 16)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff"; id != want {
		t.Errorf("NewID = %s, want %s", id, want)
	}
	a, _ := NewID(nil)
	b, _ := NewID(nil)
	if a == b || !strings.HasPrefix(a, "urn:uuid:") || len(a) != len("urn:uuid:")+36 {
		t.Errorf("NewID(nil): %s, %s", a, b)
	}
	if _, err := NewID(iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("NewID ignored a read error")
	}
}

func TestSame(t *testing.T) {
	mk := func(id, issuer string) *Credential {
		c := &Credential{}
		c.ID = id
		c.Issuer = ProfileRef{URI: issuer}
		return c
	}
	a := mk("http://example.edu/credentials/3732", "https://example.edu/issuers/565049")
	b := mk(" http://example.edu/credentials/%33732 ", "https://example.edu/issuers/565049\n")
	b.Issuer = ProfileRef{Profile: &Profile{ID: "https://example.edu/issuers/565049"}}
	if !Same(a, b) {
		t.Error("percent-encoding and white space should not matter")
	}
	if Same(a, mk("http://example.edu/credentials/3733", "https://example.edu/issuers/565049")) {
		t.Error("different ids are the same")
	}
	if Same(a, mk("http://example.edu/credentials/3732", "https://example.edu/issuers/1")) {
		t.Error("different issuers are the same")
	}
	if Same(mk("", ""), mk("", "")) {
		t.Error("credentials without ids are the same")
	}
}

func TestProblems(t *testing.T) {
	ps := Problems{
		{Path: "$.a", Rule: "required", Message: "a is required", Severity: SeverityError},
		{Path: "$.b", Rule: "context.version", Message: "old", Severity: SeverityWarning, Standard: StandardOB3},
	}
	if !ps.HasErrors() || len(ps.Errors()) != 1 || len(ps.Warnings()) != 1 {
		t.Fatalf("filters: %v", ps)
	}
	err := ps.Err()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "$.a: a is required") || strings.Contains(err.Error(), "old") {
		t.Errorf("Err: %v", err)
	}
	if ps.Warnings().Err() != nil {
		t.Error("warnings alone are an error")
	}
	b, _ := json.Marshal(ps[1])
	if string(b) != `{"path":"$.b","rule":"context.version","message":"old","severity":"warning","standard":"ob3"}` {
		t.Errorf("JSON: %s", b)
	}
	var back Problem
	if err := json.Unmarshal(b, &back); err != nil || back != ps[1] {
		t.Errorf("JSON read back as %+v: %v", back, err)
	}
	for _, std := range []Standard{StandardVCDM, StandardOB3} {
		text, err := std.MarshalText()
		var got Standard
		if err != nil || got.UnmarshalText(text) != nil || got != std || string(text) != std.String() {
			t.Errorf("standard %d: text %q, read back as %v (%v)", std, text, got, err)
		}
	}
	if _, err := Standard(7).MarshalText(); err == nil {
		t.Error("an unknown standard marshalled")
	}
	if Standard(7).String() != "Standard(7)" {
		t.Errorf("String of an unknown standard: %s", Standard(7))
	}
	var std Standard
	if std.UnmarshalText([]byte("w3c")) == nil {
		t.Error("unknown standard accepted")
	}
	var s Severity
	if err := s.UnmarshalText([]byte("warning")); err != nil || s != SeverityWarning {
		t.Errorf("UnmarshalText: %v %v", s, err)
	}
	if s.UnmarshalText([]byte("fatal")) == nil {
		t.Error("unknown severity accepted")
	}
	if got := ps[0].String(); got != "error: $.a: a is required [required]" {
		t.Errorf("String: %s", got)
	}
}
