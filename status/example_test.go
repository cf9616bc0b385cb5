package status_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/status"
)

// An issuer creates a revocation list, gives a credential an entry in it,
// revokes the credential and publishes the signed list; a verifier then
// finds the credential revoked.
func Example() {
	ctx := context.Background()
	const listURL = "https://issuer.example/status/1"

	// The issuer's key (an HSM or KMS key in production) and a Signer; the
	// issuer package's Issuer is one.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	mk, _ := did.EncodePublicKey(key.Public())
	issuerDID := "did:key:" + mk
	prover, _ := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite: dataintegrity.SuiteEdDSARDFC2022, Key: key, VerificationMethod: issuerDID + "#" + mk})
	sign := status.SignerFunc(func(ctx context.Context, unsigned []byte) ([]byte, error) {
		return prover.AddProof(ctx, unsigned, dataintegrity.ProofOptions{})
	})

	lists, _ := status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(), Signer: sign})
	if err := lists.Create(ctx, status.ListConfig{ID: listURL, Issuer: issuerDID}); err != nil {
		panic(err)
	}
	entry, _ := lists.Allocate(ctx, listURL) // goes into the new credential's credentialStatus
	credentialJSON, _ := json.Marshal(map[string]any{"issuer": issuerDID, "credentialStatus": entry})

	_ = lists.Revoke(ctx, listURL, entry.Index)
	published, _ := lists.Publish(ctx, listURL) // serve this at listURL

	// The verifier: fetches lists (here from memory) and verifies their
	// proofs (the verifier package passes its own verification).
	verifyProof, _ := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}})
	checker, _ := status.NewChecker(status.CheckerConfig{
		Fetcher: status.NewStaticFetcher(map[string][]byte{listURL: published}),
		VerifyList: func(ctx context.Context, list []byte) error {
			res, err := verifyProof.Verify(ctx, list, func(ctx context.Context, vm, _ string) (crypto.PublicKey, error) {
				if !strings.HasPrefix(vm, issuerDID+"#") { // keys of the list's issuer only
					return nil, fmt.Errorf("foreign key %s", vm)
				}
				return did.DecodePublicKey(strings.TrimPrefix(vm, issuerDID+"#"))
			}, dataintegrity.VerifyOptions{})
			if err != nil {
				return err
			}
			return res.Err()
		},
	})
	for _, r := range checker.Check(ctx, credentialJSON) {
		fmt.Println(r.Type, r.Purpose, r.Status, r.Failed())
	}
	// Output:
	// BitstringStatusListEntry revocation revoked true
}

// Without a Fetcher nothing is fetched, and a credential that has a status
// is reported "unknown", which fails verification.
func ExampleChecker_Check_noFetcher() {
	checker, _ := status.NewChecker(status.CheckerConfig{})
	cred := []byte(`{"credentialStatus": {
		"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
		"statusListIndex": "94567", "statusListCredential": "https://example.com/credentials/status/3"}}`)
	for _, r := range checker.Check(context.Background(), cred) {
		fmt.Println(r.Status, r.Failed())
	}
	// Output:
	// unknown true
}

// The empty list of 131,072 entries from the specification's example.
func ExampleDecodeList() {
	bits, err := status.DecodeList("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", 0)
	if err != nil {
		panic(err)
	}
	v, _ := bits.Get(94567, 1)
	fmt.Println(bits.Len(), v, bits.CheckLength(1) == nil)
	// Output:
	// 131072 0 true
}
