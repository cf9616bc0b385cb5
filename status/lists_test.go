package status_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
)

const listURL = "https://issuer.example/status/1"

func newLists(t testing.TB, store status.Store, signer status.Signer) *status.Lists {
	t.Helper()
	l, err := status.NewLists(status.ListsConfig{Store: store, Signer: signer, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAllocateEntry(t *testing.T) {
	ctx := context.Background()
	l := newLists(t, status.NewMemoryStore(), nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	e, err := l.Allocate(ctx, listURL)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != status.TypeBitstringEntry || e.Purpose != status.PurposeRevocation || e.ListCredential != listURL ||
		e.Index >= status.MinEntries || e.ID != listURL+"#"+strconv.FormatUint(e.Index, 10) {
		t.Fatalf("entry %+v", e)
	}
	var m map[string]any
	b, _ := json.Marshal(e)
	must(t, json.Unmarshal(b, &m))
	if m["statusListIndex"] != strconv.FormatUint(e.Index, 10) {
		t.Fatalf("statusListIndex %v is not the index as a base-10 string", m["statusListIndex"])
	}
	if _, ok := m["statusSize"]; ok {
		t.Fatal("statusSize written for a one-bit list")
	}
	cs := e.CredentialStatus()
	if cs.StatusListCredential != listURL || string(cs.Extra["statusListIndex"]) != strconv.Quote(strconv.FormatUint(e.Index, 10)) {
		t.Fatalf("CredentialStatus %+v", cs)
	}
}

// The seed, hence the order of indexes, comes from the injected Rand.
func TestAllocateDeterministicWithInjectedRand(t *testing.T) {
	ctx := context.Background()
	order := func(seedByte byte) []uint64 {
		l, err := status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(),
			Rand: bytes.NewReader(bytes.Repeat([]byte{seedByte}, 32))})
		must(t, err)
		must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
		var idx []uint64
		for range 5 {
			e, err := l.Allocate(ctx, listURL)
			must(t, err)
			idx = append(idx, e.Index)
		}
		return idx
	}
	a, b, c := order(1), order(1), order(2)
	if !slicesEqual(a, b) {
		t.Fatalf("same seed, different orders: %v %v", a, b)
	}
	if slicesEqual(a, c) {
		t.Fatalf("different seeds, same order: %v", a)
	}
}

func slicesEqual(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// 10,000 allocations from 8 goroutines: no index twice (run with -race).
func TestConcurrentAllocation(t *testing.T) {
	ctx := context.Background()
	l := newLists(t, status.NewMemoryStore(), nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	allocateConcurrently(t, l, 8, 10000)
}

func allocateConcurrently(t *testing.T, l *status.Lists, workers, total int) map[uint64]bool {
	t.Helper()
	ctx := context.Background()
	results := make(chan uint64, total)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		n := total / workers
		if w < total%workers {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				e, err := l.Allocate(ctx, listURL)
				if err != nil {
					errs <- err
					return
				}
				results <- e.Index
			}
		}()
	}
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[uint64]bool{}
	for idx := range results {
		if seen[idx] {
			t.Fatalf("index %d allocated twice", idx)
		}
		if idx >= status.MinEntries {
			t.Fatalf("index %d out of range", idx)
		}
		seen[idx] = true
	}
	if len(seen) != total {
		t.Fatalf("%d distinct indexes, want %d", len(seen), total)
	}
	return seen
}

func TestFileStoreConcurrentAllocation(t *testing.T) {
	ctx := context.Background()
	fs, err := status.NewFileStore(t.TempDir())
	must(t, err)
	l := newLists(t, fs, nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	allocateConcurrently(t, l, 8, 200)
}

// A FileStore reopened after a "restart" continues where it stopped: no
// allocation is lost, no index is handed out again, statuses persist.
func TestFileStoreRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fs1, err := status.NewFileStore(dir)
	must(t, err)
	l1 := newLists(t, fs1, nil)
	must(t, l1.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer", Purpose: status.PurposeSuspension}))
	seen := map[uint64]bool{}
	var first status.Entry
	for i := range 30 {
		e, err := l1.Allocate(ctx, listURL)
		must(t, err)
		if i == 0 {
			first = e
		}
		seen[e.Index] = true
	}
	must(t, l1.Suspend(ctx, listURL, first.Index))

	fs2, err := status.NewFileStore(dir) // a new process
	must(t, err)
	l2 := newLists(t, fs2, nil)
	for range 30 {
		e, err := l2.Allocate(ctx, listURL)
		must(t, err)
		if seen[e.Index] {
			t.Fatalf("index %d handed out again after restart", e.Index)
		}
		seen[e.Index] = true
	}
	st, err := fs2.Load(ctx, listURL)
	must(t, err)
	if st.Allocated != 60 {
		t.Fatalf("Allocated = %d, want 60", st.Allocated)
	}
	if v, err := l2.Value(ctx, listURL, first.Index); err != nil || v != 1 {
		t.Fatalf("suspension lost across restart: %d, %v", v, err)
	}
	if err := fs2.Create(ctx, st); !errors.Is(err, status.ErrExists) {
		t.Fatalf("Create of an existing list: %v", err)
	}
	ids, err := fs2.IDs(ctx)
	if err != nil || len(ids) != 1 || ids[0] != listURL {
		t.Fatalf("IDs = %v, %v", ids, err)
	}
}

func TestFileStoreRejectsCorruptFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fs, err := status.NewFileStore(dir)
	must(t, err)
	l := newLists(t, fs, nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	names, _ := globJSON(dir)
	if len(names) != 1 {
		t.Fatalf("files %v", names)
	}
	data, _ := readFile(names[0])
	// A duplicate key and a truncated file are both refused.
	for _, bad := range [][]byte{
		append([]byte(`{"allocated":0,`), data[1:]...),
		data[:len(data)/2],
	} {
		must(t, writeFile(names[0], bad))
		if _, err := l.Allocate(ctx, listURL); !errors.Is(err, status.ErrMalformed) {
			t.Fatalf("Allocate on a corrupt file: %v", err)
		}
	}
}

func TestFileStoreLockTimeout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fs, err := status.NewFileStore(dir)
	must(t, err)
	fs.LockTimeout = 50 * time.Millisecond
	l := newLists(t, fs, nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	names, _ := globJSON(dir)
	lock := names[0][:len(names[0])-len(".json")] + ".lock"
	must(t, writeFile(lock, []byte("12345\n"))) // another process holds the list
	if _, err := l.Allocate(ctx, listURL); err == nil {
		t.Fatal("allocated while another process held the lock")
	}
	must(t, removeFile(lock))
	if _, err := l.Allocate(ctx, listURL); err != nil {
		t.Fatal(err)
	}
}

func TestStoreListFull(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]status.Store{"memory": status.NewMemoryStore(), "file": mustFileStore(t)} {
		st := &status.ListState{ID: listURL, Issuer: "did:example:i", Purpose: "revocation", Entries: status.MinEntries,
			Size: 1, Seed: make([]byte, 32), Allocated: status.MinEntries - 1, Bits: make([]byte, status.MinEntries/8)}
		must(t, s.Create(ctx, st))
		if k, err := s.Reserve(ctx, listURL); err != nil || k != status.MinEntries-1 {
			t.Fatalf("%s: last Reserve = %d, %v", name, k, err)
		}
		if _, err := s.Reserve(ctx, listURL); !errors.Is(err, status.ErrListFull) {
			t.Fatalf("%s: Reserve on a full list: %v", name, err)
		}
		if _, err := s.Reserve(ctx, "https://nowhere.example/"); !errors.Is(err, status.ErrNotFound) {
			t.Fatalf("%s: Reserve on a missing list: %v", name, err)
		}
		bad := *st
		bad.ID = "https://other.example/"
		bad.Bits = bad.Bits[:10]
		if err := s.Create(ctx, &bad); !errors.Is(err, status.ErrConfig) {
			t.Fatalf("%s: Create with short bits: %v", name, err)
		}
	}
}

func mustFileStore(t *testing.T) *status.FileStore {
	fs, err := status.NewFileStore(t.TempDir())
	must(t, err)
	return fs
}

func TestStatusChanges(t *testing.T) {
	ctx := context.Background()
	l := newLists(t, status.NewMemoryStore(), nil)
	rev, sus := listURL, "https://issuer.example/status/2"
	must(t, l.Create(ctx, status.ListConfig{ID: rev, Issuer: "did:example:issuer"}))
	must(t, l.Create(ctx, status.ListConfig{ID: sus, Issuer: "did:example:issuer", Purpose: status.PurposeSuspension}))
	er, _ := l.Allocate(ctx, rev)
	es, _ := l.Allocate(ctx, sus)

	must(t, l.Revoke(ctx, rev, er.Index))
	if err := l.Reinstate(ctx, rev, er.Index); !errors.Is(err, status.ErrIrreversible) {
		t.Fatalf("Reinstate on a revocation list: %v", err)
	}
	if err := l.SetValue(ctx, rev, er.Index, 0); !errors.Is(err, status.ErrIrreversible) {
		t.Fatalf("SetValue 0 on a revoked entry: %v", err)
	}
	if err := l.Suspend(ctx, rev, er.Index); !errors.Is(err, status.ErrWrongPurpose) {
		t.Fatalf("Suspend on a revocation list: %v", err)
	}
	if err := l.Revoke(ctx, sus, es.Index); !errors.Is(err, status.ErrWrongPurpose) {
		t.Fatalf("Revoke on a suspension list: %v", err)
	}
	must(t, l.Suspend(ctx, sus, es.Index))
	must(t, l.Reinstate(ctx, sus, es.Index))
	if v, _ := l.Value(ctx, sus, es.Index); v != 0 {
		t.Fatal("Reinstate did not clear the bit")
	}
	unallocated := (er.Index + 1) % status.MinEntries
	if err := l.Revoke(ctx, rev, unallocated); !errors.Is(err, status.ErrNotAllocated) {
		t.Fatalf("Revoke of an index never allocated: %v", err)
	}
	if err := l.Revoke(ctx, rev, status.MinEntries); !errors.Is(err, status.ErrRange) {
		t.Fatalf("Revoke past the end: %v", err)
	}
	if err := l.Revoke(ctx, "https://nowhere.example/", 1); !errors.Is(err, status.ErrNotFound) {
		t.Fatalf("Revoke on a missing list: %v", err)
	}
	if _, err := l.Publish(ctx, rev); !errors.Is(err, status.ErrConfig) {
		t.Fatalf("Publish without a Signer: %v", err)
	}
}

func TestCreateRejects(t *testing.T) {
	ctx := context.Background()
	l := newLists(t, status.NewMemoryStore(), nil)
	four := []status.Message{{"0x0", "a"}, {"0x1", "b"}, {"0x2", "c"}, {"0x3", "d"}}
	for name, c := range map[string]status.ListConfig{
		"no id":            {Issuer: "did:example:i"},
		"no issuer":        {ID: listURL},
		"too short":        {ID: listURL, Issuer: "did:example:i", Entries: 1000},
		"2 bits revoke":    {ID: listURL, Issuer: "did:example:i", Size: 2, Messages: four},
		"messages missing": {ID: listURL, Issuer: "did:example:i", Purpose: status.PurposeMessage, Size: 2},
		"messages count":   {ID: listURL, Issuer: "did:example:i", Purpose: status.PurposeMessage, Size: 2, Messages: four[:3]},
		"bad status hex":   {ID: listURL, Issuer: "did:example:i", Purpose: status.PurposeMessage, Size: 1, Messages: []status.Message{{"0", "a"}, {"1", "b"}}},
		"unknown purpose":  {ID: listURL, Issuer: "did:example:i", Purpose: "revoked"},
		"9 bits":           {ID: listURL, Issuer: "did:example:i", Purpose: status.PurposeMessage, Size: 9},
	} {
		if err := l.Create(ctx, c); !errors.Is(err, status.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
	if _, err := status.NewLists(status.ListsConfig{}); !errors.Is(err, status.ErrConfig) {
		t.Errorf("NewLists without a store: %v", err)
	}
}

func TestListCredential(t *testing.T) {
	ctx := context.Background()
	l := newLists(t, status.NewMemoryStore(), nil)
	must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer", TTL: 5 * time.Minute, ValidFor: 24 * time.Hour}))
	e, _ := l.Allocate(ctx, listURL)
	must(t, l.Revoke(ctx, listURL, e.Index))
	data, err := l.ListCredential(ctx, listURL)
	must(t, err)
	doc := decode(t, data)
	subj := doc["credentialSubject"].(map[string]any)
	if doc["id"] != listURL || doc["issuer"] != "did:example:issuer" || doc["validFrom"] != "2026-11-29T12:00:00Z" ||
		doc["validUntil"] != "2026-11-30T12:00:00Z" || subj["type"] != status.TypeBitstringList ||
		subj["statusPurpose"] != "revocation" || subj["ttl"] != json.Number("300000") {
		t.Fatalf("list credential %s", data)
	}
	bs, err := status.DecodeList(subj["encodedList"].(string), 0)
	must(t, err)
	if v, _ := bs.Get(e.Index, 1); v != 1 || bs.Len() != status.MinEntries {
		t.Fatalf("encodedList: bit %d = %d, %d bits", e.Index, v, bs.Len())
	}
}

// Two FileStores on one directory stand for two processes: only the lock
// file serializes them, and no index is handed out twice.
func TestFileStoreTwoProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fsA, err := status.NewFileStore(dir)
	must(t, err)
	fsB, err := status.NewFileStore(dir)
	must(t, err)
	la, lb := newLists(t, fsA, nil), newLists(t, fsB, nil)
	must(t, la.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
	var mu sync.Mutex
	seen := map[uint64]bool{}
	var wg sync.WaitGroup
	for w := range 6 {
		l := la
		if w%2 == 1 {
			l = lb
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				e, err := l.Allocate(ctx, listURL)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[e.Index] {
					t.Errorf("index %d allocated twice", e.Index)
				}
				seen[e.Index] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	st, err := fsB.Load(ctx, listURL)
	must(t, err)
	if st.Allocated != 150 || len(seen) != 150 {
		t.Fatalf("allocated %d, distinct %d, want 150", st.Allocated, len(seen))
	}
}

// The stores themselves refuse to clear a revoked entry, in the same step as
// the write: a check in Lists alone would let a revocation racing with a
// SetValue(0) be undone (read 0, revoke, write 0).
func TestStoreRevocationIsFinal(t *testing.T) {
	ctx := context.Background()
	for name, store := range map[string]status.Store{"memory": status.NewMemoryStore(), "file": mustFileStore(t)} {
		t.Run(name, func(t *testing.T) {
			l := newLists(t, store, nil)
			must(t, l.Create(ctx, status.ListConfig{ID: listURL, Issuer: "did:example:issuer"}))
			e, err := l.Allocate(ctx, listURL)
			must(t, err)
			must(t, store.SetStatus(ctx, listURL, e.Index, 1))
			if err := store.SetStatus(ctx, listURL, e.Index, 0); !errors.Is(err, status.ErrIrreversible) {
				t.Fatalf("store cleared a revoked entry: %v", err)
			}
			// Revoke and clear racing: once a revocation succeeded, the entry
			// stays revoked whatever the order.
			for i := 0; i < 50; i++ {
				e, err := l.Allocate(ctx, listURL)
				must(t, err)
				var wg sync.WaitGroup
				wg.Add(2)
				go func() {
					defer wg.Done()
					if err := l.Revoke(ctx, listURL, e.Index); err != nil {
						t.Error(err)
					}
				}()
				go func() { defer wg.Done(); _ = l.SetValue(ctx, listURL, e.Index, 0) }()
				wg.Wait()
				if v, err := l.Value(ctx, listURL, e.Index); err != nil || v != 1 {
					t.Fatalf("entry %d after revoke racing with clear: %d, %v", e.Index, v, err)
				}
			}
		})
	}
}

// TestListStateEntries: what "badge status show" reports of a stored list.
func TestListStateEntries(t *testing.T) {
	bits, err := status.NewBitstring(status.MinEntries, 1)
	require.NoError(t, err)
	require.NoError(t, bits.Set(3, 1, 1))
	require.NoError(t, bits.Set(7, 1, 1))
	st := &status.ListState{Purpose: status.PurposeRevocation, Entries: status.MinEntries, Size: 1, Bits: bits.Bytes()}
	assert.Equal(t, 2, st.SetEntries())
	v, name, err := st.EntryStatus(3)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), v)
	assert.Equal(t, "revoked", name)
	_, name, _ = st.EntryStatus(4)
	assert.Equal(t, "ok", name)
	st.Purpose = status.PurposeSuspension
	_, name, _ = st.EntryStatus(7)
	assert.Equal(t, "suspended", name)
	msg, err := status.NewBitstring(status.MinEntries, 2)
	require.NoError(t, err)
	require.NoError(t, msg.Set(1, 2, 3))
	st = &status.ListState{Purpose: status.PurposeMessage, Entries: status.MinEntries, Size: 2, Bits: msg.Bytes()}
	assert.Equal(t, 1, st.SetEntries())
	_, name, _ = st.EntryStatus(1)
	assert.Equal(t, "0x3", name)
	_, _, err = st.EntryStatus(status.MinEntries * 8)
	assert.Error(t, err)
}
