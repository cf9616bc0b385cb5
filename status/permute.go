package status

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
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

func (p permutation) round(r int, x uint64) uint64 {
	m := hmac.New(sha256.New, p.seed)
	var in [9]byte
	in[0] = byte(r)
	binary.BigEndian.PutUint64(in[1:], x)
	m.Write(in[:])
	return binary.BigEndian.Uint64(m.Sum(nil)) & (1<<p.half - 1)
}

func (p permutation) encrypt(x uint64) uint64 {
	mask := uint64(1)<<p.half - 1
	l, r := x>>p.half, x&mask
	for i := range feistelRounds {
		l, r = r, l^p.round(i, r)
	}
	return l<<p.half | r
}

func (p permutation) decrypt(y uint64) uint64 {
	mask := uint64(1)<<p.half - 1
	l, r := y>>p.half, y&mask
	for i := feistelRounds - 1; i >= 0; i-- {
		l, r = r^p.round(i, l), l
	}
	return l<<p.half | r
}

// forward returns the image of k < n. Cycle walking terminates because the
// Feistel network permutes [0, 2^(2h)) and the cycle through k must return
// into [0, n); since 2^(2h) < 4n the expected number of steps is below 4.
func (p permutation) forward(k uint64) uint64 {
	x := p.encrypt(k)
	for x >= p.n {
		x = p.encrypt(x)
	}
	return x
}

// inverse returns the k with forward(k) == y, for y < n.
func (p permutation) inverse(y uint64) uint64 {
	x := p.decrypt(y)
	for x >= p.n {
		x = p.decrypt(x)
	}
	return x
}
