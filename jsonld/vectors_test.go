package jsonld

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestPublishedCanonicalForms checks our output byte for byte against the
// canonical N-Quads published with the W3C vc-di-eddsa test vectors and the
// 1EdTech OB 3.0 / CLR 2.0 implementation guide (made with jsonld.js /
// digitalbazaar tooling). For signed credentials the proof configuration is
// the proof without proofValue, with the document's @context.
func TestPublishedCanonicalForms(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "reference", "vectors")
	p, err := NewProcessor(Config{Loader: referenceLoader(t)})
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("vector missing: %v", err)
		}
		return b
	}
	cases := []struct {
		input, canon  string
		proofConfigOf bool // build the proof configuration from a signed document
	}{
		{"vc-di-eddsa/TestVectors/unsigned.json", "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt", false},
		{"vc-di-eddsa/TestVectors/eddsa-rdfc-2022/proofConfigDataInt.json", "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/proofCanonDataInt.txt", false},
		{"vc-di-eddsa/TestVectors/Ed25519Signature2020/proofConfigEdSig.json", "vc-di-eddsa/TestVectors/Ed25519Signature2020/proofCanonEdSig.txt", false},
		{"ob-spec/impl/extracted/obv3p0-credential-unsigned.json", "ob-spec/impl/test-vectors/obv3p0/document-canon.txt", false},
		{"ob-spec/impl/extracted/obv3p0-credential-signed.json", "ob-spec/impl/test-vectors/obv3p0/proof-canon.txt", true},
		{"ob-spec/impl/extracted/clrv2p0-credential-unsigned.json", "ob-spec/impl/test-vectors/clrv2p0/document-canon.txt", false},
		{"ob-spec/impl/extracted/clrv2p0-credential-signed.json", "ob-spec/impl/test-vectors/clrv2p0/proof-canon.txt", true},
	}
	for _, tc := range cases {
		t.Run(tc.canon, func(t *testing.T) {
			in := read(tc.input)
			if tc.proofConfigOf {
				in = proofConfig(t, in)
			}
			got, err := p.Canonicalize(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if want := read(tc.canon); string(got) != string(want) {
				t.Fatalf("%s", firstDiff(string(got), string(want)))
			}
		})
	}
}

func proofConfig(t *testing.T, signed []byte) []byte {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	raw := doc["proof"]
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		raw = list[0]
	}
	var proof map[string]json.RawMessage
	if err := json.Unmarshal(raw, &proof); err != nil {
		t.Fatal(err)
	}
	delete(proof, "proofValue")
	proof["@context"] = doc["@context"]
	b, _ := json.Marshal(proof)
	return b
}
