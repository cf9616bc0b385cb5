package ttlcache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// value returns a fetch that answers v (or err) with the cache's ttl and
// counts its calls.
func value(v string, err error, calls *atomic.Int32) func(context.Context) (string, time.Duration, error) {
	return func(context.Context) (string, time.Duration, error) {
		calls.Add(1)
		return v, 0, err
	}
}

func TestBound(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string](time.Hour, time.Minute, 4, func() time.Time { return now })
	var calls atomic.Int32
	for i := range 10 {
		now = now.Add(time.Second)
		_, _ = c.Do(context.Background(), fmt.Sprint(i), value("v", nil, &calls))
	}
	assert.Len(t, c.entries, 4)
	// The one closest to expiring went first: the last four are kept.
	calls.Store(0)
	for _, k := range []string{"6", "7", "8", "9"} {
		_, _ = c.Do(context.Background(), k, value("v", nil, &calls))
	}
	assert.Zero(t, calls.Load())
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string](time.Minute, time.Second, 0, func() time.Time { return now })
	ctx := context.Background()
	fail := errors.New("gone")
	var calls atomic.Int32
	get := func(key string) (string, error) {
		v := "v"
		var err error
		if key == "bad" {
			v, err = "", fail
		}
		return c.Do(ctx, key, value(v, err, &calls))
	}
	v, err := get("ok")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	_, err = get("bad")
	assert.ErrorIs(t, err, fail)
	_, _ = get("ok")
	_, err = get("bad")
	assert.ErrorIs(t, err, fail)
	assert.EqualValues(t, 2, calls.Load(), "value and failure kept")

	now = now.Add(2 * time.Second) // failures expire first
	_, _ = get("bad")
	_, _ = get("ok")
	assert.EqualValues(t, 3, calls.Load())

	now = now.Add(time.Minute)
	_, _ = get("ok")
	assert.EqualValues(t, 4, calls.Load())
}

func TestOwnTTL(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string](time.Hour, -1, 0, func() time.Time { return now })
	var calls atomic.Int32
	fetch := func(ttl time.Duration) func(context.Context) (string, time.Duration, error) {
		return func(context.Context) (string, time.Duration, error) { calls.Add(1); return "v", ttl, nil }
	}
	ctx := context.Background()
	_, _ = c.Do(ctx, "short", fetch(time.Second))
	_, _ = c.Do(ctx, "never", fetch(-1))
	_, _ = c.Do(ctx, "short", fetch(time.Second))
	_, _ = c.Do(ctx, "never", fetch(-1))
	assert.EqualValues(t, 3, calls.Load(), "a negative ttl keeps nothing")
	now = now.Add(time.Second)
	_, _ = c.Do(ctx, "short", fetch(time.Second))
	assert.EqualValues(t, 4, calls.Load(), "the fetch's ttl, not the cache's")
}

func TestDisabled(t *testing.T) {
	c := New[string](-1, -1, 0, nil)
	var calls atomic.Int32
	_, _ = c.Do(context.Background(), "ok", value("v", nil, &calls))
	_, _ = c.Do(context.Background(), "bad", value("", errors.New("gone"), &calls))
	assert.Empty(t, c.entries)
}

// TestCoalesced holds one fetch until every other caller waits for it.
func TestCoalesced(t *testing.T) {
	c := New[string](0, 0, 0, nil)
	gate := make(chan struct{})
	var calls atomic.Int32
	fetch := func(context.Context) (string, time.Duration, error) {
		calls.Add(1)
		<-gate
		return "v", 0, nil
	}
	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Do(context.Background(), "k", fetch)
			assert.NoError(t, err)
			assert.Equal(t, "v", v)
		}()
	}
	waitFor(t, func() bool { return c.Waiters("k") == n-1 })
	close(gate)
	wg.Wait()
	assert.EqualValues(t, 1, calls.Load())
	assert.Equal(t, -1, c.Waiters("k"))
}

// TestCanceled: a fetch that failed for its caller's ctx is not kept, and
// the caller waiting for it fetches on its own; a waiter's own ctx ends its
// wait.
func TestCanceled(t *testing.T) {
	c := New[string](0, time.Hour, 0, nil)
	leaderCtx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	var calls atomic.Int32
	fetch := func(ctx context.Context) (string, time.Duration, error) {
		if calls.Add(1) == 1 {
			close(started)
			<-ctx.Done()
			return "", 0, ctx.Err()
		}
		return "v", 0, nil
	}
	leader := make(chan error)
	go func() { _, err := c.Do(leaderCtx, "k", fetch); leader <- err }()
	<-started
	waiter := make(chan error)
	go func() {
		v, err := c.Do(context.Background(), "k", fetch)
		assert.Equal(t, "v", v)
		waiter <- err
	}()
	waitFor(t, func() bool { return c.Waiters("k") == 1 })
	cancel()
	assert.ErrorIs(t, <-leader, context.Canceled)
	assert.NoError(t, <-waiter)
	assert.EqualValues(t, 2, calls.Load())

	// A waiter whose own ctx ends stops waiting.
	gate := make(chan struct{})
	go func() {
		_, _ = c.Do(context.Background(), "slow", func(context.Context) (string, time.Duration, error) { <-gate; return "v", 0, nil })
	}()
	waitFor(t, func() bool { return c.Waiters("slow") == 0 })
	ctx, stop := context.WithCancel(context.Background())
	stop()
	_, err := c.Do(ctx, "slow", fetch)
	assert.ErrorIs(t, err, context.Canceled)
	close(gate)
}

// waitFor polls cond (a synchronisation point, not a timing assertion).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
	}
}
