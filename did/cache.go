package did

import (
	"context"
	"sync"
	"time"
)

// Cache defaults for HTTPConfig fields left zero.
const (
	DefaultCacheTTL         = 5 * time.Minute
	DefaultNegativeCacheTTL = 30 * time.Second
	DefaultMaxCacheEntries  = 1024
)

// cache is a small TTL cache keyed by the exact DID or URL string (so that
// did:web:Example.com and did:web:example.com never share an entry). It keeps
// failures too (negative caching) for a shorter time, so that a verifier
// checking a batch of credentials from a dead issuer does not hammer it.
type cache struct {
	mu         sync.Mutex
	entries    map[string]cacheEntry
	ttl, negTT time.Duration
	max        int
	now        func() time.Time
}

type cacheEntry struct {
	doc     *Document
	err     error
	expires time.Time
}

// get returns a copy of the cached document, or the cached error.
func (c *cache) get(key string) (*Document, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, nil, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, key)
		return nil, nil, false
	}
	if e.err != nil {
		return nil, e.err, true
	}
	return e.doc.Clone(), nil, true
}

func (c *cache) put(key string, doc *Document, err error) {
	ttl := c.ttl
	if err != nil {
		ttl = c.negTT
	}
	if ttl < 0 {
		return // caching of this kind disabled
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		// Still full: drop arbitrary entries (map order) to make room.
		for k := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	if doc != nil {
		doc = doc.Clone()
	}
	c.entries[key] = cacheEntry{doc: doc, err: err, expires: now.Add(ttl)}
}

// cachedFetch puts a cache and request coalescing in front of a fetch
// function: concurrent resolutions of the same key share one fetch, so a
// batch of credentials from one issuer costs one request.
type cachedFetch struct {
	cache *cache
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
		if doc, err, ok := f.cache.get(key); ok {
			return doc, err
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
			f.cache.put(key, doc, err)
		}
		c.doc, c.err = doc.Clone(), err
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
		return doc, err
	}
}
