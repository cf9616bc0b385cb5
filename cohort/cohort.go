// Package cohort issues a registrar's batch of credentials, a cohort, each
// with its status entries and a durable record of what was issued to whom,
// and hands a signed credential to the caller only once its record is
// committed.
//
// The batch goes through in chunks, in a pipeline of three stages that run
// at once: while the issuer signs one chunk on every core
// (issuer.IssueBatch), the entries of the next chunk are allocated, and
// the records of the previous chunk are written and, once committed,
// delivered. The database's work (one statement to allocate a chunk's
// entries, one transaction to store its records) thus overlaps the signing
// instead of adding to it. At most three chunks are in flight, so memory
// stays bounded however large the cohort.
//
// A crash at any moment loses no credential that was delivered: its
// record was committed before. Entries allocated to a chunk that was not
// delivered are never handed out again (allocation is committed before
// signing); they simply stay unused.
package cohort

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/status/sqlstore"
)

// DefaultChunkSize is the chunk size when Config.ChunkSize is zero: large
// enough that a chunk's database work is a few statements among a thousand
// signatures, small enough that the pipeline fills at once.
const DefaultChunkSize = 1000

// ErrConfig reports a Config that Issue cannot use.
var ErrConfig = errors.New("cohort: bad configuration")

// Recorder stores issuance records. AddRecords stores a chunk's records in
// one step, all or none, and returns only once they are durable;
// *sqlstore.Store is a Recorder.
type Recorder interface {
	AddRecords(ctx context.Context, recs []sqlstore.Record) error
}

// Config configures Issue. Only Issuer is required.
type Config struct {
	// Issuer signs the credentials. Required.
	Issuer *issuer.Issuer
	// Status lists the series each credential gets one entry from, in
	// this order, after the credentialStatus entries it has already (one
	// series for revocation, say, and one for suspension). None: the
	// credentials get no entries.
	Status []*status.Series
	// Records keeps a record of every credential issued, committed before
	// the credential is delivered. Nil keeps none.
	Records Recorder
	// RequestID is written into every record, to tell the batch's
	// records apart from others.
	RequestID string
	// ChunkSize is how many credentials are signed, and how many records
	// written in one transaction, at a time. Zero means DefaultChunkSize.
	ChunkSize int
}

// Issued is what became of one credential of the cohort.
type Issued struct {
	// Index is the credential's position in the slice given to Issue.
	Index int
	// Signed is the signed credential, when Err is nil.
	Signed []byte
	// Entries are the status entries put in the credential, one per
	// Config.Status series. They are allocated (and never reused) even
	// when signing fails.
	Entries []status.Entry
	// Record is the record stored (with its ID and IssuedAt), when Err is
	// nil and Config.Records is set.
	Record sqlstore.Record
	// Err says why this credential was not issued; the others go on.
	Err error
}

// chunk is a slice of the cohort on its way through the pipeline.
type chunk struct {
	creds []*credential.Credential // what the issuer signs: with the entries
	out   []Issued
}

// Issue issues every credential of cs and calls deliver once per chunk, in
// order, on the calling goroutine, with the outcome of each of the chunk's
// credentials, after the chunk's records are committed. A credential that
// fails (it does not validate, say) gets its Err and does not stop the
// batch.
//
// Issue returns nil once every chunk is delivered. Otherwise it returns
// what stopped it: allocating entries or storing records failed, ctx
// ended, or deliver returned an error. The chunks not delivered by then
// were not issued: their signed credentials are dropped.
//
// The credentials of cs are not modified. When Config.Status adds entries,
// the issuer signs a copy of each credential's typed fields with the
// entries added, so the bytes a parsed credential was read from (Raw) are
// not what is signed.
func Issue(ctx context.Context, cfg Config, cs []*credential.Credential, deliver func([]Issued) error) error {
	if cfg.Issuer == nil {
		return fmt.Errorf("%w: Issuer is required", ErrConfig)
	}
	if cfg.ChunkSize < 0 {
		return fmt.Errorf("%w: ChunkSize must not be negative, not %d", ErrConfig, cfg.ChunkSize)
	}
	for i, s := range cfg.Status {
		if s == nil {
			return fmt.Errorf("%w: Status[%d] is nil", ErrConfig, i)
		}
	}
	if deliver == nil {
		return fmt.Errorf("%w: deliver is required", ErrConfig)
	}
	size := cfg.ChunkSize
	if size == 0 {
		size = DefaultChunkSize
	}
	if len(cs) == 0 {
		return ctx.Err()
	}

	// Every stage stops when stop is cancelled: when a stage fails, or
	// when ctx ends.
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	// Unbuffered hand-offs: a stage works on the next chunk while the
	// following stage works on this one, and no more chunks are made
	// than the slowest stage takes.
	prepared := make(chan *chunk)
	signed := make(chan *chunk)
	var prepareErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(prepared)
		for start := 0; start < len(cs); start += size {
			ch, err := prepare(stop, cfg.Status, cs, start, min(start+size, len(cs)))
			if err != nil {
				prepareErr = err
				cancel()
				return
			}
			select {
			case prepared <- ch:
			case <-stop.Done():
				return
			}
		}
	})
	wg.Go(func() {
		defer close(signed)
		for ch := range prepared {
			for i, o := range cfg.Issuer.IssueBatch(stop, ch.creds) {
				ch.out[i].Signed, ch.out[i].Err = o.Signed, o.Err
			}
			if stop.Err() != nil {
				return // some credentials of the chunk may have the context's error
			}
			select {
			case signed <- ch:
			case <-stop.Done():
				return
			}
		}
	})

	delivered := 0
	var err error
	for ch := range signed {
		if err != nil {
			continue // drain, so that the signing stage ends
		}
		if err = record(stop, cfg, ch); err == nil {
			err = deliver(ch.out)
			delivered += len(ch.out)
		}
		if err != nil {
			cancel()
		}
	}
	wg.Wait()
	switch {
	case err != nil:
		return err
	case prepareErr != nil:
		return prepareErr
	case delivered < len(cs):
		return ctx.Err() // the only other reason for the stages to stop
	}
	return nil
}

// prepare allocates the entries of cs[start:end] and makes the credentials
// the issuer signs.
func prepare(ctx context.Context, series []*status.Series, cs []*credential.Credential, start, end int) (*chunk, error) {
	n := end - start
	ch := &chunk{creds: make([]*credential.Credential, n), out: make([]Issued, n)}
	for i := range ch.out {
		ch.out[i].Index = start + i
		if len(series) > 0 {
			ch.out[i].Entries = make([]status.Entry, 0, len(series))
		}
	}
	for _, s := range series {
		es, err := s.AllocateN(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("cohort: allocating status entries in %s: %w", s.Base(), err)
		}
		for i, e := range es {
			ch.out[i].Entries = append(ch.out[i].Entries, e)
		}
	}
	for i, c := range cs[start:end] {
		ch.creds[i] = withEntries(c, ch.out[i].Entries)
	}
	return ch, nil
}

// withEntries returns c with the entries added to its credentialStatus: a
// copy of its typed fields (never c itself, which is the caller's), or c
// when there are none to add.
func withEntries(c *credential.Credential, entries []status.Entry) *credential.Credential {
	if c == nil || len(entries) == 0 {
		return c
	}
	cp := &credential.Credential{Envelope: c.Envelope, CredentialSubject: c.CredentialSubject, Extra: c.Extra}
	items := make([]credential.CredentialStatus, 0, len(c.CredentialStatus.Items)+len(entries))
	items = append(items, c.CredentialStatus.Items...)
	for _, e := range entries {
		items = append(items, e.CredentialStatus())
	}
	cp.CredentialStatus = credential.Set[credential.CredentialStatus]{Items: items, Single: len(items) == 1}
	return cp
}

// record stores the records of the chunk's credentials that were signed,
// in one transaction.
func record(ctx context.Context, cfg Config, ch *chunk) error {
	if cfg.Records == nil {
		return nil
	}
	recs := make([]sqlstore.Record, 0, len(ch.out))
	for i, o := range ch.out {
		if o.Err != nil {
			continue
		}
		c := ch.creds[i]
		r := sqlstore.Record{CredentialID: c.ID, Issuer: c.Issuer.ID(), RequestID: cfg.RequestID}
		if r.Issuer == "" {
			r.Issuer = cfg.Issuer.Controller() // the issuer filled it in
		}
		if len(c.CredentialSubject.Items) > 0 {
			s := c.CredentialSubject.Items[0]
			r.SubjectID, r.AchievementID = s.ID, s.Achievement.ID()
		}
		for _, e := range o.Entries {
			r.Entries = append(r.Entries, sqlstore.Entry{Purpose: e.Purpose, List: e.ListCredential, Index: e.Index})
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return nil
	}
	if err := cfg.Records.AddRecords(ctx, recs); err != nil {
		return fmt.Errorf("cohort: storing the records of credentials %d to %d: %w", ch.out[0].Index, ch.out[len(ch.out)-1].Index, err)
	}
	j := 0
	for i := range ch.out {
		if ch.out[i].Err == nil {
			ch.out[i].Record = recs[j]
			j++
		}
	}
	return nil
}
