package did

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/safehttp"
	"github.com/microcred/openbadges/internal/ttlcache"
)

// HTTPConfig configures the network resolvers (WebResolver, HTTPSResolver).
// The zero value is safe: public HTTPS only, 10 s timeout, 256 KiB limit,
// same-origin redirects only (at most 3), a 5-minute cache and 30-second
// negative cache.
type HTTPConfig struct {
	// Client optionally supplies the transport (custom root CAs, a dialer).
	// Its Transport must be nil or an *http.Transport; it is cloned, and the
	// private-address check is added to its dialers. A transport with a Proxy
	// is refused unless InsecureAllowPrivateNetworks is set, because the
	// check cannot see through a proxy.
	Client *http.Client
	// Timeout bounds one fetch. Zero means 10 seconds.
	Timeout time.Duration
	// MaxBytes bounds a fetched document. Zero means 256 KiB.
	MaxBytes int64
	// CacheTTL is how long a resolved document is reused; zero means
	// DefaultCacheTTL, negative disables caching.
	CacheTTL time.Duration
	// NegativeCacheTTL is how long a failure is remembered; zero means
	// DefaultNegativeCacheTTL, negative disables it. Failures caused by the
	// caller's context are never cached.
	NegativeCacheTTL time.Duration
	// MaxCacheEntries bounds the cache. Zero means DefaultMaxCacheEntries.
	MaxCacheEntries int
	// Now is the clock of the cache. Nil means time.Now.
	Now func() time.Time
	// InsecureAllowPrivateNetworks allows connections to loopback, private,
	// link-local and other non-public addresses. Only for tests and closed
	// networks: with it, a credential can make the verifier probe the
	// network it runs in.
	InsecureAllowPrivateNetworks bool
}

func (c HTTPConfig) client() (*safehttp.Client, error) {
	return safehttp.New(safehttp.Config{
		Client:                       c.Client,
		Timeout:                      c.Timeout,
		MaxBytes:                     c.MaxBytes,
		InsecureAllowPrivateNetworks: c.InsecureAllowPrivateNetworks,
	})
}

// fetcher returns the cache, with c's defaults, and request coalescing of
// one resolver.
func (c HTTPConfig) fetcher() cachedFetch {
	return cachedFetch{ttlcache.New[*Document](c.CacheTTL, c.NegativeCacheTTL, c.MaxCacheEntries, c.Now)}
}

// WebResolver resolves did:web DIDs over HTTPS. It is safe for concurrent use.
type WebResolver struct {
	client *safehttp.Client
	cache  cachedFetch
}

// NewWebResolver returns a did:web resolver. Network resolution happens only
// through resolvers the caller creates; DefaultResolver has none.
func NewWebResolver(cfg HTTPConfig) (*WebResolver, error) {
	c, err := cfg.client()
	if err != nil {
		return nil, wrapError(ErrFetch, "", "configuration", err)
	}
	return &WebResolver{client: c, cache: cfg.fetcher()}, nil
}

// WebURL returns the https URL of the DID document of a did:web DID:
// did:web:host[%3Aport][:path…] → https://host[:port]/path…/did.json, or
// https://host[:port]/.well-known/did.json without a path. It accepts only a
// DNS host name (never an IP address), "%3A" before a port and no other
// percent-escape, and path segments of letters, digits, '.', '-', '_' that
// are not "." or "..".
func WebURL(did string) (string, error) {
	method, msid, err := parseDID(did)
	if err != nil {
		return "", err
	}
	if method != "web" {
		return "", newError(ErrUnsupportedMethod, did, "not a did:web DID")
	}
	segs := strings.Split(msid, ":")
	host := segs[0]
	port := ""
	if h, p, ok := strings.Cut(host, "%3A"); ok {
		host, port = h, p
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' || strconv.Itoa(n) != port {
			return "", newError(ErrInvalidDID, did, "invalid port")
		}
	}
	if err := checkHostname(host); err != nil {
		return "", newError(ErrInvalidDID, did, err.Error())
	}
	for _, s := range segs[1:] {
		if s == "" || s == "." || s == ".." || strings.Contains(s, "%") {
			return "", newError(ErrInvalidDID, did, "invalid path segment")
		}
	}
	u := url.URL{Scheme: "https", Host: host}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	if len(segs) == 1 {
		u.Path = "/.well-known/did.json"
	} else {
		u.Path = "/" + strings.Join(segs[1:], "/") + "/did.json"
	}
	return u.String(), nil
}

// hostError explains why a did:web host name was refused.
type hostError string

func (e hostError) Error() string { return string(e) }

// checkHostname accepts DNS names only: no IP literals in any notation
// (dotted, decimal, hex, octal) — the did:web specification forbids IP
// addresses, and odd IPv4 forms are a classic way past address filters.
func checkHostname(h string) error {
	if h == "" || len(h) > 253 {
		return hostError("invalid host")
	}
	if strings.Contains(h, "%") {
		return hostError("percent-escapes other than %3A are not allowed")
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return hostError("IP addresses are not allowed in did:web")
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return hostError("invalid host name")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return hostError("invalid host name")
			}
		}
	}
	// A top-level label that is all digits or hex (0x…) would make the name
	// parse as an IPv4 address in some resolvers.
	last := strings.ToLower(labels[len(labels)-1])
	if strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x") {
		return hostError("IP addresses are not allowed in did:web")
	}
	return nil
}

// Resolve implements Resolver for did:web. The fetched document must parse
// strictly and its id must equal the DID.
func (r *WebResolver) Resolve(ctx context.Context, did string) (*Document, error) {
	u, err := WebURL(did)
	if err != nil {
		return nil, err
	}
	return r.cache.do(ctx, did, func(ctx context.Context) (*Document, error) { return r.fetch(ctx, did, u) })
}

func (r *WebResolver) fetch(ctx context.Context, did, u string) (*Document, error) {
	resp, err := r.client.Get(ctx, u, "application/did+json, application/did+ld+json, application/json")
	if err != nil {
		return nil, fetchError(ctx, did, u, err)
	}
	doc, err := ParseDocument(resp.Body)
	if err != nil {
		return nil, withDID(err, did)
	}
	if doc.ID != did {
		return nil, newError(ErrInvalidDocument, did, "document id "+strconvQuote(doc.ID)+" does not match the DID")
	}
	return doc, nil
}

func strconvQuote(s string) string { return strconv.Quote(truncate(s, 120)) }

// fetchError maps a safehttp error to this package's kinds.
func fetchError(ctx context.Context, id, u string, err error) error {
	if ctx.Err() != nil {
		return wrapError(ErrFetch, id, "GET "+u, ctx.Err())
	}
	var se *safehttp.StatusError
	switch {
	case errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone):
		return wrapError(ErrNotFound, id, "GET "+u, err)
	case errors.Is(err, safehttp.ErrForbiddenAddress):
		return wrapError(ErrForbiddenAddress, id, "GET "+u, err)
	}
	return wrapError(ErrFetch, id, "GET "+u, err)
}
