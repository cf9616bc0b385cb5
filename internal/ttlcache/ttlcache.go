// Package ttlcache is the cache of the network look-ups that verifiers make
// for untrusted input (did's did:web and https documents, vcjwt's issuer key
// sets, status's lists): entries keyed by the exact DID or URL, so that two
// spellings never share one; concurrent look-ups of one key sharing one
// fetch, so that a batch of credentials from one issuer costs one request;
// failures kept too, for a shorter time, so that a batch of credentials from
// a dead issuer does not hammer it; a bounded size.
package ttlcache

import (
	"context"
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
	calls       map[string]*call[V]
	ttl, negTTL time.Duration
	max         int
	now         func() time.Time
}

type entry[V any] struct {
	v       V
	err     error
	expires time.Time
}

// call is a fetch in progress, which the other callers for its key wait for.
type call[V any] struct {
	done     chan struct{}
	v        V
	err      error
	canceled bool // the fetch failed because its caller's ctx ended
	waiters  int
}

// New returns a cache keeping values for ttl and failures for negTTL (zero
// means the default, negative not at all), at most max entries (zero or
// less means DefaultMaxEntries), by the clock now (nil means time.Now).
func New[V any](ttl, negTTL time.Duration, max int, now func() time.Time) *Cache[V] {
	c := &Cache[V]{entries: map[string]entry[V]{}, calls: map[string]*call[V]{}, ttl: ttl, negTTL: negTTL, max: max, now: now}
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

// Do returns the value or the failure kept for key, or else calls fetch,
// once for all the callers asking for key meanwhile, and keeps what it
// returns: a value for the ttl fetch gives (zero means the cache's ttl,
// negative not at all), a failure for the cache's failure ttl. A failure
// that came from the fetching caller's ctx ending says nothing about the
// resource: it is not kept, and the callers waiting for it fetch on their
// own. A waiter whose own ctx ends first gets ctx.Err().
//
// Every caller gets the same V: values must not be modified.
func (c *Cache[V]) Do(ctx context.Context, key string, fetch func(context.Context) (V, time.Duration, error)) (V, error) {
	for {
		c.mu.Lock()
		if e, ok := c.entries[key]; ok {
			if c.now().Before(e.expires) {
				c.mu.Unlock()
				return e.v, e.err
			}
			delete(c.entries, key)
		}
		if w, ok := c.calls[key]; ok {
			w.waiters++
			c.mu.Unlock()
			select {
			case <-w.done:
			case <-ctx.Done():
				return *new(V), ctx.Err()
			}
			if w.canceled {
				continue
			}
			return w.v, w.err
		}
		w := &call[V]{done: make(chan struct{})}
		c.calls[key] = w
		c.mu.Unlock()

		v, ttl, err := fetch(ctx)
		w.v, w.err, w.canceled = v, err, err != nil && ctx.Err() != nil
		c.mu.Lock()
		delete(c.calls, key)
		if !w.canceled {
			c.put(key, v, ttl, err)
		}
		c.mu.Unlock()
		close(w.done)
		return v, err
	}
}

// Waiters returns how many callers wait for the fetch of key in progress,
// or -1 when there is none: a synchronisation point for tests.
func (c *Cache[V]) Waiters(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.calls[key]; ok {
		return w.waiters
	}
	return -1
}

// put keeps v, or the failure err, for key; c.mu is held. When the cache is
// full it drops the expired entries, or else the one closest to expiring.
func (c *Cache[V]) put(key string, v V, ttl time.Duration, err error) {
	switch {
	case err != nil:
		ttl = c.negTTL
	case ttl == 0:
		ttl = c.ttl
	}
	if ttl < 0 {
		return // not kept
	}
	now := c.now()
	if len(c.entries) >= c.max {
		next := ""
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			} else if next == "" || e.expires.Before(c.entries[next].expires) {
				next = k
			}
		}
		if len(c.entries) >= c.max {
			delete(c.entries, next)
		}
	}
	c.entries[key] = entry[V]{v: v, err: err, expires: now.Add(ttl)}
}
