package vcapi_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/presentation"
)

// signWithoutHolder signs, with k, a 2.0 presentation of creds that names
// no holder, as the W3C vc2.0 suite does.
func signWithoutHolder(t testing.TB, k *keys.Key, challenge string, creds ...[]byte) map[string]any {
	t.Helper()
	unsigned, err := presentation.Compose("", creds, presentation.Options{})
	require.NoError(t, err)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: k.Signer, VerificationMethod: k.VerificationMethod})
	require.NoError(t, err)
	signed, err := p.AddProof(context.Background(), unsigned, dataintegrity.ProofOptions{Purpose: presentation.PurposeAuthentication, Challenge: challenge})
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(signed, &out))
	return out
}

// TestPresentationWithoutHolder: POST /presentations/verify accepts a signed
// presentation without holder by default, says who signed it, and refuses
// it when the request sets options.requireHolder.
func TestPresentationWithoutHolder(t *testing.T) {
	ts := newServer(t, false)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	vcJSON, err := json.Marshal(vc)
	require.NoError(t, err)
	hk := testKey(t, 6)
	vp := signWithoutHolder(t, hk, "c-1", vcJSON)
	require.NotContains(t, vp, "holder")

	post := func(options map[string]any) response {
		return ts.postJSON(t, "/presentations/verify", map[string]any{"verifiablePresentation": vp, "options": options})
	}
	r := post(map[string]any{"challenge": "c-1"})
	require.Equal(t, 200, r.code, string(r.raw))
	assert.Equal(t, true, r.body["verified"])
	assert.Equal(t, false, r.body["holderClaimed"])
	assert.Equal(t, []any{hk.DID}, r.body["signers"])

	r = post(map[string]any{"challenge": "c-1", "requireHolder": false})
	assert.Equal(t, 200, r.code, string(r.raw))

	r = post(map[string]any{"challenge": "c-1", "requireHolder": true})
	assertNotVerified(t, r, 400)
	assert.Contains(t, string(r.raw), "no holder")

	r = post(map[string]any{"challenge": "c-1", "requireHolder": "yes"})
	assertProblem(t, r, 400)
	assert.Contains(t, string(r.raw), "options.requireHolder")
}

// TestIssueRelatedResourceDigests: POST /credentials/issue refuses a
// relatedResource digest that does not match a resource it resolves
// offline (422, with the resource and both digests), and signs one it
// cannot resolve with a warning.
func TestIssueRelatedResourceDigests(t *testing.T) {
	ts := newServer(t, false)
	rd, err := jsonld.Embedded().LoadDocument(context.Background(), credential.ContextV2)
	require.NoError(t, err)
	sum := sha512.Sum384([]byte(rd.Document))
	good := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
	wrong := "sha384-" + base64.StdEncoding.EncodeToString(make([]byte, 48))

	cred := vc2(ts.did)
	cred["relatedResource"] = []any{map[string]any{"id": credential.ContextV2, "digestSRI": wrong}}
	r := ts.postJSON(t, "/credentials/issue", map[string]any{"credential": cred})
	assertProblem(t, r, 422)
	rr, ok := r.body["relatedResource"].(map[string]any)
	require.True(t, ok, string(r.raw))
	assert.Equal(t, credential.ContextV2, rr["id"])
	assert.Equal(t, "digestSRI", rr["member"])
	assert.Equal(t, wrong, rr["given"])
	assert.Equal(t, good, rr["computed"])
	assert.Equal(t, "$.relatedResource[0]", rr["path"])

	cred["relatedResource"] = []any{map[string]any{"id": credential.ContextV2, "digestSRI": good}}
	r = ts.postJSON(t, "/credentials/issue", map[string]any{"credential": cred})
	require.Equal(t, 201, r.code, string(r.raw))
	assert.NotContains(t, r.body, "warnings")

	cred["relatedResource"] = []any{map[string]any{"id": "https://example.com/syllabus.pdf", "digestSRI": wrong}}
	r = ts.postJSON(t, "/credentials/issue", map[string]any{"credential": cred})
	require.Equal(t, 201, r.code, string(r.raw))
	warnings, ok := r.body["warnings"].([]any)
	require.True(t, ok, string(r.raw))
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0].(map[string]any)["detail"], "https://example.com/syllabus.pdf")

	// Malformed, as before.
	cred["relatedResource"] = []any{map[string]any{"id": credential.ContextV2, "digestSRI": "sha384-not_base64"}}
	assertProblem(t, ts.postJSON(t, "/credentials/issue", map[string]any{"credential": cred}), 422)
}

// TestStrictRequestWrappers: every request body is decoded strictly: a
// duplicate member, or a case variant of a member the server reads, is a
// 400 rather than a silent last-one-wins; the credential inside is left to
// its own parser.
func TestStrictRequestWrappers(t *testing.T) {
	ts := newServer(t, true)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	vcJSON, err := json.Marshal(vc)
	require.NoError(t, err)
	cred, err := json.Marshal(vc2(ts.did))
	require.NoError(t, err)
	other := vc2(ts.did)
	other["id"] = "urn:uuid:00000000-0000-4000-8000-0000000000ff"
	otherJSON, err := json.Marshal(other)
	require.NoError(t, err)
	post := func(path, body string) response {
		return ts.post(t, path, "application/json", []byte(body))
	}
	for name, tc := range map[string]struct{ path, body string }{
		"verify: case-variant credential":       {"/credentials/verify", `{"verifiableCredential": ` + string(vcJSON) + `, "VerifiableCredential": ` + string(vcJSON) + `}`},
		"verify: case-variant alone":            {"/credentials/verify", `{"VerifiableCredential": ` + string(vcJSON) + `}`},
		"verify: duplicate credential":          {"/credentials/verify", `{"verifiableCredential": ` + string(vcJSON) + `, "verifiableCredential": ` + string(vcJSON) + `}`},
		"verify: challenge then null":           {"/credentials/verify", `{"verifiableCredential": ` + string(vcJSON) + `, "options": {"challenge": "x", "challenge": null}}`},
		"verify: case-variant option":           {"/credentials/verify", `{"verifiableCredential": ` + string(vcJSON) + `, "options": {"Challenge": "x"}}`},
		"issue: credential and Credential":      {"/credentials/issue", `{"credential": ` + string(cred) + `, "Credential": ` + string(otherJSON) + `}`},
		"issue: case-variant option":            {"/credentials/issue", `{"credential": ` + string(cred) + `, "options": {"cryptoSuite": "eddsa-jcs-2022"}}`},
		"issue: case-variant in status":         {"/credentials/issue", `{"credential": ` + string(cred) + `, "options": {"credentialStatus": {"Type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}}`},
		"presentations: duplicate options":      {"/presentations/verify", `{"verifiablePresentation": {}, "options": {}, "options": {"challenge": "x"}}`},
		"status: case-variant credentialId":     {"/credentials/status", `{"credentialId": "urn:x", "CredentialId": "urn:y", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}`},
		"status: duplicate in credentialStatus": {"/credentials/status", `{"credentialId": "urn:x", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusPurpose": "suspension"}}`},
	} {
		t.Run(name, func(t *testing.T) {
			r := post(tc.path, tc.body)
			assert.Equal(t, 400, r.code, string(r.raw))
		})
	}

	// Unknown members, and case-different unknown names, inside the
	// credential are the credential parser's to judge, not the wrapper's.
	r := post("/credentials/verify", `{"verifiableCredential": `+string(vcJSON)+`, "options": {"checks": ["proof"], "someExtension": 1}}`)
	assert.Equal(t, 200, r.code, string(r.raw))
}

// TestLegacyChecksTolerated: options.checks, however long, changes
// nothing: every check runs and the result lists the verifier's checks.
func TestLegacyChecksTolerated(t *testing.T) {
	ts := newServer(t, false)
	vc := ts.issue(t, "/credentials/issue", vc2(ts.did), nil)
	checks := make([]any, 0, 10001)
	for range 5000 {
		checks = append(checks, "proof", "unknown")
	}
	checks = append(checks, "validFrom")
	r := ts.postJSON(t, "/credentials/verify", map[string]any{"verifiableCredential": vc, "options": map[string]any{"checks": checks}})
	require.Equal(t, 200, r.code, string(r.raw))
	plain := ts.postJSON(t, "/credentials/verify", map[string]any{"verifiableCredential": vc})
	assert.Equal(t, plain.body, r.body)
	assert.Len(t, r.body["checks"], 8)
}
