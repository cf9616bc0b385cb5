package did

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/safehttp"
	"github.com/microcred/openbadges/internal/testref"
)

func TestWebURL(t *testing.T) {
	// Examples from the did:web method specification.
	good := map[string]string{
		"did:web:w3c-ccg.github.io":                    "https://w3c-ccg.github.io/.well-known/did.json",
		"did:web:w3c-ccg.github.io:user:alice":         "https://w3c-ccg.github.io/user/alice/did.json",
		"did:web:example.com%3A3000:user:alice":        "https://example.com:3000/user/alice/did.json",
		"did:web:example.com%3A8443":                   "https://example.com:8443/.well-known/did.json",
		"did:web:sub.example.co.uk:a.b:c_d:e-f":        "https://sub.example.co.uk/a.b/c_d/e-f/did.json",
		"did:web:localhost":                            "https://localhost/.well-known/did.json",
		"did:web:xn--bcher-kva.example:issuers:565049": "https://xn--bcher-kva.example/issuers/565049/did.json",
	}
	for in, want := range good {
		got, err := WebURL(in)
		if err != nil || got != want {
			t.Errorf("WebURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// SECURITY-CATALOGUE items 59 and 60.
	bad := []string{
		"did:web:127.0.0.1", "did:web:10.0.0.5", "did:web:169.254.169.254", "did:web:2130706433",
		"did:web:0x7f000001", "did:web:0177.0.0.1", "did:web:127.1", "did:web:[::1]", "did:web:%5B%3A%3A1%5D",
		"did:web:example.com%40evil.test", "did:web:evil.test%2Fa", "did:web:evil.test%23x", "did:web:evil.test%3Fx",
		"did:web:example.com:..:x", "did:web:example.com:.", "did:web:example.com::a", "did:web:example.com%3a443",
		"did:web:example.com%3A0", "did:web:example.com%3A65536", "did:web:example.com%3A080", "did:web:example.com%3A",
		"did:web:example.com%3Aabc", "did:web:example.com:a%2Fb", "did:web:-a.example", "did:web:a..example",
		"did:web:a_b.example", "did:web:", "did:web:example.com#frag", "did:web:example.com/path",
		"did:web:" + strings.Repeat("a", 64) + ".example",
	}
	for _, in := range bad {
		_, err := WebURL(in)
		wantErr(t, err, ErrInvalidDID)
	}
	_, err := WebURL("did:key:z6Mk")
	wantErr(t, err, ErrUnsupportedMethod)
}

type route struct {
	status int
	body   string
	header map[string]string
}

type webServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]route
	hits   atomic.Int64
	hosts  []string
	// hook, when set, runs before each request is served; returning false
	// drops the request.
	hook func(*http.Request) bool
}

func (w *webServer) setHook(h func(*http.Request) bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hook = h
}

// newWebServer starts a TLS server on loopback. Its certificate is valid for
// "example.com", so tests use did:web:example.com… and map every dial to
// the server's address.
func newWebServer(t *testing.T) *webServer {
	w := &webServer{routes: map[string]route{}}
	w.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.hits.Add(1)
		w.mu.Lock()
		rt, ok := w.routes[r.URL.Path]
		w.hosts = append(w.hosts, r.Host)
		hook := w.hook
		w.mu.Unlock()
		if hook != nil && !hook(r) {
			return
		}
		if !ok {
			http.NotFound(rw, r)
			return
		}
		if rt.status == -1 { // hang until the client gives up
			<-r.Context().Done()
			return
		}
		for k, v := range rt.header {
			rw.Header().Set(k, v)
		}
		if rt.status != 0 {
			rw.WriteHeader(rt.status)
		}
		fmt.Fprint(rw, rt.body)
	}))
	// Refused connections make the server log handshake errors: noise.
	w.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	w.srv.StartTLS()
	t.Cleanup(w.srv.Close)
	return w
}

func (w *webServer) set(path string, rt route) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.routes[path] = rt
}

func (w *webServer) lastHost() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hosts[len(w.hosts)-1]
}

// config returns an HTTPConfig whose transport trusts the test server's
// certificate and dials the server whatever the host name.
func (w *webServer) config(insecure bool) HTTPConfig {
	tr := w.srv.Client().Transport.(*http.Transport).Clone()
	addr := w.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return HTTPConfig{Client: &http.Client{Transport: tr}, InsecureAllowPrivateNetworks: insecure}
}

func docFor(t testing.TB, id string) string {
	return string(testref.Testdata(t, "did-web.json", "DID", id, "PUBLIC_KEY", w3cPublicKeyMultibase))
}

func newWeb(t *testing.T, cfg HTTPConfig) *WebResolver {
	t.Helper()
	r, err := NewWebResolver(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWebResolve(t *testing.T) {
	ctx := context.Background()
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com"), header: map[string]string{"Content-Type": "application/did+json"}})
	w.set("/user/alice/did.json", route{body: docFor(t, "did:web:example.com:user:alice")})
	w.set("/port/did.json", route{body: docFor(t, "did:web:example.com%3A8443:port")})
	r := newWeb(t, w.config(true))
	m := Methods{"web": r, "key": KeyResolver{}}

	vm, doc, err := ResolveVerificationMethod(ctx, m, "did:web:example.com#key-1", AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID != "did:web:example.com" || vm.ID != "did:web:example.com#key-1" {
		t.Fatalf("%+v", vm)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ResolveVerificationMethod(ctx, m, "did:web:example.com:user:alice#key-1", AssertionMethod); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve(ctx, "did:web:example.com%3A8443:port"); err != nil {
		t.Fatal(err)
	}
	if h := w.lastHost(); h != "example.com:8443" {
		t.Fatalf("Host header %q", h)
	}
}

func TestWebResolveFailures(t *testing.T) {
	ctx := context.Background()
	w := newWebServer(t)
	big := `{"id":"did:web:example.com:big","x":"` + strings.Repeat("a", 300<<10) + `"}`
	w.set("/big/did.json", route{body: big})
	w.set("/small/did.json", route{body: docFor(t, "did:web:example.com:small")})
	w.set("/wrongid/did.json", route{body: docFor(t, "did:web:example.com:other")})
	w.set("/garbage/did.json", route{body: `{"id":"did:web:example.com:garbage"} trailing`})
	w.set("/dup/did.json", route{body: `{"id":"did:web:example.com:dup","id":"did:web:example.com:dup"}`})
	w.set("/gone/did.json", route{status: http.StatusGone})
	w.set("/error/did.json", route{status: http.StatusInternalServerError, body: docFor(t, "did:web:example.com:error")})
	w.set("/offsite/did.json", route{status: http.StatusFound, header: map[string]string{"Location": "https://evil.example/did.json"}})
	w.set("/tohttp/did.json", route{status: http.StatusFound, header: map[string]string{"Location": "http://example.com/x/did.json"}})
	w.set("/moved/did.json", route{status: http.StatusMovedPermanently, header: map[string]string{"Location": "/moved2/did.json"}})
	w.set("/moved2/did.json", route{body: docFor(t, "did:web:example.com:moved")})
	w.set("/loop/did.json", route{status: http.StatusFound, header: map[string]string{"Location": "/loop/did.json"}})
	w.set("/hang/did.json", route{status: -1})

	cfg := w.config(true)
	r := newWeb(t, cfg)
	tests := []struct {
		did   string
		want  []error
		inMsg string
	}{
		{"did:web:example.com:big", []error{ErrFetch, safehttp.ErrTooLarge}, "too large"},
		{"did:web:example.com:wrongid", []error{ErrInvalidDocument}, "does not match"},
		{"did:web:example.com:garbage", []error{ErrInvalidDocument}, "trailing"},
		{"did:web:example.com:dup", []error{ErrInvalidDocument}, "duplicate"},
		{"did:web:example.com:missing", []error{ErrNotFound}, "404"},
		{"did:web:example.com:gone", []error{ErrNotFound}, "410"},
		{"did:web:example.com:error", []error{ErrFetch, safehttp.ErrStatus}, "500"},
		{"did:web:example.com:offsite", []error{ErrFetch, safehttp.ErrRedirect}, "another origin"},
		{"did:web:example.com:tohttp", []error{ErrFetch, safehttp.ErrRedirect}, "another origin"},
		{"did:web:example.com:loop", []error{ErrFetch, safehttp.ErrRedirect}, "redirects"},
	}
	for _, tc := range tests {
		t.Run(tc.did, func(t *testing.T) {
			_, err := r.Resolve(ctx, tc.did)
			wantErr(t, err, tc.want...)
			if !strings.Contains(err.Error(), tc.did) || !strings.Contains(err.Error(), tc.inMsg) {
				t.Errorf("error %q should name the DID and say %q", err, tc.inMsg)
			}
		})
	}
	// A same-origin redirect is followed.
	if _, err := r.Resolve(ctx, "did:web:example.com:moved"); err != nil {
		t.Fatal(err)
	}
	// A smaller limit applies.
	cfg.MaxBytes = 100
	_, err := newWeb(t, cfg).Resolve(ctx, "did:web:example.com:small")
	wantErr(t, err, ErrFetch, safehttp.ErrTooLarge)
	// Timeout.
	cfg = w.config(true)
	cfg.Timeout = 200 * time.Millisecond
	slow := newWeb(t, cfg)
	_, err = slow.Resolve(ctx, "did:web:example.com:hang")
	wantErr(t, err, ErrFetch)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout error %q", err)
	}
	// A timeout of our own (not the caller's) is cached like any failure, so
	// a batch of credentials from a dead issuer does not wait each time.
	before := w.hits.Load()
	_, err = slow.Resolve(ctx, "did:web:example.com:hang")
	wantErr(t, err, ErrFetch)
	if w.hits.Load() != before {
		t.Error("timeout not cached")
	}
	// Invalid DIDs never reach the network.
	before = w.hits.Load()
	_, err = r.Resolve(ctx, "did:web:127.0.0.1")
	wantErr(t, err, ErrInvalidDID)
	if w.hits.Load() != before {
		t.Fatal("invalid DID was fetched")
	}
}

func TestWebTLSRequired(t *testing.T) {
	// Without the test server's root CA the certificate is not trusted.
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com")})
	cfg := w.config(true)
	cfg.Client.Transport.(*http.Transport).TLSClientConfig = nil
	_, err := newWeb(t, cfg).Resolve(context.Background(), "did:web:example.com")
	wantErr(t, err, ErrFetch)
}

// TestWebPrivateAddressGuard: the test server listens on 127.0.0.1, which the
// resolver refuses unless InsecureAllowPrivateNetworks is set
// (SECURITY-CATALOGUE item 59).
func TestWebPrivateAddressGuard(t *testing.T) {
	ctx := context.Background()
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com")})

	// The caller's dialer maps example.com to 127.0.0.1: refused after
	// connecting, before any request is sent.
	_, err := newWeb(t, w.config(false)).Resolve(ctx, "did:web:example.com")
	wantErr(t, err, ErrForbiddenAddress, safehttp.ErrForbiddenAddress)
	if w.hits.Load() != 0 {
		t.Fatal("a request reached the private address")
	}
	if _, err := newWeb(t, w.config(true)).Resolve(ctx, "did:web:example.com"); err != nil {
		t.Fatal(err)
	}

	// The built-in dialer checks the resolved address before connecting:
	// "localhost" is a valid did:web host name but resolves to loopback.
	_, port, _ := net.SplitHostPort(w.srv.Listener.Addr().String())
	_, err = newWeb(t, HTTPConfig{}).Resolve(ctx, "did:web:localhost%3A"+port)
	wantErr(t, err, ErrForbiddenAddress)
	if w.hits.Load() != 1 {
		t.Fatal("a request reached the private address")
	}

	// A proxy would hide the dialed address: refused unless insecure.
	cfg := w.config(false)
	cfg.Client.Transport.(*http.Transport).Proxy = func(*http.Request) (*url.URL, error) { return nil, nil }
	if _, err := NewWebResolver(cfg); err == nil {
		t.Fatal("proxy accepted with the guard on")
	}
	cfg.InsecureAllowPrivateNetworks = true
	if _, err := NewWebResolver(cfg); err != nil {
		t.Fatal(err)
	}
	// A transport that is not an *http.Transport cannot be guarded.
	_, err = NewWebResolver(HTTPConfig{Client: &http.Client{Transport: roundTripperFunc(nil)}})
	wantErr(t, err, ErrFetch)
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWebCache(t *testing.T) {
	ctx := context.Background()
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com")})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	cfg := w.config(true)
	cfg.Now = clock
	r := newWeb(t, cfg)

	d1, err := r.Resolve(ctx, "did:web:example.com")
	if err != nil {
		t.Fatal(err)
	}
	d1.VerificationMethods[0].PublicKeyMultibase = "tampered"
	d2, err := r.Resolve(ctx, "did:web:example.com")
	if err != nil || w.hits.Load() != 1 {
		t.Fatalf("cache miss: hits=%d err=%v", w.hits.Load(), err)
	}
	if d2.VerificationMethods[0].PublicKeyMultibase != w3cPublicKeyMultibase {
		t.Fatal("cached document was modified through a returned copy")
	}
	advance(DefaultCacheTTL)
	if _, err := r.Resolve(ctx, "did:web:example.com"); err != nil || w.hits.Load() != 2 {
		t.Fatalf("expired entry reused: hits=%d", w.hits.Load())
	}
	// Negative caching: a 404 is remembered for DefaultNegativeCacheTTL.
	for range 3 {
		_, err := r.Resolve(ctx, "did:web:example.com:missing")
		wantErr(t, err, ErrNotFound)
	}
	if w.hits.Load() != 3 {
		t.Fatalf("negative result not cached: hits=%d", w.hits.Load())
	}
	advance(DefaultNegativeCacheTTL)
	w.set("/missing/did.json", route{body: docFor(t, "did:web:example.com:missing")})
	if _, err := r.Resolve(ctx, "did:web:example.com:missing"); err != nil {
		t.Fatal(err)
	}
	// Case variants are different cache keys (and different DIDs: the
	// document id must match exactly).
	_, err = r.Resolve(ctx, "did:web:EXAMPLE.com")
	wantErr(t, err, ErrInvalidDocument)

	// A canceled caller context is not cached.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	w.set("/c/did.json", route{body: docFor(t, "did:web:example.com:c")})
	if _, err := r.Resolve(cctx, "did:web:example.com:c"); err == nil {
		t.Fatal("canceled context succeeded")
	}
	if _, err := r.Resolve(ctx, "did:web:example.com:c"); err != nil {
		t.Fatalf("context failure was cached: %v", err)
	}

	// Caching disabled.
	cfg.CacheTTL, cfg.NegativeCacheTTL = -1, -1
	r = newWeb(t, cfg)
	before := w.hits.Load()
	for range 2 {
		if _, err := r.Resolve(ctx, "did:web:example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if w.hits.Load() != before+2 {
		t.Fatal("cache not disabled")
	}
}

func TestWebConcurrent(t *testing.T) {
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com")})
	r := newWeb(t, w.config(true))
	m := Methods{"web": r}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := "did:web:example.com#key-1"
			if i%2 == 1 {
				u = "did:web:example.com:missing#key-1"
			}
			_, _, err := ResolveVerificationMethod(context.Background(), m, u, AssertionMethod)
			if (err == nil) != (i%2 == 0) {
				t.Errorf("%s: %v", u, err)
			}
		}()
	}
	wg.Wait()
}

// TestWebCoalescing: concurrent resolutions of one DID share one request,
// even with caching off, and a waiter whose leader is canceled retries.
func TestWebCoalescing(t *testing.T) {
	gate := make(chan struct{})
	w := newWebServer(t)
	w.set("/.well-known/did.json", route{body: docFor(t, "did:web:example.com")})
	cfg := w.config(true)
	cfg.CacheTTL, cfg.NegativeCacheTTL = -1, -1
	r := newWeb(t, cfg)
	// Hold the first request until every caller is waiting on it.
	w.setHook(func(*http.Request) bool { <-gate; return true })
	const n = 8
	var wg sync.WaitGroup
	docs := make([]*Document, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := r.Resolve(context.Background(), "did:web:example.com")
			if err != nil {
				t.Error(err)
			}
			docs[i] = d
		}()
	}
	waitFor(t, func() bool { return r.cache.cache.Waiters("did:web:example.com") == n-1 })
	close(gate)
	wg.Wait()
	if w.hits.Load() != 1 {
		t.Fatalf("%d requests for %d concurrent resolutions", w.hits.Load(), n)
	}
	// Every caller got its own copy.
	docs[0].VerificationMethods[0].PublicKeyMultibase = "changed"
	for _, d := range docs[1:] {
		if d.VerificationMethods[0].PublicKeyMultibase != w3cPublicKeyMultibase {
			t.Fatal("callers share a document")
		}
	}

	// A leader canceled by its caller: the waiter retries on its own.
	gate2 := make(chan struct{})
	w.setHook(func(req *http.Request) bool {
		select {
		case <-gate2:
			return true
		case <-req.Context().Done():
			return false
		}
	})
	lctx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan error)
	go func() {
		_, err := r.Resolve(lctx, "did:web:example.com")
		leaderDone <- err
	}()
	waitFor(t, func() bool { return r.cache.cache.Waiters("did:web:example.com") >= 0 })
	waiterDone := make(chan error)
	go func() {
		_, err := r.Resolve(context.Background(), "did:web:example.com")
		waiterDone <- err
	}()
	waitFor(t, func() bool { return r.cache.cache.Waiters("did:web:example.com") == 1 })
	cancel()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v", err)
	}
	close(gate2)
	if err := <-waiterDone; err != nil {
		t.Fatalf("waiter: %v", err)
	}
}

// waitFor polls cond (a synchronisation point, not a timing assertion).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}
