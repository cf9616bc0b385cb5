package vcjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/safehttp"
	"github.com/microcred/openbadges/internal/ttlcache"
)

// IssuerKeys supplies the public keys an issuer publishes. Verify uses it to
// prove that a key embedded in a token's jwk header is the issuer's.
// Implementations must be safe for concurrent use.
type IssuerKeys interface {
	// PublicKeys returns the issuer's signature keys. issuerID is the
	// token's iss (equal to the credential's issuer.id).
	PublicKeys(ctx context.Context, issuerID string) ([]crypto.PublicKey, error)
}

// MaxKeySetSize bounds a JSON Web Key Set document.
const MaxKeySetSize = 256 << 10

// maxKeysInSet bounds the number of keys read from one set.
const maxKeysInSet = 100

// ParseKeySet reads a JSON Web Key Set ({"keys": [...]}, RFC 7517 §5)
// strictly and returns its signature keys. Keys this package cannot use for
// signatures (encryption keys, other key types or curves) are skipped, since
// a published set may hold them; a key with private members, or a set that is
// not a strict JSON object with a "keys" array, is an error matching
// ErrKeySet.
func ParseKeySet(data []byte) ([]crypto.PublicKey, error) {
	if len(data) > MaxKeySetSize {
		return nil, newError(ErrKeySet, "jwks", "too large")
	}
	m, raw, _, err := decodeObject(data, "jwks", MaxKeySetSize)
	if err != nil {
		return nil, wrapError(ErrKeySet, "jwks", "not a strict JSON object", err)
	}
	list, ok := m["keys"].([]any)
	if !ok {
		return nil, newError(ErrKeySet, "jwks.keys", "missing or not an array")
	}
	if len(list) > maxKeysInSet {
		return nil, newError(ErrKeySet, "jwks.keys", fmt.Sprintf("more than %d keys", maxKeysInSet))
	}
	var rawKeys []json.RawMessage
	if err := json.Unmarshal(raw["keys"], &rawKeys); err != nil {
		return nil, wrapError(ErrKeySet, "jwks.keys", "not an array", err)
	}
	var keys []crypto.PublicKey
	for i, rk := range rawKeys {
		jm, ok := list[i].(map[string]any)
		if !ok {
			return nil, newError(ErrKeySet, fmt.Sprintf("jwks.keys[%d]", i), "not an object")
		}
		for _, p := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
			if _, ok := jm[p]; ok {
				return nil, newError(ErrKeySet, fmt.Sprintf("jwks.keys[%d]", i), fmt.Sprintf("has the private member %q", p))
			}
		}
		j, err := did.ParseJWK(rk)
		if err != nil {
			continue
		}
		k, err := j.PublicKey()
		if err != nil {
			continue
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// StaticKeySets holds issuers' key sets given by the caller (pinned, read
// from files). It never touches the network.
type StaticKeySets struct {
	sets map[string][]crypto.PublicKey
}

// NewStaticKeySets parses one JSON Web Key Set per issuer id.
func NewStaticKeySets(sets map[string][]byte) (*StaticKeySets, error) {
	s := &StaticKeySets{sets: make(map[string][]crypto.PublicKey, len(sets))}
	for id, data := range sets {
		keys, err := ParseKeySet(data)
		if err != nil {
			return nil, wrapError(ErrKeySet, "jwks", "key set of "+quote(id), err)
		}
		s.sets[id] = keys
	}
	return s, nil
}

// PublicKeys implements IssuerKeys.
func (s *StaticKeySets) PublicKeys(ctx context.Context, issuerID string) ([]crypto.PublicKey, error) {
	keys, ok := s.sets[issuerID]
	if !ok {
		return nil, newError(ErrKeySet, "jwks", "no key set for "+quote(issuerID))
	}
	return keys, nil
}

// KeySetURL returns where an issuer with an https id publishes its keys:
// https://{host}/.well-known/jwks.json.
func KeySetURL(issuerID string) (string, error) {
	u, err := url.Parse(issuerID)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", newError(ErrKeySet, "iss", quote(issuerID)+" is not an https URL")
	}
	return (&url.URL{Scheme: "https", Host: u.Host, Path: "/.well-known/jwks.json"}).String(), nil
}

// HTTPKeySets fetches issuers' key sets from
// https://{issuer host}/.well-known/jwks.json, with the limits of
// did.HTTPConfig (public addresses only, timeout, size limit, same-origin
// redirects) and a small cache (concurrent look-ups of one issuer share one
// request). It is used only when the caller sets it in
// VerifyOptions.IssuerKeys. It is safe for concurrent use.
type HTTPKeySets struct {
	client *safehttp.Client
	cache  *ttlcache.Cache[[]crypto.PublicKey]
}

// NewHTTPKeySets returns a network key set source. The zero config is safe.
func NewHTTPKeySets(cfg did.HTTPConfig) (*HTTPKeySets, error) {
	maxBytes := cfg.MaxBytes
	if maxBytes == 0 || maxBytes > MaxKeySetSize {
		maxBytes = MaxKeySetSize
	}
	c, err := safehttp.New(safehttp.Config{
		Client:                       cfg.Client,
		Timeout:                      cfg.Timeout,
		MaxBytes:                     maxBytes,
		InsecureAllowPrivateNetworks: cfg.InsecureAllowPrivateNetworks,
	})
	if err != nil {
		return nil, wrapError(ErrConfig, "HTTPConfig", "", err)
	}
	return &HTTPKeySets{client: c, cache: ttlcache.New[[]crypto.PublicKey](cfg.CacheTTL, cfg.NegativeCacheTTL, cfg.MaxCacheEntries, cfg.Now)}, nil
}

// PublicKeys implements IssuerKeys.
func (h *HTTPKeySets) PublicKeys(ctx context.Context, issuerID string) ([]crypto.PublicKey, error) {
	u, err := KeySetURL(issuerID)
	if err != nil {
		return nil, err
	}
	keys, err := h.cache.Do(ctx, u, func(ctx context.Context) ([]crypto.PublicKey, time.Duration, error) {
		keys, err := h.fetch(ctx, u)
		return keys, 0, err
	})
	if _, ours := err.(*Error); err != nil && !ours {
		err = wrapError(ErrKeySet, "jwks", "waiting for a concurrent fetch of "+u, err)
	}
	return keys, err
}

func (h *HTTPKeySets) fetch(ctx context.Context, u string) ([]crypto.PublicKey, error) {
	resp, err := h.client.Get(ctx, u, "application/jwk-set+json, application/json")
	if err != nil {
		return nil, wrapError(ErrKeySet, "jwks", "fetching "+u, err)
	}
	keys, err := ParseKeySet(resp.Body)
	if err != nil {
		return nil, wrapError(ErrKeySet, "jwks", u, err)
	}
	return keys, nil
}
