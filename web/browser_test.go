package web_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/web"
)

// The browser tests run the pages in headless Chromium (Debian package
// chromium) through chromedp, on loopback only. They skip, saying why, where
// Chromium cannot be started, and fail instead when CI=true.

var (
	setupOnce  sync.Once
	setupErr   error
	runtimeDir string // the js/wasm runtime built for the tests
	shotDir    string // screenshots of each state, kept for a person to look at
	browserCtx context.Context
)

func TestMain(m *testing.M) {
	code := m.Run()
	if browserCtx != nil {
		chromedp.Cancel(browserCtx)
	}
	if runtimeDir != "" {
		os.RemoveAll(runtimeDir)
	}
	if shotDir != "" {
		fmt.Fprintf(os.Stderr, "web: screenshots of the pages are in %s\n", shotDir)
	}
	os.Exit(code)
}

// chromiumPath finds Chromium.
func chromiumPath() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium on PATH (apt-get install chromium)")
}

// newBrowser starts a headless Chromium with a fresh profile and no
// network of its own (no background, component or sync traffic, no QUIC).
func newBrowser(userDataDir string, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	exe, err := chromiumPath()
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.UserDataDir(userDataDir),
		chromedp.WindowSize(1000, 900),
	}
	opts = append(opts, extra...)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		acancel()
		return nil, nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	return ctx, func() { cancel(); acancel() }, nil
}

// setup builds the runtime and starts the browser once for the package.
func setup(t *testing.T) {
	t.Helper()
	setupOnce.Do(func() {
		var err error
		if runtimeDir, err = os.MkdirTemp("", "openbadges-wasm-"); err != nil {
			setupErr = err
			return
		}
		if err = web.BuildRuntime("..", runtimeDir); err != nil {
			setupErr = fmt.Errorf("build: %w", err)
			return
		}
		if shotDir, err = os.MkdirTemp("", "openbadges-web-shots-"); err != nil {
			setupErr = err
			return
		}
		profile, err := os.MkdirTemp("", "openbadges-chromium-")
		if err != nil {
			setupErr = err
			return
		}
		browserCtx, _, err = newBrowser(profile)
		if err != nil {
			setupErr = errBrowser{err}
		}
	})
	var nb errBrowser
	switch {
	case errors.As(setupErr, &nb) && os.Getenv("CI") != "true":
		t.Skipf("Chromium cannot be started, so the pages are not tested in a browser: %v", nb.err)
	case setupErr != nil:
		t.Fatalf("browser tests cannot run: %v", setupErr)
	}
}

type errBrowser struct{ err error }

func (e errBrowser) Error() string { return e.err.Error() }

// tabTimeout bounds each test's tab. It is generous because loading the
// verifier's WebAssembly under the race detector on a busy CI machine is
// slow; waits inside a tab (poll) are bounded by it alone, not by a shorter
// polling timeout of their own.
const tabTimeout = 3 * time.Minute

// tab opens a new tab for one test, bounded in time.
func tab(t *testing.T) context.Context {
	setup(t)
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	tctx, tcancel := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(tcancel)
	return tctx
}

// verifierServer serves the verifier page on loopback, and beside it
// whatever files are given (for #credential=URL).
func verifierServer(t *testing.T, files map[string][]byte) *httptest.Server {
	setup(t)
	rt := os.DirFS(runtimeDir)
	mux := http.NewServeMux()
	for name, b := range files {
		mux.HandleFunc("GET /files/"+name, func(w http.ResponseWriter, r *http.Request) { w.Write(b) })
	}
	h, err := web.Handler(rt, mux)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// staticServer serves dir as any static web server would.
func staticServer(t *testing.T, dir string) *httptest.Server {
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv
}

// deadURL is a loopback URL that nothing answers.
func deadURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/credential.json"
}

// writeFile writes b into a temporary file named name.
func writeFile(t *testing.T, name string, b []byte) string {
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

// waitVerdict waits for the page to state its verdict and returns it.
func waitVerdict(t *testing.T, ctx context.Context) string {
	t.Helper()
	poll(t, ctx, `document.body.dataset.verdict !== undefined && document.body.dataset.state !== undefined`)
	return eval[string](t, ctx, `document.body.dataset.verdict`)
}

// poll waits until the expression is true. A page that has just navigated
// may not have its JavaScript context yet: that is retried.
func poll(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	var err error
	for range 20 {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(0))); err == nil || !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(t, err, "waiting for %s; the page's status: %q, error: %q", js, text(t, ctx, "#status"), text(t, ctx, "#error"))
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	require.NoError(t, err, js)
	return v
}

// text is the text of the first element matching a CSS selector ("" if
// none).
func text(t *testing.T, ctx context.Context, sel string) string {
	return eval[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

// shot saves a full-page screenshot as name.png under shotDir.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	eval[bool](t, ctx, `(() => { const d = document.getElementById("checks"); if (d) d.open = true; return true; })()`)
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(shotDir, name+".png"), b, 0o644))
}

// upload gives the page's file input a file, as a person choosing it.
func upload(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitReady(`#file`), chromedp.SetUploadFiles(`#file`, []string{path})))
}

// openVerifier opens the verifier page and waits for the verifier to load.
func openVerifier(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	poll(t, ctx, `window.openbadges !== undefined`)
}

// assertNoScriptRan fails if a credential's markup ran.
func assertNoScriptRan(t *testing.T, ctx context.Context) {
	t.Helper()
	require.False(t, eval[bool](t, ctx, `window.pwned !== undefined`), "markup from the credential ran")
	require.Zero(t, eval[int](t, ctx, `document.querySelectorAll("#report script, #report img[onerror]").length`))
}

func lower(s string) string { return strings.ToLower(s) }
