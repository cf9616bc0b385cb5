package issuer

import (
	"bytes"
	"testing"

	"github.com/microcred/openbadges/internal/strictjson"
)

// TestSpliceProofMatchesMarshalOrdered checks that the fast output path (the
// input compacted, the proof appended) writes exactly what re-encoding the
// decoded document in input order writes: same escapes, numbers, order.
func TestSpliceProofMatchesMarshalOrdered(t *testing.T) {
	proof := map[string]any{
		"proofValue": "z3abc", "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
		"created": "2026-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod",
	}
	inputs := []string{
		`{}`,
		`{"a":1}`,
		"{\n  \"b\" : [ 1 , 2.50, -0, 1e3, true, false, null ],\n\t\"a\": {\"z\": \"x\", \"y\": {}}, \"c\": []\r\n}",
		`{"s":"quote \" back \\ slash \/ tab \t nl \n uni \u00e9 \u2028 raw` + "\u2028 \u2029 é ✓ 😀" + `","k\u0041":"v"}`,
		`{"html":"<a href='x'>&amp;</a>","ctrl":"\u0001\u001f","surrogate":"\ud83d\ude00"}`,
		`  {"@context":["https://www.w3.org/ns/credentials/v2"],"name":"x"}  `,
	}
	for _, in := range inputs {
		v, err := strictjson.Decode([]byte(in), strictjson.Options{})
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		doc := v.(map[string]any)
		signed := shallowCopy(doc)
		signed["proof"] = proof
		want, err := marshalOrdered(signed, readOrder(in))
		if err != nil {
			t.Fatal(err)
		}
		got := spliceProof(in, proof)
		if !bytes.Equal(got, want) {
			t.Errorf("input %s\n got %s\nwant %s", in, got, want)
		}
	}
	if spliceProof(`[1]`, proof) != nil {
		t.Error("an array was extended")
	}
	if spliceProof(`{"a":"unterminated`, proof) != nil {
		t.Error("an unterminated string was accepted")
	}
}

// FuzzSpliceProof compares the fast output path with re-encoding on any
// object strict JSON accepts.
func FuzzSpliceProof(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":"\u2028\\"}]}`, " {\"x\" :\"é\\/\" } "} {
		f.Add(s)
	}
	proof := map[string]any{"type": "DataIntegrityProof", "proofValue": "z1"}
	f.Fuzz(func(t *testing.T, in string) {
		v, err := strictjson.Decode([]byte(in), strictjson.Options{})
		if err != nil {
			return
		}
		doc, ok := v.(map[string]any)
		if _, chained := doc["proof"]; !ok || chained {
			return // IssueJSON takes the other path
		}
		signed := shallowCopy(doc)
		signed["proof"] = proof
		want, err := marshalOrdered(signed, readOrder(in))
		if err != nil {
			return
		}
		if got := spliceProof(in, proof); !bytes.Equal(got, want) {
			t.Errorf("input %q\n got %s\nwant %s", in, got, want)
		}
	})
}

// TestWriteProof checks the proof fast path against writeOrdered, and that
// it declines proofs it does not know.
func TestWriteProof(t *testing.T) {
	for _, proof := range []map[string]any{
		{"proofValue": "z1", "type": "DataIntegrityProof", "created": "2026-01-01T00:00:00Z", "cryptosuite": "eddsa-rdfc-2022", "verificationMethod": "did:key:z#z", "proofPurpose": "assertionMethod"},
		{"type": "Ed25519Signature2020", "challenge": "\u2028\"", "domain": "example.org", "nonce": "n", "id": "urn:p", "expires": "x", "previousProof": "urn:q", "@context": "https://w3id.org/security/data-integrity/v2"},
		{},
	} {
		var fast, slow bytes.Buffer
		if !writeProof(&fast, proof) {
			t.Fatalf("%v declined", proof)
		}
		if err := writeOrdered(&slow, proof, &order{keys: proofOrder.keys, every: proofOrder}); err != nil {
			t.Fatal(err)
		}
		if fast.String() != slow.String() {
			t.Errorf("got  %s\nwant %s", fast.String(), slow.String())
		}
	}
	for _, proof := range []map[string]any{
		{"type": "DataIntegrityProof", "extra": "x"},
		{"type": "DataIntegrityProof", "domain": []any{"a", "b"}},
		{"@context": []any{"https://www.w3.org/ns/credentials/v2"}},
	} {
		var b bytes.Buffer
		if writeProof(&b, proof) || b.Len() != 0 {
			t.Errorf("%v accepted", proof)
		}
	}
}
