package did_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/microcred/openbadges/did"
)

// A verifier turns a proof's verificationMethod into a key, checking that the
// key's controller lists it under assertionMethod. DefaultResolver works
// offline (did:key and did:jwk).
func ExampleResolveVerificationMethod() {
	const vmURL = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	vm, doc, err := did.ResolveVerificationMethod(context.Background(), did.DefaultResolver(), vmURL, did.AssertionMethod)
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, err := vm.PublicKey()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vm.Type, len(pub.(ed25519.PublicKey)))
	fmt.Println(doc.ID == vm.Controller)

	// The small-order identity key, with which one signature verifies every
	// message under crypto/ed25519, is refused.
	_, _, err = did.ResolveVerificationMethod(context.Background(), nil,
		"did:key:z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj", did.AssertionMethod)
	fmt.Println(errors.Is(err, did.ErrInvalidKey))
	// Output:
	// Multikey 32
	// true
	// true
}

// An issuer derives its identifier and verification method from its key.
func ExampleNewKeyDID() {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use a real random key
	id, vmID, err := did.NewKeyDID(priv.Public())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id)
	fmt.Println(vmID)
	// Output:
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
}

// Reading the W3C vc-di-eddsa test key pair.
func ExampleDecodeSecretKey() {
	signer, err := did.DecodeSecretKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, _ := did.EncodePublicKey(signer.Public())
	fmt.Println(pub)
	// Output: z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
}

// Network resolution is opt-in: build a WebResolver and route did:web to it.
func ExampleNewWebResolver() {
	web, err := did.NewWebResolver(did.HTTPConfig{
		Client:  &http.Client{}, // optional: custom root CAs, a test dialer
		Timeout: 5 * time.Second,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := did.Methods{"key": did.KeyResolver{}, "jwk": did.JWKResolver{}, "web": web}
	_ = r // pass to the verifier

	u, _ := did.WebURL("did:web:example.com%3A8443:issuers:42")
	fmt.Println(u)
	_, err = did.WebURL("did:web:169.254.169.254")
	fmt.Println(errors.Is(err, did.ErrInvalidDID))
	// Output:
	// https://example.com:8443/issuers/42/did.json
	// true
}

// Pinned or test issuers are served from memory.
func ExampleNewStaticResolver() {
	doc, err := did.ParseDocument([]byte(`{
	  "id": "https://example.edu/issuers/565049",
	  "verificationMethod": [{"id": "#key-1", "type": "Multikey",
	    "controller": "https://example.edu/issuers/565049",
	    "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}],
	  "assertionMethod": ["#key-1"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	static, _ := did.NewStaticResolver(doc)
	vm, _, err := did.ResolveVerificationMethod(context.Background(), static,
		"https://example.edu/issuers/565049#key-1", did.AssertionMethod)
	fmt.Println(vm.ID, err)
	// Output: https://example.edu/issuers/565049#key-1 <nil>
}

func ExampleCheckEd25519PublicKey() {
	identity := make([]byte, 32)
	identity[0] = 1
	fmt.Println(did.CheckEd25519PublicKey(identity))
	fmt.Println(did.CheckEd25519PublicKey(make([]byte, 31)))
	// Output:
	// did: invalid key: Ed25519 public key is a small-order point
	// did: invalid key: Ed25519 public key is 31 bytes, want 32
}
