package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSuite is written as a suite outside the package would be, through
// the exported API only: eddsa-rdfc-2022's algorithm under the cryptosuite
// name "test-rdfc-2024".
type testSuite struct{}

func (testSuite) Name() string        { return "test-rdfc-2024" }
func (testSuite) ProofType() string   { return TypeDataIntegrityProof }
func (testSuite) Cryptosuite() string { return "test-rdfc-2024" }

func (testSuite) CheckKey(pub crypto.PublicKey) error {
	if k, ok := pub.(ed25519.PublicKey); !ok || len(k) != ed25519.PublicKeySize {
		return ErrInvalidKey
	}
	return nil
}

func (testSuite) hash(ctx context.Context, env *Env, proof []byte) ([]byte, error) {
	config, err := env.CanonicalProofConfigRDF(ctx, proof)
	if err != nil {
		return nil, err
	}
	doc, err := env.CanonicalDocumentRDF(ctx)
	if err != nil {
		return nil, err
	}
	return HashData(config, doc), nil
}

func (s testSuite) CreateProof(ctx context.Context, env *Env, options []byte, key crypto.Signer) ([]byte, error) {
	h, err := s.hash(ctx, env, options)
	if err != nil {
		return nil, err
	}
	sig, err := key.Sign(nil, h, crypto.Hash(0))
	if err != nil {
		return nil, err
	}
	proof := bytes.TrimSuffix(bytes.Clone(options), []byte("}"))
	return append(proof, `,"proofValue":"`+EncodeProofValue(sig)+`"}`...), nil
}

func (s testSuite) VerifyProof(ctx context.Context, env *Env, proof []byte, pub crypto.PublicKey) error {
	var p struct {
		ProofValue string `json:"proofValue"`
	}
	if err := json.Unmarshal(proof, &p); err != nil {
		return err
	}
	sig, err := DecodeProofValue(p.ProofValue, ed25519.SignatureSize)
	if err != nil {
		return err
	}
	h, err := s.hash(ctx, env, proof)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub.(ed25519.PublicKey), h, sig) {
		return ErrInvalidSignature
	}
	return nil
}

// TestCustomSuite signs and verifies with a suite of JSON in, JSON out,
// alone and in a proof set with a built-in one, and checks that the
// Verifier remembers its proof configuration as it does a built-in suite's.
func TestCustomSuite(t *testing.T) {
	ctx := context.Background()
	counter := &countingCanonicalizer{Canonicalizer: jcsCanonicalizer{}}
	p, err := NewProver(ProverConfig{Suite: "test-rdfc-2024", CustomSuites: []Suite{testSuite{}}, Key: testKey, VerificationMethod: testVM, Processor: counter, Now: fixedClock(testTime)})
	require.NoError(t, err)
	signed, err := p.AddProof(ctx, jsonOf(t, sampleDoc()), ProofOptions{Challenge: "c"})
	require.NoError(t, err)
	proof := decodeJSON(t, signed)["proof"].(map[string]any)
	assert.Equal(t, "test-rdfc-2024", proof["cryptosuite"])
	assert.Equal(t, "c", proof["challenge"])

	both, err := newTestProver(t, SuiteEdDSARDFC2022, counter).AddProof(ctx, signed, ProofOptions{})
	require.NoError(t, err)

	v, err := NewVerifier(VerifierConfig{Suites: []SuiteName{"test-rdfc-2024", SuiteEdDSARDFC2022}, CustomSuites: []Suite{testSuite{}}, Processor: counter, Now: fixedClock(testTime)})
	require.NoError(t, err)
	for _, doc := range [][]byte{both, signed} {
		res, err := v.Verify(ctx, doc, Key(testPub), VerifyOptions{})
		require.NoError(t, err)
		assert.True(t, res.Verified, "%v", res.Err())
	}
	counter.calls = 0
	res, err := v.Verify(ctx, signed, Key(testPub), VerifyOptions{})
	require.NoError(t, err)
	require.True(t, res.Verified)
	assert.Equal(t, 1, counter.calls, "the proof configuration canonicalized again (only the document should be)")

	forged := bytes.Replace(signed, []byte("The School of Examples"), []byte("Another School"), 1)
	res, err = v.Verify(ctx, forged, Key(testPub), VerifyOptions{})
	require.NoError(t, err)
	assert.False(t, res.Verified)
	assert.ErrorIs(t, res.Err(), ErrInvalidSignature)

	// A proof that is not a JSON object fails to be made.
	bad, err := NewProver(ProverConfig{Suite: "bad", CustomSuites: []Suite{badSuite{testSuite{}}}, Key: testKey, VerificationMethod: testVM})
	require.NoError(t, err)
	_, err = bad.AddProof(ctx, jsonOf(t, sampleDoc()), ProofOptions{})
	assert.ErrorIs(t, err, ErrProofGeneration)
}

// badSuite returns a proof that is not JSON.
type badSuite struct{ testSuite }

func (badSuite) Name() string        { return "bad" }
func (badSuite) Cryptosuite() string { return "bad" }

func (badSuite) CreateProof(context.Context, *Env, []byte, crypto.Signer) ([]byte, error) {
	return []byte(`{"proofValue":`), nil
}
