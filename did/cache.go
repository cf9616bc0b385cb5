package did

import (
	"context"
	"time"

	"github.com/microcred/openbadges/internal/ttlcache"
)

// Cache defaults for HTTPConfig fields left zero.
const (
	DefaultCacheTTL         = ttlcache.DefaultTTL
	DefaultNegativeCacheTTL = ttlcache.DefaultNegativeTTL
	DefaultMaxCacheEntries  = ttlcache.DefaultMaxEntries
)

// cachedFetch puts the cache, with request coalescing, in front of a fetch
// of one resolver: concurrent resolutions of the same key share one fetch,
// so a batch of credentials from one issuer costs one request.
type cachedFetch struct {
	cache *ttlcache.Cache[*Document] // never handed out: callers get clones
}

func (f cachedFetch) do(ctx context.Context, key string, fetch func(context.Context) (*Document, error)) (*Document, error) {
	doc, err := f.cache.Do(ctx, key, func(ctx context.Context) (*Document, time.Duration, error) {
		doc, err := fetch(ctx)
		return doc, 0, err
	})
	if _, ours := err.(*Error); err != nil && !ours {
		return nil, wrapError(ErrFetch, key, "waiting for a concurrent fetch", err)
	}
	return doc.Clone(), err
}
