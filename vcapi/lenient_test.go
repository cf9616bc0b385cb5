package vcapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/vcapi"
)

// nonconformantBadge returns the shared badge template signed by test key 1
// (the issuer of newServer) as it is, without the validation the server's
// issuer would refuse it with: its AchievementSubject has neither id nor
// identifier, which breaks an Open Badges 3.0 rule and nothing else.
func nonconformantBadge(t testing.TB) map[string]any {
	t.Helper()
	k := testKey(t, 1)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(testref.Testdata(t, "badge-template.json", "ISSUER", k.DID, "BADGE_ID", "urn:uuid:0b5e3b52-8a51-4e0e-9a59-6c1f0f3f4d11"), &doc))
	delete(doc["credentialSubject"].(map[string]any), "id")
	return testkeys.SignAsIs(t, k, doc)
}

// newLenientServer is newServer's issuer on a server whose default is
// lenient.
func newLenientServer(t testing.TB) *testServer {
	t.Helper()
	k := testKey(t, 1)
	s, err := vcapi.New(context.Background(), vcapi.Config{InsecureNoAuth: true, Issuers: []vcapi.IssuerConfig{issuerConfig(k, "")}, Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &testServer{Server: ts, did: k.DID}
}

// verdict checks the verified, authentic and conformant members of r.
func verdict(t testing.TB, r response, verified, authentic, conformant bool) {
	t.Helper()
	for m, want := range map[string]bool{"verified": verified, "authentic": authentic, "conformant": conformant} {
		if got, ok := r.body[m].(bool); !ok || got != want {
			t.Errorf("%s = %v, want %v\n%s", m, r.body[m], want, r.raw)
		}
	}
}

// relaxedWarnings counts the warnings marked relaxed.
func relaxedWarnings(r response) int {
	n := 0
	ws, _ := r.body["warnings"].([]any)
	for _, w := range ws {
		if m, _ := w.(map[string]any); m["relaxed"] == true {
			n++
		}
	}
	return n
}

// TestVerifyLenientOption: an authentic badge that breaks an Open Badges
// 3.0 rule fails on a strict server (authentic, not conformant), verifies
// with "options": {"lenient": true}, and the other way round on a lenient
// server with {"lenient": false}.
func TestVerifyLenientOption(t *testing.T) {
	badge := nonconformantBadge(t)
	verifyWith := func(ts *testServer, options map[string]any) response {
		body := map[string]any{"verifiableCredential": badge}
		if options != nil {
			body["options"] = options
		}
		return ts.postJSON(t, "/credentials/verify", body)
	}
	strict, lenient := newServer(t, false), newLenientServer(t)

	for name, tc := range map[string]struct {
		ts       *testServer
		options  map[string]any
		verified bool
	}{
		"strict server":                 {strict, nil, false},
		"strict server, lenient true":   {strict, map[string]any{"lenient": true}, true},
		"strict server, lenient false":  {strict, map[string]any{"lenient": false}, false},
		"lenient server":                {lenient, nil, true},
		"lenient server, lenient false": {lenient, map[string]any{"lenient": false, "checks": []any{"proof"}}, false},
		"lenient server, lenient null":  {lenient, map[string]any{"lenient": nil}, true},
	} {
		t.Run(name, func(t *testing.T) {
			r := verifyWith(tc.ts, tc.options)
			verdict(t, r, tc.verified, true, false)
			if tc.verified {
				if r.code != 200 {
					t.Fatalf("status %d\n%s", r.code, r.raw)
				}
				if relaxedWarnings(r) == 0 {
					t.Errorf("no relaxed warning\n%s", r.raw)
				}
				return
			}
			assertNotVerified(t, r)
			pds, _ := r.body["errors"].([]any)
			for _, pd := range pds {
				if m, _ := pd.(map[string]any); m["conformance"] != "ob3" {
					t.Errorf("problem %v, want conformance ob3", pd)
				}
			}
		})
	}

	// A conformant credential is authentic and conformant in both modes.
	vc := strict.issue(t, "/credentials/issue", vc2(strict.did), nil)
	for _, options := range []map[string]any{nil, {"lenient": true}} {
		r := strict.postJSON(t, "/credentials/verify", map[string]any{"verifiableCredential": vc, "options": options})
		if r.code != 200 {
			t.Fatalf("%v: %d\n%s", options, r.code, r.raw)
		}
		verdict(t, r, true, true, true)
	}

	// A forgery is not authentic, lenient or not.
	forged := map[string]any{}
	b, _ := json.Marshal(badge)
	json.Unmarshal(b, &forged)
	forged["name"] = "Welding Safety Level 2"
	r := lenient.postJSON(t, "/credentials/verify", map[string]any{"verifiableCredential": forged})
	assertNotVerified(t, r)
	verdict(t, r, false, false, false)

	// options.lenient must be a boolean.
	for _, bad := range []any{"true", 1, map[string]any{}} {
		r := verifyWith(strict, map[string]any{"lenient": bad})
		assertProblem(t, r, 400)
		if r.body["title"] != "Malformed options" {
			t.Errorf("lenient %v: %s", bad, r.raw)
		}
	}
}

// TestPresentationLenientOption: the same choice on POST
// /presentations/verify, for the credentials inside.
func TestPresentationLenientOption(t *testing.T) {
	badge, _ := json.Marshal(nonconformantBadge(t))
	hk := testKey(t, 6)
	holder, err := presentation.NewHolder(presentation.HolderConfig{Signer: hk.Signer, VerificationMethod: hk.VerificationMethod})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := holder.Present(context.Background(), [][]byte{badge}, presentation.Options{Challenge: "c-1", Domain: "verifier.example"})
	if err != nil {
		t.Fatal(err)
	}
	var vp map[string]any
	json.Unmarshal(signed, &vp)
	post := func(ts *testServer, lenient any) response {
		options := map[string]any{"challenge": "c-1", "domain": "verifier.example"}
		if lenient != nil {
			options["lenient"] = lenient
		}
		return ts.postJSON(t, "/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": options})
	}
	strict, lenient := newServer(t, false), newLenientServer(t)
	assertNotVerified(t, post(strict, nil))
	assertNotVerified(t, post(lenient, false))
	for _, r := range []response{post(strict, true), post(lenient, nil)} {
		if r.code != 200 || r.body["verified"] != true {
			t.Fatalf("lenient: %d\n%s", r.code, r.raw)
		}
		crs, _ := r.body["credentialResults"].([]any)
		if len(crs) != 1 {
			t.Fatalf("credentialResults %v", r.body["credentialResults"])
		}
		cr, _ := crs[0].(map[string]any)
		if cr["verified"] != true || cr["authentic"] != true || cr["conformant"] != false {
			t.Errorf("credential result %v", cr)
		}
	}
	assertProblem(t, post(strict, "yes"), 400)
}
