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
	doc, err := presentation.Compose("", creds, presentation.Options{})
	require.NoError(t, err)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: k.Signer, VerificationMethod: k.VerificationMethod})
	require.NoError(t, err)
	signed, err := p.AddProof(context.Background(), doc, dataintegrity.ProofOptions{Purpose: presentation.PurposeAuthentication, Challenge: challenge})
	require.NoError(t, err)
	return signed
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
	sum := sha512.Sum384(rd.Document)
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
