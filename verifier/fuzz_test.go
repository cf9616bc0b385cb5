package verifier_test

import (
	"context"
	"testing"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// FuzzVerify feeds arbitrary bytes to Verify: it must never panic, must
// return a Result (never an error) for a live context, and must never call
// anything verified that has errors or no passed proof.
func FuzzVerify(f *testing.F) {
	good := signSample(f, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	jcs := signSample(f, 1, dataintegrity.SuiteEdDSAJCS2022, nil)
	f.Add(good)
	f.Add(jcs)
	f.Add(signSample(f, 1, dataintegrity.SuiteEd25519Signature2020, nil))
	f.Add(withEndorsement(f, good, signEndorsement(f, 2)))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","proof":[{},null,1]}`))
	f.Add([]byte(`eyJhbGciOiJFZERTQSJ9.e30.AAAA`))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	fuzzVerifier := newVerifier(f, func(c *verifier.Config) {
		c.Algorithms = []vcjwt.Algorithm{vcjwt.EdDSA, vcjwt.RS256}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fuzzVerifier.Verify(context.Background(), data)
		if err != nil {
			t.Fatalf("error for a live context: %v", err)
		}
		if r.Verified {
			if len(r.Errors) > 0 {
				t.Fatalf("verified with errors: %s", r.Summary())
			}
			passed := false
			for _, c := range r.Checks {
				if c.Name == "proof" && c.Outcome == "passed" {
					passed = true
				}
			}
			if !passed {
				t.Fatalf("verified without a passed proof: %+v", r.Checks)
			}
		}
	})
}
