package vcapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/vcapi"
)

// Issue a credential through the VC-API and verify it, as a test suite does.
func ExampleNew() {
	k, _ := keys.New(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	s, err := vcapi.New(context.Background(), vcapi.Config{
		Issuers: []vcapi.IssuerConfig{{Signer: k.Signer, VerificationMethod: k.VerificationMethod}},
	})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()

	post := func(path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		resp, err := http.Post(ts.URL+path, "application/json", bytes.NewReader(b))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, issued := post("/credentials/issue", map[string]any{
		"credential": map[string]any{
			"@context":          []string{"https://www.w3.org/ns/credentials/v2"},
			"id":                "urn:uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
			"type":              []string{"VerifiableCredential"},
			"issuer":            k.DID,
			"credentialSubject": map[string]any{"id": "did:example:learner"},
		},
		"options": map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"},
	})
	vc := issued["verifiableCredential"].(map[string]any)
	fmt.Println("issue:", code, vc["proof"].(map[string]any)["cryptosuite"])

	code, result := post("/credentials/verify", map[string]any{"verifiableCredential": vc})
	fmt.Println("verify:", code, result["verified"])

	vc["credentialSubject"] = map[string]any{"id": "did:example:someone-else"}
	code, result = post("/credentials/verify", map[string]any{"verifiableCredential": vc})
	fmt.Println("tampered:", code, result["verified"])
	// Output:
	// issue: 201 eddsa-rdfc-2022
	// verify: 200 true
	// tampered: 400 false
}
