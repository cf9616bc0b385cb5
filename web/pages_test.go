package web_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/web"
	"github.com/microcred/openbadges/web/check"
)

// A person drops each kind of badge on the verifier page and reads the
// verdict and what the badge says.
func TestVerifierPageVerdicts(t *testing.T) {
	f := newFixtures(t)
	valid := f.badge(badgeOpts{})
	cases := []struct {
		name, file string
		data       []byte
		verdict    string
		says       []string // in the verdict's reason
		badgeName  string
	}{
		{"valid", "badge.json", valid, "verified", nil, "Data Analysis Fundamentals"},
		{"tampered", "badge.json", tamper(t, valid), "not-verified", []string{"signature does not match"}, "Data Analysis Mastery"},
		{"expired", "badge.json", f.badge(badgeOpts{validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z"}), "not-verified", []string{"expired"}, "Data Analysis Fundamentals"},
		{"baked-png", "badge.png", bakedPNG(t, valid), "verified", nil, "Data Analysis Fundamentals"},
		{"vc-jwt", "badge.jwt", f.badge(badgeOpts{jwt: true}), "verified", nil, "Data Analysis Fundamentals"},
	}
	srv := verifierServer(t, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := tab(t)
			openVerifier(t, ctx, srv.URL)
			upload(t, ctx, writeFile(t, c.file, c.data))
			assert.Equal(t, c.verdict, waitVerdict(t, ctx))
			assert.Equal(t, c.badgeName, text(t, ctx, "#badge-name"))
			assert.Equal(t, "Example University", eval[string](t, ctx, `document.querySelector("#issuer-fields dd").textContent`))
			assert.Contains(t, text(t, ctx, "#issuer-fields"), f.did)
			assert.Contains(t, text(t, ctx, "#alignments"), "Analyse data")
			assert.Contains(t, text(t, ctx, "#alignments"), "Example Skills Framework")
			assert.Contains(t, text(t, ctx, "#results"), "Final assessment: 86")
			assert.Contains(t, text(t, ctx, "#badge-fields"), "Course")
			assert.Contains(t, text(t, ctx, "#badge-fields"), "Credits earned5")
			assert.Contains(t, text(t, ctx, "#checks-summary"), "passed")
			assert.False(t, eval[bool](t, ctx, `document.getElementById("checks").open`), "the checks are folded away")
			for _, s := range c.says {
				assert.Contains(t, lower(text(t, ctx, "#verdict-reason")), s)
			}
			if c.verdict == "verified" {
				assert.Equal(t, "Verified", text(t, ctx, "#verdict-h"))
				href := eval[string](t, ctx, `document.getElementById("linkedin").href`)
				u, err := url.Parse(href)
				require.NoError(t, err)
				assert.Equal(t, "www.linkedin.com", u.Host)
				assert.Equal(t, "Data Analysis Fundamentals", u.Query().Get("name"))
				assert.Equal(t, "Example University", u.Query().Get("organizationName"))
				assert.Equal(t, "2025", u.Query().Get("issueYear"))
			} else {
				assert.Equal(t, "Not verified", text(t, ctx, "#verdict-h"))
			}
			if c.name == "baked-png" {
				assert.Equal(t, 1, eval[int](t, ctx, `document.querySelectorAll("#badge-image img[alt]").length`), "the baked image is shown, with alt text")
			}
			shot(t, ctx, "verifier-"+c.name)
		})
	}
}

// The hashed-identity check hashes what the viewer types, in the page.
func TestVerifierPageIdentityCheck(t *testing.T) {
	f := newFixtures(t)
	srv := verifierServer(t, nil)
	ctx := tab(t)
	openVerifier(t, ctx, srv.URL)
	upload(t, ctx, writeFile(t, "badge.json", f.badge(badgeOpts{})))
	require.Equal(t, "verified", waitVerdict(t, ctx))
	for _, c := range []struct{ typed, match, says string }{
		{"someone@example.org", "no", "No: this badge was not issued to someone@example.org."},
		{learnerEmail, "yes", "Yes: this badge was issued to " + learnerEmail + "."},
	} {
		eval[bool](t, ctx, `(() => { const i = document.getElementById("identity-1"); i.value = ""; i.focus(); return true; })()`)
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(`#identity-1`, c.typed+"\r"))) // typed, then Enter
		poll(t, ctx, `document.querySelector("form.identity").dataset.match === "`+c.match+`"`)
		assert.Equal(t, c.says, text(t, ctx, ".identity-result"))
		shot(t, ctx, "verifier-identity-"+c.match)
	}
}

// Names and descriptions are text: markup in them is shown, never run.
func TestVerifierPageRendersMarkupAsText(t *testing.T) {
	f := newFixtures(t)
	name := `<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`
	desc := `<b>bold</b><script>window.pwned=3</script>`
	srv := verifierServer(t, nil)
	ctx := tab(t)
	openVerifier(t, ctx, srv.URL)
	upload(t, ctx, writeFile(t, "badge.json", f.badge(badgeOpts{name: name, description: desc})))
	require.Equal(t, "verified", waitVerdict(t, ctx))
	assert.Equal(t, name, text(t, ctx, "#badge-name"))
	assert.Equal(t, desc, text(t, ctx, "#badge-description"))
	time.Sleep(200 * time.Millisecond) // an onerror would have fired
	assertNoScriptRan(t, ctx)
	shot(t, ctx, "verifier-markup-as-text")
}

// Bad input: the page says what is wrong in words and stays usable.
func TestVerifierPageBadInput(t *testing.T) {
	f := newFixtures(t)
	valid := f.badge(badgeOpts{})
	big := bytes.Repeat([]byte(" "), 50<<20)
	copy(big, valid)
	cases := []struct {
		name, file string
		data       []byte
		says       string
	}{
		{"not-a-credential", "notes.txt", []byte("Dear diary, today I earned a badge."), "this is not a badge"},
		{"fifty-megabytes", "huge.json", big, "50.0 mb: too large"},
		{"two-credentials", "twice.png", twiceBaked(t, valid, valid), "more than one credential"},
	}
	srv := verifierServer(t, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := tab(t)
			openVerifier(t, ctx, srv.URL)
			upload(t, ctx, writeFile(t, c.file, c.data))
			assert.Equal(t, "not-verified", waitVerdict(t, ctx))
			msg := text(t, ctx, "#error")
			if c.name == "two-credentials" { // the verifier's reason
				msg = text(t, ctx, "#verdict-reason")
			}
			assert.Contains(t, lower(msg), c.says)
			shot(t, ctx, "verifier-bad-"+c.name)
			stillUsable(t, ctx, valid)
		})
	}
	t.Run("url-that-does-not-answer", func(t *testing.T) {
		ctx := tab(t)
		dead := deadURL(t)
		openVerifier(t, ctx, srv.URL+"/#credential="+url.QueryEscape(dead))
		assert.Equal(t, "not-verified", waitVerdict(t, ctx))
		assert.Contains(t, text(t, ctx, "#error"), "could not be loaded: the server did not answer")
		assert.Contains(t, text(t, ctx, "#error"), dead)
		shot(t, ctx, "verifier-bad-dead-url")
		stillUsable(t, ctx, valid)
	})
}

// stillUsable checks that after an error the page verifies the next badge.
func stillUsable(t *testing.T, ctx context.Context, valid []byte) {
	t.Helper()
	eval[bool](t, ctx, `(() => { delete document.body.dataset.verdict; delete document.body.dataset.state; return true; })()`)
	upload(t, ctx, writeFile(t, "next.json", valid))
	assert.Equal(t, "verified", waitVerdict(t, ctx))
	assert.True(t, eval[bool](t, ctx, `document.getElementById("error").hidden`))
}

// A credential opened by URL (#credential=) verifies and gets a share link.
func TestVerifierPageCredentialURL(t *testing.T) {
	f := newFixtures(t)
	srv := verifierServer(t, map[string][]byte{"badge.json": f.badge(badgeOpts{})})
	ctx := tab(t)
	page := srv.URL + "/#credential=" + url.QueryEscape(srv.URL+"/files/badge.json")
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(page)))
	assert.Equal(t, "verified", waitVerdict(t, ctx))
	assert.Equal(t, page, eval[string](t, ctx, `document.getElementById("share-link").value`))
	assert.Contains(t, eval[string](t, ctx, `document.getElementById("linkedin").href`), url.QueryEscape(page))
}

// The page per badge verifies its credential on load from any static
// server, for each kind of badge.
func TestBadgePage(t *testing.T) {
	f := newFixtures(t)
	valid := f.badge(badgeOpts{})
	cases := []struct {
		name    string
		data    []byte
		verdict string
	}{
		{"valid", valid, "verified"},
		{"tampered", tamper(t, valid), "not-verified"},
		{"expired", f.badge(badgeOpts{validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z"}), "not-verified"},
		{"baked-png", bakedPNG(t, valid), "verified"},
		{"vc-jwt", f.badge(badgeOpts{jwt: true}), "verified"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := tab(t)
			dir := t.TempDir()
			require.NoError(t, web.WritePage(dir, os.DirFS(runtimeDir), c.data, check.FormatOf(c.data), "Data Analysis Fundamentals"))
			for _, f := range []string{"index.html", "app.js", "style.css", "verifier.wasm", "wasm_exec.js", "credential." + check.FormatOf(c.data)} {
				assert.FileExists(t, filepath.Join(dir, f))
			}
			srv := staticServer(t, dir)
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")))
			assert.Equal(t, c.verdict, waitVerdict(t, ctx))
			assert.True(t, eval[bool](t, ctx, `document.getElementById("input").hidden`), "a badge page has no input form")
			assert.Contains(t, text(t, ctx, "#badge-name"), "Data Analysis")
			assert.Contains(t, text(t, ctx, "#issuer-fields"), "Example University")
			if c.verdict == "verified" {
				assert.Equal(t, srv.URL+"/", eval[string](t, ctx, `document.getElementById("share-link").value`))
			}
			shot(t, ctx, "page-"+c.name)
		})
	}
	t.Run("phone", func(t *testing.T) {
		ctx := tab(t)
		dir := t.TempDir()
		require.NoError(t, web.WritePage(dir, os.DirFS(runtimeDir), valid, "json", "Data Analysis Fundamentals"))
		srv := staticServer(t, dir)
		require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/")))
		assert.Equal(t, "verified", waitVerdict(t, ctx))
		assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 390, "no sideways scrolling on a phone")
		shot(t, ctx, "page-phone")
	})
}

// The pages are accessible: headings in order, images with alt text, every
// control labelled.
func TestPageAccessibility(t *testing.T) {
	f := newFixtures(t)
	srv := verifierServer(t, nil)
	ctx := tab(t)
	openVerifier(t, ctx, srv.URL)
	upload(t, ctx, writeFile(t, "badge.png", bakedPNG(t, f.badge(badgeOpts{}))))
	require.Equal(t, "verified", waitVerdict(t, ctx))
	assert.Empty(t, eval[[]string](t, ctx, `(() => {
		const bad = []; let last = 0;
		for (const h of document.querySelectorAll("h1,h2,h3,h4,h5,h6")) {
			if (h.closest("[hidden]")) continue;
			const n = Number(h.tagName[1]);
			if (n > last + 1) bad.push(h.tagName + " " + h.textContent + " after h" + last);
			last = n;
		}
		for (const i of document.querySelectorAll("img")) if (!i.getAttribute("alt")) bad.push("img without alt");
		for (const c of document.querySelectorAll("input, textarea")) {
			if (!c.labels || c.labels.length === 0) bad.push("unlabelled " + c.id);
		}
		return bad; })()`))
	// Keyboard: the file chooser is reached with Tab.
	focusable := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("a[href], button, input, textarea, summary")).filter(e => !e.closest("[hidden]") && e.tabIndex >= 0).map(e => e.id || e.tagName)`)
	assert.Contains(t, focusable, "file")
	assert.Contains(t, focusable, "checks-summary")
	assert.Contains(t, focusable, "identity-1")
}

// A transcript of three badges lists all three, each with its outcome.
func TestTranscript(t *testing.T) {
	f := newFixtures(t)
	inputs := []web.TranscriptInput{
		{Name: "one.json", Data: f.badge(badgeOpts{name: "Data Analysis Fundamentals"})},
		{Name: "two.png", Data: bakedPNG(t, f.badge(badgeOpts{name: "Statistics <script>window.pwned=1</script>"}))},
		{Name: "three.jwt", Data: f.badge(badgeOpts{name: "Machine Learning", validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z", jwt: true})},
	}
	tr, err := web.BuildTranscript(context.Background(), inputs, check.Options{}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, 3, tr.Total)
	assert.Equal(t, 2, tr.Verified)
	dir := t.TempDir()
	var b bytes.Buffer
	require.NoError(t, web.WriteTranscript(&b, tr))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "transcript.html"), b.Bytes(), 0o644))

	ctx := tab(t)
	srv := staticServer(t, dir)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/transcript.html")))
	assert.Equal(t, "not-verified", eval[string](t, ctx, `document.body.dataset.verdict`))
	names := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("article.achievement h3")).map(h => h.firstChild.textContent.trim())`)
	assert.Equal(t, []string{"Data Analysis Fundamentals", "Statistics <script>window.pwned=1</script>", "Machine Learning"}, names)
	assert.Equal(t, []string{"verified", "verified", "not-verified"},
		eval[[]string](t, ctx, `Array.from(document.querySelectorAll("article.achievement")).map(a => a.dataset.verdict)`))
	assert.Contains(t, text(t, ctx, "header"), "Example University")
	assert.Contains(t, text(t, ctx, "main"), "Final assessment: 86")
	assert.Contains(t, text(t, ctx, "main"), "Analyse data — Example Skills Framework")
	assertNoScriptRan(t, ctx)
	shot(t, ctx, "transcript")
}
