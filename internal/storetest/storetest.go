// Package storetest is the conformance suite every status.Store passes:
// the memory, file, SQLite and PostgreSQL stores run the same tests, so
// that they behave alike. It also opens the test databases.
package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/status"
)

// NewStore returns an empty store for one test.
type NewStore func(t *testing.T) status.Store

func state(id, purpose string) *status.ListState {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i + 1)
	}
	return &status.ListState{ID: id, Issuer: "did:example:issuer", Purpose: purpose, Entries: status.MinEntries, Size: 1,
		Seed: seed, Bits: make([]byte, status.MinEntries/8)}
}

// Run runs the suite against the stores newStore makes.
func Run(t *testing.T, newStore NewStore) {
	ctx := context.Background()
	t.Run("CreateLoad", func(t *testing.T) {
		s := newStore(t)
		st := state("https://example.com/status/1", status.PurposeSuspension)
		st.TTL = 300000000000
		st.Messages = nil
		require.NoError(t, s.Create(ctx, st))
		got, err := s.Load(ctx, st.ID)
		require.NoError(t, err)
		assert.Equal(t, st, got)
		got.Bits[0] = 0xff // a copy
		again, err := s.Load(ctx, st.ID)
		require.NoError(t, err)
		assert.Zero(t, again.Bits[0])
		assert.ErrorIs(t, s.Create(ctx, st), status.ErrExists)
		_, err = s.Load(ctx, "https://example.com/none")
		assert.ErrorIs(t, err, status.ErrNotFound)
	})
	t.Run("CreateInvalid", func(t *testing.T) {
		s := newStore(t)
		st := state("https://example.com/status/1", status.PurposeRevocation)
		st.Seed = st.Seed[:8]
		err := s.Create(ctx, st)
		require.ErrorIs(t, err, status.ErrConfig)
		var fe *status.FieldError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "seed", fe.Field)
	})
	t.Run("IDs", func(t *testing.T) {
		s := newStore(t)
		ids, err := s.IDs(ctx)
		require.NoError(t, err)
		assert.Empty(t, ids)
		for _, id := range []string{"https://b.example/2", "https://a.example/Z", "https://a.example/a"} {
			require.NoError(t, s.Create(ctx, state(id, status.PurposeRevocation)))
		}
		ids, err = s.IDs(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"https://a.example/Z", "https://a.example/a", "https://b.example/2"}, ids)
	})
	t.Run("ReserveUntilFull", func(t *testing.T) {
		s := newStore(t)
		st := state("https://example.com/status/1", status.PurposeRevocation)
		st.Allocated = uint64(st.Entries) - 3
		require.NoError(t, s.Create(ctx, st))
		for want := st.Allocated; want < uint64(st.Entries); want++ {
			k, err := s.Reserve(ctx, st.ID)
			require.NoError(t, err)
			assert.Equal(t, want, k)
		}
		_, err := s.Reserve(ctx, st.ID)
		assert.ErrorIs(t, err, status.ErrListFull)
		_, err = s.Reserve(ctx, "https://example.com/none")
		assert.ErrorIs(t, err, status.ErrNotFound)
	})
	t.Run("ReserveConcurrent", func(t *testing.T) {
		s := newStore(t)
		st := state("https://example.com/status/1", status.PurposeRevocation)
		require.NoError(t, s.Create(ctx, st))
		const workers, each = 8, 25
		got := make(chan uint64, workers*each)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for range each {
					k, err := s.Reserve(ctx, st.ID)
					if !assert.NoError(t, err) {
						return
					}
					got <- k
				}
			})
		}
		wg.Wait()
		close(got)
		var ks []uint64
		for k := range got {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		require.Len(t, ks, workers*each)
		for i, k := range ks {
			require.Equal(t, uint64(i), k, "every value once")
		}
	})
	t.Run("SetStatus", func(t *testing.T) {
		s := newStore(t)
		rev := state("https://example.com/status/r", status.PurposeRevocation)
		sus := state("https://example.com/status/s", status.PurposeSuspension)
		require.NoError(t, s.Create(ctx, rev))
		require.NoError(t, s.Create(ctx, sus))
		require.NoError(t, s.SetStatus(ctx, rev.ID, 7, 1))
		require.NoError(t, s.SetStatus(ctx, rev.ID, 7, 1), "setting a set entry again is harmless")
		assert.ErrorIs(t, s.SetStatus(ctx, rev.ID, 7, 0), status.ErrIrreversible)
		require.NoError(t, s.SetStatus(ctx, sus.ID, 9, 1))
		require.NoError(t, s.SetStatus(ctx, sus.ID, 9, 0))
		got, err := s.Load(ctx, rev.ID)
		require.NoError(t, err)
		v, err := status.BitstringFromBytes(got.Bits).Get(7, 1)
		require.NoError(t, err)
		assert.Equal(t, uint64(1), v)
		got, err = s.Load(ctx, sus.ID)
		require.NoError(t, err)
		v, _ = status.BitstringFromBytes(got.Bits).Get(9, 1)
		assert.Zero(t, v)
		assert.Error(t, s.SetStatus(ctx, rev.ID, uint64(rev.Entries), 1), "outside the list")
		assert.ErrorIs(t, s.SetStatus(ctx, "https://example.com/none", 1, 1), status.ErrNotFound)
	})
	t.Run("RevocationRacesReinstatement", func(t *testing.T) {
		// Revocations racing with attempts to clear them: every
		// revocation stays.
		s := newStore(t)
		rev := state("https://example.com/status/r", status.PurposeRevocation)
		require.NoError(t, s.Create(ctx, rev))
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 20 {
					idx := uint64(w*100 + i)
					assert.NoError(t, s.SetStatus(ctx, rev.ID, idx, 1))
					err := s.SetStatus(ctx, rev.ID, idx, 0)
					assert.ErrorIs(t, err, status.ErrIrreversible)
				}
			})
		}
		wg.Wait()
		got, err := s.Load(ctx, rev.ID)
		require.NoError(t, err)
		bs := status.BitstringFromBytes(got.Bits)
		for w := range 4 {
			for i := range 20 {
				v, _ := bs.Get(uint64(w*100+i), 1)
				require.Equal(t, uint64(1), v)
			}
		}
	})
	t.Run("Lists", func(t *testing.T) {
		// The status package on top: allocate, revoke, batches, series.
		s := newStore(t)
		l, err := status.NewLists(status.ListsConfig{Store: s})
		require.NoError(t, err)
		const id = "https://example.com/status/1"
		require.NoError(t, l.Create(ctx, status.ListConfig{ID: id, Issuer: "did:example:issuer"}))
		e, err := l.Allocate(ctx, id)
		require.NoError(t, err)
		es, err := l.AllocateN(ctx, id, 50)
		require.NoError(t, err)
		require.Len(t, es, 50)
		seen := map[uint64]bool{e.Index: true}
		for _, e := range es {
			require.False(t, seen[e.Index], "index %d twice", e.Index)
			seen[e.Index] = true
		}
		require.NoError(t, l.Revoke(ctx, id, es[3].Index))
		v, err := l.Value(ctx, id, es[3].Index)
		require.NoError(t, err)
		assert.Equal(t, uint64(1), v)
		assert.ErrorIs(t, l.Reinstate(ctx, id, es[3].Index), status.ErrIrreversible)
	})
	t.Run("SeriesOpensNextList", func(t *testing.T) {
		s := newStore(t)
		l, err := status.NewLists(status.ListsConfig{Store: s})
		require.NoError(t, err)
		// The first list with all but two entries allocated.
		base := state("https://example.com/status/rev", status.PurposeRevocation)
		base.Allocated = uint64(base.Entries) - 2
		require.NoError(t, s.Create(ctx, base))
		ser, err := l.NewSeries(ctx, status.ListConfig{ID: base.ID, Issuer: base.Issuer})
		require.NoError(t, err)
		es, err := ser.AllocateN(ctx, 5)
		require.NoError(t, err)
		require.Len(t, es, 5)
		assert.Equal(t, ser.Base(), es[0].ListCredential)
		assert.Equal(t, ser.Base(), es[1].ListCredential)
		for _, e := range es[2:] {
			assert.Equal(t, ser.Base()+"-2", e.ListCredential)
		}
		n, ok := ser.Seq(ser.Base() + "-2")
		assert.True(t, ok)
		assert.Equal(t, 2, n)
		ids, err := ser.Lists(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{ser.Base(), ser.Base() + "-2"}, ids)
	})
}
