package presentation_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/verifier"
)

var (
	bindOpts   = presentation.Options{Challenge: testChallenge, Domain: testDomain}
	expectOpts = presentation.VerifyOptions{Challenge: testChallenge, Domain: testDomain}
)

func TestRoundTrip(t *testing.T) {
	hd := holderDID()
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", hd, dataintegrity.SuiteEdDSARDFC2022)
	jcs := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", hd, dataintegrity.SuiteEdDSAJCS2022)
	jwt := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000003", hd, "jwt")
	di11 := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000004", hd, "1.1/"+dataintegrity.SuiteEdDSARDFC2022)
	v := newVerifier(t, nil)
	for _, tc := range []struct {
		name    string
		version presentation.Version
		suite   dataintegrity.SuiteName
		creds   [][]byte
		formats []string
	}{
		{"one badge", presentation.V2, "", [][]byte{di}, []string{"json"}},
		{"several badges", presentation.V2, "", [][]byte{di, jcs}, []string{"json", "json"}},
		{"mixed DI and VC-JWT", presentation.V2, "", [][]byte{di, jwt, jcs}, []string{"json", "jwt", "json"}},
		{"jcs proof", presentation.V2, dataintegrity.SuiteEdDSAJCS2022, [][]byte{jwt, di}, []string{"jwt", "json"}},
		{"no credentials", presentation.V2, "", nil, nil},
		{"2.0 envelope, 1.1 badge", presentation.V2, "", [][]byte{di11, di}, []string{"json", "json"}},
		{"1.1 envelope", presentation.V1, "", [][]byte{di11}, []string{"json"}},
		{"1.1 envelope jcs with JWT string", presentation.V1, dataintegrity.SuiteEdDSAJCS2022, [][]byte{jwt, di11, di}, []string{"jwt", "json", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHolder(t, holderSeed, func(c *presentation.HolderConfig) { c.Suite = tc.suite })
			opts := bindOpts
			opts.Version = tc.version
			vp := present(t, h, opts, tc.creds...)
			r := verify(t, v, vp, presentation.VerifyOptions{Challenge: testChallenge, Domain: testDomain, RequireHolderIsSubject: true})
			if !r.Verified {
				t.Fatalf("not verified: %s\n%s", r.Summary(), vp)
			}
			if r.Holder != hd {
				t.Errorf("holder %q, want %q", r.Holder, hd)
			}
			if len(r.CredentialResults) != len(tc.formats) {
				t.Fatalf("%d credential results, want %d", len(r.CredentialResults), len(tc.formats))
			}
			for i, cr := range r.CredentialResults {
				if cr.Index != i || cr.Format != tc.formats[i] || !cr.Verified || cr.ID == "" {
					t.Errorf("credential %d: %+v", i, cr)
				}
			}
			if r.Err() != nil || len(r.ProblemDetails) != 0 {
				t.Errorf("Err %v, problems %v", r.Err(), r.ProblemDetails)
			}
			doc := decode(t, vp)
			proof := doc["proof"].(map[string]any)
			if proof["proofPurpose"] != "authentication" || proof["challenge"] != testChallenge || proof["domain"] != testDomain {
				t.Errorf("proof %v", proof)
			}
			if tc.version == presentation.V2 && len(tc.creds) > 0 {
				for i, f := range tc.formats {
					vc := doc["verifiableCredential"].([]any)[i].(map[string]any)
					if f == "jwt" && (vc["type"] != "EnvelopedVerifiableCredential" || !strings.HasPrefix(vc["id"].(string), "data:application/vc+jwt,ey")) {
						t.Errorf("enveloped credential %d: %v", i, vc)
					}
				}
			}
			if tc.version == presentation.V1 && tc.formats[0] == "jwt" {
				if _, ok := doc["verifiableCredential"].([]any)[0].(string); !ok {
					t.Errorf("1.1: VC-JWT not a string: %v", doc["verifiableCredential"])
				}
			}
		})
	}
}

// TestVerifyFailures covers each check of the presentation's proof.
func TestVerifyFailures(t *testing.T) {
	hd := holderDID()
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", hd, dataintegrity.SuiteEdDSARDFC2022)
	v := newVerifier(t, nil)
	h := newHolder(t, holderSeed, nil)
	good := present(t, h, bindOpts, di)
	_, strangerDID, strangerVM := testKey(strangerSeed)
	stranger := newHolder(t, strangerSeed, func(c *presentation.HolderConfig) { c.Holder = hd })
	_ = strangerDID

	withProof := func(mod func(map[string]any)) []byte {
		doc := decode(t, good)
		mod(doc["proof"].(map[string]any))
		return encode(t, doc)
	}
	for _, tc := range []struct {
		name     string
		vp       []byte
		opts     presentation.VerifyOptions
		problem  string
		sentinel error
	}{
		{"wrong challenge", good, presentation.VerifyOptions{Challenge: "other", Domain: testDomain},
			presentation.ProblemInvalidChallenge, dataintegrity.ErrChallengeMismatch},
		{"missing challenge", present(t, h, presentation.Options{Domain: testDomain, InsecureNoChallenge: true}, di), expectOpts,
			presentation.ProblemInvalidChallenge, dataintegrity.ErrChallengeMismatch},
		{"wrong domain", good, presentation.VerifyOptions{Challenge: testChallenge, Domain: "https://evil.example"},
			presentation.ProblemInvalidDomain, dataintegrity.ErrDomainMismatch},
		{"missing domain", present(t, h, presentation.Options{Challenge: testChallenge}, di), expectOpts,
			presentation.ProblemInvalidDomain, dataintegrity.ErrDomainMismatch},
		{"key not the holder's", present(t, stranger, bindOpts, di), expectOpts,
			presentation.ProblemProofVerification, presentation.ErrHolderMismatch},
		{"purpose assertionMethod", withProof(func(p map[string]any) { p["proofPurpose"] = "assertionMethod" }), expectOpts,
			presentation.ProblemProofVerification, dataintegrity.ErrPurposeMismatch},
		{"challenge edited after signing", withProof(func(p map[string]any) { p["challenge"] = "other" }), presentation.VerifyOptions{Challenge: "other", Domain: testDomain},
			presentation.ProblemProofVerification, dataintegrity.ErrInvalidSignature},
		{"proofValue replaced", withProof(func(p map[string]any) {
			p["proofValue"] = dataintegrity.EncodeProofValue(make([]byte, 64))
		}), expectOpts, presentation.ProblemProofVerification, dataintegrity.ErrInvalidSignature},
		{"holder swapped", func() []byte {
			doc := decode(t, good)
			doc["holder"] = strangerDID
			return encode(t, doc)
		}(), expectOpts, presentation.ProblemProofVerification, presentation.ErrHolderMismatch},
		{"no holder, holder required", presentWithoutHolder(t, strangerSeed, di),
			presentation.VerifyOptions{Challenge: testChallenge, Domain: testDomain, RequireHolder: true},
			presentation.ProblemProofVerification, presentation.ErrNoHolder},
		{"holder removed after signing", func() []byte {
			doc := decode(t, good)
			delete(doc, "holder")
			return encode(t, doc)
		}(), expectOpts, presentation.ProblemProofVerification, dataintegrity.ErrInvalidSignature},
		{"unsigned", compose(t, h.ID(), di), presentation.VerifyOptions{},
			presentation.ProblemProofVerification, presentation.ErrNoProof},
		{"vm not in the holder's document", withProof(func(p map[string]any) { p["verificationMethod"] = strangerVM + "x" }), expectOpts,
			presentation.ProblemProofVerification, did.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := verify(t, v, tc.vp, tc.opts)
			if r.Verified || r.PresentationResult.Verified {
				t.Fatalf("verified: %s", r.Summary())
			}
			if len(r.ProblemDetails) == 0 || r.ProblemDetails[0].Type != tc.problem {
				t.Errorf("problem types %q, want %s first (%s)", problemTypes(r), tc.problem, r.Summary())
			}
			if !errors.Is(r.Err(), tc.sentinel) {
				t.Errorf("Err() = %v, want %v", r.Err(), tc.sentinel)
			}
			// The credential itself is fine and says so.
			if len(r.CredentialResults) == 1 && !r.CredentialResults[0].Verified {
				t.Errorf("credential not verified: %s", r.CredentialResults[0].Summary())
			}
		})
	}
}

// TestTamperedCredential: one credential of three edited after issuance fails
// the presentation, and the result names it.
func TestTamperedCredential(t *testing.T) {
	hd := holderDID()
	a := badge(t, "urn:uuid:00000000-0000-4000-8000-00000000000a", hd, dataintegrity.SuiteEdDSARDFC2022)
	b := badge(t, "urn:uuid:00000000-0000-4000-8000-00000000000b", hd, dataintegrity.SuiteEdDSARDFC2022)
	c := badge(t, "urn:uuid:00000000-0000-4000-8000-00000000000c", hd, "jwt")
	b = []byte(strings.Replace(string(b), "Welding Safety Level 1", "Welding Master Level 9", 1))
	h := newHolder(t, holderSeed, nil)
	vp := present(t, h, bindOpts, a, b, c) // the holder signs over the tampered badge
	r := verify(t, newVerifier(t, nil), vp, expectOpts)
	if r.Verified {
		t.Fatal("verified")
	}
	if !r.PresentationResult.Verified {
		t.Errorf("the presentation's own checks should pass: %v", r.PresentationResult.Errors)
	}
	for i, want := range []bool{true, false, true} {
		if r.CredentialResults[i].Verified != want {
			t.Errorf("credential %d verified = %v, want %v", i, r.CredentialResults[i].Verified, want)
		}
	}
	if len(r.ProblemDetails) != 1 {
		t.Fatalf("problems: %v", r.ProblemDetails)
	}
	p := r.ProblemDetails[0]
	if p.Path != "$.verifiableCredential[1]" || !strings.Contains(p.Detail, "urn:uuid:00000000-0000-4000-8000-00000000000b") {
		t.Errorf("problem does not name the credential: %+v", p)
	}
	if !errors.Is(r.Err(), presentation.ErrCredential) || !errors.Is(r.Err(), dataintegrity.ErrInvalidSignature) {
		t.Errorf("Err() = %v", r.Err())
	}
	// And the JSON form says the same.
	var j struct {
		Verified          bool
		CredentialResults []struct {
			Index    int
			ID       string
			Verified bool
		}
	}
	if err := json.Unmarshal(encode(t, r), &j); err != nil {
		t.Fatal(err)
	}
	if j.Verified || j.CredentialResults[1].Verified || j.CredentialResults[1].ID != "urn:uuid:00000000-0000-4000-8000-00000000000b" || !j.CredentialResults[2].Verified {
		t.Errorf("JSON %+v", j)
	}
}

func TestHolderIsSubject(t *testing.T) {
	hd := holderDID()
	mine := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", hd, dataintegrity.SuiteEdDSARDFC2022)
	theirs := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", "did:example:someone-else", "jwt")
	vp := present(t, newHolder(t, holderSeed, nil), bindOpts, mine, theirs)
	v := newVerifier(t, nil)
	if r := verify(t, v, vp, expectOpts); !r.Verified {
		t.Fatalf("without the subject check: %s", r.Summary())
	}
	opts := expectOpts
	opts.RequireHolderIsSubject = true
	r := verify(t, v, vp, opts)
	if r.Verified || !errors.Is(r.Err(), presentation.ErrSubjectNotHolder) {
		t.Fatalf("with the subject check: %s", r.Summary())
	}
	if !strings.Contains(r.ProblemDetails[0].Path, "[1]") {
		t.Errorf("path %q", r.ProblemDetails[0].Path)
	}
}

func TestUnsignedOptIn(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	vp := compose(t, "", di)
	v := newVerifier(t, func(c *presentation.VerifierConfig) { c.InsecureAllowUnsigned = true })
	r := verify(t, v, vp, presentation.VerifyOptions{})
	if !r.Verified || len(r.Warnings) == 0 || !errors.Is(r.Warnings[0].Err, presentation.ErrNoProof) {
		t.Fatalf("unsigned, opted in: %s", r.Summary())
	}
	for _, o := range []presentation.VerifyOptions{{Challenge: "x"}, {Domain: "https://a.example"}, {RequireHolderIsSubject: true}} {
		if r := verify(t, v, vp, o); r.Verified {
			t.Errorf("%+v: unsigned presentation verified", o)
		}
	}
}

func TestNoChallengeWarns(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	vp := present(t, newHolder(t, holderSeed, nil), bindOpts, di)
	r := verify(t, newVerifier(t, nil), vp, presentation.VerifyOptions{})
	if !r.Verified || len(r.Warnings) == 0 || r.Warnings[0].Type != presentation.ProblemInvalidChallenge {
		t.Fatalf("%s: warnings %v", r.Summary(), r.Warnings)
	}
}

// TestMalformed: the data-model rules of presentations (VCDM 2.0 test
// suite's presentation-*-fail fixtures, reproduced by hand).
func TestMalformed(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	good := string(present(t, newHolder(t, holderSeed, nil), bindOpts, di))
	v := newVerifier(t, nil)
	edit := func(mod func(map[string]any)) string {
		doc := decode(t, []byte(good))
		mod(doc)
		return string(encode(t, doc))
	}
	for name, vp := range map[string]string{
		"not JSON":         `{"@context":`,
		"array":            `[]`,
		"duplicate key":    `{"type":"VerifiablePresentation","type":"VerifiablePresentation"}`,
		"case-variant key": `{"type":"VerifiablePresentation","Type":"x"}`,
		"no context":       edit(func(m map[string]any) { delete(m, "@context") }),
		"context order": edit(func(m map[string]any) {
			m["@context"] = []any{"https://w3id.org/security/data-integrity/v2", credential.ContextV2}
		}),
		"no type":             edit(func(m map[string]any) { delete(m, "type") }),
		"missing VP type":     edit(func(m map[string]any) { m["type"] = []any{"Presentation"} }),
		"holder not a URL":    edit(func(m map[string]any) { m["holder"] = "not a url" }),
		"holder object no id": edit(func(m map[string]any) { m["holder"] = map[string]any{"name": "x"} }),
		"holder number":       edit(func(m map[string]any) { m["holder"] = 3 }),
		"id not a URL":        edit(func(m map[string]any) { m["id"] = "nope" }),
		"vc null":             edit(func(m map[string]any) { m["verifiableCredential"] = nil }),
	} {
		t.Run(name, func(t *testing.T) {
			r := verify(t, v, []byte(vp), expectOpts)
			if r.Verified || !errors.Is(r.Err(), presentation.ErrMalformed) {
				t.Fatalf("%s", r.Summary())
			}
		})
	}
}

// TestMalformedCredentialEntries: a bad entry in verifiableCredential is
// that credential's failure.
func TestMalformedCredentialEntries(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	jwt := string(badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", holderDID(), "jwt"))
	v := newVerifier(t, nil)
	for name, tc := range map[string]struct {
		entry    any
		sentinel error
	}{
		"2.0 JWT as string":            {jwt, presentation.ErrMalformed},
		"envelope without data URL":    {map[string]any{"@context": credential.ContextV2, "type": "EnvelopedVerifiableCredential", "id": "https://example.com/" + jwt}, presentation.ErrMalformed},
		"envelope of another type":     {map[string]any{"@context": credential.ContextV2, "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+sd-jwt," + jwt}, presentation.ErrUnsupportedEnvelope},
		"envelope without JWS":         {map[string]any{"@context": credential.ContextV2, "type": "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,hello"}, presentation.ErrMalformed},
		"envelope missing type":        {map[string]any{"@context": credential.ContextV2, "id": "data:application/vc+jwt," + jwt}, verifier.ErrNoProof},
		"number":                       {42, presentation.ErrMalformed},
		"credential without its proof": {func() any { m := decode(t, di); delete(m, "proof"); return m }(), verifier.ErrNoProof},
	} {
		t.Run(name, func(t *testing.T) {
			doc := decode(t, compose(t, holderDID(), di))
			doc["verifiableCredential"] = append(doc["verifiableCredential"].([]any), tc.entry)
			vp := signDoc(t, doc)
			r := verify(t, v, vp, expectOpts)
			if r.Verified || !r.PresentationResult.Verified {
				t.Fatalf("%s", r.Summary())
			}
			if !r.CredentialResults[0].Verified || r.CredentialResults[1].Verified {
				t.Errorf("credential results: %v %v", r.CredentialResults[0].Verified, r.CredentialResults[1].Verified)
			}
			if !errors.Is(r.Err(), tc.sentinel) {
				t.Errorf("Err() = %v, want %v", r.Err(), tc.sentinel)
			}
		})
	}
}

// signDoc signs an arbitrary presentation document as the holder would.
func signDoc(t testing.TB, doc map[string]any) []byte {
	t.Helper()
	priv, _, vm := testKey(holderSeed)
	// eddsa-jcs-2022, so that the envelope signs whatever it holds: the
	// entries are judged as credentials, not by canonicalization.
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSAJCS2022, Key: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.AddProof(context.Background(), encode(t, doc), dataintegrity.ProofOptions{Purpose: "authentication", Challenge: testChallenge, Domain: []string{testDomain}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLimits(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	h := newHolder(t, holderSeed, func(c *presentation.HolderConfig) { c.Suite = dataintegrity.SuiteEdDSAJCS2022 })
	vp := present(t, h, bindOpts, di, di, di)
	for name, mod := range map[string]func(*presentation.VerifierConfig){
		"count":          func(c *presentation.VerifierConfig) { c.MaxCredentials = 2 },
		"total bytes":    func(c *presentation.VerifierConfig) { c.MaxBytes = len(vp) - 1 },
		"one credential": func(c *presentation.VerifierConfig) { c.MaxCredentialBytes = 100 },
	} {
		t.Run(name, func(t *testing.T) {
			r := verify(t, newVerifier(t, mod), vp, expectOpts)
			if r.Verified || !errors.Is(r.Err(), presentation.ErrTooLarge) {
				t.Fatalf("%s", r.Summary())
			}
		})
	}
	if r := verify(t, newVerifier(t, func(c *presentation.VerifierConfig) { c.MaxCredentials = 3 }), vp, expectOpts); !r.Verified {
		t.Errorf("at the limit: %s", r.Summary())
	}
}

func TestIsPresentation(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	jwt := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", holderDID(), "jwt")
	vp := present(t, newHolder(t, holderSeed, nil), bindOpts, di)
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{string(vp), true},
		{" \n" + string(vp), true},
		{`{"type":"VerifiablePresentation"}`, true},
		{string(di), false},
		{string(jwt), false},
		{`{"type":["VerifiableCredential"]}`, false},
		{`{"type":"VerifiablePresentation","type":"VerifiableCredential"}`, false},
		{``, false},
		{`[`, false},
	} {
		if got := presentation.IsPresentation([]byte(tc.in)); got != tc.want {
			t.Errorf("IsPresentation(%.40q) = %v", tc.in, got)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	rdfc := []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}
	_, err := presentation.NewVerifier(presentation.VerifierConfig{Suites: rdfc})
	assert.Error(t, err, "no Credentials accepted")
	cv, err := verifier.New(verifier.Config{Suites: rdfc})
	require.NoError(t, err)
	_, err = presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv})
	assert.Error(t, err, "no Suites accepted")
	_, err = presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv, Suites: []dataintegrity.SuiteName{"EdDSA", "RS256"}})
	assert.Error(t, err, "JOSE algorithm names accepted as suites")
	_, err = presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv, Suites: []dataintegrity.SuiteName{"rsa-2048"}})
	assert.Error(t, err, "unknown suite accepted")
	_, err = presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv, Suites: rdfc, MaxCredentials: -1})
	assert.Error(t, err, "negative limit accepted")
	var nilV *presentation.Verifier
	if _, err := nilV.Verify(context.Background(), nil, presentation.VerifyOptions{}); err == nil {
		t.Error("nil Verifier")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newVerifier(t, nil).Verify(ctx, []byte(`{}`), presentation.VerifyOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestRelationship: a key the holder lists under assertionMethod only may
// not authenticate, even with proofPurpose authentication.
func TestRelationship(t *testing.T) {
	priv, _, _ := testKey(holderSeed)
	mb, err := did.EncodePublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	const holder = "did:web:learner.example"
	docFor := func(rel string) *did.Document {
		raw := `{"@context":["https://www.w3.org/ns/did/v1"],"id":"` + holder + `",
			"verificationMethod":[{"id":"` + holder + `#k","type":"Multikey","controller":"` + holder + `","publicKeyMultibase":"` + mb + `"}],
			"` + rel + `":["` + holder + `#k"]}`
		d, err := did.ParseDocument([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holder, dataintegrity.SuiteEdDSARDFC2022)
	h := newHolder(t, holderSeed, func(c *presentation.HolderConfig) { c.VerificationMethod = holder + "#k" })
	vp := present(t, h, bindOpts, di)
	for rel, want := range map[string]bool{"authentication": true, "assertionMethod": false} {
		r, err := did.NewStaticResolver(docFor(rel))
		if err != nil {
			t.Fatal(err)
		}
		v := newVerifier(t, func(c *presentation.VerifierConfig) { c.Resolver = r })
		res := verify(t, v, vp, presentation.VerifyOptions{Challenge: testChallenge, Domain: testDomain, RequireHolderIsSubject: true})
		if res.Verified != want {
			t.Errorf("key under %s: verified = %v: %s", rel, res.Verified, res.Summary())
		}
		if !want && !errors.Is(res.Err(), did.ErrRelationship) {
			t.Errorf("key under %s: %v", rel, res.Err())
		}
	}
}

// TestEnvelopeJSONLD: the presentation's own terms must be defined, whatever
// the suite (eddsa-jcs-2022 does no JSON-LD processing of its own).
func TestEnvelopeJSONLD(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	for name, mod := range map[string]func(map[string]any){
		"undefined term": func(m map[string]any) { m["holderNickname"] = "x" },
		"context not allowed": func(m map[string]any) {
			m["@context"] = []any{credential.ContextV2, "https://evil.example/context.jsonld"}
		},
	} {
		t.Run(name, func(t *testing.T) {
			doc := decode(t, compose(t, holderDID(), di))
			mod(doc)
			r := verify(t, newVerifier(t, nil), signDoc(t, doc), expectOpts)
			if r.Verified || !errors.Is(r.Err(), presentation.ErrMalformed) {
				t.Fatalf("%s", r.Summary())
			}
		})
	}
}

// TestResultJSONShape pins the member names of the JSON result, which HTTP
// clients (the VC API) read.
func TestResultJSONShape(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	vp := present(t, newHolder(t, holderSeed, nil), bindOpts, di)
	r := verify(t, newVerifier(t, nil), vp, expectOpts)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(encode(t, r), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verified", "holder", "presentationResult", "credentialResults", "problemDetails", "warnings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, encode(t, r))
		}
	}
	var crs []map[string]json.RawMessage
	if err := json.Unmarshal(m["credentialResults"], &crs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"index", "id", "format", "verified", "checks", "errors", "warnings"} {
		if _, ok := crs[0][k]; !ok {
			t.Errorf("no %q in credential result %s", k, m["credentialResults"])
		}
	}
	if string(m["problemDetails"]) != "[]" {
		t.Errorf("problemDetails %s, want []", m["problemDetails"])
	}
}

// presentWithoutHolder signs, with the key of seed, a 2.0 presentation of
// creds that names no holder, as the W3C suites do.
func presentWithoutHolder(t testing.TB, seed byte, creds ...[]byte) []byte {
	t.Helper()
	priv, _, vm := testKey(seed)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Now: fixedClock(testNow),
	})
	require.NoError(t, err)
	signed, err := p.AddProof(context.Background(), compose(t, "", creds...), dataintegrity.ProofOptions{
		Purpose: presentation.PurposeAuthentication, Challenge: testChallenge, Domain: []string{testDomain},
	})
	require.NoError(t, err)
	return signed
}

// TestNoHolder: holder is optional (VC Data Model 2.0). A signed presentation
// without one verifies against its proof's own key; the Result names the
// signer and says no holder was claimed; holder binding is refused only when
// required, by the verifier's config or by one call.
func TestNoHolder(t *testing.T) {
	hd := holderDID()
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-0000000000b1", hd, dataintegrity.SuiteEdDSARDFC2022)
	_, strangerDID, _ := testKey(strangerSeed)
	vp := presentWithoutHolder(t, strangerSeed, di)
	require.NotContains(t, decode(t, vp), "holder")

	r := verify(t, newVerifier(t, nil), vp, expectOpts)
	require.True(t, r.Verified, r.Summary())
	assert.Empty(t, r.Holder)
	assert.False(t, r.HolderClaimed)
	assert.Equal(t, []string{strangerDID}, r.Signers)
	var holderCheck *verifier.Check
	for i, c := range r.PresentationResult.Checks {
		if c.Name == "holder" {
			holderCheck = &r.PresentationResult.Checks[i]
		}
	}
	require.NotNil(t, holderCheck, "a holder check")
	assert.Equal(t, verifier.Skipped, holderCheck.Outcome)
	assert.Contains(t, holderCheck.Detail, "no holder claimed")
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"holderClaimed":false`)
	assert.Contains(t, string(out), `"signers":["`+strangerDID+`"]`)

	// With a holder, the holder is claimed and is the signer.
	h := newHolder(t, holderSeed, nil)
	r = verify(t, newVerifier(t, nil), present(t, h, bindOpts, di), expectOpts)
	require.True(t, r.Verified, r.Summary())
	assert.True(t, r.HolderClaimed)
	assert.Equal(t, []string{hd}, r.Signers)

	// Required by the config: refused, whatever the call says.
	strict := newVerifier(t, func(c *presentation.VerifierConfig) { c.RequireHolder = true })
	r = verify(t, strict, vp, expectOpts)
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), presentation.ErrNoHolder)
	// ... and a presentation with a holder still verifies there.
	r = verify(t, strict, present(t, h, bindOpts, di), expectOpts)
	assert.True(t, r.Verified, r.Summary())

	// Holder-is-subject cannot hold without a holder.
	r = verify(t, newVerifier(t, nil), vp, presentation.VerifyOptions{Challenge: testChallenge, Domain: testDomain, RequireHolderIsSubject: true})
	assert.False(t, r.Verified)
	assert.ErrorIs(t, r.Err(), presentation.ErrSubjectNotHolder)
}
