package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/microcred/openbadges/vcapi"
)

// fileStatusIndex is the vcapi.StatusIndex of badge serve: records are
// appended, one JSON object a line, to a file in the status directory and
// read back at start-up, so that a credential issued before a restart can
// still be revoked through POST /credentials/status. The file grows by one
// line per credential issued with a status entry, which the lists' size
// bounds (131,072 entries each).
type fileStatusIndex struct {
	mu  sync.Mutex
	f   *os.File
	mem vcapi.MemoryStatusIndex
}

// statusIndexFile is the name of the index in the status directory.
const statusIndexFile = "credentials.jsonl"

// maxIndexLine bounds one record of the index file.
const maxIndexLine = 64 << 10

// openStatusIndex opens (creating it if needed) the index file at path
// and loads its records. Lines that cannot be read, such as the last one
// of a write a crash cut short, are skipped.
func openStatusIndex(path string) (*fileStatusIndex, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	x := &fileStatusIndex{f: f}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), maxIndexLine)
	for sc.Scan() {
		var r vcapi.StatusRecord
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.CredentialID == "" {
			continue
		}
		x.mem.Put(context.Background(), r)
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// End a partial last line, so that the next record starts a line.
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	return x, nil
}

// Put implements vcapi.StatusIndex: the record is on disk before Put
// returns.
func (x *fileStatusIndex) Put(ctx context.Context, r vcapi.StatusRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if len(line) >= maxIndexLine {
		return fmt.Errorf("status index: record for %q too large", r.CredentialID)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, err := x.f.Write(append(line, '\n')); err != nil {
		return err
	}
	if err := x.f.Sync(); err != nil {
		return err
	}
	return x.mem.Put(ctx, r)
}

// Get implements vcapi.StatusIndex.
func (x *fileStatusIndex) Get(ctx context.Context, issuer, credentialID string) (*vcapi.StatusRecord, error) {
	return x.mem.Get(ctx, issuer, credentialID)
}

// Close closes the file.
func (x *fileStatusIndex) Close() error { return x.f.Close() }
