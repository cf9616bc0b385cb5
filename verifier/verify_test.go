package verifier_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
	"github.com/stretchr/testify/require"
)

// editJSON decodes b, lets f change it, and encodes it again.
func editJSON(t testing.TB, b []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func obj(v any) map[string]any { return v.(map[string]any) }

// proveWith signs doc (the sample, issuer set to issuerID) with a
// dataintegrity Prover directly, for proofs the issuer package would
// never make.
func proveWith(t testing.TB, key ed25519.PrivateKey, vm, issuerID string, opts dataintegrity.ProofOptions) []byte {
	t.Helper()
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: key, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := p.AddProof(context.Background(), sampleFor(t, issuerID), opts)
	require.NoError(t, err)
	return signed
}

// wantFailure checks that r is not verified and that its errors match want.
func wantFailure(t *testing.T, r *verifier.Result, want error, check string) {
	t.Helper()
	if r.Verified {
		t.Fatalf("verified, want failure matching %v", want)
	}
	if !errors.Is(r.Err(), want) {
		t.Fatalf("errors do not match %v: %s", want, r.Summary())
	}
	for _, p := range r.Errors {
		if errors.Is(p.Err, want) {
			if p.Check != check {
				t.Errorf("reported by check %q, want %q", p.Check, check)
			}
			// Every specification's problem type has a code; this
			// module's own (revoked, suspended) have none.
			ours := p.Type == verifier.ProblemStatusRevoked || p.Type == verifier.ProblemStatusSuspended
			if p.Type == "" || p.Title == "" || (p.Code == 0) != ours {
				t.Errorf("problem detail incomplete: %+v", p)
			}
			return
		}
	}
	t.Errorf("no problem detail wraps %v", want)
}

func TestVerifyValid(t *testing.T) {
	v := newVerifier(t, nil)
	for _, s := range allSuites {
		t.Run(string(s), func(t *testing.T) {
			r := verify(t, v, signSample(t, 1, s, nil))
			if !r.Verified || len(r.Errors) != 0 {
				t.Fatalf("%s", r.Summary())
			}
			if r.Credential == nil || r.Credential.Name != "Welding Safety Level 1" {
				t.Errorf("Result.Credential not set: %+v", r.Credential)
			}
			var names []string
			for _, c := range r.Checks {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != "parse,jsonld,ob3,proof,validity,relatedResource,status,endorsement" {
				t.Errorf("checks = %s", got)
			}
		})
	}
}

func TestVerifyNegative(t *testing.T) {
	key1, did1, vm1 := testKey(1)
	key2, did2, _ := testKey(2)
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)

	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		mod   func(*verifier.Config)
		want  error
		check string
	}{
		{"tampered result value", func(t *testing.T) []byte {
			return editJSON(t, good, func(m map[string]any) {
				obj(obj(m["credentialSubject"])["result"].([]any)[0])["value"] = "99"
			})
		}, nil, dataintegrity.ErrInvalidSignature, "proof"},
		{"wrong key", func(t *testing.T) []byte {
			// Signed by key 2 under key 1's verification method.
			return proveWith(t, key2, vm1, did1, dataintegrity.ProofOptions{})
		}, nil, dataintegrity.ErrInvalidSignature, "proof"},
		{"suite not accepted", func(t *testing.T) []byte {
			return signSample(t, 1, dataintegrity.SuiteEdDSAJCS2022, nil)
		}, func(c *verifier.Config) { c.Suites = []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022} }, dataintegrity.ErrSuiteNotAccepted, "proof"},
		{"proof purpose authentication", func(t *testing.T) []byte {
			return proveWith(t, key1, vm1, did1, dataintegrity.ProofOptions{Purpose: "authentication"})
		}, nil, dataintegrity.ErrPurposeMismatch, "proof"},
		{"verification method not under assertionMethod", func(t *testing.T) []byte {
			return proveWith(t, key1, "https://example.edu/issuers/1#key-1", "https://example.edu/issuers/1", dataintegrity.ProofOptions{})
		}, func(c *verifier.Config) {
			pub, _ := did.EncodePublicKey(key1.Public())
			b, _ := json.Marshal(map[string]any{
				"id": "https://example.edu/issuers/1",
				"verificationMethod": []any{map[string]any{
					"id": "https://example.edu/issuers/1#key-1", "type": "Multikey",
					"controller": "https://example.edu/issuers/1", "publicKeyMultibase": pub,
				}},
				"authentication": []string{"https://example.edu/issuers/1#key-1"},
			})
			doc, err := did.ParseDocument(b)
			if err != nil {
				t.Fatal(err)
			}
			s, _ := did.NewStaticResolver(doc)
			c.Resolver = s
		}, did.ErrRelationship, "proof"},
		{"controller is not the issuer", func(t *testing.T) []byte {
			return proveWith(t, key1, vm1, did2, dataintegrity.ProofOptions{})
		}, nil, verifier.ErrIssuerMismatch, "proof"},
		{"created in the future", func(t *testing.T) []byte {
			return proveWith(t, key1, vm1, did1, dataintegrity.ProofOptions{Created: testNow.Add(time.Hour)})
		}, nil, dataintegrity.ErrCreatedInFuture, "proof"},
		{"proof expired", func(t *testing.T) []byte {
			return proveWith(t, key1, vm1, did1, dataintegrity.ProofOptions{Created: testNow.Add(-2 * time.Hour), Expires: testNow.Add(-time.Hour)})
		}, nil, dataintegrity.ErrProofExpired, "proof"},
		{"validFrom in the future", func(t *testing.T) []byte {
			return signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
				return editJSON(t, b, func(m map[string]any) { m["validFrom"] = "2027-01-01T00:00:00Z" })
			})
		}, nil, verifier.ErrNotYetValid, "validity"},
		{"validUntil passed", func(t *testing.T) []byte {
			return signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
				return editJSON(t, b, func(m map[string]any) { m["validUntil"] = "2026-02-01T00:00:00Z" })
			})
		}, nil, verifier.ErrExpired, "validity"},
		{"VCDM 1.1 expirationDate passed", func(t *testing.T) []byte {
			return signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
				return editJSON(t, b, func(m map[string]any) {
					m["@context"] = []any{credential.ContextV1, credential.ContextOB}
					delete(m, "validFrom")
					m["issuanceDate"] = "2026-01-01T00:00:00Z"
					m["expirationDate"] = "2026-02-01T00:00:00Z"
				})
			})
		}, nil, verifier.ErrExpired, "validity"},
		{"relatedResource digest mismatch", func(t *testing.T) []byte {
			return signSampleUnchecked(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
				return editJSON(t, b, func(m map[string]any) {
					m["relatedResource"] = []any{map[string]any{
						"id":        credential.ContextOB,
						"digestSRI": "sha256-" + base64.StdEncoding.EncodeToString(make([]byte, 32)),
					}}
				})
			})
		}, nil, verifier.ErrDigestMismatch, "relatedResource"},
		{"endorsement failing", func(t *testing.T) []byte {
			end := editJSON(t, signEndorsement(t, 2), func(m map[string]any) {
				obj(m["credentialSubject"])["endorsementComment"] = "tampered"
			})
			return signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
				return withEndorsement(t, b, end)
			})
		}, nil, verifier.ErrEndorsement, "endorsement"},
		{"no proof", func(t *testing.T) []byte {
			return editJSON(t, good, func(m map[string]any) { delete(m, "proof") })
		}, nil, verifier.ErrNoProof, "proof"},
		{"undefined term", func(t *testing.T) []byte {
			return editJSON(t, good, func(m map[string]any) { m["notInAnyContext"] = "x" })
		}, nil, jsonld.ErrUndefinedTerm, "jsonld"},
		{"context not allowed", func(t *testing.T) []byte {
			return editJSON(t, good, func(m map[string]any) {
				m["@context"] = append(m["@context"].([]any), "https://evil.example/context.json")
			})
		}, nil, jsonld.ErrContextNotAllowed, "jsonld"},
		{"not JSON", func(t *testing.T) []byte { return []byte(`{"@context": [`) }, nil, credential.ErrMalformedJSON, "parse"},
		{"duplicate key", func(t *testing.T) []byte {
			return []byte(strings.Replace(string(good), `"name":`, `"name":"x","name":`, 1))
		}, nil, credential.ErrDuplicateKey, "parse"},
		{"OB 3.0 rule broken", func(t *testing.T) []byte {
			return editJSON(t, good, func(m map[string]any) { delete(obj(obj(m["credentialSubject"])["achievement"]), "criteria") })
		}, nil, credential.ErrInvalid, "ob3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := verify(t, newVerifier(t, tt.mod), tt.data(t))
			if tt.want == credential.ErrInvalid { // Validate problems carry no sentinel
				if r.Verified {
					t.Fatal("verified")
				}
				for _, p := range r.Errors {
					if p.Check == tt.check && p.Type == verifier.ProblemMalformedValue {
						return
					}
				}
				t.Fatalf("no %s problem: %s", tt.check, r.Summary())
			}
			wantFailure(t, r, tt.want, tt.check)
		})
	}
}

// signEndorsement returns an EndorsementCredential of the sample's
// achievement, signed by the key of seed.
func signEndorsement(t testing.TB, seed byte) []byte {
	t.Helper()
	priv, d, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := is.IssueJSON(context.Background(), []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
		"id": "urn:uuid:2d6b1b7e-0c55-4c0e-9d2f-5f3c1f1e8a01",
		"type": ["VerifiableCredential", "EndorsementCredential"],
		"name": "Welding Guild endorsement",
		"issuer": {"id": "`+d+`", "type": ["Profile"], "name": "Welding Guild"},
		"validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": {
			"id": "https://example.edu/achievements/welding-safety-1",
			"type": ["EndorsementSubject"],
			"endorsementComment": "Meets the guild's safety standard."
		}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withEndorsement puts the endorsement into the sample's achievement.
func withEndorsement(t testing.TB, badge, end []byte) []byte {
	var e map[string]any
	dec := json.NewDecoder(strings.NewReader(string(end)))
	dec.UseNumber()
	if err := dec.Decode(&e); err != nil {
		t.Fatal(err)
	}
	return editJSON(t, badge, func(m map[string]any) {
		obj(obj(m["credentialSubject"])["achievement"])["endorsement"] = []any{e}
	})
}

func TestVerifyEndorsement(t *testing.T) {
	badge := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		return withEndorsement(t, b, signEndorsement(t, 2))
	})
	r := verify(t, newVerifier(t, nil), badge)
	if !r.Verified {
		t.Fatal(r.Summary())
	}
	sub := r.Endorsements["$.credentialSubject.achievement.endorsement[0]"]
	if sub == nil || !sub.Verified {
		t.Fatalf("endorsement result: %+v", r.Endorsements)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings: %s", r.Summary())
	}
	// The same endorsement attached to the issuer: it endorses the
	// achievement, not the issuer, a warning.
	misplaced := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		var e map[string]any
		if err := json.Unmarshal(signEndorsement(t, 2), &e); err != nil {
			t.Fatal(err)
		}
		return editJSON(t, b, func(m map[string]any) { obj(m["issuer"])["endorsement"] = []any{e} })
	})
	r2 := verify(t, newVerifier(t, nil), misplaced)
	if !r2.Verified || len(r2.Warnings) != 1 || !strings.Contains(r2.Warnings[0].Detail, "not ") {
		t.Errorf("misplaced endorsement: %s", r2.Summary())
	}
	// With a depth limit of -1, endorsements are not verified: a warning.
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.MaxEndorsementDepth = -1 }), badge)
	if !r.Verified || len(r.Warnings) == 0 || r.Endorsements != nil {
		t.Fatalf("depth -1: %s", r.Summary())
	}
}

func TestVerifyRelatedResource(t *testing.T) {
	rd, err := jsonld.Embedded().LoadDocument(context.Background(), credential.ContextOB)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(rd.Document))
	mh := append([]byte{0x12, 0x20}, sum[:]...)
	badge := signSampleUnchecked(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		return editJSON(t, b, func(m map[string]any) {
			m["relatedResource"] = []any{
				map[string]any{"id": credential.ContextOB, "digestSRI": "sha256-" + base64.StdEncoding.EncodeToString(sum[:])},
				map[string]any{"id": credential.ContextV2, "digestMultibase": "u" + base64.RawURLEncoding.EncodeToString(mh)},
				map[string]any{"id": "https://example.edu/image.png", "digestSRI": "sha256-" + base64.StdEncoding.EncodeToString(sum[:])},
			}
		})
	})
	r := verify(t, newVerifier(t, nil), badge)
	// The v2 context digest is the OB context's: a mismatch; the image is
	// not loaded: a warning.
	wantFailure(t, r, verifier.ErrDigestMismatch, "relatedResource")
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Path, "[1]") {
		t.Errorf("want exactly the second entry to fail: %s", r.Summary())
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Detail, "not checked") {
		t.Errorf("want a warning for the image: %s", r.Summary())
	}
}

type fakeStatus struct{ err error }

func (f fakeStatus) CheckStatus(context.Context, *credential.Credential, credential.CredentialStatus) error {
	return f.err
}

func TestVerifyStatus(t *testing.T) {
	badge := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		return editJSON(t, b, func(m map[string]any) {
			m["credentialStatus"] = map[string]any{
				"id": "https://example.edu/status/1#94567", "type": "BitstringStatusListEntry",
				"statusPurpose": "revocation", "statusListIndex": "94567",
				"statusListCredential": "https://example.edu/status/1",
			}
		})
	})
	// No checker: the status is unknown, and an unknown status fails.
	r := verify(t, newVerifier(t, nil), badge)
	wantFailure(t, r, verifier.ErrStatus, "status")
	// Skipped explicitly: reported as skipped with a warning, never passed.
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.SkipStatus = true }), badge)
	if !r.Verified || len(r.Warnings) != 1 || !errors.Is(r.Warnings[0].Err, verifier.ErrStatusNotChecked) {
		t.Fatalf("skipped: %s", r.Summary())
	}
	for _, c := range r.Checks {
		if c.Name == "status" && c.Outcome != verifier.Skipped {
			t.Errorf("skipped status check reported as %v", c.Outcome)
		}
	}
	revoked := errors.New("revoked")
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.Status = fakeStatus{revoked} }), badge)
	wantFailure(t, r, revoked, "status")
	wantFailure(t, r, verifier.ErrStatus, "status")
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.Status = fakeStatus{nil} }), badge)
	if !r.Verified || len(r.Warnings) != 0 {
		t.Fatalf("good standing: %s", r.Summary())
	}
	// Revoked or suspended by the list: an outcome, reported as such by the
	// status check and the problem's type, not as a status that could not
	// be established.
	for _, tc := range []struct {
		sentinel error
		word     string
		typ      string
	}{
		{status.ErrRevoked, "revoked", verifier.ProblemStatusRevoked},
		{status.ErrSuspended, "suspended", verifier.ProblemStatusSuspended},
	} {
		err := &status.FieldError{Field: "https://example.edu/status/1", Kind: tc.sentinel, Reason: "index 7"}
		r = verify(t, newVerifier(t, func(c *verifier.Config) { c.Status = fakeStatus{err} }), badge)
		wantFailure(t, r, tc.sentinel, "status")
		if len(r.Errors) != 1 || r.Errors[0].Type != tc.typ || r.Errors[0].Type == verifier.ProblemStatusVerification {
			t.Errorf("%s: errors %+v, want one of type %s", tc.word, r.Errors, tc.typ)
		}
		for _, c := range r.Checks {
			if c.Name == "status" && (c.Outcome != verifier.Failed || c.Detail != tc.word+" (https://example.edu/status/1, index 7)") {
				t.Errorf("%s: status check %+v", tc.word, c)
			}
		}
	}
}

func TestVerifyJWT(t *testing.T) {
	priv, _, vm := testKey(3)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Format: issuer.FormatJWT})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := is.IssueJSON(context.Background(), sampleFor(t, is.Controller()))
	if err != nil {
		t.Fatal(err)
	}
	r := verify(t, newVerifier(t, func(c *verifier.Config) { c.Suites, c.Algorithms = nil, []vcjwt.Algorithm{vcjwt.EdDSA} }), tok)
	if !r.Verified {
		t.Fatal(r.Summary())
	}
	// An expired VC-JWT: the signature holds, the validity check fails.
	expired, err := is.IssueJSON(context.Background(), editJSON(t, sampleFor(t, is.Controller()), func(m map[string]any) {
		m["validUntil"] = "2026-02-01T00:00:00Z"
	}))
	if err != nil {
		t.Fatal(err)
	}
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.Suites, c.Algorithms = nil, []vcjwt.Algorithm{vcjwt.EdDSA} }), expired)
	wantFailure(t, r, verifier.ErrExpired, "validity")
	if r.Checks[0].Name != "proof" || r.Checks[0].Outcome != verifier.Passed {
		t.Errorf("JWT check: %+v", r.Checks[0])
	}

	// Without a JOSE algorithm, a VC-JWT is refused.
	r = verify(t, newVerifier(t, nil), tok)
	wantFailure(t, r, verifier.ErrUnsupportedFormat, "proof")
	// Tampered payload.
	parts := strings.Split(string(tok), ".")
	parts[2] = strings.Repeat("A", len(parts[2]))
	r = verify(t, newVerifier(t, func(c *verifier.Config) { c.Suites, c.Algorithms = nil, []vcjwt.Algorithm{vcjwt.EdDSA} }), []byte(strings.Join(parts, ".")))
	if r.Verified {
		t.Fatal("tampered JWT verified")
	}
}

func TestNewRequiresSuites(t *testing.T) {
	if _, err := verifier.New(verifier.Config{}); err == nil {
		t.Fatal("New without Suites succeeded")
	}
	if _, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{"no-such-suite"}}); err == nil {
		t.Fatal("New with an unknown suite succeeded")
	}
	if _, err := verifier.New(verifier.Config{Suites: allSuites, MaxClockSkew: -1}); err == nil {
		t.Fatal("New with a negative skew succeeded")
	}
}

func TestVerifyCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newVerifier(t, nil).Verify(ctx, signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestResultJSON(t *testing.T) {
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	bad := editJSON(t, good, func(m map[string]any) { m["name"] = "Forged" })
	r := verify(t, newVerifier(t, nil), bad)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Verified *bool `json:"verified"`
		Checks   []struct {
			Check, Outcome string
		} `json:"checks"`
		Errors []struct {
			Type, Title, Detail string
			Code                int
		} `json:"errors"`
		Warnings []any `json:"warnings"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Verified == nil || *got.Verified || got.Warnings == nil || len(got.Checks) == 0 {
		t.Fatalf("JSON shape: %s", b)
	}
	if len(got.Errors) != 1 || got.Errors[0].Type != "https://w3id.org/security#PROOF_VERIFICATION_ERROR" || got.Errors[0].Code != -17 || got.Errors[0].Title != "PROOF_VERIFICATION_ERROR" {
		t.Fatalf("errors: %s", b)
	}
	if strings.Contains(string(b), "Forged") {
		t.Error("the credential leaked into the JSON result")
	}
}

// TestVerifyConcurrent shares one Verifier between 32 goroutines (run with
// -race).
func TestVerifyConcurrent(t *testing.T) {
	v := newVerifier(t, nil)
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	bad := editJSON(t, good, func(m map[string]any) { m["name"] = "Forged" })
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, want := good, true
			if i%2 == 1 {
				data, want = bad, false
			}
			r, err := v.Verify(context.Background(), data)
			if err != nil {
				t.Error(err)
				return
			}
			if r.Verified != want {
				t.Errorf("goroutine %d: verified = %v: %s", i, r.Verified, r.Summary())
			}
		}()
	}
	wg.Wait()
}

func TestVerifyEndorsementLimit(t *testing.T) {
	end := signEndorsement(t, 2)
	var e map[string]any
	if err := json.Unmarshal(end, &e); err != nil {
		t.Fatal(err)
	}
	badge := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, func(b []byte) []byte {
		return editJSON(t, b, func(m map[string]any) {
			var list []any
			for range verifier.MaxEndorsements + 3 {
				list = append(list, e)
			}
			obj(obj(m["credentialSubject"])["achievement"])["endorsement"] = list
		})
	})
	// The ones past the limit are not checked, which fails the badge
	// (TestEndorsementsBeyondLimitFailStrict has the lenient side).
	r := verify(t, newVerifier(t, nil), badge)
	if r.Verified || len(r.Endorsements) != verifier.MaxEndorsements || !errors.Is(r.Err(), verifier.ErrNotChecked) {
		t.Fatalf("%d endorsements verified: %s", len(r.Endorsements), r.Summary())
	}
}

// TestChecksAlwaysListed: whatever fails, the result names every check once.
func TestChecksAlwaysListed(t *testing.T) {
	v := newVerifier(t, func(c *verifier.Config) { c.Algorithms = []vcjwt.Algorithm{vcjwt.EdDSA} })
	for _, in := range []string{`not json`, `{"a":1,"a":2}`, `eyJhbGciOiJFZERTQSJ9.e30.AAAA`, `{}`} {
		r := verify(t, v, []byte(in))
		seen := map[string]int{}
		for _, c := range r.Checks {
			seen[c.Name]++
		}
		for _, n := range []string{"parse", "jsonld", "ob3", "proof", "validity", "relatedResource", "status", "endorsement"} {
			if seen[n] == 0 {
				t.Errorf("%s: check %s missing: %+v", in, n, r.Checks)
			}
		}
		if seen["parse"] != 1 || r.Verified {
			t.Errorf("%s: %+v", in, r.Checks)
		}
	}
}

// Inline contexts (catalogue #2, #5, #13) are refused by default wherever
// they are, and the JSON path names the place; the named opt-in accepts
// them.
func TestVerifyInlineContexts(t *testing.T) {
	good := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	cases := map[string]struct {
		edit func(m map[string]any)
		path string
	}{
		"top level": {func(m map[string]any) {
			m["@context"] = append(m["@context"].([]any), map[string]any{"@vocab": "https://evil.test/#"})
		}, "$.@context[2]"},
		"nested object": {func(m map[string]any) {
			m["credentialSubject"].(map[string]any)["@context"] = map[string]any{"foo": "https://evil.test/foo"}
		}, "$.credentialSubject.@context"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := editJSON(t, good, c.edit)
			r := verify(t, newVerifier(t, nil), in)
			wantFailure(t, r, verifier.ErrInlineContext, "jsonld")
			if !strings.Contains(r.Summary(), c.path) {
				t.Errorf("the path %s is not named: %s", c.path, r.Summary())
			}
			r = verify(t, newVerifier(t, func(c *verifier.Config) { c.InsecureAllowInlineContexts = true }), in)
			for _, p := range r.Errors {
				if errors.Is(p.Err, verifier.ErrInlineContext) {
					t.Errorf("refused with InsecureAllowInlineContexts: %s", r.Summary())
				}
			}
		})
	}
}
