package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
)

// TestBrowserBenchmark measures, for BENCHMARKS.md, the runtime's size,
// the time to first verdict in a fresh headless Chromium (cold: loading
// the page and the runtime included) and warm verification of
// ../shared/bench/ob3-sample.json in the page. It runs when
// OB_WEB_BENCH=1:
//
//	OB_WEB_BENCH=1 go test -run TestBrowserBenchmark -v ./web
func TestBrowserBenchmark(t *testing.T) {
	if os.Getenv("OB_WEB_BENCH") != "1" {
		t.Skip("set OB_WEB_BENCH=1 to measure")
	}
	sample, err := os.ReadFile(filepath.Join(testref.Shared(t), "bench", "ob3-sample.json"))
	require.NoError(t, err)
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	d, vm, err := did.NewKeyDID(key.Public())
	require.NoError(t, err)
	is, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	require.NoError(t, err)
	signed, err := is.IssueJSON(context.Background(), []byte(strings.ReplaceAll(string(sample), "ISSUER_DID", d)))
	require.NoError(t, err)

	srv := verifierServer(t, map[string][]byte{"sample.json": signed})
	wasm, err := os.ReadFile(filepath.Join(runtimeDir, "verifier.wasm"))
	require.NoError(t, err)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(wasm)
	zw.Close()
	t.Logf("verifier.wasm: %d bytes raw, %d bytes gzip -9", len(wasm), gz.Len())

	page := srv.URL + "/#credential=" + url.QueryEscape(srv.URL+"/files/sample.json")
	const colds = 5
	for i := range colds {
		ctx, cancel, err := newBrowser(t.TempDir())
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(page)))
		poll(t, ctx, `document.body.dataset.verdict !== undefined`)
		require.Equal(t, "verified", eval[string](t, ctx, `document.body.dataset.verdict`))
		t.Logf("cold %d: first verdict %s ms after the page started loading (fresh browser profile)", i+1, eval[string](t, ctx, `document.body.dataset.verdictMs`))
		if i == colds-1 {
			const runs = 300
			us := eval[float64](t, ctx, `(async () => {
				const b = new Uint8Array(await (await fetch("/files/sample.json")).arrayBuffer());
				for (let i = 0; i < 30; i++) await openbadges.verify(b, {});
				const t0 = performance.now();
				for (let i = 0; i < `+"300"+`; i++) { const r = JSON.parse(await openbadges.verify(b, {})); if (r.verdict !== "verified") throw new Error(r.reason); }
				return (performance.now() - t0) * 1000 / `+"300"+`; })()`)
			t.Logf("warm: %.0f us per verify (verify → Result JSON, in the page, %d runs after 30 warm-up)", us, runs)
		}
		cancel()
	}
}
