package status

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/microcred/openbadges/credential"
)

// Signer signs a credential given as JSON and returns the signed JSON. The
// issuer package's Issuer satisfies it; so does any function wrapped in
// SignerFunc. Lists uses it to sign status list credentials.
type Signer interface {
	IssueJSON(ctx context.Context, unsigned []byte) ([]byte, error)
}

// SignerFunc adapts a function to Signer.
type SignerFunc func(ctx context.Context, unsigned []byte) ([]byte, error)

// IssueJSON calls f.
func (f SignerFunc) IssueJSON(ctx context.Context, unsigned []byte) ([]byte, error) {
	return f(ctx, unsigned)
}

// ListConfig describes a new status list.
type ListConfig struct {
	// ID is the https URL the list credential will be published at.
	// Required.
	ID string
	// Issuer is the issuer id (DID or URL) of the list credential; it must
	// be the issuer of the credentials whose status the list holds.
	// Required.
	Issuer string
	// Purpose is PurposeRevocation (the default), PurposeSuspension,
	// PurposeMessage or PurposeRefresh. One list serves one purpose; an
	// issuer that both revokes and suspends keeps two lists and gives each
	// credential an entry in both.
	Purpose string
	// Entries is the list's length; zero means MinEntries, the minimum.
	Entries int
	// Size is the statusSize in bits; zero means 1. Only message lists may
	// use more than one bit.
	Size int
	// Messages is the statusMessage copied into every entry: 2^Size
	// elements, required for message lists with Size > 1.
	Messages []Message
	// TTL, if positive, is published as the list's ttl, the time verifiers
	// may cache it.
	TTL time.Duration
	// ValidFor, if positive, sets validUntil that long after each
	// publication, so that a stale copy stops verifying.
	ValidFor time.Duration
}

// ListsConfig configures Lists.
type ListsConfig struct {
	// Store keeps the lists. Required.
	Store Store
	// Signer signs list credentials for Publish. Optional: without it only
	// the unsigned list credential is available (ListCredential).
	Signer Signer
	// Rand is the source of list seeds; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock for validFrom and validUntil; nil means time.Now.
	Now func() time.Time
}

// Lists is the issuer side of Bitstring Status List: it creates lists,
// allocates an index to each new credential, changes statuses and produces
// the (signed) list credential to publish. It is safe for concurrent use;
// allocation is as safe as the Store (see Store).
type Lists struct {
	cfg   ListsConfig
	infos sync.Map // list id → *listInfo
}

// NewLists checks cfg and returns a Lists.
func NewLists(cfg ListsConfig) (*Lists, error) {
	if cfg.Store == nil {
		return nil, fieldErr(ErrConfig, "Store", "required")
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Lists{cfg: cfg}, nil
}

// Create creates an empty list.
func (l *Lists) Create(ctx context.Context, c ListConfig) error {
	if c.Purpose == "" {
		c.Purpose = PurposeRevocation
	}
	if c.Entries == 0 {
		c.Entries = MinEntries
	}
	if c.Size == 0 {
		c.Size = 1
	}
	if c.ID == "" || c.Issuer == "" {
		return fieldErr(ErrConfig, "ListConfig", "ID and Issuer are required")
	}
	switch c.Purpose {
	case PurposeRevocation, PurposeSuspension, PurposeMessage, PurposeRefresh:
	default:
		return fieldErr(ErrConfig, "Purpose", "%q is not revocation, suspension, message or refresh", c.Purpose)
	}
	if c.Size > 1 && c.Purpose != PurposeMessage {
		return fieldErr(ErrConfig, "Size", "only message lists use more than one bit per entry")
	}
	if c.Size > 1 || len(c.Messages) > 0 {
		if len(c.Messages) != 1<<c.Size {
			return fieldErr(ErrConfig, "Messages", "%d messages given, statusSize %d needs %d", len(c.Messages), c.Size, 1<<c.Size)
		}
		for i, m := range c.Messages {
			if _, err := parseHexStatus(m.Status); err != nil {
				return fieldErr(ErrConfig, fmt.Sprintf("Messages[%d].Status", i), "%q is not 0x-prefixed hexadecimal", m.Status)
			}
		}
	}
	bs, err := NewBitstring(c.Entries, c.Size)
	if err != nil {
		return err
	}
	seed := make([]byte, 32)
	if _, err := io.ReadFull(l.cfg.Rand, seed); err != nil {
		return fmt.Errorf("status: reading the list seed: %w", err)
	}
	return l.cfg.Store.Create(ctx, &ListState{
		ID: c.ID, Issuer: c.Issuer, Purpose: c.Purpose, Entries: c.Entries, Size: c.Size,
		Messages: c.Messages, TTL: c.TTL, ValidFor: c.ValidFor, Seed: seed, Bits: bs.Bytes(),
	})
}

// listInfo is what never changes about a list once created: the
// permutation of its indexes and the fields of its entries.
type listInfo struct {
	perm     permutation
	purpose  string
	size     int
	messages []Message
}

func (l *Lists) info(ctx context.Context, id string) (*listInfo, error) {
	if v, ok := l.infos.Load(id); ok {
		return v.(*listInfo), nil
	}
	st, err := l.cfg.Store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	li := &listInfo{perm: newPermutation(st.Seed, uint64(st.Entries)), purpose: st.Purpose, size: st.Size, messages: st.Messages}
	v, _ := l.infos.LoadOrStore(id, li)
	return v.(*listInfo), nil
}

// Allocate gives a new credential an index in list id and returns the
// credentialStatus entry to put in it. Indexes come in a pseudo-random
// order keyed by the list's secret seed and are never handed out twice.
func (l *Lists) Allocate(ctx context.Context, id string) (Entry, error) {
	li, err := l.info(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	k, err := l.cfg.Store.Reserve(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	return li.entry(id, k), nil
}

// Revoke sets the revocation bit of an allocated index of a revocation
// list. Revocation cannot be undone.
func (l *Lists) Revoke(ctx context.Context, id string, index uint64) error {
	return l.set(ctx, id, index, 1, PurposeRevocation)
}

// Suspend sets the suspension bit of an allocated index of a suspension
// list.
func (l *Lists) Suspend(ctx context.Context, id string, index uint64) error {
	return l.set(ctx, id, index, 1, PurposeSuspension)
}

// Reinstate clears the suspension bit of an allocated index of a
// suspension list. On a revocation list it returns ErrIrreversible.
func (l *Lists) Reinstate(ctx context.Context, id string, index uint64) error {
	return l.set(ctx, id, index, 0, PurposeSuspension)
}

// SetValue sets the status value of an allocated index of any list (for
// message lists, the value whose statusMessage applies).
func (l *Lists) SetValue(ctx context.Context, id string, index, value uint64) error {
	return l.set(ctx, id, index, value, "")
}

func (l *Lists) set(ctx context.Context, id string, index, value uint64, purpose string) error {
	st, err := l.cfg.Store.Load(ctx, id)
	if err != nil {
		return err
	}
	if purpose != "" && st.Purpose != purpose {
		if purpose == PurposeSuspension && value == 0 && st.Purpose == PurposeRevocation {
			return fieldErr(ErrIrreversible, "id", "%q is a revocation list", id)
		}
		return fieldErr(ErrWrongPurpose, "id", "%q is a %s list, not %s", id, st.Purpose, purpose)
	}
	if index >= uint64(st.Entries) {
		return fieldErr(ErrRange, "index", "%d is outside a list of %d entries", index, st.Entries)
	}
	if newPermutation(st.Seed, uint64(st.Entries)).inverse(index) >= st.Allocated {
		return fieldErr(ErrNotAllocated, "index", "%d was never allocated in %q", index, id)
	}
	if purpose == "" && st.Purpose == PurposeRevocation {
		if cur, err := BitstringFromBytes(st.Bits).Get(index, st.Size); err == nil && cur != 0 && value == 0 {
			return fieldErr(ErrIrreversible, "id", "%q is a revocation list", id)
		}
	}
	return l.cfg.Store.SetStatus(ctx, id, index, value)
}

// Value returns the current status value of index in list id.
func (l *Lists) Value(ctx context.Context, id string, index uint64) (uint64, error) {
	st, err := l.cfg.Store.Load(ctx, id)
	if err != nil {
		return 0, err
	}
	return BitstringFromBytes(st.Bits).Get(index, st.Size)
}

// ListCredential returns the unsigned BitstringStatusListCredential for
// list id as it stands: the VC 2.0 context, validFrom now (and validUntil
// if the list has ValidFor), a credentialSubject with the list's purpose,
// encodedList and ttl.
func (l *Lists) ListCredential(ctx context.Context, id string) ([]byte, error) {
	st, err := l.cfg.Store.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	now := l.cfg.Now().UTC().Truncate(time.Second)
	subject := map[string]any{
		"id":            st.ID + "#list",
		"type":          TypeBitstringList,
		"statusPurpose": st.Purpose,
		"encodedList":   BitstringFromBytes(st.Bits).Encode(),
	}
	if st.TTL > 0 {
		subject["ttl"] = st.TTL.Milliseconds()
	}
	vc := map[string]any{
		"@context":          []string{credential.ContextV2},
		"id":                st.ID,
		"type":              []string{"VerifiableCredential", TypeBitstringCredential},
		"issuer":            st.Issuer,
		"validFrom":         now.Format(time.RFC3339),
		"credentialSubject": subject,
	}
	if st.ValidFor > 0 {
		vc["validUntil"] = now.Add(st.ValidFor).Format(time.RFC3339)
	}
	return json.MarshalIndent(vc, "", "  ")
}

// Publish returns the list credential signed by the Signer, ready to be
// served at the list's URL. Call it after every change (or periodically,
// before validUntil).
func (l *Lists) Publish(ctx context.Context, id string) ([]byte, error) {
	if l.cfg.Signer == nil {
		return nil, fieldErr(ErrConfig, "Signer", "required to publish a signed list")
	}
	unsigned, err := l.ListCredential(ctx, id)
	if err != nil {
		return nil, err
	}
	return l.cfg.Signer.IssueJSON(ctx, unsigned)
}
