package verifier_test

import (
	"encoding/json"
	"testing"
)

func TestSmoke(t *testing.T) {
	for _, s := range allSuites {
		signed := signSample(t, 1, s, nil)
		r := verify(t, newVerifier(t, nil), signed)
		j, _ := json.MarshalIndent(r, "", " ")
		t.Logf("%s: %s", s, j)
		if !r.Verified {
			t.Errorf("%s: %s", s, r.Summary())
		}
	}
}
