package rdfc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DefaultMaxWork and DefaultWorkPerQuad make up the work budget used when
// [Options.MaxWork] is zero: DefaultMaxWork + DefaultWorkPerQuad × the number
// of input quads.
//
// The work counted is that of the Hash N-Degree Quads algorithm (RDFC-1.0
// §4.8), the only part of RDFC-1.0 whose cost is not linear in the input.
// One unit is about the cost of hashing a short string: a call, one related
// blank node hashed (more for very long predicate IRIs or large temporary
// issuers), one permutation tried (more for large groups).
//
// The budget is large enough for every positive test of the W3C rdf-canon
// suite (the "poison – evil" tests 044–046 need about 9 000 units) and, for
// example, for an RDF list of about 90 identical values (65 000 units) or
// thousands of disjoint identical small structures (which need a few dozen
// units per quad), yet makes the W3C negative test 074 (a 10-blank-node
// clique, 100 quads) fail in about 10 ms. Datasets whose blank nodes all
// have distinct first-degree hashes, which is nearly every credential, use
// no units at all.
const (
	DefaultMaxWork     = 100_000
	DefaultWorkPerQuad = 32
)

// Options configures canonicalization. A nil *Options and the zero value
// mean SHA-256 and the default work budget.
type Options struct {
	// Hash is the hash function RDFC-1.0 uses internally (and for the
	// canonical labels it derives). Nil means sha256.New. RDFC-1.0 also
	// allows SHA-384 (crypto/sha512.New384). A fresh hash.Hash is created per
	// call, so the function must be safe for concurrent use.
	Hash func() hash.Hash

	// MaxWork bounds the work spent on blank nodes that cannot be told apart
	// by their immediate neighbourhood (see DefaultMaxWork for the unit).
	// Zero means DefaultMaxWork + DefaultWorkPerQuad × len(quads); any other
	// positive value is the whole budget; a negative value is an error. When
	// the budget runs out, canonicalization stops with an error wrapping
	// ErrCanonicalizationLimit. There is deliberately no "unlimited" value:
	// raise the number for trusted, unusually symmetric data.
	MaxWork int
}

// Result is the outcome of [Canonicalize].
type Result struct {
	// NQuads is the canonical N-Quads document: one line per distinct quad,
	// each ending in "\n", sorted in code point order. This is the byte
	// string that is hashed and signed.
	NQuads []byte

	// Quads are the distinct input quads, relabelled with canonical blank
	// node labels, in the order of their lines in NQuads.
	Quads []Quad

	// IssuedIdentifiers maps every blank node label of the input (without
	// "_:") to its canonical label (e.g. "c14n0"): the issued identifiers
	// map of the canonical issuer (RDFC-1.0 §4.4.3 step 7).
	IssuedIdentifiers map[string]string
}

// Canonicalize applies RDFC-1.0 to the dataset quads and returns the
// canonical N-Quads, the relabelled quads and the issued identifiers map.
// Duplicate quads are removed (a dataset is a set). quads is not modified.
//
// It returns a *[QuadError] for an invalid quad (see [Quad.Validate]), an
// error wrapping [ErrCanonicalizationLimit] when the work budget is
// exhausted, an error wrapping ctx.Err() when ctx ends first, and an error
// for a dataset whose canonical N-Quads could exceed 1 GiB.
func Canonicalize(ctx context.Context, quads []Quad, opts *Options) (*Result, error) {
	c, err := run(ctx, quads, opts)
	if err != nil {
		return nil, err
	}
	res := c.result()
	c.release()
	return res, nil
}

// CanonicalNQuads applies RDFC-1.0 to the dataset quads and returns its
// canonical N-Quads document (see [Result.NQuads]). It is Canonicalize
// without the relabelled quads and the identifier map, and allocates less.
func CanonicalNQuads(ctx context.Context, quads []Quad, opts *Options) ([]byte, error) {
	return AppendCanonicalNQuads(ctx, nil, quads, opts)
}

// AppendCanonicalNQuads is CanonicalNQuads appending the document to dst,
// so that a caller that only hashes it can reuse one buffer. On error dst
// is returned unchanged.
func AppendCanonicalNQuads(ctx context.Context, dst []byte, quads []Quad, opts *Options) ([]byte, error) {
	c, err := run(ctx, quads, opts)
	if err != nil {
		return dst, err
	}
	out := c.appendNQuads(dst)
	// Everything in c was scratch: out is a copy.
	c.release()
	return out, nil
}

// canonPool holds canonicalizers between calls: their tables, hash state
// and line buffers are a few kilobytes per credential, and none of it
// outlives a call.
var canonPool = sync.Pool{New: func() any { return new(canonicalizer) }}

// maxPooledLines bounds what the pool keeps, so that one large document
// does not pin its memory.
const maxPooledLines = 64 << 10

// reusable is the memory a pooled canonicalizer keeps between calls.
type reusable struct {
	buf   []byte // serialised lines
	spans []span
	qbn   [][3]int32
	ints  []int32
	bytes []byte
	input []byte
	sha   hash.Hash // a SHA-256 state, for the default Options.Hash
}

// release returns c to the pool, dropping every reference to the caller's
// data and any buffer that grew unusually large.
func (c *canonicalizer) release() {
	m := c.mem
	m.buf, m.spans, m.input = c.buf[:0], c.spans[:0], c.input[:0]
	if cap(m.buf) > maxPooledLines || cap(m.spans) > maxPooledLines/16 {
		m.buf, m.spans = nil, nil
	}
	if cap(m.qbn) > maxPooledLines/16 || cap(m.ints) > maxPooledLines/4 || cap(m.bytes) > maxPooledLines {
		m.qbn, m.ints, m.bytes = nil, nil, nil
	}
	if cap(m.input) > maxPooledLines {
		m.input = nil
	}
	*c = canonicalizer{mem: m}
	canonPool.Put(c)
}

// maxDocumentSize bounds the canonical N-Quads this package produces, so
// that int32 offsets cannot overflow.
const maxDocumentSize = 1 << 30

// noNode marks a position that holds no blank node.
const noNode = -1

// canonicalizer holds the state of one canonicalization. Blank nodes are
// numbered 0..n-1 in order of first appearance (subject, object, graph of
// each quad in input order), which is the order RDFC-1.0's maps iterate in.
type canonicalizer struct {
	ctx   context.Context
	quads []Quad
	h     hash.Hash
	hsize int

	maxWork, work, untilCheck int

	escapeIRIs bool // some IRI has characters that must be \u-escaped

	// Per quad: the blank node at subject, object and graph, or noNode.
	// A duplicate quad has bn[0] == dupQuad.
	qbn [][3]int32

	labels      []string // blank node -> input label
	labelsArray [16]string
	rank        []int32          // blank node -> rank of its label (see rankLabels)
	index       map[string]int32 // input label -> blank node, once there are many
	nodeStart   []int32          // blank node n's quads are nodeQuads[nodeStart[n]:nodeStart[n+1]]
	nodeQuads   []int32
	hashes      []byte // first-degree digest of node n at [n*hsize:(n+1)*hsize]
	hexes       []byte // the same, hex encoded, at [n*2*hsize:(n+1)*2*hsize]
	canon       []int32
	issued      []int32 // canonical issue order

	buf   []byte // scratch for serialised lines
	spans []span
	sum   []byte
	input []byte // scratch for hash inputs

	labelBytes   []byte  // canonical labels, see canonicalLabels
	labelOffsets []int32 // node b's label is labelBytes[labelOffsets[b]:labelOffsets[b+1]]

	arena  []int32  // see cloneIssuer
	frames []*frame // see hashNDegree
	depth  int

	mem reusable // kept when pooled
}

const dupQuad = -2

type span struct{ start, end, quad int32 }

var (
	labelA = []byte("a")
	labelZ = []byte("z")
)

func run(ctx context.Context, quads []Quad, opts *Options) (*canonicalizer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("rdfc: canonicalization not started: %w", err)
	}
	maxWork := DefaultMaxWork + DefaultWorkPerQuad*len(quads)
	var h hash.Hash // nil: the pooled SHA-256 state
	if opts != nil {
		if opts.Hash != nil {
			if h = opts.Hash(); h == nil || h.Size() <= 0 {
				return nil, errors.New("rdfc: Options.Hash returned no usable hash")
			}
		}
		switch {
		case opts.MaxWork > 0:
			maxWork = opts.MaxWork
		case opts.MaxWork < 0:
			return nil, errors.New("rdfc: Options.MaxWork is negative")
		}
	}
	size := 0  // estimated size of the canonical N-Quads
	bound := 0 // upper bound of it: escapes are at most 6 bytes per byte
	var v validator
	for i := range quads {
		q := &quads[i]
		if err := q.validateWith(&v, i); err != nil {
			return nil, err
		}
		n := len(q.Subject.Value) + len(q.Predicate.Value) + len(q.Object.Value) +
			len(q.Object.Datatype) + len(q.Object.Language) + len(q.Graph.Value)
		size += n + 24
		bound += n + 5*len(q.Object.Value) + 64
	}
	// Offsets are int32, and no credential comes anywhere near this.
	if bound > maxDocumentSize {
		return nil, fmt.Errorf("rdfc: dataset too large: its canonical N-Quads may exceed %d bytes", maxDocumentSize)
	}
	c := canonPool.Get().(*canonicalizer)
	if h == nil {
		if c.mem.sha == nil {
			c.mem.sha = sha256.New()
		}
		h = c.mem.sha
	}
	if cap(c.mem.buf) < size {
		c.mem.buf = make([]byte, 0, size)
	}
	if cap(c.mem.spans) < len(quads) {
		c.mem.spans = make([]span, 0, len(quads))
	}
	c.ctx, c.quads, c.h, c.hsize = ctx, quads, h, h.Size()
	c.maxWork, c.untilCheck = maxWork, ctxCheckInterval
	c.buf, c.spans, c.input = c.mem.buf[:0], c.mem.spans[:0], c.mem.input[:0]
	c.labels = c.labelsArray[:0]
	c.escapeIRIs = v.escapeIRIs
	if err := c.label(); err != nil {
		c.release()
		return nil, err
	}
	return c, nil
}

// lookup returns the blank node numbered for label, numbering it if new.
func (c *canonicalizer) lookup(label string) int32 {
	if c.index != nil {
		if n, ok := c.index[label]; ok {
			return n
		}
	} else {
		for i, l := range c.labels {
			if l == label {
				return int32(i)
			}
		}
	}
	n := int32(len(c.labels))
	c.labels = append(c.labels, label)
	if c.index != nil {
		c.index[label] = n
	} else if len(c.labels) > 16 {
		// Linear search is faster and allocation-free for the few blank
		// nodes of a typical credential; switch to a map before it gets
		// quadratic.
		c.index = make(map[string]int32, 2*len(c.labels))
		for i, l := range c.labels {
			c.index[l] = int32(i)
		}
	}
	return n
}

// label runs RDFC-1.0 §4.4.3 steps 1–5, leaving the canonical label of every
// blank node in c.canon.
func (c *canonicalizer) label() error {
	// Step 2: find the blank nodes and the quads that mention them.
	if cap(c.mem.qbn) < len(c.quads) {
		c.mem.qbn = make([][3]int32, len(c.quads))
	}
	c.qbn = c.mem.qbn[:len(c.quads)]
	withBlank := 0
	for i := range c.quads {
		q := &c.quads[i]
		bn := [3]int32{noNode, noNode, noNode}
		if q.Subject.Kind == BlankNode {
			bn[0] = c.lookup(q.Subject.Value)
		}
		if q.Object.Kind == BlankNode {
			bn[1] = c.lookup(q.Object.Value)
		}
		if q.Graph.Kind == BlankNode {
			bn[2] = c.lookup(q.Graph.Value)
		}
		if bn != [3]int32{noNode, noNode, noNode} {
			withBlank++
		}
		c.qbn[i] = bn
	}
	n := len(c.labels)
	if n == 0 {
		return nil
	}
	// One allocation for the per-node int32 tables and one for the hashes.
	if k := 5*n + 2 + 3*withBlank; cap(c.mem.ints) < k {
		c.mem.ints = make([]int32, k)
	}
	ints := c.mem.ints[:5*n+2+3*withBlank]
	clear(ints)
	take := func(k int) []int32 {
		t := ints[:k:k]
		ints = ints[k:]
		return t
	}
	c.nodeStart, c.canon, c.issued, c.labelOffsets = take(n+1), take(n), take(n)[:0], take(n+1)
	order := take(n)
	c.nodeQuads = ints
	hs := c.hsize
	labelsLen := n * len("c14n"+strconv.Itoa(n)) // enough for all canonical labels
	if k := 3*n*hs + hs + labelsLen; cap(c.mem.bytes) < k {
		c.mem.bytes = make([]byte, k)
	}
	bytesArena := c.mem.bytes[:3*n*hs+hs+labelsLen]
	c.hashes, c.hexes = bytesArena[:n*hs], bytesArena[n*hs:n*hs:3*n*hs]
	c.sum = bytesArena[3*n*hs : 3*n*hs : 3*n*hs+hs]
	c.labelBytes = bytesArena[3*n*hs+hs : 3*n*hs+hs]

	// Step 3: first-degree hashes. A dataset is a set, so duplicate quads
	// must not count twice. Duplicates mentioning blank node b give equal
	// lines in b's first-degree hash input, so they are only looked for
	// when some node has equal lines: usually, no sorting of the quads.
	c.indexNodeQuads()
	if c.hashFirstDegreeAll() && c.markDuplicates(withBlank) {
		c.indexNodeQuads()
		c.hashFirstDegreeAll()
	}

	// Step 4: blank nodes with a unique first-degree hash get canonical
	// labels in hash order. Sorting the nodes by (hash, first appearance)
	// also gives step 5 its groups in the right order.
	for i := range c.canon {
		c.canon[i] = noNode
	}
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if r := bytes.Compare(c.firstDegree(a), c.firstDegree(b)); r != 0 {
			return r
		}
		return int(a - b)
	})
	type group struct{ start, end int }
	var shared []group
	for i := 0; i < n; {
		j := i + 1
		for j < n && bytes.Equal(c.firstDegree(order[i]), c.firstDegree(order[j])) {
			j++
		}
		if j-i == 1 {
			c.issue(order[i])
		} else {
			shared = append(shared, group{i, j})
		}
		i = j
	}

	// Step 5: the rest, group by group in hash order. Hash N-Degree Quads
	// hashes the first-degree hashes in hex.
	if len(shared) > 0 {
		c.rankLabels()
		c.hexes = hex.AppendEncode(c.hexes[:0], c.hashes)
	}
	for _, g := range shared {
		type hashPath struct {
			hash   []byte
			issuer []int32
		}
		var paths []hashPath
		for _, b := range order[g.start:g.end] {
			if c.canon[b] != noNode {
				continue
			}
			hash, issuer, err := c.hashNDegree(b, append(c.cloneIssuer(nil, 1), b))
			if err != nil {
				return err
			}
			paths = append(paths, hashPath{bytes.Clone(hash), issuer})
		}
		slices.SortStableFunc(paths, func(a, b hashPath) int { return bytes.Compare(a.hash, b.hash) })
		for _, p := range paths {
			for _, b := range p.issuer {
				if c.canon[b] == noNode {
					c.issue(b)
				}
			}
		}
	}
	return nil
}

// rankLabels sets c.rank: the position of each blank node in the order of
// input labels, which permutations start from. Comparing ranks instead of
// labels keeps hostile long labels from slowing down every permutation.
func (c *canonicalizer) rankLabels() {
	n := len(c.labels)
	byLabel := make([]int32, n)
	for i := range byLabel {
		byLabel[i] = int32(i)
	}
	slices.SortFunc(byLabel, func(a, b int32) int { return strings.Compare(c.labels[a], c.labels[b]) })
	c.rank = make([]int32, n)
	for r, b := range byLabel {
		c.rank[b] = int32(r)
	}
}

// indexNodeQuads builds the blank node to quads map as compressed rows
// (c.nodeStart, c.nodeQuads), skipping duplicates. A quad that mentions a
// node twice is listed once for it.
func (c *canonicalizer) indexNodeQuads() {
	n := len(c.labels)
	clear(c.nodeStart)
	for i := range c.qbn {
		bn := &c.qbn[i]
		if bn[0] == dupQuad {
			continue
		}
		for p, b := range bn {
			if b >= 0 && (p < 1 || bn[0] != b) && (p < 2 || bn[1] != b) {
				c.nodeStart[b+1]++
			}
		}
	}
	for i := 1; i <= n; i++ {
		c.nodeStart[i] += c.nodeStart[i-1]
	}
	c.nodeQuads = c.nodeQuads[:c.nodeStart[n]]
	fill := c.canon // scratch: canonical labels are issued later
	copy(fill, c.nodeStart[:n])
	for i := range c.qbn {
		bn := &c.qbn[i]
		if bn[0] == dupQuad {
			continue
		}
		for p, b := range bn {
			if b >= 0 && (p < 1 || bn[0] != b) && (p < 2 || bn[1] != b) {
				c.nodeQuads[fill[b]] = int32(i)
				fill[b]++
			}
		}
	}
}

// hashFirstDegreeAll computes the first-degree hash of every blank node. It
// reports whether some node's hash input had equal lines, which duplicate
// quads would cause.
func (c *canonicalizer) hashFirstDegreeAll() (equalLines bool) {
	for b := range len(c.labels) {
		if c.hashFirstDegree(int32(b)) {
			equalLines = true
		}
	}
	return equalLines
}

// markDuplicates marks every quad that mentions a blank node and repeats an
// earlier quad, so that hashing sees each statement once, and reports
// whether there were any. Duplicates without blank nodes are dropped when
// the output is sorted.
func (c *canonicalizer) markDuplicates(withBlank int) bool {
	if withBlank < 2 {
		return false
	}
	idx := make([]int32, 0, withBlank)
	for i, bn := range c.qbn {
		if bn != [3]int32{noNode, noNode, noNode} {
			idx = append(idx, int32(i))
		}
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if r := c.compareQuads(a, b); r != 0 {
			return r
		}
		return int(a - b)
	})
	// Mark only after comparing, since marking changes qbn.
	dups := idx[:0]
	for k := 1; k < len(idx); k++ {
		if c.compareQuads(idx[k-1], idx[k]) == 0 {
			dups = append(dups, idx[k])
		}
	}
	for _, i := range dups {
		c.qbn[i][0] = dupQuad
	}
	return len(dups) > 0
}

// compareQuads orders quads i and j (blank nodes by number), returning 0
// exactly when they are the same statement.
func (c *canonicalizer) compareQuads(i, j int32) int {
	bi, bj := &c.qbn[i], &c.qbn[j]
	// Compare blank node numbers first: cheap, and usually decisive.
	for p := range bi {
		if r := int(bi[p]) - int(bj[p]); r != 0 {
			return r
		}
	}
	qi, qj := &c.quads[i], &c.quads[j]
	if r := compareTerms(&qi.Subject, &qj.Subject); r != 0 {
		return r
	}
	if r := strings.Compare(qi.Predicate.Value, qj.Predicate.Value); r != 0 {
		return r
	}
	if r := compareTerms(&qi.Object, &qj.Object); r != 0 {
		return r
	}
	return compareTerms(&qi.Graph, &qj.Graph)
}

// compareTerms orders two terms; blank nodes compare equal here because
// compareQuads has already compared their numbers.
func compareTerms(a, b *Term) int {
	if r := int(a.Kind) - int(b.Kind); r != 0 {
		return r
	}
	if a.Kind == BlankNode {
		return 0
	}
	if r := strings.Compare(a.Value, b.Value); r != 0 {
		return r
	}
	if r := strings.Compare(a.Datatype, b.Datatype); r != 0 {
		return r
	}
	return strings.Compare(a.Language, b.Language)
}

func (c *canonicalizer) firstDegree(b int32) []byte {
	return c.hashes[int(b)*c.hsize : int(b+1)*c.hsize]
}

func (c *canonicalizer) firstDegreeHex(b int32) []byte {
	return c.hexes[int(b)*2*c.hsize : int(b+1)*2*c.hsize]
}

// issue gives blank node b the next canonical label.
func (c *canonicalizer) issue(b int32) {
	c.canon[b] = int32(len(c.issued))
	c.issued = append(c.issued, b)
}

// hashFirstDegree implements Hash First Degree Quads (RDFC-1.0 §4.6) and
// reports whether two of the lines hashed were equal.
func (c *canonicalizer) hashFirstDegree(b int32) bool {
	c.buf, c.spans = c.buf[:0], c.spans[:0]
	for _, qi := range c.nodeQuads[c.nodeStart[b]:c.nodeStart[b+1]] {
		bn := &c.qbn[qi]
		start := len(c.buf)
		c.buf = appendQuad(c.buf, &c.quads[qi], az(bn[0], b), az(bn[1], b), az(bn[2], b), c.escapeIRIs)
		c.spans = append(c.spans, span{int32(start), int32(len(c.buf)), qi})
	}
	c.hashSortedLines()
	copy(c.hashes[int(b)*c.hsize:], c.sum)
	for k := 1; k < len(c.spans); k++ {
		x, y := c.spans[k-1], c.spans[k]
		if bytes.Equal(c.buf[x.start:x.end], c.buf[y.start:y.end]) {
			return true
		}
	}
	return false
}

func az(n, ref int32) []byte {
	if n == ref {
		return labelA
	}
	return labelZ
}

// hashSortedLines sorts the lines of c.buf delimited by c.spans and leaves
// the hash of their concatenation in c.sum.
func (c *canonicalizer) hashSortedLines() {
	buf := c.buf
	if len(c.spans) > 1 {
		slices.SortFunc(c.spans, func(a, b span) int {
			return bytes.Compare(buf[a.start:a.end], buf[b.start:b.end])
		})
	}
	c.h.Reset()
	for _, s := range c.spans {
		c.h.Write(buf[s.start:s.end])
	}
	c.sum = c.h.Sum(c.sum[:0])
}

// canonicalLabels returns the canonical labels ("c14n0", …) of all blank
// nodes in one buffer, with node b's label at buf[off[b]:off[b+1]].
func (c *canonicalizer) canonicalLabels() (buf []byte, off []int32) {
	n := len(c.labels)
	if n == 0 || len(c.labelBytes) > 0 {
		return c.labelBytes, c.labelOffsets
	}
	buf, off = c.labelBytes, c.labelOffsets
	for b := range n {
		off[b] = int32(len(buf))
		buf = appendLabel(buf, "c14n", int(c.canon[b]))
	}
	off[n] = int32(len(buf))
	c.labelBytes = buf
	return buf, off
}

// serialize writes every distinct quad with canonical labels, sorted, and
// returns the document and the spans of its lines (quad = input index).
func (c *canonicalizer) serialize() ([]byte, []span) {
	return c.serializeTo(nil)
}

// serializeTo is serialize appending the document to dst (a fresh buffer of
// the right size when dst is nil).
func (c *canonicalizer) serializeTo(dst []byte) ([]byte, []span) {
	lbuf, loff := c.canonicalLabels()
	label := func(b int32) []byte {
		if b < 0 {
			return nil
		}
		return lbuf[loff[b]:loff[b+1]]
	}
	c.buf, c.spans = c.buf[:0], c.spans[:0]
	for i := range c.quads {
		var bn [3]int32
		if c.qbn != nil {
			bn = c.qbn[i]
			if bn[0] == dupQuad {
				continue
			}
		} else {
			bn = [3]int32{noNode, noNode, noNode}
		}
		start := len(c.buf)
		c.buf = appendQuad(c.buf, &c.quads[i], label(bn[0]), label(bn[1]), label(bn[2]), c.escapeIRIs)
		c.spans = append(c.spans, span{int32(start), int32(len(c.buf)), int32(i)})
	}
	buf := c.buf
	slices.SortFunc(c.spans, func(a, b span) int {
		return bytes.Compare(buf[a.start:a.end], buf[b.start:b.end])
	})
	out := dst
	if out == nil {
		out = make([]byte, 0, len(buf))
	} else {
		out = slices.Grow(out, len(buf))
	}
	lines := c.spans[:0]
	var prev []byte
	for _, s := range c.spans {
		line := buf[s.start:s.end]
		if prev != nil && bytes.Equal(line, prev) {
			continue
		}
		prev = line
		start := len(out)
		out = append(out, line...)
		lines = append(lines, span{int32(start), int32(len(out)), s.quad})
	}
	return out, lines
}

func (c *canonicalizer) appendNQuads(dst []byte) []byte {
	out, _ := c.serializeTo(dst)
	return out
}

func (c *canonicalizer) result() *Result {
	out, lines := c.serialize()
	res := &Result{NQuads: out, Quads: make([]Quad, len(lines))}
	n := len(c.labels)
	res.IssuedIdentifiers = make(map[string]string, n)
	// One string holds all canonical labels; each label is a substring.
	lbuf, loff := c.canonicalLabels()
	all := string(lbuf)
	canonical := func(b int32) string { return all[loff[b]:loff[b+1]] }
	for b := range n {
		res.IssuedIdentifiers[c.labels[b]] = canonical(int32(b))
	}
	for k, s := range lines {
		q := c.quads[s.quad]
		if c.qbn != nil {
			bn := c.qbn[s.quad]
			if bn[0] >= 0 {
				q.Subject.Value = canonical(bn[0])
			}
			if bn[1] >= 0 {
				q.Object.Value = canonical(bn[1])
			}
			if bn[2] >= 0 {
				q.Graph.Value = canonical(bn[2])
			}
		}
		res.Quads[k] = q
	}
	return res
}
