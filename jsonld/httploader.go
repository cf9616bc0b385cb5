package jsonld

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults for HTTPLoaderConfig's zero fields.
const (
	DefaultHTTPTimeout      = 10 * time.Second
	DefaultHTTPMaxSize      = 1 << 20 // 1 MiB
	DefaultHTTPMaxRedirects = 3
	DefaultHTTPCacheTTL     = time.Hour
	DefaultHTTPCacheEntries = 256
)

// HTTPLoaderConfig configures an HTTPLoader. The zero value is valid and
// refuses every URL: fetching is opt-in, URL by URL.
type HTTPLoaderConfig struct {
	// Allow lists what may be fetched. An entry ending in "/" is a prefix
	// and allows every URL that starts with it; any other entry allows that
	// exact URL only. Entries must be absolute https URLs (http only with
	// InsecureAllowHTTP) with a host and without user info, query or
	// fragment. An empty list refuses everything.
	Allow []string
	// InsecureAllowHTTP permits http:// URLs in Allow (and redirects to
	// them). Contexts fetched over plain HTTP can be altered in transit, which
	// changes what a signature covers; use only with pinned Digests or in
	// tests.
	InsecureAllowHTTP bool
	// Digests pins the SHA-256 digest (hex) of the document served for a URL.
	// A fetched document that does not match fails with ErrDigestMismatch.
	// Every pinned URL must be allowed by Allow.
	Digests map[string]string
	// Client performs the requests. Nil means a client with Go's default
	// transport. The loader uses a shallow copy whose CheckRedirect enforces
	// MaxRedirects and Allow; the caller's client is not modified.
	Client *http.Client
	// Timeout bounds each fetch, redirects and body included, on top of the
	// caller's ctx. Zero means DefaultHTTPTimeout.
	Timeout time.Duration
	// MaxSize bounds a document's size in bytes. Zero means
	// DefaultHTTPMaxSize.
	MaxSize int64
	// MaxRedirects bounds the redirects followed per fetch. Zero means
	// DefaultHTTPMaxRedirects; negative means none are followed.
	MaxRedirects int
	// CacheTTL is how long a fetched document is served from the cache. Zero
	// means DefaultHTTPCacheTTL; negative disables the cache.
	CacheTTL time.Duration
	// CacheEntries bounds the number of cached documents (least recently
	// used are evicted first). Zero means DefaultHTTPCacheEntries.
	CacheEntries int
	// Now is the clock used for cache expiry. Nil means time.Now.
	Now func() time.Time
}

// HTTPLoader fetches contexts over HTTPS from an allow-list, with a size
// limit, timeouts, optional pinned digests and a bounded TTL cache. It is
// safe for concurrent use. Build it with NewHTTPLoader.
//
// HTTPLoader is the only loader in this package that touches the network;
// callers opt in by building one. Concurrent misses for the same URL may
// fetch it more than once.
type HTTPLoader struct {
	allowExact    map[string]bool
	allowPrefixes []string
	insecure      bool
	digests       map[string]string
	client        *http.Client
	timeout       time.Duration
	maxSize       int64
	maxRedirects  int
	ttl           time.Duration
	maxEntries    int
	now           func() time.Time

	mu    sync.Mutex
	cache map[string]*list.Element // URL -> element holding *cacheEntry
	lru   *list.List               // front = most recently used
}

type cacheEntry struct {
	url     string
	doc     RemoteDocument
	expires time.Time
}

// NewHTTPLoader validates cfg and returns a loader. Invalid allow-list
// entries or digests are reported with the offending value.
func NewHTTPLoader(cfg HTTPLoaderConfig) (*HTTPLoader, error) {
	l := &HTTPLoader{
		allowExact:   map[string]bool{},
		insecure:     cfg.InsecureAllowHTTP,
		digests:      map[string]string{},
		timeout:      cfg.Timeout,
		maxSize:      cfg.MaxSize,
		maxRedirects: cfg.MaxRedirects,
		ttl:          cfg.CacheTTL,
		maxEntries:   cfg.CacheEntries,
		now:          cfg.Now,
		cache:        map[string]*list.Element{},
		lru:          list.New(),
	}
	switch {
	case l.timeout < 0:
		return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.Timeout is negative")
	case l.timeout == 0:
		l.timeout = DefaultHTTPTimeout
	}
	switch {
	case l.maxSize < 0:
		return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.MaxSize is negative")
	case l.maxSize == 0:
		l.maxSize = DefaultHTTPMaxSize
	}
	switch {
	case l.maxRedirects < 0:
		l.maxRedirects = 0
	case l.maxRedirects == 0:
		l.maxRedirects = DefaultHTTPMaxRedirects
	}
	if l.ttl == 0 {
		l.ttl = DefaultHTTPCacheTTL
	}
	switch {
	case l.maxEntries < 0:
		return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.CacheEntries is negative")
	case l.maxEntries == 0:
		l.maxEntries = DefaultHTTPCacheEntries
	}
	if l.now == nil {
		l.now = time.Now
	}
	for _, a := range cfg.Allow {
		if err := l.checkURL(a); err != nil {
			return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.Allow entry %q: %w", a, err)
		}
		if strings.HasSuffix(a, "/") {
			l.allowPrefixes = append(l.allowPrefixes, a)
		} else {
			l.allowExact[a] = true
		}
	}
	for u, d := range cfg.Digests {
		b, err := hex.DecodeString(d)
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.Digests[%q]: %q is not a hex SHA-256 digest", u, d)
		}
		if err := l.allowed(u); err != nil {
			return nil, fmt.Errorf("jsonld: HTTPLoaderConfig.Digests[%q]: URL not allowed: %w", u, err)
		}
		l.digests[u] = strings.ToLower(d)
	}
	var c http.Client
	if cfg.Client != nil {
		c = *cfg.Client
	}
	c.CheckRedirect = l.checkRedirect
	l.client = &c
	return l, nil
}

// checkURL checks that raw is an absolute http(s) URL the loader could fetch:
// right scheme, a host, no user info, query, fragment or dot segments. Dot
// segments are refused because a server resolves them, so
// "https://a.example/ctx/../secret" would escape the prefix "https://a.example/ctx/".
func (l *HTTPLoader) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !l.insecure {
			return errors.New("http URL without InsecureAllowHTTP")
		}
	default:
		return fmt.Errorf("scheme %q is not https", u.Scheme)
	}
	if u.Host == "" || u.Opaque != "" {
		return errors.New("no host")
	}
	if u.User != nil {
		return errors.New("user info in URL")
	}
	if u.RawQuery != "" || u.ForceQuery {
		return errors.New("query in URL")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return errors.New("fragment in URL")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return errors.New("dot segment in path")
		}
	}
	if strings.Contains(raw, "\\") {
		return errors.New("backslash in URL")
	}
	return nil
}

// allowed reports, as an error wrapping ErrContextNotAllowed, why raw may not
// be fetched, or nil.
func (l *HTTPLoader) allowed(raw string) error {
	if err := l.checkURL(raw); err != nil {
		return fmt.Errorf("%w: %q: %v", ErrContextNotAllowed, raw, err)
	}
	if l.allowExact[raw] {
		return nil
	}
	for _, p := range l.allowPrefixes {
		if strings.HasPrefix(raw, p) {
			return nil
		}
	}
	return fmt.Errorf("%w: %q is not on the HTTP loader's allow-list", ErrContextNotAllowed, raw)
}

func (l *HTTPLoader) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > l.maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrContextFetch, l.maxRedirects)
	}
	if err := l.allowed(req.URL.String()); err != nil {
		return fmt.Errorf("redirect: %w", err)
	}
	return nil
}

// LoadDocument implements DocumentLoader: it serves rawURL from the cache or
// fetches it, if the allow-list permits.
func (l *HTTPLoader) LoadDocument(ctx context.Context, rawURL string) (*RemoteDocument, error) {
	if err := l.allowed(rawURL); err != nil {
		return nil, err
	}
	if d, ok := l.cached(rawURL); ok {
		return d, nil
	}
	doc, err := l.fetch(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	l.store(rawURL, doc)
	return &doc, nil
}

func (l *HTTPLoader) cached(u string) (*RemoteDocument, bool) {
	if l.ttl < 0 {
		return nil, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.cache[u]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !l.now().Before(e.expires) {
		l.lru.Remove(el)
		delete(l.cache, u)
		return nil, false
	}
	l.lru.MoveToFront(el)
	d := e.doc
	return &d, true
}

func (l *HTTPLoader) store(u string, doc RemoteDocument) {
	if l.ttl < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e := &cacheEntry{url: u, doc: doc, expires: l.now().Add(l.ttl)}
	if el, ok := l.cache[u]; ok {
		el.Value = e
		l.lru.MoveToFront(el)
		return
	}
	l.cache[u] = l.lru.PushFront(e)
	for l.lru.Len() > l.maxEntries {
		old := l.lru.Back()
		l.lru.Remove(old)
		delete(l.cache, old.Value.(*cacheEntry).url)
	}
}

func (l *HTTPLoader) fetch(ctx context.Context, u string) (RemoteDocument, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return RemoteDocument{}, fmt.Errorf("%w: %q: %v", ErrContextFetch, u, err)
	}
	req.Header.Set("Accept", "application/ld+json, application/json;q=0.9")
	resp, err := l.client.Do(req)
	if err != nil {
		// Keep ErrContextNotAllowed / ErrContextFetch from CheckRedirect and
		// ctx errors visible to errors.Is.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, ErrContextNotAllowed) || errors.Is(err, ErrContextFetch) {
			return RemoteDocument{}, fmt.Errorf("jsonld: fetching %q: %w", u, err)
		}
		return RemoteDocument{}, fmt.Errorf("%w: %q: %w", ErrContextFetch, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return RemoteDocument{}, fmt.Errorf("%w: %q: HTTP status %d", ErrContextFetch, u, resp.StatusCode)
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || (mt != "application/ld+json" && mt != "application/json") {
		return RemoteDocument{}, fmt.Errorf("%w: %q: media type %q is not application/ld+json or application/json",
			ErrContextFetch, u, resp.Header.Get("Content-Type"))
	}
	if resp.ContentLength > l.maxSize {
		return RemoteDocument{}, fmt.Errorf("%w: %q: %d bytes, limit %d", ErrContextTooLarge, u, resp.ContentLength, l.maxSize)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, l.maxSize+1))
	if err != nil {
		return RemoteDocument{}, fmt.Errorf("%w: %q: reading body: %w", ErrContextFetch, u, err)
	}
	if int64(len(body)) > l.maxSize {
		return RemoteDocument{}, fmt.Errorf("%w: %q: more than %d bytes", ErrContextTooLarge, u, l.maxSize)
	}
	if want, ok := l.digests[u]; ok {
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != want {
			return RemoteDocument{}, fmt.Errorf("%w: %q: sha256 %s, pinned %s", ErrDigestMismatch, u, got, want)
		}
	}
	if !json.Valid(body) {
		return RemoteDocument{}, fmt.Errorf("%w: %q", ErrContextNotJSON, u)
	}
	return RemoteDocument{DocumentURL: resp.Request.URL.String(), Document: string(body)}, nil
}
