package status_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/status"
)

// sharedDir returns /work/shared/reference (found as <module root>/../shared/reference),
// or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
}

func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t testing.TB, data []byte) map[string]any {
	t.Helper()
	v, err := strictjson.Decode(data, strictjson.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// testKey is a fixed Ed25519 key with its did:key identifiers.
type testKey struct {
	priv ed25519.PrivateKey
	did  string
	vm   string
}

func newTestKey(t testing.TB, seedByte byte) testKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = seedByte
	}
	priv := ed25519.NewKeyFromSeed(seed)
	mk, err := did.EncodePublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	id := "did:key:" + mk
	return testKey{priv: priv, did: id, vm: id + "#" + mk}
}

var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// signer signs list credentials with k (eddsa-rdfc-2022), the way the
// issuer package will.
func (k testKey) signer(t testing.TB) status.Signer {
	t.Helper()
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite: dataintegrity.SuiteEdDSARDFC2022, Key: k.priv, VerificationMethod: k.vm,
		Now: func() time.Time { return fixedNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return status.SignerFunc(func(ctx context.Context, unsigned []byte) ([]byte, error) {
		return p.AddProof(ctx, unsigned, dataintegrity.ProofOptions{})
	})
}

// listVerifier verifies a list's Data Integrity proof with keys from
// resolve, and checks that the verification method belongs to the list's
// issuer (did:key: the DID before the fragment), as the verifier package
// does.
func listVerifier(t testing.TB, resolve dataintegrity.KeyResolver) status.ListVerifier {
	t.Helper()
	v, err := dataintegrity.NewVerifier(dataintegrity.VerifierConfig{
		Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Now:    func() time.Time { return fixedNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, data []byte) error {
		val, err := strictjson.Decode(data, strictjson.Options{})
		if err != nil {
			return err
		}
		doc := val.(map[string]any)
		res, err := v.Verify(ctx, data, resolve, dataintegrity.VerifyOptions{})
		if err != nil {
			return err
		}
		if !res.Verified {
			return res.Err()
		}
		iss, _ := doc["issuer"].(string)
		for _, p := range res.Proofs {
			if ctrl, _, _ := strings.Cut(p.VerificationMethod, "#"); ctrl != iss {
				return errForeignKey
			}
		}
		return nil
	}
}

var errForeignKey = errorString("test: proof key is not the list issuer's")

type errorString string

func (e errorString) Error() string { return string(e) }

// didKeyResolver resolves did:key verification methods.
func didKeyResolver(ctx context.Context, vm, purpose string) (crypto.PublicKey, error) {
	_, frag, _ := strings.Cut(vm, "#")
	return did.DecodePublicKey(frag)
}

// checkDoc is Checker.Check of a credential built as a map.
func checkDoc(ctx context.Context, c *status.Checker, doc map[string]any) []status.Result {
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return c.Check(ctx, b)
}

// entryMap is the JSON object of e, decoded as a credential's member is
// (numbers as json.Number), for tests that build or edit credentials as
// maps.
func entryMap(e status.Entry) map[string]any {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		panic(err)
	}
	return m
}
