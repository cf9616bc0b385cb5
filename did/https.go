package did

import (
	"context"
	"net/url"
	"strings"

	"github.com/microcred/openbadges/internal/safehttp"
)

// HTTPSResolver dereferences verification method URLs that are plain https
// URLs, as Open Badges 3.0 allows ("https://example.edu/keys/1"). The
// resource must be either a controller document whose id is the URL (without
// fragment), or a bare public JWK, which is presented as a one-method
// document: {id: URL, verificationMethod: [{id: URL, type: JsonWebKey,
// controller: URL, publicKeyJwk}]}, listed under assertionMethod and
// authentication. It has the same network limits as WebResolver and is only
// used when the caller adds it (Methods{"https": r}).
type HTTPSResolver struct {
	client *safehttp.Client
	cache  cachedFetch
}

// NewHTTPSResolver returns a resolver for https verification method URLs.
func NewHTTPSResolver(cfg HTTPConfig) (*HTTPSResolver, error) {
	c, err := cfg.client()
	if err != nil {
		return nil, wrapError(ErrFetch, "", "configuration", err)
	}
	return &HTTPSResolver{client: c, cache: cfg.fetcher()}, nil
}

// Resolve implements Resolver for https URLs without fragment.
func (r *HTTPSResolver) Resolve(ctx context.Context, rawURL string) (*Document, error) {
	if err := checkHTTPSURL(rawURL); err != nil {
		return nil, err
	}
	return r.cache.do(ctx, rawURL, func(ctx context.Context) (*Document, error) { return r.fetch(ctx, rawURL) })
}

func checkHTTPSURL(s string) error {
	if len(s) > maxDIDLength {
		return newError(ErrInvalidDID, s, "URL too long")
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" ||
		strings.Contains(s, "#") || u.Opaque != "" {
		return newError(ErrInvalidDID, s, "not an https URL without credentials or fragment")
	}
	return nil
}

func (r *HTTPSResolver) fetch(ctx context.Context, u string) (*Document, error) {
	resp, err := r.client.Get(ctx, u, "application/jwk+json, application/json, application/ld+json")
	if err != nil {
		return nil, fetchError(ctx, u, u, err)
	}
	m, err := decodeObject(resp.Body)
	if err != nil {
		return nil, wrapError(ErrInvalidDocument, u, "malformed JSON", err)
	}
	if _, isJWK := m["kty"]; isJWK {
		return keyURLDocument(u, m)
	}
	doc, err := ParseDocument(resp.Body)
	if err != nil {
		return nil, withDID(err, u)
	}
	if doc.ID != u {
		return nil, newError(ErrInvalidDocument, u, "document id "+strconvQuote(doc.ID)+" does not match the URL")
	}
	return doc, nil
}
