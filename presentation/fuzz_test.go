package presentation_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
)

// FuzzVerify feeds arbitrary bytes to Verify: it must never panic or fail
// with an error (only the Result says no), the Result must marshal, and a
// verified result must be consistent.
func FuzzVerify(f *testing.F) {
	hd := holderDID()
	di := badge(f, "urn:uuid:00000000-0000-4000-8000-000000000001", hd, dataintegrity.SuiteEdDSARDFC2022)
	jwt := badge(f, "urn:uuid:00000000-0000-4000-8000-000000000002", hd, "jwt")
	h := newHolder(f, holderSeed, nil)
	hj := newHolder(f, holderSeed, func(c *presentation.HolderConfig) { c.Suite = dataintegrity.SuiteEdDSAJCS2022 })
	f.Add(present(f, h, bindOpts, di, jwt))
	f.Add(present(f, hj, bindOpts, jwt))
	f.Add(present(f, hj, presentation.Options{Version: presentation.V1, Challenge: testChallenge, Domain: testDomain}, jwt))
	f.Add(compose(f, h.ID(), di))
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"type":"VerifiablePresentation"}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","verifiableCredential":[1,"x",null,{}]}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","holder":{"id":"did:example:1"},"proof":{}}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","verifiableCredential":{"type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,a.b.c"}}`,
		`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],"verifiableCredential":["a.b.c"],"proof":[{"type":"DataIntegrityProof"}]}`,
	} {
		f.Add([]byte(s))
	}
	v := newVerifier(f, func(c *presentation.VerifierConfig) {
		c.InsecureAllowUnsigned = true
		c.MaxCredentials = 4
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []presentation.VerifyOptions{{Challenge: testChallenge, Domain: testDomain}, {}} {
			r, err := v.Verify(context.Background(), data, opts)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("marshal: %v", err)
			}
			if r.Verified {
				if !r.PresentationResult.Verified || len(r.ProblemDetails) != 0 || r.Err() != nil {
					t.Fatalf("verified with problems: %+v", r)
				}
				for _, cr := range r.CredentialResults {
					if !cr.Verified {
						t.Fatalf("verified with a failed credential %d", cr.Index)
					}
				}
			} else if r.Err() == nil {
				t.Fatal("not verified but Err() is nil")
			}
			_ = r.Summary()
		}
		_ = presentation.IsPresentation(data)
	})
}

// FuzzCompose feeds arbitrary bytes as a stored credential: Compose must
// refuse or accept without panicking, and what it accepts must serialize.
func FuzzCompose(f *testing.F) {
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}`))
	f.Add([]byte(`eyJhbGciOiJFZERTQSJ9.e30.c2ln`))
	f.Add([]byte(`{"a":1,"A":2}`))
	f.Add([]byte("\xff"))
	f.Add([]byte(`a..b`))
	h := newHolder(f, holderSeed, func(c *presentation.HolderConfig) { c.Suite = dataintegrity.SuiteEdDSAJCS2022 })
	f.Fuzz(func(t *testing.T, cred []byte) {
		for _, ver := range []presentation.Version{presentation.V2, presentation.V1} {
			vp, err := h.Present(context.Background(), [][]byte{cred}, presentation.Options{Challenge: "c", Version: ver})
			if err != nil {
				continue
			}
			if !json.Valid(vp) || !presentation.IsPresentation(vp) {
				t.Fatalf("invalid output %q", vp)
			}
		}
	})
}
