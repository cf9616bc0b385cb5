package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
)

// FuzzHandler sends arbitrary bodies to every POST endpoint: the answer is
// never a 500 and always JSON (a problem, or a result).
func FuzzHandler(f *testing.F) {
	k := testKey(f, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers:     []vcapi.IssuerConfig{issuerConfig(k, "")},
		StatusStore: status.NewMemoryStore(), BaseURL: "http://127.0.0.1:1",
		InsecureAllowUnsignedPresentations: true,
	})
	if err != nil {
		f.Fatal(err)
	}
	paths := []string{"/credentials/issue", "/credentials/verify", "/presentations/verify", "/credentials/status"}
	cred, _ := json.Marshal(vc2(k.DID))
	for i, seed := range []string{
		`{"credential": ` + string(cred) + `}`,
		`{"verifiableCredential": ` + string(cred) + `}`,
		`{"verifiablePresentation": {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation"}}`,
		`{"credentialId": "urn:uuid:x", "credentialStatus": {"type": "revocation"}}`,
		`{"credential": "x"}`, `{"verifiableCredential": {"proof": null}}`, `[]`, `null`, `{`, ``,
		`{"credential": {"@context": {"@vocab": 5}}, "options": {"credentialStatus": [{"type": 1}]}}`,
		`{"verifiableCredential": {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "proof": {"type": "DataIntegrityProof"}}, "options": {"domain": [1]}}`,
	} {
		f.Add(uint8(i), []byte(seed))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		path := paths[int(which)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: %d\n%s", path, body, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "json") {
			t.Fatalf("POST %s: Content-Type %q", path, ct)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("POST %s: body is not JSON: %q", path, rec.Body)
		}
	})
}
