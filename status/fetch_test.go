package status_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/status"
)

type countingFetcher struct {
	calls atomic.Int32
	mu    sync.Mutex
	body  []byte
	err   error
}

func (c *countingFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	c.calls.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body, c.err
}

func (c *countingFetcher) set(body []byte, err error) {
	c.mu.Lock()
	c.body, c.err = body, err
	c.mu.Unlock()
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func listWithTTL(ttl string) []byte {
	return []byte(fmt.Sprintf(`{"id":"https://x.example/l","credentialSubject":{"type":"BitstringStatusList"%s}}`, ttl))
}

func TestCacheHonoursTTL(t *testing.T) {
	ctx := context.Background()
	src := &countingFetcher{body: listWithTTL(`,"ttl":60000`)}
	clk := &clock{now: fixedNow}
	c := status.NewCache(src, status.CacheConfig{Now: clk.Now})
	for range 3 {
		if _, err := c.Fetch(ctx, "https://x.example/l"); err != nil {
			t.Fatal(err)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d fetches within the ttl, want 1", n)
	}
	clk.advance(59 * time.Second)
	c.Fetch(ctx, "https://x.example/l")
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("refetched before the ttl: %d", n)
	}
	clk.advance(2 * time.Second)
	c.Fetch(ctx, "https://x.example/l")
	if n := src.calls.Load(); n != 2 {
		t.Fatalf("not refetched after the ttl: %d", n)
	}
	// Once expired, a failing source is a failure: never the stale copy.
	clk.advance(2 * time.Minute)
	src.set(nil, errors.New("connection refused"))
	if _, err := c.Fetch(ctx, "https://x.example/l"); err == nil {
		t.Fatal("stale document served while the source fails")
	}
	// And failures are not cached.
	src.set(listWithTTL(""), nil)
	if _, err := c.Fetch(ctx, "https://x.example/l"); err != nil {
		t.Fatal(err)
	}
}

func TestCacheTTLVariants(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, ttl string
		after     time.Duration
		refetch   bool
	}{
		{"no ttl uses default", "", 4 * time.Minute, false},
		{"no ttl default expires", "", 6 * time.Minute, true},
		{"ttl 0 not cached", `,"ttl":0`, 0, true},
		{"ttl capped by MaxTTL", `,"ttl":999999999999`, 25 * time.Hour, true},
		{"negative ttl uses default", `,"ttl":-5`, 4 * time.Minute, false},
		{"string ttl uses default", `,"ttl":"60000"`, 6 * time.Minute, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := &countingFetcher{body: listWithTTL(tc.ttl)}
			clk := &clock{now: fixedNow}
			c := status.NewCache(src, status.CacheConfig{Now: clk.Now})
			c.Fetch(ctx, "u")
			clk.advance(tc.after)
			c.Fetch(ctx, "u")
			if got := src.calls.Load() == 2; got != tc.refetch {
				t.Fatalf("refetched = %v, want %v", got, tc.refetch)
			}
		})
	}
	// Never past the list's validUntil.
	src := &countingFetcher{body: []byte(`{"validUntil":"2026-11-29T12:01:00Z","credentialSubject":{"ttl":3600000}}`)}
	clk := &clock{now: fixedNow}
	c := status.NewCache(src, status.CacheConfig{Now: clk.Now})
	c.Fetch(ctx, "u")
	clk.advance(2 * time.Minute)
	c.Fetch(ctx, "u")
	if src.calls.Load() != 2 {
		t.Fatal("cached past validUntil")
	}
	// A non-JSON document is cached for the default time too.
	src = &countingFetcher{body: []byte("not json")}
	c = status.NewCache(src, status.CacheConfig{})
	c.Fetch(ctx, "u")
	c.Fetch(ctx, "u")
	if src.calls.Load() != 1 {
		t.Fatal("non-JSON document not cached")
	}
}

func TestCacheBounded(t *testing.T) {
	ctx := context.Background()
	src := &countingFetcher{body: listWithTTL("")}
	c := status.NewCache(src, status.CacheConfig{MaxEntries: 3})
	for i := range 10 {
		c.Fetch(ctx, fmt.Sprint("https://x.example/", i))
	}
	// The last three are cached; the first was evicted.
	src.calls.Store(0)
	c.Fetch(ctx, "https://x.example/9")
	c.Fetch(ctx, "https://x.example/0")
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d fetches, want 1 (only the evicted one)", n)
	}
}

func TestCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	src := &countingFetcher{body: listWithTTL(`,"ttl":1000`)}
	c := status.NewCache(src, status.CacheConfig{MaxEntries: 4})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if _, err := c.Fetch(ctx, fmt.Sprint("u", (i+w)%6)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestStaticFetcher(t *testing.T) {
	docs := map[string][]byte{"https://a.example/": []byte("{}")}
	f := status.NewStaticFetcher(docs)
	docs["https://b.example/"] = []byte("{}") // copied: later changes do not leak in
	if _, err := f.Fetch(context.Background(), "https://a.example/"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(context.Background(), "https://b.example/"); !errors.Is(err, status.ErrNotFound) {
		t.Fatalf("unknown URL: %v", err)
	}
}

func TestProblemType(t *testing.T) {
	for err, want := range map[error]string{
		nil:                    "",
		status.ErrRetrieval:    status.ProblemRetrieval,
		status.ErrVerification: status.ProblemVerification,
		status.ErrListLength:   status.ProblemListLength,
		status.ErrRange:        status.ProblemRange,
		status.ErrMalformed:    status.ProblemMalformed,
		status.ErrTooLarge:     status.ProblemMalformed,
		status.ErrRevoked:      "",
		status.ErrUnknown:      "",
	} {
		if got := status.ProblemType(err); got != want {
			t.Errorf("ProblemType(%v) = %q, want %q", err, got, want)
		}
	}
}

func TestChainFetcher(t *testing.T) {
	ctx := context.Background()
	local := status.NewStaticFetcher(map[string][]byte{"https://a.example/": []byte("local")})
	remote := &countingFetcher{body: []byte("remote")}
	c := status.ChainFetcher{nil, local, remote}
	if b, err := c.Fetch(ctx, "https://a.example/"); err != nil || string(b) != "local" || remote.calls.Load() != 0 {
		t.Fatalf("%s %v", b, err)
	}
	if b, err := c.Fetch(ctx, "https://b.example/"); err != nil || string(b) != "remote" {
		t.Fatalf("%s %v", b, err)
	}
	// A failure other than "not found" stops the chain (fail closed).
	failing := status.FetcherFunc(func(context.Context, string) ([]byte, error) { return nil, errors.New("refused") })
	if _, err := (status.ChainFetcher{failing, remote}).Fetch(ctx, "https://b.example/"); err == nil {
		t.Fatal("chain went past a failure")
	}
	if _, err := (status.ChainFetcher{local}).Fetch(ctx, "https://c.example/"); !errors.Is(err, status.ErrNotFound) {
		t.Fatalf("%v", err)
	}
	if _, err := (status.ChainFetcher{}).Fetch(ctx, "https://c.example/"); !errors.Is(err, status.ErrNotFound) {
		t.Fatalf("%v", err)
	}
}

// Concurrent callers for one URL share one fetch.
func TestCacheSharesInflightFetch(t *testing.T) {
	ctx := context.Background()
	release := make(chan struct{})
	var calls atomic.Int32
	src := status.FetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		calls.Add(1)
		<-release
		return listWithTTL(""), nil
	})
	c := status.NewCache(src, status.CacheConfig{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Fetch(ctx, "u"); err != nil {
				t.Error(err)
			}
		}()
	}
	// A waiter whose context ends gives up without the result.
	cctx, cancel := context.WithCancel(ctx)
	waiterDone := make(chan error)
	go func() {
		for calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		_, err := c.Fetch(cctx, "u")
		waiterDone <- err
	}()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-waiterDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d fetches for concurrent callers, want 1", n)
	}
}
