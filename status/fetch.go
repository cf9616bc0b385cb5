package status

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/microcred/openbadges/internal/safehttp"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/internal/ttlcache"
)

// Fetcher retrieves a status resource (a status list credential, or a
// 1EdTech revocation list) by URL. A Checker without one reports every
// status as unknown, which fails verification: status is never fetched
// unless the caller opted in.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// FetcherFunc adapts a function to Fetcher.
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// StaticFetcher serves documents from memory: offline verification, tests,
// and status lists the holder presented with the credential.
type StaticFetcher struct {
	docs map[string][]byte
}

// NewStaticFetcher returns a Fetcher answering from docs (URL → document),
// which it copies; any other URL is ErrNotFound.
func NewStaticFetcher(docs map[string][]byte) *StaticFetcher {
	return &StaticFetcher{docs: maps.Clone(docs)}
}

// Fetch implements Fetcher.
func (s *StaticFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	d, ok := s.docs[url]
	if !ok {
		return nil, fieldErr(ErrNotFound, "url", "%q is not among the static documents", url)
	}
	return d, nil
}

// ChainFetcher asks each of its Fetchers in turn, moving to the next only
// when one answers ErrNotFound: for example documents the user supplied
// (NewStaticFetcher) before the network.
type ChainFetcher []Fetcher

// Fetch implements Fetcher.
func (c ChainFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	err := error(fieldErr(ErrNotFound, "url", "no fetcher has %q", url))
	for _, f := range c {
		if f == nil {
			continue
		}
		var data []byte
		if data, err = f.Fetch(ctx, url); err == nil || !errors.Is(err, ErrNotFound) {
			return data, err
		}
	}
	return nil, err
}

// DefaultMaxDocumentBytes bounds a fetched status document when
// HTTPConfig.MaxBytes is zero: 2 MiB, room for an encodedList of a list of
// several million entries with many bits set.
const DefaultMaxDocumentBytes = 2 << 20

// HTTPConfig configures NewHTTPFetcher. The zero value is safe.
type HTTPConfig struct {
	// Client, if set, supplies the transport (custom root CAs, a test
	// server's client). Its Transport must be nil or an *http.Transport.
	Client *http.Client
	// Timeout bounds each fetch; zero means 10 seconds.
	Timeout time.Duration
	// MaxBytes bounds each response; zero means DefaultMaxDocumentBytes.
	MaxBytes int64
	// InsecureAllowPrivateNetworks allows loopback, private and link-local
	// addresses. Only for tests and closed networks: otherwise a credential
	// could make the verifier probe its own network.
	InsecureAllowPrivateNetworks bool
}

// HTTPFetcher fetches status documents over HTTPS with the limits of
// did:web resolution: https only, no private or loopback addresses (checked
// on the address dialed), same-origin redirects only, bounded time and
// size, proxies from the environment ignored.
type HTTPFetcher struct {
	client *safehttp.Client
}

// NewHTTPFetcher returns an HTTPFetcher for cfg.
func NewHTTPFetcher(cfg HTTPConfig) (*HTTPFetcher, error) {
	max := cfg.MaxBytes
	if max <= 0 {
		max = DefaultMaxDocumentBytes
	}
	c, err := safehttp.New(safehttp.Config{
		Client:                       cfg.Client,
		Timeout:                      cfg.Timeout,
		MaxBytes:                     max,
		InsecureAllowPrivateNetworks: cfg.InsecureAllowPrivateNetworks,
	})
	if err != nil {
		return nil, &FieldError{Field: "HTTPConfig", Kind: ErrConfig, Err: err}
	}
	return &HTTPFetcher{client: c}, nil
}

// acceptStatus asks for a VC first, then plain JSON (1EdTech revocation
// lists are application/json).
const acceptStatus = "application/vc+ld+json, application/vc, application/ld+json;q=0.9, application/json;q=0.8"

// Fetch implements Fetcher.
func (h *HTTPFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	resp, err := h.client.Get(ctx, url, acceptStatus)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// CacheConfig configures NewCache. The zero value is usable.
type CacheConfig struct {
	// DefaultTTL is how long a document without a ttl is kept; zero means
	// 5 minutes.
	DefaultTTL time.Duration
	// MaxTTL caps the ttl a list asks for; zero means 24 hours.
	MaxTTL time.Duration
	// MaxEntries bounds the number of cached documents; zero means 1000.
	// When full, expired entries are dropped, or else the one closest to
	// expiring.
	MaxEntries int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Cache is a Fetcher that keeps documents from another Fetcher for the
// time the status list asks for (credentialSubject.ttl, in milliseconds,
// Bitstring Status List §2.2), or DefaultTTL, capped by MaxTTL. Concurrent
// fetches of one URL share one request to the source. Failures are not
// cached and expired documents are never served: when the source cannot
// be reached the fetch fails and the status is an error (fail closed). It is
// safe for concurrent use.
type Cache struct {
	src   Fetcher
	cfg   CacheConfig
	cache *ttlcache.Cache[[]byte]
}

// NewCache returns a Cache in front of src.
func NewCache(src Fetcher, cfg CacheConfig) *Cache {
	if cfg.DefaultTTL <= 0 {
		cfg.DefaultTTL = 5 * time.Minute
	}
	if cfg.MaxTTL <= 0 {
		cfg.MaxTTL = 24 * time.Hour
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 1000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Cache{src: src, cfg: cfg, cache: ttlcache.New[[]byte](cfg.DefaultTTL, -1, cfg.MaxEntries, cfg.Now)}
}

// Fetch implements Fetcher.
func (c *Cache) Fetch(ctx context.Context, url string) ([]byte, error) {
	return c.cache.Do(ctx, url, func(ctx context.Context) ([]byte, time.Duration, error) {
		data, err := c.src.Fetch(ctx, url)
		if err != nil {
			return nil, 0, err
		}
		ttl := min(c.ttlOf(data, c.cfg.Now()), c.cfg.MaxTTL)
		if ttl <= 0 {
			ttl = -1 // not kept
		}
		return data, ttl, nil
	})
}

// ttlOf reads credentialSubject.ttl; a document that is not a JSON object,
// or has no valid ttl, gets DefaultTTL. A ttl of 0 means "do not cache".
// A list is never kept past its own validUntil (or expirationDate), so
// that an expired copy does not hide the issuer's fresh one.
func (c *Cache) ttlOf(data []byte, now time.Time) time.Duration {
	v, err := strictjson.Decode(data, strictjson.Options{MaxBytes: len(data) + 1})
	if err != nil {
		return c.cfg.DefaultTTL
	}
	doc, _ := v.(map[string]any)
	ttl := c.cfg.DefaultTTL
	if subj, _ := doc["credentialSubject"].(map[string]any); subj != nil {
		if raw, present := subj["ttl"]; present {
			if ms, ok := integer(raw); ok && ms >= 0 {
				ttl = c.cfg.MaxTTL
				if ms < int64(c.cfg.MaxTTL/time.Millisecond) {
					ttl = time.Duration(ms) * time.Millisecond
				}
			}
		}
	}
	for _, name := range []string{"validUntil", "expirationDate"} {
		if t, ok := parseTime(doc[name]); ok {
			ttl = min(ttl, t.Sub(now))
		}
	}
	return ttl
}

// errNoFetcher is the cause reported when no Fetcher is configured.
var errNoFetcher = errors.New("no status fetcher configured (status checks are opt-in)")
