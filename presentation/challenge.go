package presentation

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// ChallengeStore remembers the challenges a verifier has issued, so that each
// is accepted once, within its lifetime. A multi-node verifier backs it with
// shared storage (a database row with a unique key, a Redis SET NX with
// expiry); MemoryStore serves a single process.
type ChallengeStore interface {
	// Add records challenge as issued and valid until expires.
	Add(ctx context.Context, challenge string, expires time.Time) error
	// Consume marks challenge as used, atomically: of concurrent calls with
	// one challenge, at most one succeeds. It fails with an error wrapping
	// ErrChallengeUnknown if the challenge was never added or has expired
	// at now, and ErrChallengeUsed if it was consumed before (a store may
	// report either for a used challenge it no longer remembers).
	Consume(ctx context.Context, challenge string, now time.Time) error
}

// Defaults of ChallengeConfig and MemoryStore.
const (
	DefaultChallengeTTL        = 5 * time.Minute
	DefaultChallengeBytes      = 16
	DefaultMaxStoredChallenges = 100_000
	// MaxChallengeLength bounds the challenges Consume looks up.
	MaxChallengeLength = 256
)

// ChallengeConfig configures Challenges. The zero value is usable: an
// in-memory store, crypto/rand, time.Now and DefaultChallengeTTL.
type ChallengeConfig struct {
	// Store remembers issued challenges; nil means a new MemoryStore with
	// DefaultMaxStoredChallenges.
	Store ChallengeStore
	// Rand is the source of randomness; nil means crypto/rand.Reader.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TTL is how long a challenge may be used after it is issued; 0 means
	// DefaultChallengeTTL.
	TTL time.Duration
	// Bytes is the number of random bytes in a challenge (at least 16);
	// 0 means DefaultChallengeBytes.
	Bytes int
}

// Challenges issues random single-use challenges and checks them when a
// presentation comes back (through VerifierConfig.Challenges). It is safe for
// concurrent use.
type Challenges struct {
	store ChallengeStore
	rand  io.Reader
	now   func() time.Time
	ttl   time.Duration
	n     int
	mu    sync.Mutex // serializes reads from rand, which need not be safe for concurrent use
}

// NewChallenges checks cfg and returns a Challenges.
func NewChallenges(cfg ChallengeConfig) (*Challenges, error) {
	c := &Challenges{store: cfg.Store, rand: cfg.Rand, now: cfg.Now, ttl: cfg.TTL, n: cfg.Bytes}
	if c.store == nil {
		c.store = NewMemoryStore(0)
	}
	if c.rand == nil {
		c.rand = rand.Reader
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case c.ttl < 0:
		return nil, errors.New("presentation: ChallengeConfig.TTL is negative")
	case c.ttl == 0:
		c.ttl = DefaultChallengeTTL
	}
	switch {
	case c.n == 0:
		c.n = DefaultChallengeBytes
	case c.n < 16 || c.n > 64:
		return nil, errors.New("presentation: ChallengeConfig.Bytes must be between 16 and 64")
	}
	return c, nil
}

// New returns a fresh challenge (base64url, no padding) and records it in the
// store, valid for the configured TTL.
func (c *Challenges) New(ctx context.Context) (string, error) {
	b := make([]byte, c.n)
	c.mu.Lock()
	_, err := io.ReadFull(c.rand, b)
	c.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("presentation: reading randomness: %w", err)
	}
	ch := base64.RawURLEncoding.EncodeToString(b)
	if err := c.store.Add(ctx, ch, c.now().Add(c.ttl)); err != nil {
		return "", err
	}
	return ch, nil
}

// Consume accepts challenge once: it fails with ErrChallengeUnknown if c
// never issued it or it has expired, and ErrChallengeUsed if it was already
// consumed.
func (c *Challenges) Consume(ctx context.Context, challenge string) error {
	if challenge == "" || len(challenge) > MaxChallengeLength {
		return fmt.Errorf("%w: empty or longer than %d bytes", ErrChallengeUnknown, MaxChallengeLength)
	}
	return c.store.Consume(ctx, challenge, c.now())
}

// MemoryStore is an in-process ChallengeStore with a bounded number of
// entries. Used challenges are remembered until they expire, so that a replay
// is reported as such. When full, the oldest entries are dropped (expired ones
// first, when every challenge has the same lifetime): under a flood of
// challenge requests the oldest outstanding challenges stop working, rather
// than memory growing without bound.
type MemoryStore struct {
	mu      sync.Mutex
	max     int
	entries map[string]*memEntry
	order   []string // insertion order, for eviction; may hold stale names
}

type memEntry struct {
	expires time.Time
	used    bool
}

// NewMemoryStore returns an empty store holding at most max challenges; 0
// means DefaultMaxStoredChallenges.
func NewMemoryStore(max int) *MemoryStore {
	if max <= 0 {
		max = DefaultMaxStoredChallenges
	}
	return &MemoryStore{max: max, entries: make(map[string]*memEntry)}
}

// Add records challenge until expires. Adding a challenge that is already
// stored fails, so that a bad random source cannot revive a used one.
func (s *MemoryStore) Add(_ context.Context, challenge string, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.entries[challenge]; dup {
		return errors.New("presentation: challenge already issued")
	}
	if len(s.entries) >= s.max {
		s.evict()
	}
	s.entries[challenge] = &memEntry{expires: expires}
	s.order = append(s.order, challenge)
	return nil
}

// evict drops the oldest entries (in insertion order, which is expiry order
// when every challenge gets the same lifetime) until there is room for one.
func (s *MemoryStore) evict() {
	for len(s.entries) >= s.max && len(s.order) > 0 {
		delete(s.entries, s.order[0])
		s.order = s.order[1:]
	}
	if cap(s.order) > 2*s.max {
		s.order = append([]string(nil), s.order...)
	}
}

// Consume implements ChallengeStore.
func (s *MemoryStore) Consume(_ context.Context, challenge string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[challenge]
	switch {
	case !ok:
		return ErrChallengeUnknown
	case now.After(e.expires):
		// Kept until evicted, so that entries and order stay in step.
		return fmt.Errorf("%w: expired at %s", ErrChallengeUnknown, e.expires.UTC().Format(time.RFC3339))
	case e.used:
		return ErrChallengeUsed
	}
	e.used = true
	return nil
}

// Len returns the number of challenges held, used ones included.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}
