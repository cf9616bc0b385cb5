package rdfc

import "slices"

// permuter enumerates the permutations of a list of blank nodes with the
// Steinhaus–Johnson–Trotter algorithm, starting from the list sorted by input
// label. RDFC-1.0 does not fix the order of permutations, and the canonical
// N-Quads do not depend on it; but when two permutations give the same path
// the first one wins, so the order decides the issued identifiers map for
// symmetric datasets. This is the order of the reference implementation
// (rdf-canonize), which the rdf-canon map tests were generated with.
//
// Elements are compared by rank (position among the distinct sorted
// labels), so a node listed twice behaves as in the reference.
type permuter struct {
	current []int32 // the permutation returned by the last call to next
	work    []int32 // the next permutation, as ranks
	nodes   []int32 // rank -> node
	left    []bool  // rank -> direction (true: looking left)
	done    bool
}

// reset starts the enumeration of the permutations of group, reusing p's
// buffers. group is sorted in place.
// rank orders blank nodes by input label.
func (p *permuter) reset(group []int32, rank []int32) {
	slices.SortFunc(group, func(a, b int32) int { return int(rank[a] - rank[b]) })
	n := len(group)
	p.current = slices.Grow(p.current[:0], n)[:n]
	p.work = slices.Grow(p.work[:0], n)[:n]
	p.nodes = p.nodes[:0]
	p.left = p.left[:0]
	p.done = false
	r := int32(-1)
	for i, b := range group {
		if i == 0 || b != group[i-1] {
			r++
			p.nodes = append(p.nodes, b)
			p.left = append(p.left, true)
		}
		p.work[i] = r
	}
}

// next advances to the next permutation, stored in p.current, and reports
// whether there was one.
func (p *permuter) next() bool {
	if p.done {
		return false
	}
	for i, r := range p.work {
		p.current[i] = p.nodes[r]
	}
	// Find the largest mobile element: one greater than the neighbour it
	// looks at.
	k, pos := int32(-1), 0
	w := p.work
	for i, e := range w {
		if e > k && ((p.left[e] && i > 0 && e > w[i-1]) || (!p.left[e] && i < len(w)-1 && e > w[i+1])) {
			k, pos = e, i
		}
	}
	if k < 0 {
		p.done = true
		return true
	}
	swap := pos + 1
	if p.left[k] {
		swap = pos - 1
	}
	w[pos], w[swap] = w[swap], k
	for _, e := range w {
		if e > k {
			p.left[e] = !p.left[e]
		}
	}
	return true
}
