package presentation_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/verifier"
)

// exampleKey is a deterministic key, so that the example's output is stable.
// Real keys come from crypto/rand, a wallet's secure element or a KMS.
func exampleKey(seed byte) (ed25519.PrivateKey, string, string) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32))
	d, vm, err := did.NewKeyDID(priv.Public())
	if err != nil {
		log.Fatal(err)
	}
	return priv, d, vm
}

// exampleBadge issues the test badge to subject.
func exampleBadge(subject string, now time.Time) []byte {
	priv, issuerDID, vm := exampleKey(1)
	tmpl, err := os.ReadFile("../testdata/badge-template.json")
	if err != nil {
		log.Fatal(err)
	}
	tmpl = bytes.ReplaceAll(tmpl, []byte("ISSUER"), []byte(issuerDID))
	tmpl = bytes.ReplaceAll(tmpl, []byte("SUBJECT"), []byte(subject))
	tmpl = bytes.ReplaceAll(tmpl, []byte("BADGE_ID"), []byte("urn:uuid:5e4b5b1c-3f0e-4c39-a1b2-8f9d2f3a4b5c"))
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	signed, err := is.IssueJSON(context.Background(), tmpl)
	if err != nil {
		log.Fatal(err)
	}
	return signed
}

// Example shows the whole exchange: the verifier issues a challenge, the
// learner's wallet presents a badge bound to it, the verifier checks the
// presentation once, and a replay of the same bytes fails.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	// The learner (holder) and a badge awarded to them.
	holderKey, holderDID, holderVM := exampleKey(2)
	badge := exampleBadge(holderDID, now.Add(-time.Hour))

	// Verifier side: single-use challenges, and the credential verifier.
	challenges, err := presentation.NewChallenges(presentation.ChallengeConfig{
		Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 64)), // crypto/rand when nil
		Now:  clock,
	})
	if err != nil {
		log.Fatal(err)
	}
	cv, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	v, err := presentation.NewVerifier(presentation.VerifierConfig{
		Credentials: cv,
		Suites:      []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Challenges:  challenges,
		Now:         clock,
	})
	if err != nil {
		log.Fatal(err)
	}
	challenge, err := challenges.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("challenge:", challenge)

	// Wallet side: present the badge, bound to the challenge and domain.
	h, err := presentation.NewHolder(presentation.HolderConfig{Signer: holderKey, VerificationMethod: holderVM, Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	vp, err := h.Present(ctx, [][]byte{badge}, presentation.Options{Challenge: challenge, Domain: "https://employer.example"})
	if err != nil {
		log.Fatal(err)
	}

	// Verifier side again.
	opts := presentation.VerifyOptions{Challenge: challenge, Domain: "https://employer.example", RequireHolderIsSubject: true}
	res, err := v.Verify(ctx, vp, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Summary())
	fmt.Println("holder is the learner:", res.Holder == holderDID)
	for _, c := range res.PresentationResult.Checks {
		fmt.Printf("  %s: %s\n", c.Name, c.Outcome)
	}
	fmt.Printf("  credential %d (%s): verified=%v\n", res.CredentialResults[0].Index, res.CredentialResults[0].ID, res.CredentialResults[0].Verified)

	res, err = v.Verify(ctx, vp, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("replay:", res.Summary())
	// Output:
	// challenge: BwcHBwcHBwcHBwcHBwcHBw
	// verified (1 credential)
	// holder is the learner: true
	//   parse: passed
	//   presentation: passed
	//   jsonld: passed
	//   proof: passed
	//   challenge: passed
	//   domain: passed
	//   subject: passed
	//   credential 0 (urn:uuid:5e4b5b1c-3f0e-4c39-a1b2-8f9d2f3a4b5c): verified=true
	// replay: not verified: presentation: challenge already used
}

// ExampleResult_json shows the JSON form of a result in which one badge of
// two fails: the presentation names it.
func ExampleResult_json() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	holderKey, holderDID, holderVM := exampleKey(2)
	good := exampleBadge(holderDID, now.Add(-time.Hour))
	tampered := bytes.Replace(good, []byte("Level 1"), []byte("Level 9"), 1)

	h, _ := presentation.NewHolder(presentation.HolderConfig{Signer: holderKey, VerificationMethod: holderVM, Now: clock})
	vp, err := h.Present(ctx, [][]byte{good, tampered}, presentation.Options{Challenge: "abc", Domain: "https://employer.example"})
	if err != nil {
		log.Fatal(err)
	}
	cv, _ := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: clock})
	v, _ := presentation.NewVerifier(presentation.VerifierConfig{Credentials: cv, Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: clock})
	res, err := v.Verify(ctx, vp, presentation.VerifyOptions{Challenge: "abc", Domain: "https://employer.example"})
	if err != nil {
		log.Fatal(err)
	}
	out := struct {
		Verified          bool `json:"verified"`
		PresentationOK    bool `json:"presentationVerified"`
		CredentialResults []struct {
			Index    int    `json:"index"`
			Verified bool   `json:"verified"`
			Format   string `json:"format"`
		} `json:"credentialResults"`
		ProblemDetails []struct {
			Type string `json:"type"`
			Path string `json:"path"`
		} `json:"problemDetails"`
	}{}
	b, _ := json.Marshal(res)
	if err := json.Unmarshal(b, &out); err != nil {
		log.Fatal(err)
	}
	out.PresentationOK = res.PresentationResult.Verified
	b, _ = json.MarshalIndent(out, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "verified": false,
	//   "presentationVerified": true,
	//   "credentialResults": [
	//     {
	//       "index": 0,
	//       "verified": true,
	//       "format": "json"
	//     },
	//     {
	//       "index": 1,
	//       "verified": false,
	//       "format": "json"
	//     }
	//   ],
	//   "problemDetails": [
	//     {
	//       "type": "https://w3id.org/security#PROOF_VERIFICATION_ERROR",
	//       "path": "$.verifiableCredential[1]"
	//     }
	//   ]
	// }
}

// ExampleCompose makes the unsigned presentation of a VC-JWT badge that a
// wallet signs with its own pipeline (or sends as it is, to a verifier that
// accepts unsigned presentations).
func ExampleCompose() {
	_, holderDID, _ := exampleKey(2)
	jws := "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl" // a VC-JWT as the wallet stored it
	vp, err := presentation.Compose(holderDID, [][]byte{[]byte(jws)}, presentation.Options{ID: "urn:uuid:7f0e2f5c-2f6e-4d8e-9a55-111111111111"})
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, vp, "", "  "); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.String())
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/credentials/v2"
	//   ],
	//   "id": "urn:uuid:7f0e2f5c-2f6e-4d8e-9a55-111111111111",
	//   "type": [
	//     "VerifiablePresentation"
	//   ],
	//   "holder": "did:key:z6Mko9hTggMwjSTEaJaPUfE6tqcy2xvU6BnNq3e3o8qVBiyH",
	//   "verifiableCredential": [
	//     {
	//       "@context": "https://www.w3.org/ns/credentials/v2",
	//       "id": "data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl",
	//       "type": "EnvelopedVerifiableCredential"
	//     }
	//   ]
	// }
}
