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

func newPermuter(group []int32, labels []string) *permuter {
	sorted := slices.Clone(group)
	slices.SortStableFunc(sorted, func(a, b int32) int {
		switch {
		case labels[a] < labels[b]:
			return -1
		case labels[a] > labels[b]:
			return 1
		}
		return 0
	})
	p := &permuter{current: make([]int32, len(sorted)), work: make([]int32, len(sorted))}
	rank := int32(-1)
	for i, b := range sorted {
		if i == 0 || b != sorted[i-1] {
			rank++
			p.nodes = append(p.nodes, b)
		}
		p.work[i] = rank
	}
	p.left = make([]bool, len(p.nodes))
	for i := range p.left {
		p.left[i] = true
	}
	return p
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
