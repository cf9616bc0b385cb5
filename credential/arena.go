package credential

import "reflect"

// modelArena lends the typed model of a credential that is used only for the
// length of one call (the issuer parses each credential again to validate
// what it signs, then drops it): the model's structs and slices are carved
// from one slab per type, and release clears and keeps them for the next
// credential. With its document also recycled (see parseRecycled), issuing a
// badge then allocates little beyond its output, which is what lets a batch
// scale with cores (the garbage collector is what held it back).
//
// Not for a credential handed to a caller: after release its fields are
// zero. An arena is for one goroutine at a time.
type modelArena struct {
	slabs map[reflect.Type]releaser
}

type releaser interface{ release() }

// maxSlab is the most elements a type's slab keeps across credentials; a
// larger document's model is left to the collector.
const maxSlab = 4096

// slab hands out consecutive elements of cur, full slices whose capacity
// is their length (so that appending to one never writes into another).
type slab[T any] struct {
	cur []T // len is what has been handed out
}

func (s *slab[T]) take(n int) []T {
	if len(s.cur)+n > cap(s.cur) {
		// The filled chunk stays with the model that points into it; the
		// next one is larger, until one is enough for a whole credential.
		s.cur = make([]T, 0, max(8, n, 2*cap(s.cur)))
	}
	l := len(s.cur)
	s.cur = s.cur[:l+n]
	return s.cur[l : l+n : l+n]
}

func (s *slab[T]) release() {
	if cap(s.cur) > maxSlab {
		s.cur = nil
		return
	}
	clear(s.cur)
	s.cur = s.cur[:0]
}

func (a *modelArena) release() {
	for _, s := range a.slabs {
		s.release()
	}
}

// take returns n zero elements of type T: from d's arena when it has one,
// otherwise newly allocated.
func take[T any](d *decodeState, n int) []T {
	if d.arena == nil {
		return make([]T, n)
	}
	t := reflect.TypeFor[T]()
	s, ok := d.arena.slabs[t].(*slab[T])
	if !ok {
		if d.arena.slabs == nil {
			d.arena.slabs = make(map[reflect.Type]releaser)
		}
		s = new(slab[T])
		d.arena.slabs[t] = s
	}
	return s.take(n)
}

// takeOne returns a pointer to a zero T, as take does.
func takeOne[T any](d *decodeState) *T { return &take[T](d, 1)[0] }
