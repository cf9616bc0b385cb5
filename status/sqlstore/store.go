package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/microcred/openbadges/status"
)

const listColumns = "id, issuer, purpose, entries, status_size, messages, ttl_ms, valid_for_ms, seed, allocated, bits"

// Create implements status.Store.
func (s *Store) Create(ctx context.Context, st *status.ListState) error {
	if st == nil {
		return &status.FieldError{Field: "state", Kind: status.ErrConfig, Reason: "required"}
	}
	if err := checkState(st); err != nil {
		return err
	}
	msgs, err := json.Marshal(st.Messages)
	if err != nil {
		return err
	}
	if st.Messages == nil {
		msgs = []byte("[]")
	}
	res, err := s.db.ExecContext(ctx, s.q("INSERT INTO status_lists ("+listColumns+", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
		st.ID, st.Issuer, st.Purpose, st.Entries, st.Size, string(msgs), st.TTL.Milliseconds(), st.ValidFor.Milliseconds(),
		st.Seed, int64(st.Allocated), st.Bits, micros(s.now()))
	if err != nil {
		return unavailable("creating a list", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return unavailable("creating a list", err)
	} else if n == 0 {
		return &status.FieldError{Field: "id", Kind: status.ErrExists, Reason: fmt.Sprintf("%q", st.ID)}
	}
	return nil
}

// checkState validates a state before it is stored, as the status
// package's stores do.
func checkState(st *status.ListState) error {
	bad := func(field, reason string) error {
		return &status.FieldError{Field: field, Kind: status.ErrConfig, Reason: reason}
	}
	switch {
	case st.ID == "":
		return bad("id", "required")
	case st.Issuer == "":
		return bad("issuer", "required")
	case st.Purpose == "":
		return bad("statusPurpose", "required")
	case st.Size < 1 || st.Size > status.MaxStatusSize:
		return bad("statusSize", fmt.Sprintf("must be 1 to %d", status.MaxStatusSize))
	case st.Entries < status.MinEntries:
		return bad("entries", fmt.Sprintf("at least %d required", status.MinEntries))
	case len(st.Bits)*8 != st.Entries*st.Size:
		return bad("bits", fmt.Sprintf("%d bytes for %d entries of %d bits", len(st.Bits), st.Entries, st.Size))
	case len(st.Seed) < 16:
		return bad("seed", "at least 16 bytes required")
	case st.Allocated > uint64(st.Entries):
		return bad("allocated", "exceeds entries")
	}
	return nil
}

// Load implements status.Store.
func (s *Store) Load(ctx context.Context, id string) (*status.ListState, error) {
	return s.load(ctx, s.db, id)
}

func (s *Store) load(ctx context.Context, q querier, id string) (*status.ListState, error) {
	var (
		st         status.ListState
		msgs       string
		ttl, valid int64
		alloc      int64
	)
	err := q.QueryRowContext(ctx, s.q("SELECT "+listColumns+" FROM status_lists WHERE id = ?"), id).Scan(
		&st.ID, &st.Issuer, &st.Purpose, &st.Entries, &st.Size, &msgs, &ttl, &valid, &st.Seed, &alloc, &st.Bits)
	if isNoRows(err) {
		return nil, &status.FieldError{Field: "id", Kind: status.ErrNotFound, Reason: fmt.Sprintf("no list %q", id)}
	}
	if err != nil {
		return nil, unavailable("reading a list", err)
	}
	if err := json.Unmarshal([]byte(msgs), &st.Messages); err != nil {
		return nil, &status.FieldError{Field: "messages", Kind: status.ErrMalformed, Reason: "list " + id, Err: err}
	}
	if len(st.Messages) == 0 {
		st.Messages = nil
	}
	st.TTL = time.Duration(ttl) * time.Millisecond
	st.ValidFor = time.Duration(valid) * time.Millisecond
	st.Allocated = uint64(alloc)
	if err := checkState(&st); err != nil {
		return nil, &status.FieldError{Field: "id", Kind: status.ErrMalformed, Reason: "list " + id + " in the database", Err: err}
	}
	return &st, nil
}

// Reserve implements status.Store.
func (s *Store) Reserve(ctx context.Context, id string) (uint64, error) {
	first, _, err := s.ReserveN(ctx, id, 1)
	return first, err
}

// ReserveN implements status.BatchReserver in one UPDATE … RETURNING: the
// counter moves by min(n, what is left) atomically, and reserved_from,
// set in the same statement from the old value, says where the range
// starts.
func (s *Store) ReserveN(ctx context.Context, id string, n int) (uint64, int, error) {
	if n <= 0 {
		return 0, 0, &status.FieldError{Field: "n", Kind: status.ErrConfig, Reason: fmt.Sprintf("must be positive, not %d", n)}
	}
	var from, to int64
	err := s.db.QueryRowContext(ctx, s.q(`UPDATE status_lists
		   SET reserved_from = allocated,
		       allocated = CASE WHEN allocated + ? > entries THEN entries ELSE allocated + ? END
		 WHERE id = ? AND allocated < entries
		 RETURNING reserved_from, allocated`), int64(n), int64(n), id).Scan(&from, &to)
	if isNoRows(err) {
		var entries int64
		switch err := s.db.QueryRowContext(ctx, s.q("SELECT entries FROM status_lists WHERE id = ?"), id).Scan(&entries); {
		case isNoRows(err):
			return 0, 0, &status.FieldError{Field: "id", Kind: status.ErrNotFound, Reason: fmt.Sprintf("no list %q", id)}
		case err != nil:
			return 0, 0, unavailable("reserving an index", err)
		}
		return 0, 0, &status.FieldError{Field: "id", Kind: status.ErrListFull, Reason: fmt.Sprintf("all %d entries of %q are allocated", entries, id)}
	}
	if err != nil {
		return 0, 0, unavailable("reserving an index", err)
	}
	return uint64(from), int(to - from), nil
}

// SetStatus implements status.Store. The first statement of the
// transaction bumps the list's version, which locks its row (and on
// SQLite the database) until the commit; then the bits are read, changed
// and written, and the change recorded with the context's
// status.ChangeInfo. Setting an entry to the value it has changes nothing
// and records nothing.
func (s *Store) SetStatus(ctx context.Context, id string, index, value uint64) error {
	info := status.ChangeInfoFrom(ctx)
	return s.writeTx(ctx, "setting a status", func(q querier) error {
		res, err := q.ExecContext(ctx, s.q("UPDATE status_lists SET version = version + 1 WHERE id = ?"), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &status.FieldError{Field: "id", Kind: status.ErrNotFound, Reason: fmt.Sprintf("no list %q", id)}
		}
		var (
			purpose string
			size    int
			bits    []byte
		)
		if err := q.QueryRowContext(ctx, s.q("SELECT purpose, status_size, bits FROM status_lists WHERE id = ?"), id).Scan(&purpose, &size, &bits); err != nil {
			return err
		}
		bs := status.BitstringFromBytes(bits)
		old, err := bs.Get(index, size)
		if err != nil {
			return err
		}
		if purpose == status.PurposeRevocation && value == 0 && old != 0 {
			return &status.FieldError{Field: "id", Kind: status.ErrIrreversible, Reason: fmt.Sprintf("%q is a revocation list", id)}
		}
		if old == value {
			return errUnchanged
		}
		if err := bs.Set(index, size, value); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, s.q("UPDATE status_lists SET bits = ? WHERE id = ?"), bs.Bytes(), id); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, s.q(`INSERT INTO status_changes (list_id, list_index, old_value, new_value, changed_at, reason, request_id, actor, credential_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, int64(index), int64(old), int64(value), micros(s.now()),
			info.Reason, info.RequestID, info.Actor, info.CredentialID)
		return err
	})
}

// errUnchanged rolls back a SetStatus that changes nothing, so that the
// version does not move.
var errUnchanged = errors.New("sqlstore: unchanged")

// Version implements status.Versioner: the number of changes made to the
// list's bits.
func (s *Store) Version(ctx context.Context, id string) (uint64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT version FROM status_lists WHERE id = ?"), id).Scan(&v)
	if isNoRows(err) {
		return 0, &status.FieldError{Field: "id", Kind: status.ErrNotFound, Reason: fmt.Sprintf("no list %q", id)}
	}
	if err != nil {
		return 0, unavailable("reading a list's version", err)
	}
	return uint64(v), nil
}

// IDs implements status.Store.
func (s *Store) IDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM status_lists ORDER BY id")
	if err != nil {
		return nil, unavailable("listing lists", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, unavailable("listing lists", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("listing lists", err)
	}
	slices.Sort(ids) // bytewise, whatever the database's collation
	return ids, nil
}
