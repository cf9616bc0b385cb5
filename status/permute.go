package status

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
)

// permutation is a keyed pseudo-random permutation of [0, n): a balanced
// Feistel network over 2h bits (2^(2h) ≥ n) with HMAC-SHA256 round
// functions, restricted to [0, n) by cycle walking. Allocation maps the
// k-th allocation of a list to index perm(k), so indexes come out in an
// order that reveals neither issuance order nor the number issued, are
// never repeated (a permutation is a bijection), and the whole allocation
// state is one counter plus a secret seed. The inverse tells whether an
// index was ever allocated (inverse(index) < counter).
type permutation struct {
	seed []byte
	n    uint64
	half uint // bits per Feistel half
}

const feistelRounds = 8

func newPermutation(seed []byte, n uint64) permutation {
	bits := uint(0)
	for uint64(1)<<bits < n {
		bits++
	}
	half := max((bits+1)/2, 1)
	return permutation{seed: seed, n: n, half: half}
}

// roundFunc is the keyed round function F(r, x) = HMAC-SHA256(seed, r ‖ x)
// truncated to half bits; one is made per forward or inverse call and its
// HMAC state reused across rounds.
type roundFunc struct {
	m    hash.Hash
	buf  [sha256.Size]byte
	mask uint64
}

func (p permutation) rounds() *roundFunc {
	return &roundFunc{m: hmac.New(sha256.New, p.seed), mask: 1<<p.half - 1}
}

func (f *roundFunc) apply(r int, x uint64) uint64 {
	var in [9]byte
	in[0] = byte(r)
	binary.BigEndian.PutUint64(in[1:], x)
	f.m.Reset()
	f.m.Write(in[:])
	return binary.BigEndian.Uint64(f.m.Sum(f.buf[:0])) & f.mask
}

func (p permutation) encrypt(f *roundFunc, x uint64) uint64 {
	l, r := x>>p.half, x&f.mask
	for i := range feistelRounds {
		l, r = r, l^f.apply(i, r)
	}
	return l<<p.half | r
}

func (p permutation) decrypt(f *roundFunc, y uint64) uint64 {
	l, r := y>>p.half, y&f.mask
	for i := feistelRounds - 1; i >= 0; i-- {
		l, r = r^f.apply(i, l), l
	}
	return l<<p.half | r
}

// forward returns the image of k < n. Cycle walking terminates because the
// Feistel network permutes [0, 2^(2h)) and the cycle through k must return
// into [0, n); since 2^(2h) < 4n the expected number of steps is below 4.
func (p permutation) forward(k uint64) uint64 {
	f := p.rounds()
	x := p.encrypt(f, k)
	for x >= p.n {
		x = p.encrypt(f, x)
	}
	return x
}

// inverse returns the k with forward(k) == y, for y < n.
func (p permutation) inverse(y uint64) uint64 {
	f := p.rounds()
	x := p.decrypt(f, y)
	for x >= p.n {
		x = p.decrypt(f, x)
	}
	return x
}
