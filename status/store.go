package status

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// ListState is everything an issuer keeps about one status list.
type ListState struct {
	// ID is the URL the list credential is published at: the
	// statusListCredential of every entry allocated from it.
	ID string `json:"id"`
	// Issuer is the issuer id written into the list credential; it must be
	// the issuer of the credentials the list covers (verifiers check).
	Issuer string `json:"issuer"`
	// Purpose is the statusPurpose: PurposeRevocation, PurposeSuspension,
	// PurposeMessage (or PurposeRefresh).
	Purpose string `json:"statusPurpose"`
	// Entries is the number of entries (at least MinEntries).
	Entries int `json:"entries"`
	// Size is the statusSize in bits (1 unless Purpose is message).
	Size int `json:"statusSize"`
	// Messages are the statusMessage values entries carry (purpose message).
	Messages []Message `json:"statusMessage,omitempty"`
	// TTL, if positive, is published as credentialSubject.ttl.
	TTL time.Duration `json:"ttl,omitempty"`
	// ValidFor, if positive, makes each published list expire (validUntil)
	// that long after it is signed.
	ValidFor time.Duration `json:"validFor,omitempty"`
	// Seed keys the permutation that turns the allocation counter into
	// random-looking indexes. Secret: whoever knows it can tell issuance
	// order from indexes.
	Seed []byte `json:"seed"`
	// Allocated counts the indexes handed out so far.
	Allocated uint64 `json:"allocated"`
	// Bits is the uncompressed bitstring, Entries × Size bits.
	Bits []byte `json:"bits"`
}

// EntryStatus returns the status value of entry index and its name: "ok"
// for 0, "revoked" or "suspended" when it is set in a revocation or
// suspension list, otherwise the value in hexadecimal (a message list's
// entries, whose meaning is in Messages).
func (s *ListState) EntryStatus(index uint64) (value uint64, name string, err error) {
	v, err := BitstringFromBytes(s.Bits).Get(index, s.Size)
	if err != nil {
		return 0, "", err
	}
	switch {
	case v == 0:
		return v, "ok", nil
	case s.Purpose == PurposeRevocation:
		return v, "revoked", nil
	case s.Purpose == PurposeSuspension:
		return v, "suspended", nil
	}
	return v, fmt.Sprintf("0x%x", v), nil
}

// SetEntries counts the entries whose status value is not 0: the revoked
// or suspended credentials, or those that carry a message.
func (s *ListState) SetEntries() int {
	bits, n := BitstringFromBytes(s.Bits), 0
	for i := range uint64(s.Entries) {
		if v, _ := bits.Get(i, s.Size); v != 0 {
			n++
		}
	}
	return n
}

func (s *ListState) clone() *ListState {
	c := *s
	c.Messages = slices.Clone(s.Messages)
	c.Seed = slices.Clone(s.Seed)
	c.Bits = slices.Clone(s.Bits)
	return &c
}

// Store keeps status lists. Implementations must be safe for concurrent
// use, and Reserve and SetStatus must be atomic and durable before they
// return: two callers of Reserve never get the same counter value, and a
// value once returned is never returned again, even after a crash or
// restart. See the package documentation for a database-backed Store.
type Store interface {
	// Create stores a new list. It returns ErrExists if state.ID is taken.
	Create(ctx context.Context, state *ListState) error
	// Load returns a copy of the list's state, or ErrNotFound.
	Load(ctx context.Context, id string) (*ListState, error)
	// Reserve increments the list's Allocated counter and returns its value
	// before the increment; ErrListFull once it has reached Entries.
	Reserve(ctx context.Context, id string) (uint64, error)
	// SetStatus sets entry index (of the list's Size bits) to value. On a
	// revocation list it must refuse (ErrIrreversible) to clear an entry
	// that is set, atomically with the write: revocation is final.
	SetStatus(ctx context.Context, id string, index, value uint64) error
	// IDs lists the ids of the stored lists, sorted.
	IDs(ctx context.Context) ([]string, error)
}

// MemoryStore is a Store in memory, for tests and single-process issuers
// that persist lists some other way. The zero value is ready to use.
type MemoryStore struct {
	mu    sync.Mutex
	lists map[string]*ListState
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Create implements Store.
func (m *MemoryStore) Create(ctx context.Context, state *ListState) error {
	if err := state.check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.lists[state.ID]; ok {
		return fieldErr(ErrExists, "id", "%q", state.ID)
	}
	if m.lists == nil {
		m.lists = map[string]*ListState{}
	}
	m.lists[state.ID] = state.clone()
	return nil
}

// Load implements Store.
func (m *MemoryStore) Load(ctx context.Context, id string) (*ListState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.lists[id]
	if !ok {
		return nil, fieldErr(ErrNotFound, "id", "no list %q", id)
	}
	return s.clone(), nil
}

// Reserve implements Store.
func (m *MemoryStore) Reserve(ctx context.Context, id string) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.lists[id]
	if !ok {
		return 0, fieldErr(ErrNotFound, "id", "no list %q", id)
	}
	if s.Allocated >= uint64(s.Entries) {
		return 0, fieldErr(ErrListFull, "id", "all %d entries of %q are allocated", s.Entries, id)
	}
	s.Allocated++
	return s.Allocated - 1, nil
}

// SetStatus implements Store.
func (m *MemoryStore) SetStatus(ctx context.Context, id string, index, value uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.lists[id]
	if !ok {
		return fieldErr(ErrNotFound, "id", "no list %q", id)
	}
	return s.setStatus(index, value)
}

// setStatus sets entry index to value, refusing (ErrIrreversible) to clear
// an entry of a revocation list: revocation is final. Stores call it while
// they hold the list, so that the check and the write are one step and a
// revocation racing with a reinstatement cannot be undone.
func (s *ListState) setStatus(index, value uint64) error {
	bits := BitstringFromBytes(s.Bits)
	if s.Purpose == PurposeRevocation && value == 0 {
		if cur, err := bits.Get(index, s.Size); err == nil && cur != 0 {
			return fieldErr(ErrIrreversible, "id", "%q is a revocation list", s.ID)
		}
	}
	return bits.Set(index, s.Size, value)
}

// IDs implements Store.
func (m *MemoryStore) IDs(ctx context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.lists))
	for id := range m.lists {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// check validates a state before it is stored or after it is read back.
func (s *ListState) check() error {
	switch {
	case s.ID == "":
		return fieldErr(ErrConfig, "id", "required")
	case s.Issuer == "":
		return fieldErr(ErrConfig, "issuer", "required")
	case s.Purpose == "":
		return fieldErr(ErrConfig, "statusPurpose", "required")
	case s.Size < 1 || s.Size > MaxStatusSize:
		return fieldErr(ErrConfig, "statusSize", "must be 1 to %d", MaxStatusSize)
	case s.Entries < MinEntries:
		return fieldErr(ErrConfig, "entries", "at least %d required", MinEntries)
	case len(s.Bits)*8 != s.Entries*s.Size:
		return fieldErr(ErrConfig, "bits", "%d bytes for %d entries of %d bits", len(s.Bits), s.Entries, s.Size)
	case len(s.Seed) < 16:
		return fieldErr(ErrConfig, "seed", "at least 16 bytes required")
	case s.Allocated > uint64(s.Entries):
		return fieldErr(ErrConfig, "allocated", "exceeds entries")
	}
	return nil
}
