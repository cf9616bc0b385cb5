package jsonld

// arena hands out small slices carved from larger chunks, so that a document
// costs a few allocations instead of one per object, array and value list.
// A slice it returns has length 0 and a capacity of exactly n: appending
// beyond n reallocates rather than overwriting a neighbour.
type arena[T any] struct {
	buf   []T
	chunk int
	used  int // elements handed out since the last reset, over all chunks
	want  int // the largest reserve since the last reset
}

func (a *arena[T]) take(n int) []T {
	a.used += n
	if cap(a.buf)-len(a.buf) < n {
		// Chunks double from 16 up to 512 elements, so small documents
		// stay small and large ones still amortize.
		a.chunk = min(max(16, 2*a.chunk), 512)
		a.buf = make([]T, 0, max(a.chunk, n))
	}
	l := len(a.buf)
	a.buf = a.buf[:l+n]
	return a.buf[l : l : l+n]
}

func (a *arena[T]) one() *T {
	s := a.take(1)[:1]
	return &s[0]
}

// reserve makes the next chunk hold n elements (at most 4096), for callers
// that can estimate their needs.
func (a *arena[T]) reserve(n int) {
	n = min(n, 4096)
	a.want = max(a.want, n)
	if n > cap(a.buf)-len(a.buf) {
		a.buf = make([]T, 0, n)
		a.chunk = n
	}
}

// reset empties the arena for reuse by another document, clearing what it
// held so that nothing stays reachable. A chunk larger than limit is dropped
// instead.
//
// When the last document needed more than the chunk kept, the next one
// starts with a single chunk of that size, so that a pooled arena reaches a
// steady state of no allocation for documents of a similar size.
func (a *arena[T]) reset(limit int) {
	need := max(a.used, a.want)
	a.used, a.want = 0, 0
	switch {
	case cap(a.buf) > limit:
		a.buf = nil
	case need > cap(a.buf) && need <= limit:
		a.buf = make([]T, 0, need)
	default:
		// Only the first len elements were ever handed out (take extends
		// the length), so only they need clearing.
		clear(a.buf)
		a.buf = a.buf[:0]
	}
	a.chunk = 0
}
