package did

import (
	"context"
	"sync"

	"github.com/microcred/openbadges/internal/ttlcache"
)

// Cache defaults for HTTPConfig fields left zero.
const (
	DefaultCacheTTL         = ttlcache.DefaultTTL
	DefaultNegativeCacheTTL = ttlcache.DefaultNegativeTTL
	DefaultMaxCacheEntries  = ttlcache.DefaultMaxEntries
)

// cachedFetch puts a cache and request coalescing in front of a fetch
// function: concurrent resolutions of the same key share one fetch, so a
// batch of credentials from one issuer costs one request.
type cachedFetch struct {
	cache *ttlcache.Cache[*Document] // private copies
	mu    sync.Mutex
	calls map[string]*inflight
}

type inflight struct {
	done     chan struct{}
	doc      *Document // a private copy; each waiter gets its own clone
	err      error
	canceled bool // the leader's own context ended: waiters must retry
	waiters  int  // for tests
}

func (f *cachedFetch) do(ctx context.Context, key string, fetch func(context.Context) (*Document, error)) (*Document, error) {
	for {
		if doc, err, ok := f.cache.Get(key); ok {
			return doc.Clone(), err
		}
		f.mu.Lock()
		if c, ok := f.calls[key]; ok {
			c.waiters++
			f.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return nil, wrapError(ErrFetch, key, "waiting for a concurrent fetch", ctx.Err())
			}
			if c.canceled {
				continue // the leader gave up for its own reasons; try again
			}
			return c.doc.Clone(), c.err
		}
		c := &inflight{done: make(chan struct{})}
		f.calls[key] = c
		f.mu.Unlock()

		doc, err := fetch(ctx)
		c.canceled = err != nil && ctx.Err() != nil
		if !c.canceled {
			// The caller's cancellation says nothing about the resource, so
			// only other outcomes are cached (failures for a shorter time).
			f.cache.Put(key, doc.Clone(), err)
		}
		c.doc, c.err = doc.Clone(), err
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
		return doc, err
	}
}
