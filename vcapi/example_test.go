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

// Issue a credential through the VC-API with a bearer token, and verify
// it, as a test suite does.
func ExampleNew() {
	k, _ := keys.New(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)))
	// The server keeps the token's hash (a line of the token file); the
	// client gets the secret.
	secret, token, _ := vcapi.NewToken("registrar", "")
	tokens, _ := vcapi.ReadTokens(bytes.NewReader(token.MarshalLine()))
	s, err := vcapi.New(context.Background(), vcapi.Config{
		Issuers: []vcapi.IssuerConfig{{Signer: k.Signer, VerificationMethod: k.VerificationMethod}},
		Tokens:  tokens,
	})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()

	post := func(path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
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
