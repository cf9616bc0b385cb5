package jsonld

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testContext = `{"@context":{"name":"https://schema.org/name"}}`

// testServer is a loopback TLS server with a few canned routes and a hit
// counter per path.
type testServer struct {
	*httptest.Server
	hits sync.Map // path -> *atomic.Int64
}

func (s *testServer) count(path string) int64 {
	v, ok := s.hits.Load(path)
	if !ok {
		return 0
	}
	return v.(*atomic.Int64).Load()
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{}
	mux := http.NewServeMux()
	hit := func(path string) {
		v, _ := s.hits.LoadOrStore(path, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	serve := func(path, ctype, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			hit(r.URL.Path)
			w.Header().Set("Content-Type", ctype)
			fmt.Fprint(w, body)
		})
	}
	serve("/ctx/a", "application/ld+json", testContext)
	serve("/ctx/b", "application/json; charset=utf-8", `{"@context":{"b":"https://example.org/b"}}`)
	serve("/ctx/c", "application/ld+json", `{"@context":{"c":"https://example.org/c"}}`)
	serve("/ctx/html", "text/html", "<html></html>")
	serve("/ctx/notjson", "application/json", `{"@context":`)
	serve("/other/x", "application/ld+json", testContext)
	mux.HandleFunc("/ctx/big", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprintf(w, `{"@context":{"pad":%q}}`, strings.Repeat("x", 2000))
	})
	mux.HandleFunc("/ctx/bigchunked", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, `{"@context":{"pad":"`)
		w.(http.Flusher).Flush() // forces chunked encoding: no Content-Length
		fmt.Fprint(w, strings.Repeat("x", 2000)+`"}}`)
	})
	mux.HandleFunc("/ctx/404", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		http.NotFound(w, r)
	})
	release := make(chan struct{})
	mux.HandleFunc("/ctx/slow", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		// Never answer before the test ends: only the client's deadline can
		// end the request.
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/ctx/redirect-in", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		http.Redirect(w, r, "/ctx/a", http.StatusFound)
	})
	mux.HandleFunc("/ctx/redirect-out", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		http.Redirect(w, r, "/other/x", http.StatusFound)
	})
	mux.HandleFunc("/ctx/loop", func(w http.ResponseWriter, r *http.Request) {
		hit(r.URL.Path)
		http.Redirect(w, r, "/ctx/loop", http.StatusFound)
	})
	s.Server = httptest.NewTLSServer(mux)
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(release) }) // runs before s.Close

	return s
}

func (s *testServer) loader(t *testing.T, cfg HTTPLoaderConfig) *HTTPLoader {
	t.Helper()
	if cfg.Client == nil {
		cfg.Client = s.Client()
	}
	if cfg.Allow == nil {
		cfg.Allow = []string{s.URL + "/ctx/"}
	}
	l, err := NewHTTPLoader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestHTTPLoaderZeroConfigRefusesEverything(t *testing.T) {
	s := newTestServer(t)
	l, err := NewHTTPLoader(HTTPLoaderConfig{Client: s.Client()})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{s.URL + "/ctx/a", "https://www.w3.org/ns/credentials/v2"} {
		_, err := l.LoadDocument(context.Background(), u)
		if !errors.Is(err, ErrContextNotAllowed) || !strings.Contains(err.Error(), u) {
			t.Errorf("%s: got %v, want ErrContextNotAllowed naming the URL", u, err)
		}
	}
	if n := s.count("/ctx/a"); n != 0 {
		t.Errorf("server was contacted %d times", n)
	}
}

func TestHTTPLoaderAllowList(t *testing.T) {
	s := newTestServer(t)
	l := s.loader(t, HTTPLoaderConfig{Allow: []string{s.URL + "/ctx/", s.URL + "/other/x"}})
	ctx := context.Background()
	for _, u := range []string{s.URL + "/ctx/a", s.URL + "/ctx/b", s.URL + "/other/x"} {
		rd, err := l.LoadDocument(ctx, u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if rd.DocumentURL != u {
			t.Errorf("%s: DocumentURL %q", u, rd.DocumentURL)
		}
	}
	for _, u := range []string{
		s.URL + "/other/y",          // not on the list
		s.URL + "/other/x/",         // exact entries are exact
		s.URL + "/ctx",              // the prefix itself without its slash
		s.URL + "/ctx/../other/y",   // dot segments would escape the prefix
		s.URL + "/ctx/%2e%2e/other", // encoded dot segments too
		s.URL + "/ctx/a?x=1",
		s.URL + "/ctx/a#frag",
		strings.Replace(s.URL, "https://", "http://", 1) + "/ctx/a",
		strings.Replace(s.URL, "https://", "https://user@", 1) + "/ctx/a",
		"ftp://example.org/ctx/a",
		"/ctx/a",
		"",
	} {
		if _, err := l.LoadDocument(ctx, u); !errors.Is(err, ErrContextNotAllowed) {
			t.Errorf("%q: got %v, want ErrContextNotAllowed", u, err)
		}
	}
	if n := s.count("/other/y"); n != 0 {
		t.Errorf("refused URL was fetched %d times", n)
	}
}

func TestHTTPLoaderConfigValidation(t *testing.T) {
	d := hex.EncodeToString(make([]byte, 32))
	for name, cfg := range map[string]HTTPLoaderConfig{
		"http without Insecure": {Allow: []string{"http://example.org/"}},
		"no host":               {Allow: []string{"https:///x"}},
		"relative":              {Allow: []string{"example.org/ctx/"}},
		"query":                 {Allow: []string{"https://example.org/ctx?x"}},
		"fragment":              {Allow: []string{"https://example.org/ctx#x"}},
		"user info":             {Allow: []string{"https://u:p@example.org/ctx/"}},
		"dot segment":           {Allow: []string{"https://example.org/a/../"}},
		"bad digest":            {Allow: []string{"https://example.org/ctx"}, Digests: map[string]string{"https://example.org/ctx": "abc"}},
		"digest off-list":       {Allow: []string{"https://example.org/ctx"}, Digests: map[string]string{"https://example.org/other": d}},
		"negative size":         {MaxSize: -1},
		"negative timeout":      {Timeout: -1},
		"negative cache":        {CacheEntries: -1},
	} {
		if _, err := NewHTTPLoader(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewHTTPLoader(HTTPLoaderConfig{
		Allow:             []string{"http://example.org/ctx/"},
		InsecureAllowHTTP: true,
		Digests:           map[string]string{"http://example.org/ctx/x": d},
	}); err != nil {
		t.Errorf("InsecureAllowHTTP with http entry: %v", err)
	}
}

func TestHTTPLoaderInsecureHTTP(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, testContext)
	}))
	defer s.Close()
	l, err := NewHTTPLoader(HTTPLoaderConfig{Allow: []string{s.URL + "/"}, InsecureAllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.LoadDocument(context.Background(), s.URL+"/x"); err != nil {
		t.Fatal(err)
	}
}

func TestHTTPLoaderResponseChecks(t *testing.T) {
	s := newTestServer(t)
	l := s.loader(t, HTTPLoaderConfig{MaxSize: 1000})
	ctx := context.Background()
	for path, want := range map[string]error{
		"/ctx/big":        ErrContextTooLarge,
		"/ctx/bigchunked": ErrContextTooLarge,
		"/ctx/html":       ErrContextFetch,
		"/ctx/404":        ErrContextFetch,
		"/ctx/notjson":    ErrContextNotJSON,
		"/ctx/missing":    ErrContextFetch,
	} {
		rd, err := l.LoadDocument(ctx, s.URL+path)
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", path, err, want)
		}
		if rd != nil {
			t.Errorf("%s: document returned with error", path)
		}
		if err != nil && !strings.Contains(err.Error(), s.URL+path) {
			t.Errorf("%s: error %q does not name the URL", path, err)
		}
	}
	// Failures are not cached.
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/404"); err == nil {
		t.Error("404 loaded on retry")
	}
	if n := s.count("/ctx/404"); n != 2 {
		t.Errorf("/ctx/404 fetched %d times, want 2", n)
	}
}

func TestHTTPLoaderTimeout(t *testing.T) {
	s := newTestServer(t)
	l := s.loader(t, HTTPLoaderConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := l.LoadDocument(ctx, s.URL+"/ctx/slow")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrContextFetch) {
		t.Errorf("got %v, want ErrContextFetch wrapping context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("took %v: ctx deadline not honoured", d)
	}

	// The loader's own Timeout applies even with a background ctx.
	l = s.loader(t, HTTPLoaderConfig{Timeout: 50 * time.Millisecond})
	if _, err := l.LoadDocument(context.Background(), s.URL+"/ctx/slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Timeout: got %v", err)
	}

	// An already-cancelled ctx fails without a document.
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if _, err := l.LoadDocument(cctx, s.URL+"/ctx/a"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

func TestHTTPLoaderDigestPin(t *testing.T) {
	s := newTestServer(t)
	sum := sha256.Sum256([]byte(testContext))
	good := hex.EncodeToString(sum[:])
	l := s.loader(t, HTTPLoaderConfig{Digests: map[string]string{
		s.URL + "/ctx/a": strings.ToUpper(good), // hex case does not matter
		s.URL + "/ctx/b": good,                  // wrong for /ctx/b
	}})
	ctx := context.Background()
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/a"); err != nil {
		t.Errorf("pinned and matching: %v", err)
	}
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/b"); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("pinned and different: got %v, want ErrDigestMismatch", err)
	}
	// A mismatching document is not cached.
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/b"); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("second load: got %v, want ErrDigestMismatch", err)
	}
	// Unpinned URLs still load.
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/c"); err != nil {
		t.Errorf("unpinned: %v", err)
	}
}

func TestHTTPLoaderRedirects(t *testing.T) {
	s := newTestServer(t)
	l := s.loader(t, HTTPLoaderConfig{})
	ctx := context.Background()
	rd, err := l.LoadDocument(ctx, s.URL+"/ctx/redirect-in")
	if err != nil {
		t.Fatalf("redirect within the allow-list: %v", err)
	}
	if rd.DocumentURL != s.URL+"/ctx/a" || string(rd.Document) != testContext {
		t.Errorf("got %q %q", rd.DocumentURL, rd.Document)
	}
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/redirect-out"); !errors.Is(err, ErrContextNotAllowed) {
		t.Errorf("redirect off the allow-list: got %v, want ErrContextNotAllowed", err)
	}
	if n := s.count("/other/x"); n != 0 {
		t.Errorf("off-list redirect target fetched %d times", n)
	}
	if _, err := l.LoadDocument(ctx, s.URL+"/ctx/loop"); !errors.Is(err, ErrContextFetch) {
		t.Errorf("redirect loop: got %v, want ErrContextFetch", err)
	}
	if n := s.count("/ctx/loop"); n != DefaultHTTPMaxRedirects+1 {
		t.Errorf("loop fetched %d times, want %d", n, DefaultHTTPMaxRedirects+1)
	}
	none := s.loader(t, HTTPLoaderConfig{MaxRedirects: -1})
	if _, err := none.LoadDocument(ctx, s.URL+"/ctx/redirect-in"); !errors.Is(err, ErrContextFetch) {
		t.Errorf("MaxRedirects -1: got %v, want ErrContextFetch", err)
	}
}

// fakeClock is an injectable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestHTTPLoaderCache(t *testing.T) {
	s := newTestServer(t)
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := s.loader(t, HTTPLoaderConfig{CacheTTL: time.Minute, CacheEntries: 2, Now: clock.Now})
	ctx := context.Background()
	load := func(path string) {
		t.Helper()
		rd, err := l.LoadDocument(ctx, s.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rd.DocumentURL = "mutated" // must not affect the cache
	}
	load("/ctx/a")
	load("/ctx/a")
	if n := s.count("/ctx/a"); n != 1 {
		t.Errorf("cache hit: fetched %d times, want 1", n)
	}
	rd, _ := l.LoadDocument(ctx, s.URL+"/ctx/a")
	if rd.DocumentURL != s.URL+"/ctx/a" {
		t.Errorf("cached DocumentURL was mutated: %q", rd.DocumentURL)
	}

	clock.Advance(59 * time.Second)
	load("/ctx/a")
	if n := s.count("/ctx/a"); n != 1 {
		t.Errorf("before expiry: fetched %d times, want 1", n)
	}
	clock.Advance(time.Second)
	load("/ctx/a")
	if n := s.count("/ctx/a"); n != 2 {
		t.Errorf("after expiry: fetched %d times, want 2", n)
	}

	// Bounded: with 2 entries, loading b and c evicts a (least recently used).
	load("/ctx/b")
	load("/ctx/c")
	load("/ctx/c")
	load("/ctx/b")
	if n := s.count("/ctx/b") + s.count("/ctx/c"); n != 2 {
		t.Errorf("b and c fetched %d times, want 2", n)
	}
	load("/ctx/a")
	if n := s.count("/ctx/a"); n != 3 {
		t.Errorf("evicted a: fetched %d times, want 3", n)
	}
	l.mu.Lock()
	size := l.lru.Len()
	l.mu.Unlock()
	if size != 2 {
		t.Errorf("cache holds %d entries, limit 2", size)
	}

	// A negative TTL disables the cache.
	nc := s.loader(t, HTTPLoaderConfig{CacheTTL: -1})
	before := s.count("/ctx/b")
	for range 3 {
		if _, err := nc.LoadDocument(ctx, s.URL+"/ctx/b"); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.count("/ctx/b") - before; n != 3 {
		t.Errorf("no cache: fetched %d times, want 3", n)
	}
}

func TestHTTPLoaderConcurrent(t *testing.T) {
	s := newTestServer(t)
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := s.loader(t, HTTPLoaderConfig{CacheTTL: time.Second, CacheEntries: 2, Now: clock.Now})
	paths := []string{"/ctx/a", "/ctx/b", "/ctx/c", "/ctx/404", "/nope"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				p := paths[(g+i)%len(paths)]
				rd, err := l.LoadDocument(context.Background(), s.URL+p)
				switch p {
				case "/ctx/404", "/nope":
					if err == nil {
						t.Errorf("%s loaded", p)
					}
				default:
					if err != nil || rd == nil || len(rd.Document) == 0 {
						t.Errorf("%s: %v", p, err)
					}
				}
				if i%10 == 0 {
					clock.Advance(300 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
}
