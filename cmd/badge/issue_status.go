package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// issueStatus allocates the status entries of the credentials badge issue
// signs, from the lists of a --status directory or a --db database (those
// "badge status create" made), and records what a database records.
type issueStatus struct {
	lists   *status.Lists
	ids     []string        // the lists to allocate from: one entry in each
	db      *sqlstore.Store // nil for a directory
	closeDB func()
}

// openIssueStatus opens the store of --status DIR or --db DB and picks the
// lists: listIDs, or the store's only list.
func openIssueStatus(ctx context.Context, e *env, dir, db string, listIDs []string) (*issueStatus, error) {
	s := &issueStatus{closeDB: func() {}}
	var store status.Store
	if db != "" {
		st, closeDB, err := openDB(ctx, dbPath(e, db))
		if err != nil {
			return nil, err
		}
		s.db, s.closeDB, store = st, closeDB, st
	} else {
		fs, err := status.NewFileStore(e.path(dir))
		if err != nil {
			return nil, err
		}
		store = fs
	}
	where := "--status " + dir
	if db != "" {
		where = "--db"
	}
	ids, err := store.IDs(ctx)
	if err != nil {
		s.closeDB()
		return nil, err
	}
	switch {
	case len(listIDs) > 0:
		for _, id := range listIDs {
			if !slices.Contains(ids, id) {
				s.closeDB()
				return nil, fmt.Errorf("%w: %s has no status list %s (\"badge status create\" makes one)", errUsage, where, id)
			}
		}
		s.ids = listIDs
	case len(ids) == 1:
		s.ids = ids
	case len(ids) == 0:
		s.closeDB()
		return nil, fmt.Errorf("%w: %s has no status list (\"badge status create\" makes one)", errUsage, where)
	default:
		s.closeDB()
		return nil, fmt.Errorf("%w: %s has %d status lists: choose with --status-list (%s)", errUsage, where, len(ids), strings.Join(ids, ", "))
	}
	if s.lists, err = status.NewLists(status.ListsConfig{Store: store}); err != nil {
		s.closeDB()
		return nil, err
	}
	return s, nil
}

// allocate allocates one entry in each list.
func (s *issueStatus) allocate(ctx context.Context) ([]status.Entry, error) {
	entries := make([]status.Entry, 0, len(s.ids))
	for _, id := range s.ids {
		en, err := s.lists.Allocate(ctx, id)
		if err != nil {
			// Those allocated before stay allocated: see batchOutput.unused.
			return entries, err
		}
		entries = append(entries, en)
	}
	return entries, nil
}

// errHasStatus: the credential to issue with --status already has a
// credentialStatus.
var errHasStatus = errors.New("the credential already has a credentialStatus; leave it out, or leave out --status and --db")

// embedStatus returns the credential doc (a JSON object) with entries as
// its credentialStatus: an object for one entry, an array for several. The
// member is added at the end, so that the rest keeps its order.
func embedStatus(doc []byte, entries []status.Entry) ([]byte, error) {
	v, err := strictjson.Decode(doc, strictjson.Options{})
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the credential is not a JSON object")
	}
	if _, has := m["credentialStatus"]; has {
		return nil, errHasStatus
	}
	var cs any = entries
	if len(entries) == 1 {
		cs = entries[0]
	}
	member, err := json.Marshal(cs)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimRight(doc, " \t\r\n")
	body := bytes.TrimRight(trimmed[:len(trimmed)-1], " \t\r\n") // without the closing }
	out := make([]byte, 0, len(doc)+len(member)+32)
	out = append(out, body...)
	if !bytes.HasSuffix(body, []byte("{")) {
		out = append(out, ',')
	}
	out = append(out, `"credentialStatus":`...)
	out = append(out, member...)
	return append(out, '}'), nil
}

// record keeps, with --db, the issuance record of a signed credential (as
// "badge serve --db" does; "badge records" lists them). A directory keeps
// none: the credential's entries say where its status is.
func (s *issueStatus) record(ctx context.Context, signed []byte, entries []status.Entry, now time.Time) error {
	if s.db == nil {
		return nil
	}
	rec := recordOf(signed)
	rec.IssuedAt, rec.RequestID = now, "badge issue"
	for _, en := range entries {
		rec.Entries = append(rec.Entries, sqlstore.Entry{Purpose: en.Purpose, List: en.ListCredential, Index: en.Index})
	}
	return s.db.AddRecords(ctx, []sqlstore.Record{rec})
}

// recordOf reads what a record says of a credential (JSON; a VC-JWT's
// credential): its id, issuer, learner and achievement.
func recordOf(signed []byte) sqlstore.Record {
	doc := signed
	if tok := bytes.TrimSpace(signed); len(tok) > 0 && tok[0] != '{' {
		if c, err := credentialJSON(tok); err == nil {
			doc = c
		}
	}
	var c struct {
		ID                string          `json:"id"`
		Issuer            json.RawMessage `json:"issuer"`
		CredentialSubject json.RawMessage `json:"credentialSubject"`
	}
	if json.Unmarshal(doc, &c) != nil {
		return sqlstore.Record{}
	}
	rec := sqlstore.Record{CredentialID: c.ID, Issuer: idOf(c.Issuer)}
	subj := c.CredentialSubject
	var many []json.RawMessage
	if json.Unmarshal(subj, &many) == nil && len(many) > 0 {
		subj = many[0]
	}
	var s struct {
		ID          string          `json:"id"`
		Achievement json.RawMessage `json:"achievement"`
	}
	if json.Unmarshal(subj, &s) == nil {
		rec.SubjectID, rec.AchievementID = s.ID, idOf(s.Achievement)
	}
	return rec
}

// idOf is a JSON value's id: the string itself or an object's "id".
func idOf(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var o struct {
		ID string `json:"id"`
	}
	json.Unmarshal(v, &o)
	return o.ID
}
