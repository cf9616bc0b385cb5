// Package ttlcache is the cache of the network look-ups that verifiers make
// for untrusted input (did's did:web and https documents, vcjwt's issuer key
// sets): entries keyed by the exact DID or URL, so that two spellings never
// share one; failures kept too, for a shorter time, so that a batch of
// credentials from a dead issuer does not hammer it; a bounded size.
package ttlcache

import (
	"sync"
	"time"
)

// Defaults for the zero arguments of New.
const (
	DefaultTTL         = 5 * time.Minute
	DefaultNegativeTTL = 30 * time.Second
	DefaultMaxEntries  = 1024
)

// Cache holds values and failures for a time. It is safe for concurrent use.
type Cache[V any] struct {
	mu          sync.Mutex
	entries     map[string]entry[V]
	ttl, negTTL time.Duration
	max         int
	now         func() time.Time
}

type entry[V any] struct {
	v       V
	err     error
	expires time.Time
}

// New returns a cache keeping values for ttl and failures for negTTL (zero
// means the default, negative not at all), at most max entries (zero or
// less means DefaultMaxEntries), by the clock now (nil means time.Now).
func New[V any](ttl, negTTL time.Duration, max int, now func() time.Time) *Cache[V] {
	c := &Cache[V]{entries: map[string]entry[V]{}, ttl: ttl, negTTL: negTTL, max: max, now: now}
	if c.ttl == 0 {
		c.ttl = DefaultTTL
	}
	if c.negTTL == 0 {
		c.negTTL = DefaultNegativeTTL
	}
	if c.max <= 0 {
		c.max = DefaultMaxEntries
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Get returns the value or the failure kept for key, and whether there is
// one that has not expired.
func (c *Cache[V]) Get(key string) (V, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !c.now().Before(e.expires) {
		delete(c.entries, key)
		return *new(V), nil, false
	}
	return e.v, e.err, true
}

// Put keeps v, or the failure err, for key. When the cache is full it drops
// the expired entries, then arbitrary ones, to make room.
func (c *Cache[V]) Put(key string, v V, err error) {
	ttl := c.ttl
	if err != nil {
		ttl = c.negTTL
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
		for k := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[key] = entry[V]{v: v, err: err, expires: now.Add(ttl)}
}
