package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/microcred/openbadges/status"
)

// Record says what was issued to whom, and which status entries the
// credential holds: what a registrar needs to find and revoke it years
// later.
type Record struct {
	// Seq orders the records as they were stored; set by AddRecords.
	Seq int64 `json:"seq"`
	// ID identifies the record; AddRecords draws one when it is empty.
	ID string `json:"recordId"`
	// CredentialID is the credential's id (may be empty).
	CredentialID string `json:"credentialId"`
	// Issuer is the issuer: its id (a DID or URL), or the name a server
	// knows it by.
	Issuer string `json:"issuer"`
	// SubjectID is credentialSubject.id: the learner.
	SubjectID string `json:"subjectId"`
	// AchievementID is credentialSubject.achievement.id.
	AchievementID string `json:"achievementId"`
	// IssuedAt is when the credential was issued; zero means now.
	IssuedAt time.Time `json:"issuedAt"`
	// RequestID identifies the request that issued it.
	RequestID string `json:"requestId"`
	// Entries are its status entries, one per purpose.
	Entries []Entry `json:"entries"`
}

// Entry is one status entry of a record.
type Entry struct {
	Purpose string `json:"statusPurpose"`
	List    string `json:"statusListCredential"`
	Index   uint64 `json:"statusListIndex"`
	// Value is the entry's current status value, filled in by Records
	// (0: in good standing).
	Value uint64 `json:"status"`
}

// Change is one change of a status entry's value.
type Change struct {
	Seq          int64     `json:"seq"`
	List         string    `json:"statusListCredential"`
	Index        uint64    `json:"statusListIndex"`
	Old          uint64    `json:"old"`
	New          uint64    `json:"new"`
	At           time.Time `json:"at"`
	Reason       string    `json:"reason,omitempty"`
	RequestID    string    `json:"requestId,omitempty"`
	Actor        string    `json:"actor,omitempty"`
	CredentialID string    `json:"credentialId,omitempty"`
}

// Set tells whether the change set the entry (rather than cleared it).
func (c Change) Set() bool { return c.New != 0 }

// MaxFieldBytes bounds each text field of a record.
const MaxFieldBytes = 4096

// recordChunk bounds the rows of one multi-row INSERT (PostgreSQL allows
// 65,535 parameters in a statement).
const recordChunk = 500

// AddRecords stores records in one transaction: all of them or none.
// Issuers call it once per chunk of a batch, after the credentials are
// signed and before they are handed out, so that nothing issued is
// missing from the records after a crash (package cohort does).
func (s *Store) AddRecords(ctx context.Context, recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	now := s.now()
	for i := range recs {
		r := &recs[i]
		for _, f := range [...]struct{ name, v string }{{"credentialId", r.CredentialID}, {"issuer", r.Issuer}, {"subjectId", r.SubjectID},
			{"achievementId", r.AchievementID}, {"requestId", r.RequestID}, {"recordId", r.ID}} {
			if len(f.v) > MaxFieldBytes {
				return &status.FieldError{Field: fmt.Sprintf("records[%d].%s", i, f.name), Kind: status.ErrConfig, Reason: fmt.Sprintf("longer than %d bytes", MaxFieldBytes)}
			}
		}
		if r.Issuer == "" {
			return &status.FieldError{Field: fmt.Sprintf("records[%d].issuer", i), Kind: status.ErrConfig, Reason: "required"}
		}
		for j, e := range r.Entries {
			if e.List == "" || len(e.List) > MaxFieldBytes || len(e.Purpose) > MaxFieldBytes {
				return &status.FieldError{Field: fmt.Sprintf("records[%d].entries[%d].statusListCredential", i, j), Kind: status.ErrConfig, Reason: fmt.Sprintf("required, at most %d bytes", MaxFieldBytes)}
			}
		}
		if r.ID == "" {
			r.ID = newRecordID(now)
		}
		if r.IssuedAt.IsZero() {
			r.IssuedAt = now
		}
	}
	return s.writeTx(ctx, "storing issuance records", func(q querier) error {
		for start := 0; start < len(recs); start += recordChunk {
			chunk := recs[start:min(start+recordChunk, len(recs))]
			var b strings.Builder
			args := make([]any, 0, 7*len(chunk))
			b.WriteString("INSERT INTO issuance_records (record_id, credential_id, issuer, subject_id, achievement_id, issued_at, request_id) VALUES ")
			nEntries := 0
			for i, r := range chunk {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
				args = append(args, r.ID, r.CredentialID, r.Issuer, r.SubjectID, r.AchievementID, micros(r.IssuedAt), r.RequestID)
				nEntries += len(r.Entries)
			}
			if _, err := q.ExecContext(ctx, s.q(b.String()), args...); err != nil {
				return err
			}
			if nEntries == 0 {
				continue
			}
			b.Reset()
			args = args[:0]
			b.WriteString("INSERT INTO record_entries (record_id, purpose, list_id, list_index) VALUES ")
			n := 0
			for _, r := range chunk {
				for _, e := range r.Entries {
					if n > 0 {
						b.WriteByte(',')
					}
					n++
					b.WriteString("(?, ?, ?, ?)")
					args = append(args, r.ID, e.Purpose, e.List, int64(e.Index))
				}
			}
			if _, err := q.ExecContext(ctx, s.q(b.String()), args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// newRecordID draws a record id: 16 bytes in hex, the first 6 the time in
// milliseconds and the other 10 random. Ids drawn later sort later, so a
// batch's records go to the end of the indexes on record_id instead of to
// random pages all over them: a chunk's transaction then writes a few
// pages of each index, not one page per record, however large the tables.
func newRecordID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

// Query selects records. Every field set must match; the zero Query
// selects every record.
type Query struct {
	CredentialID  string
	Issuer        string
	SubjectID     string
	AchievementID string
	// List selects the records with an entry in that list.
	List string
	// After selects the records stored after the one with this Seq, for
	// paging.
	After int64
	// Limit bounds the records returned; zero means 1000, and more than
	// MaxLimit is MaxLimit.
	Limit int
}

// MaxLimit is the most records one call of Records returns.
const MaxLimit = 10000

// Records returns the records q selects, in the order they were stored,
// each with its entries and their current status values. For more than
// one page, call again with After set to the last Seq returned.
func (s *Store) Records(ctx context.Context, q Query) ([]Record, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	limit = min(limit, MaxLimit)
	var where []string
	args := []any{}
	for _, c := range []struct{ col, v string }{{"credential_id", q.CredentialID}, {"issuer", q.Issuer}, {"subject_id", q.SubjectID}, {"achievement_id", q.AchievementID}} {
		if c.v != "" {
			where = append(where, "r."+c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if q.List != "" {
		where = append(where, "EXISTS (SELECT 1 FROM record_entries e WHERE e.record_id = r.record_id AND e.list_id = ?)")
		args = append(args, q.List)
	}
	where = append(where, "r.seq > ?")
	args = append(args, q.After, limit)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.seq, r.record_id, r.credential_id, r.issuer, r.subject_id, r.achievement_id, r.issued_at, r.request_id
		FROM issuance_records r WHERE `+strings.Join(where, " AND ")+" ORDER BY r.seq LIMIT ?"), args...)
	if err != nil {
		return nil, unavailable("reading records", err)
	}
	var recs []Record
	byID := map[string]int{}
	for rows.Next() {
		var r Record
		var at int64
		if err := rows.Scan(&r.Seq, &r.ID, &r.CredentialID, &r.Issuer, &r.SubjectID, &r.AchievementID, &at, &r.RequestID); err != nil {
			rows.Close()
			return nil, unavailable("reading records", err)
		}
		r.IssuedAt = fromMicros(at)
		byID[r.ID] = len(recs)
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, unavailable("reading records", err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	// The entries of this page's records, in one query.
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT record_id, purpose, list_id, list_index FROM record_entries
		WHERE record_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY list_id, list_index`), ids...)
	if err != nil {
		return nil, unavailable("reading record entries", err)
	}
	for rows.Next() {
		var id string
		var e Entry
		var idx int64
		if err := rows.Scan(&id, &e.Purpose, &e.List, &idx); err != nil {
			rows.Close()
			return nil, unavailable("reading record entries", err)
		}
		e.Index = uint64(idx)
		if i, ok := byID[id]; ok {
			recs[i].Entries = append(recs[i].Entries, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, unavailable("reading record entries", err)
	}
	lists := map[string]*status.ListState{}
	for i := range recs {
		for j := range recs[i].Entries {
			e := &recs[i].Entries[j]
			st, ok := lists[e.List]
			if !ok {
				if st, err = s.Load(ctx, e.List); err != nil && !errors.Is(err, status.ErrNotFound) {
					return nil, err
				}
				lists[e.List] = st // nil for a list kept elsewhere
			}
			if st != nil {
				e.Value, _ = status.BitstringFromBytes(st.Bits).Get(e.Index, st.Size)
			}
		}
	}
	return recs, nil
}

// Changes returns the status changes of an entry (index ≥ 0) or of every
// entry of a list (index < 0), oldest first, at most MaxLimit after the
// change with Seq after.
func (s *Store) Changes(ctx context.Context, list string, index int64, after int64) ([]Change, error) {
	query := `SELECT seq, list_id, list_index, old_value, new_value, changed_at, reason, request_id, actor, credential_id
		FROM status_changes WHERE list_id = ? AND seq > ?`
	args := []any{list, after}
	if index >= 0 {
		query += " AND list_index = ?"
		args = append(args, index)
	}
	query += " ORDER BY seq LIMIT ?"
	args = append(args, MaxLimit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, unavailable("reading status changes", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var idx, old, nw, at int64
		if err := rows.Scan(&c.Seq, &c.List, &idx, &old, &nw, &at, &c.Reason, &c.RequestID, &c.Actor, &c.CredentialID); err != nil {
			return nil, unavailable("reading status changes", err)
		}
		c.Index, c.Old, c.New, c.At = uint64(idx), uint64(old), uint64(nw), fromMicros(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable("reading status changes", err)
	}
	return out, nil
}
