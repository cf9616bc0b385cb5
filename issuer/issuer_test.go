package issuer_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

func newIssuer(t testing.TB, seed byte, suite dataintegrity.SuiteName) *issuer.Issuer {
	t.Helper()
	priv, _, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Suite: suite, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// badge returns a valid OB 3.0 credential; issuerJSON is the issuer
// member's JSON, or "" to leave it out.
func badge(issuerJSON string) []byte {
	iss := ""
	if issuerJSON != "" {
		iss = `"issuer": ` + issuerJSON + `,`
	}
	return []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:5e3c1a2b-7d4f-4a8e-9b61-0f2d3c4b5a69",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "First Aid <Basic> & CPR",
  ` + iss + `
  "validFrom": "2026-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:learner-7",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.edu/achievements/first-aid",
      "type": ["Achievement"],
      "name": "First Aid",
      "description": "Basic first aid and CPR.",
      "criteria": {"narrative": "Complete the course."}
    }
  }
}`)
}

func verifierFor(t testing.TB) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{
		Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020},
		Now:    fixedClock(testNow),
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}

func mustVerify(t testing.TB, signed []byte) {
	t.Helper()
	r, err := verifierFor(t).Verify(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Verified {
		t.Fatalf("signed credential does not verify: %s", r.Summary())
	}
}

func TestIssueFillsIssuer(t *testing.T) {
	is := newIssuer(t, 1, "")
	_, did1, vm1 := testKey(1)
	if is.Controller() != did1 {
		t.Fatalf("Controller = %q, want %q", is.Controller(), did1)
	}
	tests := []struct{ name, issuer string }{
		{"absent", ""},
		{"profile without id", `{"type": ["Profile"], "name": "Example College"}`},
		{"same id", `"` + did1 + `"`},
		{"same profile id", `{"id": "` + did1 + `", "type": ["Profile"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := is.IssueJSON(context.Background(), badge(tt.issuer))
			if err != nil {
				t.Fatal(err)
			}
			m := decode(t, out)
			var id any
			switch iss := m["issuer"].(type) {
			case string:
				id = iss
			case map[string]any:
				id = iss["id"]
			}
			if id != did1 {
				t.Errorf("issuer id = %v, want %s", id, did1)
			}
			p := m["proof"].(map[string]any)
			if p["verificationMethod"] != vm1 || p["cryptosuite"] != "eddsa-rdfc-2022" || p["created"] != "2026-03-01T12:00:00Z" || p["proofPurpose"] != "assertionMethod" {
				t.Errorf("proof = %v", p)
			}
			if !strings.Contains(string(out), "<Basic> &") {
				t.Error("HTML characters were escaped")
			}
			mustVerify(t, out)
		})
	}
}

func TestIssueRefusesOtherIssuer(t *testing.T) {
	is := newIssuer(t, 1, "")
	_, did2, _ := testKey(2)
	for _, iss := range []string{`"` + did2 + `"`, `{"id": "` + did2 + `", "type": ["Profile"]}`} {
		_, err := is.IssueJSON(context.Background(), badge(iss))
		if !errors.Is(err, issuer.ErrIssuerMismatch) {
			t.Errorf("issuer %s: err = %v, want ErrIssuerMismatch", iss, err)
		}
	}
}

func TestIssueRefusesInvalid(t *testing.T) {
	is := newIssuer(t, 1, "")
	invalid := bytes.Replace(badge(""), []byte(`"criteria": {"narrative": "Complete the course."}`), []byte(`"tag": ["x"]`), 1)
	out, err := is.IssueJSON(context.Background(), invalid)
	if out != nil || !errors.Is(err, issuer.ErrInvalidCredential) {
		t.Fatalf("out=%s err=%v, want ErrInvalidCredential and no output", out, err)
	}
	var ve *issuer.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems.Errors()) == 0 {
		t.Fatalf("err %v is not a ValidationError with problems", err)
	}
	if p := ve.Problems.Errors()[0]; !strings.Contains(p.Path+p.Message, "criteria") {
		t.Errorf("problem %v does not name criteria", ve.Problems.Errors()[0])
	}
	for _, bad := range [][]byte{[]byte(`{`), []byte(`{"a":1,"a":2}`), []byte(`[]`)} {
		if _, err := is.IssueJSON(context.Background(), bad); !errors.Is(err, issuer.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestIssueContexts(t *testing.T) {
	v11 := bytes.Replace(bytes.Replace(badge(""), []byte(`"https://www.w3.org/ns/credentials/v2"`), []byte(`"https://www.w3.org/2018/credentials/v1"`), 1),
		[]byte(`"validFrom"`), []byte(`"issuanceDate"`), 1)
	tests := []struct {
		name  string
		suite dataintegrity.SuiteName
		in    []byte
		want  []string // contexts after the first two
	}{
		{"2.0 eddsa-rdfc-2022", dataintegrity.SuiteEdDSARDFC2022, badge(""), nil},
		{"2.0 eddsa-jcs-2022", dataintegrity.SuiteEdDSAJCS2022, badge(""), nil},
		{"2.0 Ed25519Signature2020", dataintegrity.SuiteEd25519Signature2020, badge(""), []string{did.ContextEd25519}},
		{"1.1 eddsa-rdfc-2022", dataintegrity.SuiteEdDSARDFC2022, v11, []string{dataintegrity.ContextDataIntegrityV2}},
		{"1.1 eddsa-jcs-2022", dataintegrity.SuiteEdDSAJCS2022, v11, []string{dataintegrity.ContextDataIntegrityV2}},
		{"1.1 Ed25519Signature2020", dataintegrity.SuiteEd25519Signature2020, v11, []string{did.ContextEd25519}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := newIssuer(t, 1, tt.suite).IssueJSON(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			ctxs := decode(t, out)["@context"].([]any)
			var extra []string
			for _, c := range ctxs[2:] {
				extra = append(extra, c.(string))
			}
			if strings.Join(extra, " ") != strings.Join(tt.want, " ") {
				t.Errorf("added contexts %v, want %v", extra, tt.want)
			}
			mustVerify(t, out)
		})
	}
}

func TestIssueTyped(t *testing.T) {
	c := &credential.Credential{
		Envelope: credential.Envelope{
			Context:   credential.Contexts(credential.ContextV2, credential.ContextOB),
			ID:        "urn:uuid:0b7e2c4a-1f3d-4e5a-8b6c-7d8e9f0a1b2c",
			Type:      credential.TypeOf("VerifiableCredential", "OpenBadgeCredential"),
			Name:      "Forklift Operation",
			ValidFrom: credential.DateTimeOf(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)),
		},
		CredentialSubject: credential.One(credential.AchievementSubject{
			ID:   "did:example:learner-9",
			Type: credential.TypeOf("AchievementSubject"),
			Achievement: credential.AchievementRef{Achievement: &credential.Achievement{
				ID:          "https://example.edu/achievements/forklift",
				Type:        credential.TypeOf("Achievement"),
				Name:        "Forklift Operation",
				Description: "Safe forklift operation.",
				Criteria:    &credential.Criteria{Narrative: "Pass the practical test."},
			}},
		}),
	}
	out, err := newIssuer(t, 1, "").Issue(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, out)
	if c.Issuer.ID() != "" {
		t.Error("Issue modified its argument")
	}
	// A parsed credential is signed as read, unknown members included.
	parsed, err := credential.Parse(bytes.Replace(badge(""), []byte(`"name": "First Aid <Basic> & CPR",`), []byte(`"name": "First Aid <Basic> & CPR", "awardedDate": "2026-01-02T00:00:00Z",`), 1))
	if err != nil {
		t.Fatal(err)
	}
	out, err = newIssuer(t, 1, "").Issue(context.Background(), parsed)
	if err != nil {
		t.Fatal(err)
	}
	if decode(t, out)["awardedDate"] != "2026-01-02T00:00:00Z" {
		t.Error("member lost")
	}
	if _, err := newIssuer(t, 1, "").Issue(context.Background(), nil); !errors.Is(err, issuer.ErrMalformed) {
		t.Errorf("nil credential: %v", err)
	}
}

func TestIssueDeterministic(t *testing.T) {
	a, err := newIssuer(t, 1, "").IssueJSON(context.Background(), badge(""))
	if err != nil {
		t.Fatal(err)
	}
	b, err := newIssuer(t, 1, "").IssueJSON(context.Background(), badge(""))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("same key, clock and credential gave different output")
	}
}

func TestIssueBatch(t *testing.T) {
	is := newIssuer(t, 1, "")
	_, did2, _ := testKey(2)
	var cs []*credential.Credential
	for i := range 20 {
		in := badge("")
		if i%5 == 3 {
			in = badge(`"` + did2 + `"`)
		}
		c, err := credential.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	cs = append(cs, nil)
	out := is.IssueBatch(context.Background(), cs)
	if len(out) != len(cs) {
		t.Fatalf("%d outcomes for %d credentials", len(out), len(cs))
	}
	for i, o := range out {
		switch {
		case i == len(cs)-1:
			if !errors.Is(o.Err, issuer.ErrMalformed) {
				t.Errorf("%d: err = %v, want ErrMalformed", i, o.Err)
			}
		case i%5 == 3:
			if !errors.Is(o.Err, issuer.ErrIssuerMismatch) || o.Signed != nil {
				t.Errorf("%d: err = %v, want ErrIssuerMismatch", i, o.Err)
			}
		default:
			if o.Err != nil {
				t.Errorf("%d: %v", i, o.Err)
				continue
			}
			mustVerify(t, o.Signed)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i, o := range is.IssueBatch(ctx, cs[:4]) {
		if !errors.Is(o.Err, context.Canceled) {
			t.Errorf("canceled batch, %d: err = %v", i, o.Err)
		}
	}
	if len(is.IssueBatch(context.Background(), nil)) != 0 {
		t.Error("empty batch")
	}
}

func TestNew(t *testing.T) {
	priv, _, vm := testKey(1)
	bad := []issuer.Config{
		{VerificationMethod: vm},
		{Signer: priv},
		{Signer: priv, VerificationMethod: vm, Suite: "no-such-suite"},
		{Signer: priv, VerificationMethod: vm, Format: issuer.FormatJWT, Suite: dataintegrity.SuiteEdDSARDFC2022},
		{Signer: priv, VerificationMethod: vm, Format: 7},
	}
	for i, c := range bad {
		if _, err := issuer.New(c); err == nil {
			t.Errorf("config %d accepted", i)
		}
	}
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: "https://example.edu/issuers/1#key-1"})
	if err != nil || is.Controller() != "https://example.edu/issuers/1" {
		t.Fatalf("controller of an https method: %v %v", is, err)
	}
}

func TestIssueKeepsMemberOrder(t *testing.T) {
	out, err := newIssuer(t, 1, "").IssueJSON(context.Background(), badge(""))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	last := -1
	for _, k := range []string{`"@context"`, `"id"`, `"type"`, `"name"`, `"validFrom"`, `"credentialSubject"`, `"issuer"`, `"proof"`, `"cryptosuite"`, `"created"`, `"verificationMethod"`, `"proofValue"`} {
		i := strings.Index(s, k)
		if i < last {
			t.Fatalf("%s out of order in %s", k, s)
		}
		last = i
	}
}

// A plain VC (not a badge) without an issuer gets the key's controller as a
// plain URI: the base VC contexts do not define the OB Profile type, so a
// Profile object would be a relative @type and fail safe-mode expansion.
func TestIssueFillsIssuerOfPlainVC(t *testing.T) {
	is := newIssuer(t, 1, "")
	_, did1, _ := testKey(1)
	vc := []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"type": ["VerifiableCredential"],
		"credentialSubject": {"id": "did:example:subject"}
	}`)
	out, err := is.IssueJSON(context.Background(), vc)
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, out)["issuer"]; got != did1 {
		t.Fatalf("issuer = %v, want the plain URI %s", got, did1)
	}
	mustVerify(t, out)
}
