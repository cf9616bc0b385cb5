package status

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
)

// FileStore is a Store that keeps each list in a JSON file of a directory.
// Every change is written to a temporary file, synced, renamed over the
// list's file and the directory synced, so a crash leaves either the old or
// the new state, and an index Reserve returned is never handed out again
// after a restart.
//
// Within a process a mutex serializes changes; between processes a lock
// file (name.lock, created exclusively) does. A process killed while
// holding it leaves the lock file behind; the next caller then fails after
// LockTimeout with an error naming it, to be removed by hand once no other
// process uses the store. For several issuing nodes, use a database-backed
// Store instead (see the package documentation).
type FileStore struct {
	dir string
	// LockTimeout bounds the wait for another process's lock; zero means
	// 10 seconds.
	LockTimeout time.Duration

	mu sync.Mutex
}

// maxStateFile bounds a list file read back: the bits of the largest list
// (DefaultMaxListBytes) in base64, plus room for the rest.
const maxStateFile = DefaultMaxListBytes*4/3 + 1<<20

// NewFileStore returns a FileStore in dir, creating dir (0700) if needed.
func NewFileStore(dir string) (*FileStore, error) {
	if dir == "" {
		return nil, fieldErr(ErrConfig, "dir", "required")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &FieldError{Field: "dir", Kind: ErrConfig, Err: err}
	}
	return &FileStore{dir: dir}, nil
}

// path names a list's file after a hash of its id, since ids are URLs.
func (f *FileStore) path(id string) string {
	h := sha256.Sum256([]byte(id))
	return filepath.Join(f.dir, hex.EncodeToString(h[:16])+".json")
}

// Create implements Store.
func (f *FileStore) Create(ctx context.Context, state *ListState) error {
	if err := state.check(); err != nil {
		return err
	}
	return f.update(ctx, state.ID, true, func(old *ListState) (*ListState, error) {
		if old != nil {
			return nil, fieldErr(ErrExists, "id", "%q", state.ID)
		}
		return state, nil
	})
}

// Load implements Store.
func (f *FileStore) Load(ctx context.Context, id string) (*ListState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.read(id)
}

// Reserve implements Store.
func (f *FileStore) Reserve(ctx context.Context, id string) (uint64, error) {
	var k uint64
	err := f.update(ctx, id, false, func(s *ListState) (*ListState, error) {
		if s.Allocated >= uint64(s.Entries) {
			return nil, fieldErr(ErrListFull, "id", "all %d entries of %q are allocated", s.Entries, id)
		}
		k = s.Allocated
		s.Allocated++
		return s, nil
	})
	return k, err
}

// SetStatus implements Store.
func (f *FileStore) SetStatus(ctx context.Context, id string, index, value uint64) error {
	return f.update(ctx, id, false, func(s *ListState) (*ListState, error) {
		if err := s.setStatus(index, value); err != nil {
			return nil, err
		}
		return s, nil
	})
}

// IDs implements Store.
func (f *FileStore) IDs(ctx context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	names, err := filepath.Glob(filepath.Join(f.dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, n := range names {
		s, err := readState(n)
		if err != nil {
			return nil, err
		}
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	return ids, nil
}

func (f *FileStore) read(id string) (*ListState, error) {
	s, err := readState(f.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fieldErr(ErrNotFound, "id", "no list %q", id)
	}
	if err != nil {
		return nil, err
	}
	if s.ID != id {
		return nil, fieldErr(ErrMalformed, "id", "file %s holds %q, not %q", f.path(id), s.ID, id)
	}
	return s, nil
}

func readState(name string) (*ListState, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	// Strict parsing first (duplicate keys, size), then the typed decode.
	if _, err := strictjson.Decode(data, strictjson.Options{MaxBytes: maxStateFile}); err != nil {
		return nil, &FieldError{Field: name, Kind: ErrMalformed, Err: err}
	}
	var s ListState
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, &FieldError{Field: name, Kind: ErrMalformed, Err: err}
	}
	if err := s.check(); err != nil {
		return nil, &FieldError{Field: name, Kind: ErrMalformed, Err: err}
	}
	return &s, nil
}

// update runs fn on the list's state under both locks and writes back what
// it returns. old is nil only when create is set and the list is absent.
func (f *FileStore) update(ctx context.Context, id string, create bool, fn func(old *ListState) (*ListState, error)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	unlock, err := f.lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := f.read(id)
	if err != nil && !(create && errors.Is(err, ErrNotFound)) {
		return err
	}
	next, err := fn(old)
	if err != nil {
		return err
	}
	data, err := json.Marshal(next)
	if err != nil {
		return err
	}
	return writeFileAtomic(f.path(id), data)
}

func (f *FileStore) lock(ctx context.Context, id string) (func(), error) {
	name := strings.TrimSuffix(f.path(id), ".json") + ".lock"
	timeout := f.LockTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for {
		lf, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(lf, "%d\n", os.Getpid())
			lf.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("status: list %q is locked by %s; remove it if no other process is using the store", id, name)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// writeFileAtomic replaces name with data: temporary file, fsync, rename,
// fsync of the directory.
func writeFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
