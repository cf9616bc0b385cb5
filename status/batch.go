package status

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BatchReserver is implemented by Stores that can reserve many counter
// values of a list in one atomic, durable step (a database store does it
// in one statement). Lists.AllocateN uses it when the Store has it, and
// falls back to one Reserve per entry otherwise.
type BatchReserver interface {
	// ReserveN increments the list's Allocated counter by up to n (fewer
	// when the list has fewer entries left) and returns the counter's
	// value before the increment and how many values were reserved:
	// first, first+1, …, first+count-1. ErrListFull when none is left.
	ReserveN(ctx context.Context, id string, n int) (first uint64, count int, err error)
}

// Versioner is implemented by Stores that count the changes to a list's
// bits, so that a publisher can tell cheaply whether the list it signed
// last is still current. The version only grows.
type Versioner interface {
	Version(ctx context.Context, id string) (uint64, error)
}

// Publication is a signed status list credential as stored for a version
// of the list (see Publisher).
type Publication struct {
	List       string
	Version    uint64
	Credential []byte
	SignedAt   time.Time
}

// Publisher is implemented by Stores that also keep the signed status list
// credentials, by list and version (a database store does), so that the
// servers sharing the Store sign a version of a list once and all serve
// the same bytes (and the same ETag) for it. A Publisher is a Versioner.
type Publisher interface {
	Versioner
	// Publication returns the publication stored for list id, or nil (and
	// no error) if none is.
	Publication(ctx context.Context, id string) (*Publication, error)
	// SavePublication stores p as the list's publication unless one for a
	// later version is stored already, or one for the same version signed
	// at or after staleBefore (the zero time: at any time), and returns the
	// one stored after the call: the caller serves that one, whoever
	// signed it. staleBefore lets a version be signed again when its
	// validity draws to an end, by one server only.
	SavePublication(ctx context.Context, p Publication, staleBefore time.Time) (*Publication, error)
}

// AllocateN gives n new credentials an index each in list id, with as few
// Store round trips as the Store allows (see BatchReserver). It returns
// fewer than n entries when the list fills (with a nil error), and
// ErrListFull when no entry at all is left.
func (l *Lists) AllocateN(ctx context.Context, id string, n int) ([]Entry, error) {
	if n <= 0 {
		return nil, fieldErr(ErrConfig, "n", "must be positive, not %d", n)
	}
	li, err := l.info(ctx, id)
	if err != nil {
		return nil, err
	}
	var first uint64
	count := 0
	if br, ok := l.cfg.Store.(BatchReserver); ok {
		if first, count, err = br.ReserveN(ctx, id, n); err != nil {
			return nil, err
		}
	} else {
		// One Reserve per entry: the values need not be consecutive.
		out := make([]Entry, 0, n)
		for range n {
			k, err := l.cfg.Store.Reserve(ctx, id)
			if errors.Is(err, ErrListFull) && len(out) > 0 {
				break
			}
			if err != nil {
				return out, err
			}
			out = append(out, li.entry(id, k))
		}
		return out, nil
	}
	out := make([]Entry, count)
	for i := range out {
		out[i] = li.entry(id, first+uint64(i))
	}
	return out, nil
}

// entry is the credentialStatus entry of the k-th allocation.
func (li *listInfo) entry(id string, k uint64) Entry {
	idx := li.perm.forward(k)
	e := Entry{
		ID:             id + "#" + strconv.FormatUint(idx, 10),
		Type:           TypeBitstringEntry,
		Purpose:        li.purpose,
		Index:          idx,
		ListCredential: id,
		Messages:       slices.Clone(li.messages),
	}
	if li.size > 1 {
		e.Size = li.size
	}
	return e
}

// Series is a sequence of lists of one issuer and purpose that grows when
// a list fills: the first list's id is Base, the next ones Base-2, Base-3,
// and so on. Allocate allocates in the newest list and opens the next one
// when it is full, so an issuer never runs out of indexes; several
// processes sharing a Store open each list once (ErrExists from another's
// Create is taken as success).
type Series struct {
	lists *Lists
	cfg   ListConfig // cfg.ID is the base

	mu  sync.Mutex
	cur int // the sequence number of the newest list known to be open
}

// MaxSeries bounds the number of lists of a Series (with MinEntries
// entries each, some 131 million credentials).
const MaxSeries = 1000

// NewSeries returns the Series whose first list is described by c, which
// it creates if it does not exist yet.
func (l *Lists) NewSeries(ctx context.Context, c ListConfig) (*Series, error) {
	if c.ID == "" {
		return nil, fieldErr(ErrConfig, "ID", "required")
	}
	s := &Series{lists: l, cfg: c, cur: 1}
	if err := s.open(ctx, 1); err != nil {
		return nil, err
	}
	return s, nil
}

// Base returns the id of the first list.
func (s *Series) Base() string { return s.cfg.ID }

// ListID returns the id of the n-th list of the series (n ≥ 1).
func (s *Series) ListID(n int) string {
	if n <= 1 {
		return s.cfg.ID
	}
	return s.cfg.ID + "-" + strconv.Itoa(n)
}

// Seq tells whether id is a list of the series and returns its sequence
// number.
func (s *Series) Seq(id string) (int, bool) {
	if id == s.cfg.ID {
		return 1, true
	}
	rest, ok := strings.CutPrefix(id, s.cfg.ID+"-")
	if !ok || rest == "" || rest[0] == '0' || len(rest) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 2 || n > MaxSeries {
		return 0, false
	}
	return n, true
}

// open creates list n if it does not exist, and checks that an existing
// one has the series' issuer and purpose.
func (s *Series) open(ctx context.Context, n int) error {
	c := s.cfg
	c.ID = s.ListID(n)
	err := s.lists.Create(ctx, c)
	if !errors.Is(err, ErrExists) {
		return err
	}
	st, err := s.lists.cfg.Store.Load(ctx, c.ID)
	if err != nil {
		return err
	}
	purpose := c.Purpose
	if purpose == "" {
		purpose = PurposeRevocation
	}
	if st.Issuer != c.Issuer || st.Purpose != purpose {
		return fieldErr(ErrConfig, "ID", "list %s in the store belongs to %s (%s), not %s (%s)", c.ID, st.Issuer, st.Purpose, c.Issuer, purpose)
	}
	return nil
}

// Allocate gives a new credential an entry in the newest list of the
// series, opening a new list when it is full.
func (s *Series) Allocate(ctx context.Context) (Entry, error) {
	es, err := s.AllocateN(ctx, 1)
	if err != nil {
		return Entry{}, err
	}
	return es[0], nil
}

// AllocateN gives n new credentials an entry each, from as many lists of
// the series as it takes, opening new lists as they fill.
func (s *Series) AllocateN(ctx context.Context, n int) ([]Entry, error) {
	if n <= 0 {
		return nil, fieldErr(ErrConfig, "n", "must be positive, not %d", n)
	}
	out := make([]Entry, 0, n)
	s.mu.Lock()
	cur := s.cur
	s.mu.Unlock()
	for len(out) < n {
		es, err := s.lists.AllocateN(ctx, s.ListID(cur), n-len(out))
		out = append(out, es...)
		if err == nil && len(out) < n {
			err = ErrListFull // the list filled part of the way
		}
		if errors.Is(err, ErrListFull) {
			if cur >= MaxSeries {
				return out, fieldErr(ErrListFull, "ID", "all %d lists of %s are full", MaxSeries, s.cfg.ID)
			}
			cur++
			if err := s.open(ctx, cur); err != nil {
				return out, err
			}
			s.mu.Lock()
			s.cur = max(s.cur, cur)
			s.mu.Unlock()
			continue
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// Lists returns the ids of the lists of the series that exist in the
// store, in order.
func (s *Series) Lists(ctx context.Context) ([]string, error) {
	var ids []string
	for n := 1; n <= MaxSeries; n++ {
		id := s.ListID(n)
		if _, err := s.lists.cfg.Store.Load(ctx, id); errors.Is(err, ErrNotFound) {
			break
		} else if err != nil {
			return ids, fmt.Errorf("status: reading list %s: %w", id, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
