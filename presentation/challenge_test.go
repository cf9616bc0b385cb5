package presentation_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newChallenges(t testing.TB, c *clock, store presentation.ChallengeStore) *presentation.Challenges {
	t.Helper()
	ch, err := presentation.NewChallenges(presentation.ChallengeConfig{
		Store: store,
		Rand:  &counterReader{},
		Now:   c.now,
		TTL:   time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// counterReader is a deterministic, never-repeating "random" source.
type counterReader struct{ n atomic.Uint64 }

func (r *counterReader) Read(p []byte) (int, error) {
	v := r.n.Add(1)
	for i := range p {
		p[i] = byte(v >> (8 * (i % 8)))
	}
	return len(p), nil
}

func TestChallenges(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: testNow}
	ch := newChallenges(t, c, nil)
	a, err := ch.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 22 || strings.ContainsAny(a, "+/=") {
		t.Errorf("challenge %q: want 22 base64url characters", a)
	}
	b, _ := ch.New(ctx)
	if a == b {
		t.Fatal("two equal challenges")
	}
	if err := ch.Consume(ctx, a); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := ch.Consume(ctx, a); !errors.Is(err, presentation.ErrChallengeUsed) {
		t.Errorf("second use: %v", err)
	}
	if err := ch.Consume(ctx, "never-issued"); !errors.Is(err, presentation.ErrChallengeUnknown) {
		t.Errorf("unknown: %v", err)
	}
	if err := ch.Consume(ctx, ""); !errors.Is(err, presentation.ErrChallengeUnknown) {
		t.Errorf("empty: %v", err)
	}
	if err := ch.Consume(ctx, strings.Repeat("a", 1000)); !errors.Is(err, presentation.ErrChallengeUnknown) {
		t.Errorf("long: %v", err)
	}
	c.advance(time.Minute + time.Second)
	if err := ch.Consume(ctx, b); !errors.Is(err, presentation.ErrChallengeUnknown) {
		t.Errorf("expired: %v", err)
	}
}

func TestChallengeConfig(t *testing.T) {
	for _, cfg := range []presentation.ChallengeConfig{{TTL: -1}, {Bytes: 8}, {Bytes: 65}} {
		if _, err := presentation.NewChallenges(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	ch, err := presentation.NewChallenges(presentation.ChallengeConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ch.New(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A failing random source is an error, not a weak challenge.
	ch, _ = presentation.NewChallenges(presentation.ChallengeConfig{Rand: bytes.NewReader(make([]byte, 10))})
	if _, err := ch.New(context.Background()); err == nil {
		t.Error("short randomness accepted")
	}
	// A repeating random source cannot revive a used challenge.
	ch, _ = presentation.NewChallenges(presentation.ChallengeConfig{Rand: zeroReader{}})
	if _, err := ch.New(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := ch.New(context.Background()); err == nil {
		t.Error("a repeated challenge was issued")
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestMemoryStoreBounded(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: testNow}
	store := presentation.NewMemoryStore(3)
	ch := newChallenges(t, c, store)
	var issued []string
	for range 5 {
		s, err := ch.New(ctx)
		if err != nil {
			t.Fatal(err)
		}
		issued = append(issued, s)
	}
	if store.Len() != 3 {
		t.Errorf("Len = %d, want 3", store.Len())
	}
	// The two oldest were evicted, the newest work.
	for i, s := range issued {
		err := ch.Consume(ctx, s)
		if want := i >= 2; (err == nil) != want {
			t.Errorf("challenge %d: %v", i, err)
		}
	}
}

func TestMemoryStoreConcurrentConsume(t *testing.T) {
	ctx := context.Background()
	ch := newChallenges(t, &clock{t: testNow}, nil)
	s, _ := ch.New(ctx)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ch.Consume(ctx, s) == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Errorf("%d concurrent consumers succeeded, want 1", ok.Load())
	}
}

// TestReplay: with a challenge store, a presentation verifies once; the same
// bytes again are a replay.
func TestReplay(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: testNow}
	ch := newChallenges(t, c, nil)
	v := newVerifier(t, func(cfg *presentation.VerifierConfig) { cfg.Challenges = ch })
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	h := newHolder(t, holderSeed, nil)

	challenge, err := ch.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vp := present(t, h, presentation.Options{Challenge: challenge, Domain: testDomain}, di)
	for _, opts := range []presentation.VerifyOptions{
		{Challenge: challenge, Domain: testDomain}, // the caller knows the challenge
		{Domain: testDomain},                       // the store is the expectation
	} {
		// Each mode gets a fresh challenge and presentation.
		if opts.Challenge == "" {
			challenge, _ = ch.New(ctx)
			vp = present(t, h, presentation.Options{Challenge: challenge, Domain: testDomain}, di)
		}
		if r := verify(t, v, vp, opts); !r.Verified {
			t.Fatalf("first: %s", r.Summary())
		}
		r := verify(t, v, vp, opts)
		if r.Verified || !errors.Is(r.Err(), presentation.ErrChallengeUsed) || r.ProblemDetails[0].Type != presentation.ProblemInvalidChallenge {
			t.Fatalf("replay: %s", r.Summary())
		}
	}

	// A challenge the store never issued.
	vp = present(t, h, bindOpts, di)
	if r := verify(t, v, vp, presentation.VerifyOptions{Domain: testDomain}); r.Verified || !errors.Is(r.Err(), presentation.ErrChallengeUnknown) {
		t.Errorf("unknown challenge: %s", r.Summary())
	}
	// A presentation without a challenge.
	vp = present(t, h, presentation.Options{InsecureNoChallenge: true}, di)
	if r := verify(t, v, vp, presentation.VerifyOptions{}); r.Verified || !errors.Is(r.Err(), presentation.ErrChallengeUnknown) {
		t.Errorf("no challenge: %s", r.Summary())
	}
	// An expired one.
	challenge, _ = ch.New(ctx)
	vp = present(t, h, presentation.Options{Challenge: challenge}, di)
	c.advance(2 * time.Minute)
	if r := verify(t, v, vp, presentation.VerifyOptions{}); r.Verified || !errors.Is(r.Err(), presentation.ErrChallengeUnknown) {
		t.Errorf("expired: %s", r.Summary())
	}
	// A presentation whose proof fails does not burn the challenge.
	challenge, _ = ch.New(ctx)
	vp = present(t, h, presentation.Options{Challenge: challenge, Domain: "https://other.example"}, di)
	if r := verify(t, v, vp, presentation.VerifyOptions{Domain: testDomain}); r.Verified {
		t.Fatal("wrong domain verified")
	}
	vp = present(t, h, presentation.Options{Challenge: challenge, Domain: testDomain}, di)
	if r := verify(t, v, vp, presentation.VerifyOptions{Domain: testDomain}); !r.Verified {
		t.Errorf("after a failed attempt: %s", r.Summary())
	}
}
