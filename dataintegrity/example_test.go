package dataintegrity_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/jsonld"
)

// exampleCredential is an unsigned credential, as JSON.
func exampleCredential() []byte {
	return []byte(`{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "id": "urn:uuid:0b9d7a4c-8c3e-4e53-9b41-2c6f0f6d2d11",
  "type": ["VerifiableCredential"],
  "issuer": "did:example:issuer",
  "validFrom": "2024-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:subject"}
}`)
}

// Signing with a fixed key and clock gives a deterministic proof (Ed25519
// is deterministic). eddsa-jcs-2022 needs no JSON-LD processing; for
// eddsa-rdfc-2022 set ProverConfig.Processor to a shared jsonld.Processor.
func ExampleProver_AddProof() {
	key := ed25519.NewKeyFromSeed(make([]byte, 32)) // use a real key!
	_, vm, err := did.NewKeyDID(key.Public())
	if err != nil {
		panic(err)
	}
	prover, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite:              dataintegrity.SuiteEdDSAJCS2022,
		Key:                key,
		VerificationMethod: vm,
		Now:                func() time.Time { return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	signed, err := prover.AddProof(context.Background(), exampleCredential(), dataintegrity.ProofOptions{})
	if err != nil {
		panic(err)
	}
	// The credential's members in their order, compact, the proof last.
	var out bytes.Buffer
	_ = json.Indent(&out, signed, "", "  ")
	fmt.Println(out.String())
	// Output:
	// {
	//   "@context": [
	//     "https://www.w3.org/ns/credentials/v2"
	//   ],
	//   "id": "urn:uuid:0b9d7a4c-8c3e-4e53-9b41-2c6f0f6d2d11",
	//   "type": [
	//     "VerifiableCredential"
	//   ],
	//   "issuer": "did:example:issuer",
	//   "validFrom": "2024-01-01T00:00:00Z",
	//   "credentialSubject": {
	//     "id": "did:example:subject"
	//   },
	//   "proof": {
	//     "@context": [
	//       "https://www.w3.org/ns/credentials/v2"
	//     ],
	//     "type": "DataIntegrityProof",
	//     "cryptosuite": "eddsa-jcs-2022",
	//     "created": "2024-01-01T12:00:00Z",
	//     "verificationMethod": "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
	//     "proofPurpose": "assertionMethod",
	//     "proofValue": "z5mpKwSsi38ihBAGMek3e5KcfAfeyoweZxDFco9MoHHe2PBn1tZneF4QCRKM6oTetLYvY8JgFp1F4sVFQoy5DTiJT"
	//   }
	// }
}

// A verifier lists the suites it accepts and resolves keys itself.
func ExampleVerifier_Verify() {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	_, vm, _ := did.NewKeyDID(key.Public())
	prover, _ := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSAJCS2022, Key: key, VerificationMethod: vm})
	signed, _ := prover.AddProof(context.Background(), exampleCredential(), dataintegrity.ProofOptions{})

	verifier, err := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{
		Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022},
	})
	if err != nil {
		panic(err)
	}
	// In a real verifier the KeyResolver resolves the DID and checks that
	// the key is an assertionMethod of the issuer.
	keys := dataintegrity.StaticKeys(map[string]crypto.PublicKey{vm: key.Public()})

	res, err := verifier.Verify(context.Background(), signed, keys, dataintegrity.VerifyOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("verified:", res.Verified)

	forged := bytes.Replace(signed, []byte("did:example:issuer"), []byte("did:example:mallory"), 1)
	res, _ = verifier.Verify(context.Background(), forged, keys, dataintegrity.VerifyOptions{})
	fmt.Println("verified:", res.Verified)
	fmt.Println(res.Err())
	fmt.Println(dataintegrity.ProblemType(res.Err()))
	// Output:
	// verified: true
	// verified: false
	// dataintegrity: invalid signature (proof[0].proofValue)
	// https://w3id.org/security#PROOF_VERIFICATION_ERROR
}

// eddsa-rdfc-2022, the suite OB 3.0 requires, canonicalizes with JSON-LD:
// give the Prover the application's shared jsonld.Processor (nil uses a
// process-wide one with the embedded contexts only).
func ExampleProver_AddProof_rdfc() {
	proc, err := jsonld.NewProcessor(jsonld.Config{})
	if err != nil {
		panic(err)
	}
	key := ed25519.NewKeyFromSeed(make([]byte, 32)) // use a real key!
	_, vm, _ := did.NewKeyDID(key.Public())
	prover, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite:              dataintegrity.SuiteEdDSARDFC2022,
		Key:                key,
		VerificationMethod: vm,
		Processor:          proc,
		Now:                func() time.Time { return time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	signed, err := prover.AddProof(context.Background(), exampleCredential(), dataintegrity.ProofOptions{})
	if err != nil {
		panic(err)
	}
	var doc struct {
		Proof struct {
			ProofValue string `json:"proofValue"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(signed, &doc); err != nil {
		panic(err)
	}
	fmt.Println(doc.Proof.ProofValue)
	// Output:
	// z5MsdJSArssv8rLf4R85dmg62Q5Nckq2LKznX63B511bVZecY7ouZkdXNSN3kmm97KztqEA43oiV3Guam2AcXZJme
}
