package credential

import "reflect"

// The typed model of a credential is a few dozen small objects (the
// credential, its subject, achievement, issuer profile, results, …). An
// issuer signing a cohort decodes one per credential and keeps none of
// them, so ReadScoped takes them from an arena that the next ReadScoped
// reuses, instead of handing them to the garbage collector: on two cores
// every collection costs both a stop and a wake-up (BENCHMARKS.md,
// "Scaling measured against each core's own speed").

// arena holds one slab of each model type a scoped decoding allocated.
type arena struct {
	slabs map[reflect.Type]recycler
}

type recycler interface{ recycle() }

// slab hands out Ts from one block; recycle zeroes what it handed out
// (so that the arena keeps no string of an earlier input alive) and starts
// again from the top.
type slab[T any] struct {
	block []T
	used  int
}

// maxSlab bounds the block a pooled slab keeps: one huge credential does
// not leave a huge block behind.
const maxSlab = 256

func (s *slab[T]) recycle() {
	clear(s.block[:s.used])
	s.used = 0
	if len(s.block) > maxSlab {
		s.block = nil
	}
}

// recycle makes every object the arena handed out available again.
func (a *arena) recycle() {
	for _, s := range a.slabs {
		s.recycle()
	}
}

// alloc returns n zero Ts, exactly n in capacity: from d's arena when d
// decodes for ReadScoped, from the heap otherwise.
func alloc[T any](d *decodeState, n int) []T {
	if d.arena == nil {
		return make([]T, n)
	}
	t := reflect.TypeFor[T]()
	s, _ := d.arena.slabs[t].(*slab[T])
	if s == nil {
		s = new(slab[T])
		d.arena.slabs[t] = s
	}
	if s.used+n > len(s.block) {
		// The Ts handed out so far stay in the old block, which is
		// garbage once the credential is done with; the new one is
		// large enough for the whole of the next credential.
		s.block, s.used = make([]T, max(2*len(s.block), s.used+n, 4)), 0
	}
	items := s.block[s.used : s.used+n : s.used+n]
	s.used += n
	return items
}

// allocOne returns a pointer to one zero T, as alloc.
func allocOne[T any](d *decodeState) *T { return &alloc[T](d, 1)[0] }
