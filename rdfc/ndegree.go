package rdfc

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
)

// Work accounting. The unit is roughly the cost of one small hash
// computation; see DefaultMaxWork.
const (
	// ctxCheckInterval is how many units of work pass between checks of ctx.
	ctxCheckInterval = 256
	// scanPerUnit is how many issuer entries a linear lookup may scan per
	// unit of work.
	scanPerUnit = 32
	// maxDepth bounds the recursion of Hash N-Degree Quads (whose depth is
	// at most the number of blank nodes).
	maxDepth = 10_000
	// hashBytesPerUnit is how many bytes may be hashed per unit of work (a
	// hostile dataset may use very long predicate IRIs).
	hashBytesPerUnit = 128
)

// spend charges units of work and fails when the budget is exhausted or the
// context has ended.
func (c *canonicalizer) spend(units int) error {
	c.work += units
	if c.work > c.maxWork {
		return fmt.Errorf("%w: more than %d units of work needed for %d blank nodes (see rdfc.Options.MaxWork)",
			ErrCanonicalizationLimit, c.maxWork, len(c.labels))
	}
	c.untilCheck -= units
	if c.untilCheck <= 0 {
		c.untilCheck = ctxCheckInterval
		if err := c.ctx.Err(); err != nil {
			return fmt.Errorf("rdfc: canonicalization stopped: %w", err)
		}
	}
	return nil
}

// An issuer is a temporary identifier issuer ("_:b0", "_:b1", …): the blank
// nodes in the order they were issued. Issuers are shared between
// permutations and recursive calls and never modified once shared: a shared
// issuer has cap == len, and a new identifier is issued into a copy made
// by cloneIssuer.
type issuer = []int32

func issuerIndex(is issuer, b int32) int {
	for i, x := range is {
		if x == b {
			return i
		}
	}
	return -1
}

// cloneIssuer copies is into the issuer arena with room for extra more
// identifiers. Issuers live as long as the canonicalization, so a bump
// allocator saves most of the garbage of the permutation loop.
func (c *canonicalizer) cloneIssuer(is issuer, extra int) issuer {
	need := len(is) + extra
	if cap(c.arena)-len(c.arena) < need {
		c.arena = make([]int32, 0, max(1024, 4*need))
	}
	start := len(c.arena)
	c.arena = append(c.arena, is...)
	c.arena = c.arena[:start+need]
	return c.arena[start : start+len(is) : start+need]
}

// A frame holds the scratch buffers of one level of hashNDegree's
// recursion, reused by every call at that depth.
type frame struct {
	rels      []related
	digests   []byte
	data      []byte
	path      []byte
	chosen    []byte
	recursion []int32
	group     []int32
	perm      permuter
	sum       []byte
}

type related struct {
	node int32
	hash int32 // offset of its related hash in frame.digests
}

// hashNDegree implements Hash N-Degree Quads (RDFC-1.0 §4.8) for blank node
// b with temporary issuer is. It returns the hash, valid until the next
// call at the same depth, and the chosen issuer.
func (c *canonicalizer) hashNDegree(b int32, is issuer) ([]byte, issuer, error) {
	quads := c.nodeQuads[c.nodeStart[b]:c.nodeStart[b+1]]
	if err := c.spend(1); err != nil {
		return nil, nil, err
	}
	if c.depth >= maxDepth {
		// Only reachable with a huge MaxWork; a goroutine stack overflow
		// would kill the process.
		return nil, nil, fmt.Errorf("%w: Hash N-Degree Quads recursion deeper than %d", ErrCanonicalizationLimit, maxDepth)
	}
	if c.depth == len(c.frames) {
		c.frames = append(c.frames, new(frame))
	}
	f := c.frames[c.depth]
	c.depth++
	defer func() { c.depth-- }()
	is = is[:len(is):len(is)]
	hs := c.hsize

	// Steps 1–3: hash every related blank node.
	f.rels, f.digests = f.rels[:0], f.digests[:0]
	units := 0
	for _, qi := range quads {
		bn := &c.qbn[qi]
		for p, r := range bn {
			if r >= 0 && r != b {
				f.rels = append(f.rels, related{r, int32(len(f.digests))})
				f.digests = c.hashRelated(f.digests, r, qi, p, is)
				units += 1 + len(c.input)/hashBytesPerUnit + len(is)/scanPerUnit
			}
		}
	}
	if err := c.spend(units); err != nil {
		return nil, nil, err
	}
	digests := f.digests
	slices.SortStableFunc(f.rels, func(x, y related) int {
		return bytes.Compare(digests[x.hash:int(x.hash)+hs], digests[y.hash:int(y.hash)+hs])
	})

	// Steps 4–5: for each group of related nodes with the same hash, in hash
	// order, find the permutation giving the smallest path.
	f.data = f.data[:0]
	for i := 0; i < len(f.rels); {
		h := digests[f.rels[i].hash : int(f.rels[i].hash)+hs]
		j := i + 1
		for j < len(f.rels) && bytes.Equal(h, digests[f.rels[j].hash:int(f.rels[j].hash)+hs]) {
			j++
		}
		f.data = hex.AppendEncode(f.data, h)
		f.group = f.group[:0]
		for _, r := range f.rels[i:j] {
			f.group = append(f.group, r.node)
		}
		i = j

		f.chosen = f.chosen[:0]
		var chosenIssuer issuer
		f.perm.reset(f.group, c.rank)
		for f.perm.next() {
			// Lookups scan the issuer, which grows by up to len(group).
			if err := c.spend(1 + len(f.group)*(1+(len(is)+len(f.group))/scanPerUnit)); err != nil {
				return nil, nil, err
			}
			cp, owned := is, false
			f.path, f.recursion = f.path[:0], f.recursion[:0]
			cmp := pathComparer{chosen: f.chosen}
			skip := false
			for _, r := range f.perm.current {
				if k := c.canon[r]; k != noNode {
					f.path = appendLabel(f.path, "_:c14n", int(k))
				} else {
					k := issuerIndex(cp, r)
					if k < 0 {
						if !owned {
							cp, owned = c.cloneIssuer(cp, len(f.group)), true
						}
						f.recursion = append(f.recursion, r)
						k = len(cp)
						cp = append(cp, r)
					}
					f.path = appendLabel(f.path, "_:b", k)
				}
				if cmp.greater(f.path) {
					skip = true
					break
				}
			}
			if skip {
				continue
			}
			for _, r := range f.recursion {
				hash, next, err := c.hashNDegree(r, cp[:len(cp):len(cp)])
				if err != nil {
					return nil, nil, err
				}
				f.path = appendLabel(f.path, "_:b", issuerIndex(cp, r))
				f.path = append(f.path, '<')
				f.path = hex.AppendEncode(f.path, hash)
				f.path = append(f.path, '>')
				cp = next
				if cmp.greater(f.path) {
					skip = true
					break
				}
			}
			if skip {
				continue
			}
			if len(f.chosen) == 0 || cmp.less(f.path) {
				f.chosen, f.path = f.path, f.chosen
				chosenIssuer = cp[:len(cp):len(cp)]
			}
		}
		f.data = append(f.data, f.chosen...)
		is = chosenIssuer
	}

	c.h.Reset()
	c.h.Write(f.data)
	f.sum = c.h.Sum(f.sum[:0])
	return f.sum, is, nil
}

// hashRelated implements Hash Related Blank Node (RDFC-1.0 §4.7) for blank
// node r found at position p (0 subject, 1 object, 2 graph) of quad qi, and
// appends the hash to dst.
func (c *canonicalizer) hashRelated(dst []byte, r int32, qi int32, p int, is issuer) []byte {
	in := append(c.input[:0], "sog"[p])
	if p != 2 {
		in = append(in, '<')
		in = append(in, c.quads[qi].Predicate.Value...)
		in = append(in, '>')
	}
	if k := c.canon[r]; k != noNode {
		in = appendLabel(in, "_:c14n", int(k))
	} else if k := issuerIndex(is, r); k >= 0 {
		in = appendLabel(in, "_:b", k)
	} else {
		in = append(in, c.firstDegreeHex(r)...)
	}
	c.input = in
	c.h.Reset()
	c.h.Write(in)
	return c.h.Sum(dst)
}

// pathComparer compares a growing path with the chosen path without
// rescanning the common prefix: the cost of all comparisons for one path is
// linear in its length.
type pathComparer struct {
	chosen  []byte
	checked int // path[:checked] == chosen[:checked]
	order   int // once a difference is found: -1 path < chosen, +1 path > chosen
}

func (pc *pathComparer) update(path []byte) {
	if pc.order != 0 {
		return
	}
	end := min(len(path), len(pc.chosen))
	if pc.checked < end {
		i := pc.checked
		for i < end && path[i] == pc.chosen[i] {
			i++
		}
		pc.checked = i
		if i < end {
			if path[i] < pc.chosen[i] {
				pc.order = -1
			} else {
				pc.order = 1
			}
			return
		}
	}
	if len(path) > len(pc.chosen) {
		pc.order = 1 // chosen is a proper prefix of path
	}
}

// greater reports whether a chosen path exists and path is greater than it,
// so that no extension of path can be chosen.
func (pc *pathComparer) greater(path []byte) bool {
	if len(pc.chosen) == 0 {
		return false
	}
	pc.update(path)
	return pc.order > 0
}

// less reports whether path (complete) is less than the chosen path.
func (pc *pathComparer) less(path []byte) bool {
	pc.update(path)
	return pc.order < 0 || pc.order == 0 && len(path) < len(pc.chosen)
}
