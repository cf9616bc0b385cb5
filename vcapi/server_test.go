package vcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcapi"
	"github.com/microcred/openbadges/verifier"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKey is a fixed Ed25519 key, so that failures are reproducible.
// testKey is the shared test key of that number (/testdata/keys).
func testKey(t testing.TB, n byte) *keys.Key {
	t.Helper()
	return testkeys.Ed25519(int(n))
}

func issuerConfig(k *keys.Key, name string) vcapi.IssuerConfig {
	return vcapi.IssuerConfig{Name: name, Signer: k.Signer, VerificationMethod: k.VerificationMethod, Controller: k.DID}
}

type testServer struct {
	*httptest.Server
	did string
}

// newServer starts a server with one issuer at /credentials/issue and,
// when withStatus, status lists in memory.
func newServer(t testing.TB, withStatus bool) *testServer {
	t.Helper()
	k := testKey(t, 1)
	cfg := vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}}
	ts := httptest.NewUnstartedServer(nil)
	if withStatus {
		cfg.StatusStore = status.NewMemoryStore()
		cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	}
	s, err := vcapi.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, did: k.DID}
}

type response struct {
	code        int
	contentType string
	body        map[string]any
	raw         []byte
}

func (ts *testServer) post(t testing.TB, path, contentType string, body []byte) response {
	t.Helper()
	resp, err := ts.Client().Post(ts.URL+path, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{code: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), raw: raw}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		t.Fatalf("POST %s: %d, body is not a JSON object: %v\n%s", path, resp.StatusCode, err, raw)
	}
	return r
}

func (ts *testServer) postJSON(t testing.TB, path string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return ts.post(t, path, "application/json", b)
}

func vc2(issuer string) map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:5c1d1a49-9b1f-4b8e-8f0a-7d3c9f3f1a01",
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"credentialSubject": map[string]any{"id": "did:example:alice"},
	}
}

func vc2Issuer(issuer any) map[string]any {
	c := vc2("")
	c["issuer"] = issuer
	return c
}

func vc11(issuer string) map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/2018/credentials/v1"},
		"id":                "urn:uuid:5c1d1a49-9b1f-4b8e-8f0a-7d3c9f3f1a02",
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"issuanceDate":      "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:alice"},
	}
}

// issue issues cred with options and returns the signed credential.
func (ts *testServer) issue(t testing.TB, path string, cred map[string]any, options map[string]any) map[string]any {
	t.Helper()
	req := map[string]any{"credential": cred}
	if options != nil {
		req["options"] = options
	}
	r := ts.postJSON(t, path, req)
	if r.code != http.StatusCreated {
		t.Fatalf("issue: %d, want 201\n%s", r.code, r.raw)
	}
	vc, ok := r.body["verifiableCredential"].(map[string]any)
	if !ok {
		t.Fatalf("issue: no verifiableCredential object\n%s", r.raw)
	}
	return vc
}

func (ts *testServer) verify(t testing.TB, vc any) response {
	t.Helper()
	return ts.postJSON(t, "/credentials/verify", map[string]any{
		"verifiableCredential": vc, "options": map[string]any{"checks": []any{"proof"}},
	})
}

func assertProblem(t testing.TB, r response, codes ...int) {
	t.Helper()
	ok := false
	for _, c := range codes {
		ok = ok || r.code == c
	}
	if !ok {
		t.Fatalf("status %d, want one of %v\n%s", r.code, codes, r.raw)
	}
	if r.contentType != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", r.contentType)
	}
	for _, m := range []string{"type", "title", "status"} {
		if _, ok := r.body[m]; !ok {
			t.Errorf("problem has no %q member\n%s", m, r.raw)
		}
	}
	if st, _ := r.body["status"].(float64); int(st) != r.code {
		t.Errorf("problem status %v, HTTP status %d", r.body["status"], r.code)
	}
}

// assertNotVerified checks the answer the suites expect for a credential
// that does not verify: 400 with verified false and problem details.
func assertNotVerified(t testing.TB, r response, codes ...int) {
	t.Helper()
	if len(codes) == 0 {
		codes = []int{http.StatusBadRequest}
	}
	assertProblem(t, r, codes...)
	if v, ok := r.body["verified"].(bool); !ok || v {
		t.Errorf("verified = %v, want false\n%s", r.body["verified"], r.raw)
	}
	// A credential's result lists its errors, a presentation's its
	// problemDetails.
	errs, _ := r.body["errors"].([]any)
	pds, _ := r.body["problemDetails"].([]any)
	if len(errs) == 0 && len(pds) == 0 {
		t.Errorf("no errors\n%s", r.raw)
	}
	if cs, _ := r.body["checks"].([]any); len(cs) > 0 {
		if _, ok := cs[0].(map[string]any); !ok {
			t.Errorf("checks are not the verifier's checks\n%s", r.raw)
		}
	}
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	ts := newServer(t, false)
	for _, tc := range []struct {
		name    string
		options map[string]any
		typ     string
		suite   string
	}{
		{"default", nil, "DataIntegrityProof", "eddsa-rdfc-2022"},
		{"rdfc", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}, "DataIntegrityProof", "eddsa-rdfc-2022"},
		{"jcs", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022"}, "DataIntegrityProof", "eddsa-jcs-2022"},
		{"ed25519-2020", map[string]any{"type": "Ed25519Signature2020"}, "Ed25519Signature2020", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vc := ts.issue(t, "/credentials/issue", vc2(ts.did), tc.options)
			proof, _ := vc["proof"].(map[string]any)
			if proof["type"] != tc.typ || (tc.suite != "" && proof["cryptosuite"] != tc.suite) {
				t.Fatalf("proof %v, want %s %s", proof, tc.typ, tc.suite)
			}
			if proof["proofPurpose"] != "assertionMethod" || !strings.HasPrefix(proof["verificationMethod"].(string), ts.did+"#") {
				t.Errorf("proof %v", proof)
			}
			r := ts.verify(t, vc)
			if r.code != http.StatusOK || r.body["verified"] != true {
				t.Fatalf("verify: %d\n%s", r.code, r.raw)
			}
			if pds, _ := r.body["errors"].([]any); len(pds) != 0 {
				t.Errorf("errors = %v, want none", r.body["errors"])
			}
			if !strings.HasPrefix(r.contentType, "application/json") {
				t.Errorf("Content-Type %q", r.contentType)
			}
		})
	}
}

func TestIssueAcceptsLDJSONAndIssuerObject(t *testing.T) {
	ts := newServer(t, false)
	cred := vc2(ts.did)
	cred["issuer"] = map[string]any{"id": ts.did, "name": "Example University"}
	b, _ := json.Marshal(map[string]any{"credential": cred})
	r := ts.post(t, "/credentials/issue", "application/ld+json; charset=utf-8", b)
	if r.code != http.StatusCreated {
		t.Fatalf("%d\n%s", r.code, r.raw)
	}
}

func TestIssueVC11(t *testing.T) {
	ts := newServer(t, false)
	for _, opts := range []map[string]any{nil, {"type": "Ed25519Signature2020"}, {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022"}} {
		vc := ts.issue(t, "/credentials/issue", vc11(ts.did), opts)
		if r := ts.verify(t, vc); r.code != http.StatusOK || r.body["verified"] != true {
			t.Fatalf("options %v: verify %d\n%s", opts, r.code, r.raw)
		}
	}
}

func TestVerifyTampered(t *testing.T) {
	ts := newServer(t, false)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	vc["credentialSubject"] = map[string]any{"id": "did:example:mallory"}
	assertNotVerified(t, ts.verify(t, vc))
}

func TestVerifyProofMutations(t *testing.T) {
	ts := newServer(t, false)
	signed := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	for name, mutate := range map[string]func(vc, proof map[string]any){
		"proof null":            func(vc, _ map[string]any) { vc["proof"] = nil },
		"no proof":              func(vc, _ map[string]any) { delete(vc, "proof") },
		"proof string":          func(vc, _ map[string]any) { vc["proof"] = "proof" },
		"no proof type":         func(_, p map[string]any) { delete(p, "type") },
		"unknown proof type":    func(_, p map[string]any) { p["type"] = "UnknownProof2099" },
		"unknown cryptosuite":   func(_, p map[string]any) { p["cryptosuite"] = "eddsa-unknown-2099" },
		"no cryptosuite":        func(_, p map[string]any) { delete(p, "cryptosuite") },
		"no verificationMethod": func(_, p map[string]any) { delete(p, "verificationMethod") },
		"unknown verificationMethod": func(_, p map[string]any) {
			p["verificationMethod"] = "did:example:nobody#key-1"
		},
		"no proofPurpose":      func(_, p map[string]any) { delete(p, "proofPurpose") },
		"unknown proofPurpose": func(_, p map[string]any) { p["proofPurpose"] = "somethingElse" },
		"authentication":       func(_, p map[string]any) { p["proofPurpose"] = "authentication" },
		"no proofValue":        func(_, p map[string]any) { delete(p, "proofValue") },
		"bad proofValue":       func(_, p map[string]any) { p["proofValue"] = "z1111" },
		"created not a date":   func(_, p map[string]any) { p["created"] = "yesterday" },
		"undefined term":       func(vc, _ map[string]any) { vc["undefinedTerm@x"] = "y" },
		"relative type":        func(vc, _ map[string]any) { vc["type"] = []any{"VerifiableCredential", "../Relative"} },
	} {
		t.Run(name, func(t *testing.T) {
			var vc map[string]any
			b, _ := json.Marshal(signed)
			json.Unmarshal(b, &vc)
			mutate(vc, vc["proof"].(map[string]any))
			assertNotVerified(t, ts.verify(t, vc), http.StatusBadRequest, http.StatusUnprocessableEntity)
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	ts := newServer(t, false)
	for name, body := range map[string]string{
		"not JSON":                  `{"verifiableCredential": `,
		"array body":                `[1,2]`,
		"credential as string":      `{"verifiableCredential": "{\"@context\": []}"}`,
		"credential null":           `{"verifiableCredential": null}`,
		"no credential":             `{"options": {}}`,
		"credential is array":       `{"verifiableCredential": [{}]}`,
		"empty credential":          `{"verifiableCredential": {}}`,
		"duplicate key":             `{"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "@context": []}}`,
		"options of the wrong type": `{"verifiableCredential": {}, "options": "x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			assertNotVerified(t, ts.post(t, "/credentials/verify", "application/json", []byte(body)), http.StatusBadRequest, http.StatusUnprocessableEntity)
		})
	}
}

func TestIssueRefusals(t *testing.T) {
	ts := newServer(t, false)
	undefined := vc11(ts.did)
	undefined["credentialSubject"] = map[string]any{"id": "did:example:alice", "undefinedTerm": "x"}
	relID := vc2(ts.did)
	relID["id"] = "relative/id"
	noSubject := vc2(ts.did)
	delete(noSubject, "credentialSubject")
	otherIssuer := vc2("did:example:someone-else")
	for name, tc := range map[string]struct {
		body  any
		codes []int
	}{
		"credential as string":  {map[string]any{"credential": `{"@context": []}`}, []int{400}},
		"credential null":       {map[string]any{"credential": nil}, []int{400}},
		"no credential":         {map[string]any{"options": map[string]any{}}, []int{400}},
		"unknown cryptosuite":   {map[string]any{"credential": vc2(ts.did), "options": map[string]any{"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"}}, []int{400, 422}},
		"unknown proof type":    {map[string]any{"credential": vc2(ts.did), "options": map[string]any{"type": "BbsBlsSignature2020"}}, []int{400, 422}},
		"options of wrong type": {map[string]any{"credential": vc2(ts.did), "options": map[string]any{"type": 7}}, []int{400}},
		"undefined term":        {map[string]any{"credential": undefined}, []int{400, 422}},
		"relative id":           {map[string]any{"credential": relID}, []int{400, 422}},
		"no subject":            {map[string]any{"credential": noSubject}, []int{400, 422}},
		"other issuer":          {map[string]any{"credential": otherIssuer}, []int{400, 422}},
		"status without lists":  {map[string]any{"credential": vc2(ts.did), "options": map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry"}}}, []int{400, 422}},
	} {
		t.Run(name, func(t *testing.T) {
			assertProblem(t, ts.postJSON(t, "/credentials/issue", tc.body), tc.codes...)
		})
	}
}

func TestBodyLimitsAndContentType(t *testing.T) {
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, MaxBodyBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer ts.Close()
	big := fmt.Sprintf(`{"credential": {"x": %q}}`, strings.Repeat("a", 2048))
	for _, path := range []string{"/credentials/issue", "/credentials/verify", "/presentations/verify", "/credentials/status"} {
		assertProblem(t, ts.post(t, path, "application/json", []byte(big)), http.StatusRequestEntityTooLarge)
		assertProblem(t, ts.post(t, path, "text/plain", []byte(`{}`)), http.StatusUnsupportedMediaType)
		assertProblem(t, ts.post(t, path, "", []byte(`{}`)), http.StatusUnsupportedMediaType)
	}
	// The default bound is 2 MiB.
	def := newServer(t, false)
	huge := fmt.Sprintf(`{"verifiableCredential": {"x": %q}}`, strings.Repeat("a", vcapi.DefaultMaxBodyBytes))
	assertProblem(t, def.post(t, "/credentials/verify", "application/json", []byte(huge)), http.StatusRequestEntityTooLarge)
}

func TestPresentations(t *testing.T) {
	ts := newServer(t, false)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	vcJSON, _ := json.Marshal(vc)
	hk := testKey(t, 6)
	holder, err := presentation.NewHolder(presentation.HolderConfig{Signer: hk.Signer, VerificationMethod: hk.VerificationMethod})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := holder.Present(context.Background(), [][]byte{vcJSON}, presentation.Options{Challenge: "c-123", Domain: "verifier.example"})
	if err != nil {
		t.Fatal(err)
	}
	unsignedJSON, err := presentation.Compose(hk.DID, [][]byte{vcJSON}, presentation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	unsigned := json.RawMessage(unsignedJSON)
	var signedDoc map[string]any
	json.Unmarshal(signed, &signedDoc)
	tampered := map[string]any{}
	json.Unmarshal(signed, &tampered)
	tampered["holder"] = "did:example:mallory"

	verifyVP := func(ts *testServer, vp any, options map[string]any) response {
		return ts.postJSON(t, "/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": options})
	}
	r := verifyVP(ts, signedDoc, map[string]any{"challenge": "c-123", "domain": "verifier.example"})
	if r.code != 200 || r.body["verified"] != true {
		t.Fatalf("signed presentation: %d\n%s", r.code, r.raw)
	}
	for name, tc := range map[string]struct {
		vp      any
		options map[string]any
	}{
		"wrong challenge":     {signedDoc, map[string]any{"challenge": "other", "domain": "verifier.example"}},
		"wrong domain":        {signedDoc, map[string]any{"challenge": "c-123", "domain": "evil.example"}},
		"tampered":            {tampered, map[string]any{"challenge": "c-123", "domain": "verifier.example"}},
		"unsigned by default": {unsigned, nil},
		"string":              {string(signed), nil},
		"null":                {nil, nil},
		"challenge number":    {signedDoc, map[string]any{"challenge": 5}},
	} {
		t.Run(name, func(t *testing.T) {
			assertNotVerified(t, verifyVP(ts, tc.vp, tc.options), 400, 422)
		})
	}

	// Unsigned presentations, when allowed, still verify their credentials
	// and are refused when a challenge is expected.
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, InsecureAllowUnsignedPresentations: true})
	if err != nil {
		t.Fatal(err)
	}
	lax := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer lax.Close()
	if r := verifyVP(lax, unsigned, nil); r.code != 200 {
		t.Fatalf("unsigned, allowed: %d\n%s", r.code, r.raw)
	}
	assertNotVerified(t, verifyVP(lax, unsigned, map[string]any{"challenge": "c-123"}), 400)
	bad := map[string]any{}
	json.Unmarshal(unsignedJSON, &bad)
	badVC := map[string]any{}
	json.Unmarshal(vcJSON, &badVC)
	badVC["credentialSubject"] = map[string]any{"id": "did:example:mallory"}
	bad["verifiableCredential"] = []any{badVC}
	assertNotVerified(t, verifyVP(lax, bad, nil), 400)
}

func TestHealthzAndNotFound(t *testing.T) {
	ts := newServer(t, false)
	resp, err := ts.Client().Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	assertProblem(t, ts.postJSON(t, "/issuers/nobody/credentials/issue", map[string]any{"credential": vc2(ts.did)}), http.StatusNotFound)
	assertProblem(t, ts.postJSON(t, "/nothing", map[string]any{}), http.StatusNotFound)
	// A known path with the wrong method is 405, with Allow.
	resp, err = ts.Client().Get(ts.URL + "/credentials/issue")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /credentials/issue: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestMultipleIssuers(t *testing.T) {
	a, b := testKey(t, 2), testKey(t, 3)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{
		issuerConfig(a, "rdfc"),
		{Name: "jcs", Signer: b.Signer, VerificationMethod: b.VerificationMethod, Suite: "eddsa-jcs-2022"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s)}
	defer ts.Close()
	va := ts.issue(t, "/issuers/rdfc/credentials/issue", vc2(a.DID), nil)
	vb := ts.issue(t, "/issuers/jcs/credentials/issue", vc2(b.DID), nil)
	if p := vb["proof"].(map[string]any); p["cryptosuite"] != "eddsa-jcs-2022" {
		t.Errorf("jcs issuer signed with %v", p["cryptosuite"])
	}
	for _, vc := range []map[string]any{va, vb} {
		if r := ts.verify(t, vc); r.code != http.StatusOK {
			t.Fatalf("verify: %d\n%s", r.code, r.raw)
		}
	}
	// Each issuer signs only as itself, and there is no default issuer.
	assertProblem(t, ts.postJSON(t, "/issuers/jcs/credentials/issue", map[string]any{"credential": vc2(a.DID)}), 422)
	assertProblem(t, ts.postJSON(t, "/credentials/issue", map[string]any{"credential": vc2(a.DID)}), 404, 405)
}

func TestConfigErrors(t *testing.T) {
	k := testKey(t, 1)
	for name, cfg := range map[string]vcapi.Config{
		"no signer":        {Issuers: []vcapi.IssuerConfig{{VerificationMethod: k.VerificationMethod}}},
		"bad name":         {Issuers: []vcapi.IssuerConfig{issuerConfig(k, "a/b")}},
		"duplicate":        {Issuers: []vcapi.IssuerConfig{issuerConfig(k, "a"), issuerConfig(k, "a")}},
		"unknown suite":    {Issuers: []vcapi.IssuerConfig{{Signer: k.Signer, VerificationMethod: k.VerificationMethod, Suite: "ecdsa-rdfc-2019"}}},
		"purpose no store": {Issuers: []vcapi.IssuerConfig{{Signer: k.Signer, VerificationMethod: k.VerificationMethod, StatusPurposes: []string{"revocation"}}}},
		"store no base":    {Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, StatusStore: status.NewMemoryStore()},
		"negative limit":   {MaxBodyBytes: -1},
	} {
		if _, err := vcapi.New(context.Background(), cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestStatusRevokeThenVerifyFails(t *testing.T) {
	ts := newServer(t, true)
	for _, purpose := range []string{"revocation", "suspension"} {
		t.Run(purpose, func(t *testing.T) {
			cred := vc2(ts.did)
			cred["id"] = "urn:uuid:status-" + purpose
			vc := ts.issue(t, "/credentials/issue", cred, map[string]any{
				"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": purpose},
			})
			cs, _ := vc["credentialStatus"].(map[string]any)
			if cs["type"] != "BitstringStatusListEntry" || cs["statusPurpose"] != purpose {
				t.Fatalf("credentialStatus %v", vc["credentialStatus"])
			}
			listURL, _ := cs["statusListCredential"].(string)
			if !strings.HasPrefix(listURL, ts.URL+"/status/") {
				t.Fatalf("statusListCredential %q", listURL)
			}
			// The list is served, signed.
			resp, err := ts.Client().Get(listURL)
			if err != nil {
				t.Fatal(err)
			}
			var list map[string]any
			json.NewDecoder(resp.Body).Decode(&list)
			resp.Body.Close()
			if resp.StatusCode != 200 || list["proof"] == nil {
				t.Fatalf("GET %s: %d %v", listURL, resp.StatusCode, list)
			}
			if r := ts.verify(t, vc); r.code != http.StatusOK {
				t.Fatalf("verify before update: %d\n%s", r.code, r.raw)
			}
			r := ts.postJSON(t, "/credentials/status", map[string]any{
				"credentialId": cred["id"], "credentialStatus": []any{map[string]any{"type": "BitstringStatusListCredential", "status": true}},
			})
			if r.code != http.StatusOK {
				t.Fatalf("status update: %d\n%s", r.code, r.raw)
			}
			assertNotVerified(t, ts.verify(t, vc))
			if purpose == "suspension" {
				r := ts.postJSON(t, "/credentials/status", map[string]any{
					"credentialId": cred["id"], "credentialStatus": []any{map[string]any{"type": "suspension", "status": "false"}},
				})
				if r.code != http.StatusOK {
					t.Fatalf("reinstate: %d\n%s", r.code, r.raw)
				}
				if r := ts.verify(t, vc); r.code != http.StatusOK {
					t.Fatalf("verify after reinstating: %d\n%s", r.code, r.raw)
				}
			} else {
				r := ts.postJSON(t, "/credentials/status", map[string]any{
					"credentialId": cred["id"], "credentialStatus": []any{map[string]any{"type": "revocation", "status": false}},
				})
				assertProblem(t, r, http.StatusConflict)
			}
		})
	}
	// Unknown credentials and malformed updates.
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": "urn:uuid:unknown", "credentialStatus": []any{map[string]any{"type": "revocation", "status": true}},
	}), 404)
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{"credentialId": "x"}), 400)
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": "urn:uuid:status-revocation", "credentialStatus": []any{map[string]any{"type": "revocation", "status": "maybe"}},
	}), 400)
}

func TestStatusVC11(t *testing.T) {
	ts := newServer(t, true)
	vc := ts.issue(t, "/credentials/issue", vc11(ts.did), map[string]any{
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
	})
	if r := ts.verify(t, vc); r.code != http.StatusOK {
		t.Fatalf("verify: %d\n%s", r.code, r.raw)
	}
}

func TestStatusPurposesByDefault(t *testing.T) {
	k := testKey(t, 4)
	ts := httptest.NewUnstartedServer(nil)
	ic := issuerConfig(k, "uni")
	ic.StatusPurposes = []string{"revocation", "suspension"}
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers: []vcapi.IssuerConfig{ic}, StatusStore: status.NewMemoryStore(), BaseURL: "http://" + ts.Listener.Addr().String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	defer ts.Close()
	tsrv := &testServer{Server: ts, did: k.DID}
	vc := tsrv.issue(t, "/issuers/uni/credentials/issue", vc2(k.DID), nil)
	if cs, _ := vc["credentialStatus"].([]any); len(cs) != 2 {
		t.Fatalf("credentialStatus %v, want two entries", vc["credentialStatus"])
	}
	if got := len(s.StatusListURLs()); got != 2 {
		t.Errorf("%d status lists, want 2", got)
	}
}

func TestVerifyForeignStatusFailsClosed(t *testing.T) {
	// Without a status fetcher, a status list elsewhere cannot be checked,
	// and the credential does not verify; nor without any status
	// configuration, unless status checks are skipped explicitly.
	ts := newServer(t, true)
	cred := vc2(ts.did)
	cred["credentialStatus"] = map[string]any{
		"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
		"statusListIndex": "7", "statusListCredential": "https://status.example/list/1",
	}
	vc := ts.issue(t, "/credentials/issue", cred, nil)
	assertNotVerified(t, ts.verify(t, vc))
	plain := newServer(t, false)
	assertNotVerified(t, plain.verify(t, vc))
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, SkipStatus: true})
	if err != nil {
		t.Fatal(err)
	}
	skip := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer skip.Close()
	r := skip.verify(t, vc)
	if r.code != http.StatusOK {
		t.Fatalf("with SkipStatus: %d\n%s", r.code, r.raw)
	}
	if ws, _ := r.body["warnings"].([]any); len(ws) == 0 {
		t.Errorf("a skipped status check gives no warning\n%s", r.raw)
	}
}

// TestConcurrent issues and verifies from 32 goroutines at once (run with
// -race).
func TestConcurrent(t *testing.T) {
	ts := newServer(t, true)
	var wg sync.WaitGroup
	errs := make(chan string, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cred := vc2(ts.did)
			cred["id"] = fmt.Sprintf("urn:uuid:concurrent-%d", i)
			var opts map[string]any
			if i%2 == 0 {
				opts = map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry"}}
			}
			body, _ := json.Marshal(map[string]any{"credential": cred, "options": opts})
			resp, err := ts.Client().Post(ts.URL+"/credentials/issue", "application/json", bytes.NewReader(body))
			if err != nil {
				errs <- err.Error()
				return
			}
			var out struct {
				VC json.RawMessage `json:"verifiableCredential"`
			}
			json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				errs <- fmt.Sprintf("issue %d: %d", i, resp.StatusCode)
				return
			}
			body, _ = json.Marshal(map[string]any{"verifiableCredential": out.VC})
			resp, err = ts.Client().Post(ts.URL+"/credentials/verify", "application/json", bytes.NewReader(body))
			if err != nil {
				errs <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Sprintf("verify %d: %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestRequestLog(t *testing.T) {
	var buf syncBuffer
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")},
		Logger:  newTextLogger(&buf),
		Now:     func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer ts.Close()
	ts.issue(t, "/credentials/issue", vc2(k.DID), nil)
	if got := buf.String(); !strings.Contains(got, "path=/credentials/issue") || !strings.Contains(got, "status=201") {
		t.Errorf("log: %q", got)
	}
}

func TestVerifyOptions(t *testing.T) {
	ts := newServer(t, false)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	for name, tc := range map[string]struct {
		options map[string]any
		code    int
	}{
		"legacy checks":               {map[string]any{"checks": []any{"proof", "status"}}, 200},
		"expected assertionMethod":    {map[string]any{"expectedProofPurpose": "assertionMethod"}, 200},
		"expected authentication":     {map[string]any{"expectedProofPurpose": "authentication"}, 400},
		"domain the proof lacks":      {map[string]any{"domain": "domain.example"}, 400},
		"challenge the proof lacks":   {map[string]any{"domain": "domain.example", "challenge": "1235abcd6789"}, 400},
		"expectedProofPurpose number": {map[string]any{"expectedProofPurpose": 7}, 400},
		"domain object":               {map[string]any{"domain": map[string]any{}}, 400},
	} {
		t.Run(name, func(t *testing.T) {
			r := ts.postJSON(t, "/credentials/verify", map[string]any{"verifiableCredential": vc, "options": tc.options})
			if tc.code == 200 {
				if r.code != 200 || r.body["verified"] != true {
					t.Fatalf("%d\n%s", r.code, r.raw)
				}
				return
			}
			assertNotVerified(t, r, tc.code)
		})
	}
}

func TestAdoptIssuer(t *testing.T) {
	k := testKey(t, 5)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, AdoptIssuer: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer ts.Close()
	vc := ts.issue(t, "/credentials/issue", vc2("did:example:issuer"), nil)
	if vc["issuer"] != k.DID {
		t.Errorf("issuer %v, want %s", vc["issuer"], k.DID)
	}
	obj := vc2("")
	obj["issuer"] = map[string]any{"id": "did:example:issuer", "name": "Example"}
	vc = ts.issue(t, "/credentials/issue", obj, nil)
	if iss, _ := vc["issuer"].(map[string]any); iss["id"] != k.DID || iss["name"] != "Example" {
		t.Errorf("issuer %v", vc["issuer"])
	}
	if r := ts.verify(t, vc); r.code != http.StatusOK {
		t.Fatalf("verify: %d\n%s", r.code, r.raw)
	}
	// An issuer that is not a URL is not adopted but refused, as the
	// suites' negative tests expect.
	for _, bad := range []any{"not a url", "", map[string]any{"id": "no-scheme"}, 7} {
		assertProblem(t, ts.postJSON(t, "/credentials/issue", map[string]any{"credential": vc2Issuer(bad)}), 400, 422)
	}
	// Without AdoptIssuer (the default), another issuer is refused.
	assertProblem(t, newServer(t, false).postJSON(t, "/credentials/issue", map[string]any{"credential": vc2("did:example:issuer")}), 422)
}

// TestStatusSuiteRequests sends the requests of the Bitstring Status List
// suite: a status entry asked for in options, the update without a
// "status" member (meaning set), then POST {list}/publish expecting 204.
func TestStatusSuiteRequests(t *testing.T) {
	ts := newServer(t, true)
	cred := vc2(ts.did)
	cred["id"] = "urn:uuid:suite-status"
	vc := ts.issue(t, "/credentials/issue", cred, map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
	})
	cs := vc["credentialStatus"].(map[string]any)
	if idx, ok := cs["statusListIndex"].(string); !ok || idx == "" {
		t.Fatalf("statusListIndex %v is not a string", cs["statusListIndex"])
	}
	r := ts.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": cred["id"], "credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
	})
	if r.code != 200 {
		t.Fatalf("update: %d\n%s", r.code, r.raw)
	}
	resp, err := ts.Client().Post(cs["statusListCredential"].(string)+"/publish", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("publish: %d, want 204", resp.StatusCode)
	}
	assertNotVerified(t, ts.verify(t, vc))
	assertProblem(t, ts.postJSON(t, "/status/nolist/publish", map[string]any{}), 404)
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{"credentialId": cred["id"], "credentialStatus": "x"}), 400)
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{"credentialId": cred["id"], "credentialStatus": []any{}}), 400)
	// An entry of a purpose the credential lacks.
	assertProblem(t, ts.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": cred["id"], "credentialStatus": map[string]any{"type": "revocation"},
	}), 400)
}

// TestVerifyResultShape: the answer is the verifier's Result in its JSON
// form, the one badge verify --json prints, verified or not: on 400 the
// problem's members come first and the Result's follow. A revoked
// credential fails its status check, which says "revoked", and is not
// reported as a STATUS_VERIFICATION_ERROR.
func TestVerifyResultShape(t *testing.T) {
	ts := newServer(t, true)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), map[string]any{
		"credentialStatus": map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
	})
	// The library, configured as the server's verifier is, with the
	// server's own status lists.
	checker, err := verifier.NewStatusChecker(verifier.Config{Suites: vcapi.DefaultSuites}, status.FetcherFunc(func(ctx context.Context, u string) ([]byte, error) {
		resp, err := ts.Client().Get(u)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}))
	require.NoError(t, err)
	v, err := verifier.New(verifier.Config{Suites: vcapi.DefaultSuites, Status: checker})
	require.NoError(t, err)
	vcJSON, err := json.Marshal(vc)
	require.NoError(t, err)
	library := func() map[string]any {
		res, err := v.Verify(context.Background(), vcJSON)
		require.NoError(t, err)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		return m
	}

	// Legacy options.checks are tolerated; every check runs and is listed.
	r := ts.postJSON(t, "/credentials/verify", map[string]any{
		"verifiableCredential": vc, "options": map[string]any{"checks": []any{"proof", "credentialStatus"}},
	})
	require.Equal(t, 200, r.code, string(r.raw))
	assert.Equal(t, library(), r.body)
	assert.Contains(t, string(r.raw), `{"check":"status","path":"$.credentialStatus","outcome":"passed"}`)

	require.Equal(t, 200, ts.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": vc["id"], "credentialStatus": map[string]any{"type": "revocation", "status": true},
	}).code)
	r = ts.verify(t, vc)
	assertNotVerified(t, r)
	want := library()
	assert.Equal(t, false, want["verified"])
	for _, member := range []string{"type", "title", "status", "detail"} {
		assert.NotContains(t, want, member)
		assert.Contains(t, r.body, member)
		delete(r.body, member)
	}
	assert.Equal(t, want, r.body)
	assert.NotContains(t, string(r.raw), "STATUS_VERIFICATION_ERROR")
	var body struct {
		Type   string
		Checks []verifier.Check
		Errors []verifier.ProblemDetail
	}
	require.NoError(t, json.Unmarshal(r.raw, &body))
	assert.Equal(t, verifier.ProblemStatusRevoked, body.Type)
	require.Len(t, body.Errors, 1)
	assert.Equal(t, verifier.ProblemStatusRevoked, body.Errors[0].Type)
	assert.Equal(t, "CREDENTIAL_REVOKED", body.Errors[0].Title)
	var statusCheck verifier.Check
	for _, c := range body.Checks {
		if c.Name == "status" {
			statusCheck = c
		}
	}
	assert.Equal(t, verifier.Failed, statusCheck.Outcome)
	assert.True(t, strings.HasPrefix(statusCheck.Detail, "revoked ("), statusCheck.Detail)

	assertNotVerified(t, ts.postJSON(t, "/credentials/verify", map[string]any{
		"verifiableCredential": vc, "options": map[string]any{"checks": "proof"},
	}))
}

// TestIssueKeepsMemberOrder: adding a status entry (or adopting the
// issuer) leaves the other members as written, in their places.
func TestIssueKeepsMemberOrder(t *testing.T) {
	ts := newServer(t, true)
	body := `{"credential": {"type": ["VerifiableCredential"], "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "credentialSubject": {"name": "Zed", "id": "did:example:zed"}, "issuer": "` + ts.did + `", "id": "urn:uuid:order-1"},
	  "options": {"credentialStatus": {"type": "BitstringStatusListEntry"}}}`
	r := ts.post(t, "/credentials/issue", "application/json", []byte(body))
	if r.code != 201 {
		t.Fatalf("%d\n%s", r.code, r.raw)
	}
	var out struct {
		VC json.RawMessage `json:"verifiableCredential"`
	}
	json.Unmarshal(r.raw, &out)
	s := string(out.VC)
	last := -1
	for _, member := range []string{`"type"`, `"@context"`, `"credentialSubject":{"name":"Zed","id"`, `"issuer"`, `"id":"urn:uuid:order-1"`, `"credentialStatus"`, `"proof"`} {
		i := strings.Index(s, member)
		if i < 0 || i < last {
			t.Fatalf("%s out of place in %s", member, s)
		}
		last = i
	}
}

// TestStatusIndexAcrossRestart: a second server over the same store and
// index (a restart) can revoke what the first issued, and only lists of
// the same URL are touched.
func TestStatusIndexAcrossRestart(t *testing.T) {
	k := testKey(t, 8)
	store, index := status.NewMemoryStore(), &vcapi.MemoryStatusIndex{}
	start := func(base string) *testServer {
		s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
			Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, StatusStore: store, StatusIndex: index, BaseURL: base,
		})
		if err != nil {
			t.Fatal(err)
		}
		ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
		t.Cleanup(ts.Close)
		return ts
	}
	first := start("https://status.example")
	cred := vc2(k.DID)
	cred["id"] = "urn:uuid:restart"
	vc := first.issue(t, "/credentials/issue", cred, map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry"}})
	first.Close()

	// Same base URL: the same lists.
	second := start("https://status.example/")
	if r := second.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": "urn:uuid:restart", "credentialStatus": map[string]any{"type": "revocation"},
	}); r.code != 200 {
		t.Fatalf("revoke after restart: %d\n%s", r.code, r.raw)
	}
	assertNotVerified(t, second.verify(t, vc))

	// Another base URL: other lists, which this credential has no entry in.
	third := start("https://elsewhere.example")
	assertProblem(t, third.postJSON(t, "/credentials/status", map[string]any{
		"credentialId": "urn:uuid:restart", "credentialStatus": map[string]any{"type": "revocation"},
	}), 404)
}

// TestStatusNotAllocatedForInvalid: a credential the issuer refuses does
// not use up a status list index.
func TestStatusNotAllocatedForInvalid(t *testing.T) {
	k := testKey(t, 9)
	store := status.NewMemoryStore()
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true,
		Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, StatusStore: store, BaseURL: "https://status.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(s), did: k.DID}
	defer ts.Close()
	allocated := func() uint64 {
		st, err := store.Load(context.Background(), "https://status.example/status/default-revocation")
		if err != nil {
			t.Fatal(err)
		}
		return st.Allocated
	}
	opts := map[string]any{"credentialStatus": map[string]any{"type": "BitstringStatusListEntry"}}
	bad := vc2(k.DID)
	delete(bad, "credentialSubject")
	assertProblem(t, ts.postJSON(t, "/credentials/issue", map[string]any{"credential": bad, "options": opts}), 422)
	if n := allocated(); n != 0 {
		t.Fatalf("%d indexes allocated for a refused credential", n)
	}
	// A credential without an issuer is filled in by the issuer, not refused.
	noIssuer := vc2(k.DID)
	delete(noIssuer, "issuer")
	if vc := ts.issue(t, "/credentials/issue", noIssuer, opts); vc["issuer"] != k.DID {
		t.Errorf("issuer filled in as %v, want %s", vc["issuer"], k.DID)
	}
	if n := allocated(); n != 1 {
		t.Fatalf("%d indexes allocated, want 1", n)
	}
}

// TestVerifyAnswerFraming: verify answers (200, 400 and a refused content
// type) carry their Content-Length, are not chunked, and keep the
// connection: what a client reading the next answer on it relies on. The
// request bodies go through the server's recycled buffers, so a second
// round on the same connection checks they do not leak into each other.
func TestVerifyAnswerFraming(t *testing.T) {
	ts := newServer(t, false)
	issued := ts.postJSON(t, "/credentials/issue", map[string]any{"credential": vc2(ts.did)})
	require.Equal(t, http.StatusCreated, issued.code, string(issued.raw))
	signed, err := json.Marshal(issued.body["verifiableCredential"])
	require.NoError(t, err)
	tampered := bytes.Replace(signed, []byte(`did:example:alice`), []byte(`did:example:mallory`), 1)
	require.NotEqual(t, signed, tampered)
	for round := range 2 {
		for _, tc := range []struct {
			contentType string
			body        []byte
			code        int
			verified    bool
		}{
			{"application/json", []byte(`{"verifiableCredential": ` + string(signed) + `}`), http.StatusOK, true},
			{"application/json", []byte(`{"verifiableCredential": ` + string(tampered) + `}`), http.StatusBadRequest, false},
			{"text/plain", []byte(`{}`), http.StatusUnsupportedMediaType, false},
			{"application/json; charset=utf-8", []byte(`{"verifiableCredential": ` + string(signed) + `}`), http.StatusOK, true},
		} {
			resp, err := ts.Client().Post(ts.URL+"/credentials/verify", tc.contentType, bytes.NewReader(tc.body))
			require.NoError(t, err)
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			name := fmt.Sprintf("round %d, %s, %d", round, tc.contentType, tc.code)
			assert.Equal(t, tc.code, resp.StatusCode, name)
			assert.Empty(t, resp.TransferEncoding, name)
			assert.Equal(t, int64(len(raw)), resp.ContentLength, name)
			assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), name)
			assert.NotEmpty(t, resp.Header.Get("X-Request-ID"), name)
			var body map[string]any
			require.NoError(t, json.Unmarshal(raw, &body), name)
			if tc.code != http.StatusUnsupportedMediaType {
				assert.Equal(t, tc.verified, body["verified"], name)
			}
		}
	}
}
