package strictjson

import "strings"

// Scratch is memory that decoding borrows and gets back. The maps and the
// small slices of the values that Scratch.Decode returns come from it, and
// return to it, cleared, on Release; a caller that decodes document after
// document (the verifier, the issuer) then allocates almost nothing for
// them, which matters less for the time the allocation takes than for the
// garbage collections it causes when several goroutines decode at once.
//
// Nothing decoded with a Scratch may be used after Release: its maps and
// slices are emptied and handed to the next document. Strings are not
// affected (they share the input's memory, or are copies kept for reuse,
// see box). A Scratch is for one goroutine at a time; the zero value is
// ready to use. What it keeps is bounded (maxFreeMaps maps of at most
// mediumMap members per class, maxFreeSlabs slab chunks, maxBoxes strings,
// maxKeptStack entries of bookkeeping and stacks), so one huge document
// cannot make it hold on to much memory.
type Scratch struct {
	d      decoder
	free   [2][]map[string]any // cleared maps by class: small, medium
	inUse  []lentMap
	slabs  [][]any // cleared slab chunks
	usedSl [][]any
	boxes  map[string]any // see box
}

type lentMap struct {
	m     map[string]any
	class int8 // index into Scratch.free and classSize
}

var classSize = [2]int{smallMap, mediumMap}

// Map classes: Go builds a map for at most 8 members in a single group, and
// one made for 16 keeps its table when cleared, so a map of either class
// can be refilled with up to that many members without allocating.
const (
	smallMap     = 8
	mediumMap    = 16
	maxFreeMaps  = 512
	maxFreeSlabs = 32
	maxBoxes     = 512
	maxBoxedLen  = 64
	maxKeptStack = 4096
)

// Decode is DecodeString with the maps and slices of the result taken from
// s. The result is valid until s.Release.
func (s *Scratch) Decode(data string, opts Options) (any, error) {
	if err := CheckSize(len(data), opts); err != nil {
		return nil, err
	}
	d := &s.d
	d.s, d.sc = data, s
	v, err := d.decode(opts)
	d.s = ""
	return v, err
}

// Release gives back the memory of every value decoded with s since the
// last Release. The values must not be used afterwards.
func (s *Scratch) Release() {
	for i, l := range s.inUse {
		// A map the caller grew past its class is left to the collector.
		if len(l.m) <= classSize[l.class] && len(s.free[l.class]) < maxFreeMaps {
			clear(l.m)
			s.free[l.class] = append(s.free[l.class], l.m)
		}
		s.inUse[i] = lentMap{}
	}
	s.inUse = s.inUse[:0]
	for i, c := range s.usedSl {
		if len(s.slabs) < maxFreeSlabs {
			clear(c[:cap(c)])
			s.slabs = append(s.slabs, c[:0])
		}
		s.usedSl[i] = nil
	}
	s.usedSl = s.usedSl[:0]
	s.d.slab = nil
	// The bookkeeping and the decoder's stacks keep their capacity for the
	// next document, unless a huge one grew them.
	d := &s.d
	if cap(s.inUse) > maxKeptStack {
		s.inUse = nil
	}
	if cap(s.usedSl) > maxKeptStack {
		s.usedSl = nil
	}
	if cap(d.kvs) > maxKeptStack {
		d.kvs = nil
	} else {
		clear(d.kvs[:cap(d.kvs)])
	}
	if cap(d.vals) > maxKeptStack {
		d.vals = nil
	} else {
		clear(d.vals[:cap(d.vals)])
	}
	if cap(d.buf) > maxKeptStack*16 {
		d.buf = nil
	}
}

// newMap returns an empty map for n members: from the scratch memory when
// there is one and n is small enough, otherwise a new one.
func (d *decoder) newMap(n int) map[string]any {
	s := d.sc
	if s == nil || n > mediumMap {
		return make(map[string]any, n)
	}
	class := int8(0)
	if n > smallMap {
		class = 1
	}
	var m map[string]any
	if f := s.free[class]; len(f) > 0 {
		m = f[len(f)-1]
		f[len(f)-1] = nil
		s.free[class] = f[:len(f)-1]
	} else {
		m = make(map[string]any, classSize[class])
	}
	s.inUse = append(s.inUse, lentMap{m: m, class: class})
	return m
}

// newSlab returns an empty slab chunk of capacity slabChunk.
func (d *decoder) newSlab() []any {
	s := d.sc
	if s == nil {
		return make([]any, 0, slabChunk)
	}
	var c []any
	if n := len(s.slabs); n > 0 {
		c = s.slabs[n-1]
		s.slabs[n-1] = nil
		s.slabs = s.slabs[:n-1]
	} else {
		c = make([]any, 0, slabChunk)
	}
	s.usedSl = append(s.usedSl, c)
	return c
}

// box returns v in an interface. Boxing a string allocates, so s keeps the
// boxes of the short strings it has seen, which the next documents mostly
// repeat (type names, context URLs, the issuer and the achievement of a
// cohort's badges). A kept box holds a copy of v, so that it keeps no
// document alive; the set starts again when full.
func (s *Scratch) box(v string) any {
	if len(v) > maxBoxedLen {
		return v
	}
	if x, ok := s.boxes[v]; ok {
		return x
	}
	if s.boxes == nil {
		s.boxes = make(map[string]any, 64)
	} else if len(s.boxes) >= maxBoxes {
		clear(s.boxes)
	}
	c := strings.Clone(v)
	x := any(c)
	s.boxes[c] = x
	return x
}
