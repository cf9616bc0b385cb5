package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/web"
	"github.com/microcred/openbadges/web/check"
)

// signer is an issuer with a fresh did:key of its own.
type signer struct {
	did string
	is  *issuer.Issuer
}

func newSigner(t *testing.T) signer {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	d, vm, err := did.NewKeyDID(key.Public())
	require.NoError(t, err)
	is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	require.NoError(t, err)
	return signer{d, is}
}

// sign signs doc (with "ISSUER" standing for the signer's DID) and returns
// it decoded, to be embedded.
func (s signer) sign(t *testing.T, doc string) map[string]any {
	t.Helper()
	out, err := s.is.IssueJSON(context.Background(), []byte(strings.ReplaceAll(doc, "ISSUER", s.did)))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	return m
}

// endorsement is the shared EndorsementCredential template of subject, by
// name, with validity for its validFrom.
func endorsement(t *testing.T, by signer, name, subject, comment, validity string) map[string]any {
	return by.sign(t, string(testref.Testdata(t, "endorsement-template.json",
		"ENDORSEMENT_ID", fmt.Sprintf("urn:uuid:%08x-0000-4000-8000-000000000001", len(name)+len(comment)),
		"ENDORSER", name, "SUBJECT", subject, "COMMENT", comment, `"validFrom": "2026-01-01T00:00:00Z"`, validity)))
}

// A badge with two embedded endorsements, one valid and one expired: the
// page marks each, and the badge is not verified (strict), for its
// endorsement and not as if it were itself expired or forged.
func TestVerifierPageEndorsements(t *testing.T) {
	f := newFixtures(t)
	council, guild := newSigner(t), newSigner(t)
	badge := f.badge(badgeOpts{endorse: func(id string) []any {
		return []any{
			endorsement(t, council, "Data Skills Council", id, "Meets the council's standard for data literacy.", `"validFrom": "2025-01-01T00:00:00Z"`),
			endorsement(t, guild, "Analysts Guild", id, "Recommended to our members.", `"validFrom": "2020-01-01T00:00:00Z", "validUntil": "2021-01-01T00:00:00Z"`),
		}
	}})
	srv := verifierServer(t, nil)
	ctx := tab(t)
	openVerifier(t, ctx, srv.URL)
	upload(t, ctx, writeFile(t, "endorsed.json", badge))
	assert.Equal(t, "not-verified", waitVerdict(t, ctx), "strict: an endorsement that does not verify fails the badge")
	reason := text(t, ctx, "#verdict-reason")
	assert.Contains(t, reason, "It is authentic, but an endorsement embedded in it")
	assert.Contains(t, reason, "The endorsement has expired.")
	assert.NotContains(t, reason, "The badge has expired")
	assert.True(t, eval[bool](t, ctx, `document.getElementById("claim-note").hidden`), "the badge's own signature verified")

	items := eval[[]map[string]string](t, ctx, `Array.from(document.querySelectorAll("#endorsement-list li")).map(li => ({verified: li.dataset.verified, text: li.textContent}))`)
	require.Len(t, items, 2)
	byName := map[string]map[string]string{}
	for _, it := range items {
		for _, n := range []string{"Data Skills Council", "Analysts Guild"} {
			if strings.Contains(it["text"], n) {
				byName[n] = it
			}
		}
	}
	require.Len(t, byName, 2, "%v", items)
	assert.Equal(t, "yes", byName["Data Skills Council"]["verified"])
	assert.True(t, strings.HasPrefix(byName["Data Skills Council"]["text"], "verified "), byName["Data Skills Council"]["text"])
	assert.Contains(t, byName["Data Skills Council"]["text"], council.did)
	assert.Contains(t, byName["Data Skills Council"]["text"], "Meets the council's standard")
	assert.Equal(t, "no", byName["Analysts Guild"]["verified"])
	assert.True(t, strings.HasPrefix(byName["Analysts Guild"]["text"], "not verified "), byName["Analysts Guild"]["text"])
	assert.Contains(t, byName["Analysts Guild"]["text"], "The endorsement has expired.")
	shot(t, ctx, "verifier-endorsements")
}

// A CLR 2.0 transcript: its credentials grouped as its associations say,
// each with its own outcome.
func TestTranscriptCLRAssociations(t *testing.T) {
	f := newFixtures(t)
	registrar := newSigner(t)
	type course struct{ name, until string }
	cred := map[string]map[string]any{}
	achID := map[string]string{}
	var embedded []any
	for _, c := range []course{
		{"BSc Data Science", ""}, {"Statistics", ""}, {"Machine Learning", "2021-01-01T00:00:00Z"},
		{"Data Ethics", ""}, {"Introduction to Python", ""},
	} {
		o := badgeOpts{name: c.name}
		if c.until != "" {
			o.validFrom, o.validUntil = "2020-01-01T00:00:00Z", c.until
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(f.badge(o), &m))
		cred[c.name] = m
		achID[c.name] = m["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["id"].(string)
		embedded = append(embedded, m)
	}
	assoc := func(kind, from, to string) any {
		return map[string]any{"type": "Association", "associationType": kind, "sourceId": achID[from], "targetId": to}
	}
	capstone := "https://example.edu/achievements/capstone"
	h := sha256.Sum256([]byte(learnerEmail + learnerSalt))
	subject := map[string]any{
		"id":   "did:example:ada",
		"type": []any{"ClrSubject"},
		// The badges name the learner by hashed email: so does the CLR,
		// which shows they are hers.
		"identifier": []any{map[string]any{"type": "IdentityObject", "hashed": true, "identityHash": "sha256$" + hex.EncodeToString(h[:]),
			"identityType": "emailAddress", "salt": learnerSalt}},
		"achievement": []any{
			cred["BSc Data Science"]["credentialSubject"].(map[string]any)["achievement"],
			map[string]any{"id": capstone, "type": []any{"Achievement"}, "achievementType": "ext:Project", "name": "Capstone project",
				"description": "A term-long data project.", "criteria": map[string]any{"narrative": "Deliver the project."}},
		},
		"verifiableCredential": embedded,
		"association": []any{
			assoc("isChildOf", "Statistics", achID["BSc Data Science"]),
			assoc("isChildOf", "Machine Learning", achID["BSc Data Science"]),
			assoc("isPartOf", "Data Ethics", capstone),
		},
	}
	sb, err := json.Marshal(subject)
	require.NoError(t, err)
	clr := registrar.sign(t, `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:00000000-0000-4000-8000-00000000c1a0",
  "type": ["VerifiableCredential", "ClrCredential"],
  "name": "Comprehensive Learner Record of Ada",
  "issuer": {"id": "ISSUER", "type": ["Profile"], "name": "Example University Registrar"},
  "validFrom": "2025-06-01T00:00:00Z",
  "credentialSubject": `+string(sb)+`
}`)
	data, err := json.Marshal(clr)
	require.NoError(t, err)

	tr, err := web.BuildTranscript(context.Background(), []web.TranscriptInput{{Name: "clr.json", Data: data}}, check.Options{}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	type row struct{ name, verdict string }
	got := map[string][]row{}
	var headings []string
	for _, g := range tr.Groups {
		headings = append(headings, g.Heading)
		for _, it := range append(append([]web.Item{}, g.Lead...), g.Items...) {
			got[g.Heading] = append(got[g.Heading], row{it.Name, it.Verdict})
		}
	}
	assert.Equal(t, []string{"Achievements", "BSc Data Science", "Capstone project"}, headings)
	assert.Equal(t, map[string][]row{
		"Achievements":     {{"Introduction to Python", "verified"}},
		"BSc Data Science": {{"BSc Data Science", "verified"}, {"Statistics", "verified"}, {"Machine Learning", "not-verified"}},
		"Capstone project": {{"Data Ethics", "verified"}},
	}, got)
	assert.Equal(t, 5, tr.Total)
	assert.Equal(t, 4, tr.Verified)
	assert.Equal(t, check.VerdictNotVerified, tr.Verdict, "one achievement does not verify")

	dir := t.TempDir()
	var b bytes.Buffer
	require.NoError(t, web.WriteTranscript(&b, tr))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "transcript.html"), b.Bytes(), 0o644))
	ctx := tab(t)
	srv := staticServer(t, dir)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/transcript.html")))
	assert.Equal(t, "not-verified", eval[string](t, ctx, `document.body.dataset.verdict`))
	shown := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("section.group")).map(s =>
		s.querySelector("h2").textContent + ": " + Array.from(s.querySelectorAll("article.achievement")).map(a => a.querySelector("h3").firstChild.textContent.trim() + "=" + a.dataset.verdict).join(", "))`)
	assert.Equal(t, []string{
		"Achievements: Introduction to Python=verified",
		"BSc Data Science: BSc Data Science=verified, Statistics=verified, Machine Learning=not-verified",
		"Capstone project: Data Ethics=verified",
	}, shown)
	assert.Contains(t, text(t, ctx, "main"), "Each is child of BSc Data Science")
	assert.Contains(t, text(t, ctx, "main"), "Each is part of Capstone project")
	assert.Contains(t, text(t, ctx, "main"), "The badge has expired.")
	assert.Contains(t, text(t, ctx, "header"), "Example University Registrar")
	assert.Contains(t, text(t, ctx, "header"), "did:example:ada")
	shot(t, ctx, "transcript-clr")
}

// Keys on the web are looked up only when the page's user asks, through the
// browser's fetch: here from a TLS server on loopback, which a separate
// Chromium, started to accept its self-signed certificate, reaches.
func TestVerifierPageNetworkKeys(t *testing.T) {
	setup(t)
	profile := t.TempDir()
	bctx, cancel, err := newBrowser(profile, chromedp.Flag("ignore-certificate-errors", true))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("starting Chromium: %v", err)
		}
		t.Skipf("Chromium cannot be started: %v", err)
	}
	t.Cleanup(cancel)

	pub, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	mk, err := did.EncodePublicKey(pub)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	webDID := "did:web:localhost%3A" + port
	keyURL := "https://127.0.0.1:" + port + "/keys/issuer-1.json"
	var hits atomic.Int32
	mux := http.NewServeMux()
	serve := func(path string, doc any) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(doc)
		})
	}
	serve("/.well-known/did.json", json.RawMessage(testref.Testdata(t, "did-web.json", "DID", webDID, "PUBLIC_KEY", mk)))
	serve("/keys/issuer-1.json", map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64url(pub)})
	keySrv := httptest.NewUnstartedServer(mux)
	keySrv.Listener.Close()
	keySrv.Listener = ln
	keySrv.StartTLS()
	t.Cleanup(keySrv.Close)

	page := verifierServer(t, nil)
	for _, c := range []struct{ name, vm string }{
		{"did-web", webDID + "#key-1"},
		{"https-key", keyURL},
	} {
		t.Run(c.name, func(t *testing.T) {
			is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: c.vm})
			require.NoError(t, err)
			f := &fixtures{t: t, did: strings.SplitN(c.vm, "#", 2)[0], di: is}
			badge := f.badge(badgeOpts{})

			tctx, tcancel := chromedp.NewContext(bctx)
			defer tcancel()
			ctx, cancel := context.WithTimeout(tctx, tabTimeout)
			defer cancel()
			hits.Store(0)
			openVerifier(t, ctx, page.URL)
			require.False(t, eval[bool](t, ctx, `document.getElementById("network").checked`), "off by default")
			upload(t, ctx, writeFile(t, "web-key.json", badge))
			assert.Equal(t, "not-verified", waitVerdict(t, ctx))
			reason := text(t, ctx, "#verdict-reason")
			assert.Contains(t, reason, "not available offline")
			assert.Contains(t, reason, `tick "Look up issuers' keys on the web"`)
			assert.Zero(t, hits.Load(), "nothing is fetched without the user's word")
			shot(t, ctx, "verifier-network-off-"+c.name)

			// The user ticks the box: the badge is verified again, with the key
			// fetched by the browser.
			eval[bool](t, ctx, `(() => { delete document.body.dataset.verdict; delete document.body.dataset.state; return true; })()`)
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(`#network`)))
			assert.Equal(t, "verified", waitVerdict(t, ctx), "reason: %s", text(t, ctx, "#verdict-reason"))
			assert.Positive(t, hits.Load(), "the key was fetched")
			assert.Contains(t, text(t, ctx, "#issuer-fields"), f.did)
			shot(t, ctx, "verifier-network-on-"+c.name)
		})
	}
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
