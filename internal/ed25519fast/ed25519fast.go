// Package ed25519fast verifies Ed25519 signatures exactly as crypto/ed25519
// does, faster for keys it sees repeatedly.
//
// crypto/ed25519.Verify computes [s]B − [k]A with a variable-base double
// scalar multiplication: about 253 point doublings for every signature.
// A verifier of Open Badges sees the same few issuer keys again and again (a
// cohort is signed with one key), so for a key used often enough this
// package precomputes, once, the multiples d·256^j·(−A) for j < 32 and
// 1 ≤ d ≤ 8 in affine form (30 KiB), and does the same for the base point B.
// Each verification is then 128 mixed additions and 4 doublings (a fixed-base
// "comb" on signed radix-16 digits), less than half the field
// multiplications.
//
// # Exactness
//
// The acceptance rule is crypto/ed25519's, byte for byte: the public key is
// decoded with filippo.io/edwards25519 (the same code, outside the standard
// library, that crypto/ed25519 uses inside it), s must be canonical (< ℓ),
// k = SHA-512(R ‖ A ‖ M) mod ℓ, and the signature is valid when the
// encoding of [s]B − [k]A equals R (the cofactorless equation). Only the
// order of the point additions differs, which cannot change the point.
// Keys seen fewer than [Threshold] times, keys that fail to decode and
// malformed lengths go to crypto/ed25519 itself. Tests compare the two on
// random, corrupted and edge-case inputs (non-canonical s, small-order and
// non-canonical keys), and a fuzz target does the same.
//
// Everything here is variable-time: verification handles public data only.
//
// # Memory
//
// The cache is bounded: at most [MaxTables] keys have a table (one is
// evicted at random when it is full, so no access pattern makes every call
// rebuild), and the counts of keys without one are cleared after
// [maxCounted] distinct keys. A key's count starts again when its table is
// evicted, so a caller cycling through more keys than the cache holds pays
// for at most one table per [Threshold] verifications of a key.
package ed25519fast

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"sync"
	"sync/atomic"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

const (
	// Threshold is the number of verifications with a key after which its
	// table is built. The first Threshold−1 use crypto/ed25519.
	Threshold = 3
	// MaxTables bounds the keys with a precomputed table (30 KiB each).
	MaxTables = 32
	// maxCounted bounds the keys whose uses are counted.
	maxCounted = 4096
)

// niels is an affine point as (y+x, y−x, 2d·x·y), the form a mixed
// addition takes.
type niels struct{ ypx, ymx, xy2d field.Element }

// table holds d·256^j·P at [j][d−1] for j < 32 and 1 ≤ d ≤ 8.
type table [32][8]niels

// point is a point in extended coordinates: x = X/Z, y = Y/Z, x·y = T/Z.
type point struct{ X, Y, Z, T field.Element }

var (
	d2    field.Element // 2·d, where d = −121665/121666
	baseT = sync.OnceValue(func() *table { return newTable(edwards25519.NewGeneratorPoint()) })
)

func init() {
	var num, den field.Element
	if _, err := num.SetBytes(le32(121665)); err != nil {
		panic(err)
	}
	if _, err := den.SetBytes(le32(121666)); err != nil {
		panic(err)
	}
	num.Negate(&num)
	den.Invert(&den)
	d2.Multiply(&num, &den)
	d2.Add(&d2, &d2)
}

func le32(v uint32) []byte {
	b := make([]byte, 32)
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	return b
}

// newTable computes the table of p. It costs about 480 point additions and
// one field inversion (the 256 points are normalised together).
func newTable(p *edwards25519.Point) *table {
	var pts [256]edwards25519.Point
	base := new(edwards25519.Point).Set(p)
	for j := 0; j < 32; j++ {
		pts[j*8].Set(base)
		for d := 1; d < 8; d++ {
			pts[j*8+d].Add(&pts[j*8+d-1], base)
		}
		if j < 31 {
			for i := 0; i < 8; i++ {
				base.Add(base, base)
			}
		}
	}
	// Montgomery's trick: one inversion for all 256 Z coordinates.
	var xs, ys, zs, prefix [256]field.Element
	for i := range pts {
		X, Y, Z, _ := pts[i].ExtendedCoordinates()
		xs[i].Set(X)
		ys[i].Set(Y)
		zs[i].Set(Z)
	}
	prefix[0].Set(&zs[0])
	for i := 1; i < len(zs); i++ {
		prefix[i].Multiply(&prefix[i-1], &zs[i])
	}
	var inv, zinv field.Element
	inv.Invert(&prefix[len(zs)-1])
	t := new(table)
	for i := len(zs) - 1; i >= 0; i-- {
		if i > 0 {
			zinv.Multiply(&inv, &prefix[i-1])
			inv.Multiply(&inv, &zs[i])
		} else {
			zinv.Set(&inv)
		}
		var x, y field.Element
		x.Multiply(&xs[i], &zinv)
		y.Multiply(&ys[i], &zinv)
		n := &t[i/8][i%8]
		n.ypx.Add(&y, &x)
		n.ymx.Subtract(&y, &x)
		n.xy2d.Multiply(&x, &y)
		n.xy2d.Multiply(&n.xy2d, &d2)
	}
	return t
}

// add sets p = p + q when neg is false and p = p − q when it is true.
func (p *point) add(q *niels, neg bool) {
	var a, b, pp, mm, tt, zz, x3, y3, z3, t3 field.Element
	a.Add(&p.Y, &p.X)
	b.Subtract(&p.Y, &p.X)
	if neg {
		pp.Multiply(&a, &q.ymx)
		mm.Multiply(&b, &q.ypx)
	} else {
		pp.Multiply(&a, &q.ypx)
		mm.Multiply(&b, &q.ymx)
	}
	tt.Multiply(&p.T, &q.xy2d)
	zz.Add(&p.Z, &p.Z)
	x3.Subtract(&pp, &mm)
	y3.Add(&pp, &mm)
	if neg {
		z3.Subtract(&zz, &tt)
		t3.Add(&zz, &tt)
	} else {
		z3.Add(&zz, &tt)
		t3.Subtract(&zz, &tt)
	}
	p.fromCompleted(&x3, &y3, &z3, &t3)
}

// fromCompleted sets p from completed coordinates (x = X/Z, y = Y/T), the
// form an addition or doubling formula ends in.
func (p *point) fromCompleted(x3, y3, z3, t3 *field.Element) {
	p.X.Multiply(x3, t3)
	p.Y.Multiply(y3, z3)
	p.Z.Multiply(z3, t3)
	p.T.Multiply(x3, y3)
}

// addDigit adds e·row[|e|−1] (e in −8..8) to p.
func (p *point) addDigit(row *[8]niels, e int8) {
	switch {
	case e > 0:
		p.add(&row[e-1], false)
	case e < 0:
		p.add(&row[-e-1], true)
	}
}

// double sets p = 2p.
func (p *point) double() {
	var xx, yy, zz2, s, x3, y3, z3, t3 field.Element
	xx.Square(&p.X)
	yy.Square(&p.Y)
	zz2.Square(&p.Z)
	zz2.Add(&zz2, &zz2)
	s.Add(&p.X, &p.Y)
	s.Square(&s)
	y3.Add(&yy, &xx)
	z3.Subtract(&yy, &xx)
	x3.Subtract(&s, &y3)
	t3.Subtract(&zz2, &z3)
	p.fromCompleted(&x3, &y3, &z3, &t3)
}

// encode writes the 32-byte encoding of p to out.
func (p *point) encode(out *[32]byte) {
	var zinv, x, y field.Element
	zinv.Invert(&p.Z)
	x.Multiply(&p.X, &zinv)
	y.Multiply(&p.Y, &zinv)
	copy(out[:], y.Bytes())
	out[31] |= byte(x.IsNegative() << 7)
}

// radix16 returns the signed radix-16 digits (−8..8) of a reduced scalar
// given in little-endian order: s = Σ e[i]·16^i.
func radix16(b []byte) (e [64]int8) {
	for i := 0; i < 32; i++ {
		e[2*i] = int8(b[i] & 15)
		e[2*i+1] = int8(b[i] >> 4)
	}
	for i := 0; i < 63; i++ {
		carry := (e[i] + 8) >> 4
		e[i] -= carry << 4
		e[i+1] += carry
	}
	return e
}

// verify checks sig over msg with the table of −A (pub is A's encoding).
func verify(negA *table, pub, msg, sig []byte) bool {
	s, err := new(edwards25519.Scalar).SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	var digest [64]byte
	if n := 64 + len(msg); n <= 256 {
		// The common case (a Data Integrity proof signs 64 bytes): hash
		// from a stack buffer rather than through a heap-allocated hash.
		var buf [256]byte
		copy(buf[:32], sig[:32])
		copy(buf[32:64], pub)
		copy(buf[64:], msg)
		digest = sha512.Sum512(buf[:n])
	} else {
		h := sha512.New()
		h.Write(sig[:32])
		h.Write(pub)
		h.Write(msg)
		h.Sum(digest[:0])
	}
	k, err := new(edwards25519.Scalar).SetUniformBytes(digest[:])
	if err != nil {
		return false
	}
	ek, es := radix16(k.Bytes()), radix16(s.Bytes())
	tb := baseT()

	// [k](−A) + [s]B = 16·(odd digits) + (even digits), each half a sum of
	// table entries.
	r := point{}
	r.Y.One()
	r.Z.One()
	for j := 0; j < 32; j++ {
		r.addDigit(&negA[j], ek[2*j+1])
		r.addDigit(&tb[j], es[2*j+1])
	}
	r.double()
	r.double()
	r.double()
	r.double()
	for j := 0; j < 32; j++ {
		r.addDigit(&negA[j], ek[2*j])
		r.addDigit(&tb[j], es[2*j])
	}
	var enc [32]byte
	r.encode(&enc)
	return bytes.Equal(enc[:], sig[:32])
}

// Cache holds the tables of the keys verified most often. The zero value
// is ready to use; a Cache is safe for concurrent use.
//
// The tables are read on every verification, from every core, and change
// only when a table is built: they are an immutable map behind an atomic
// pointer, replaced by a copy on each change, so that a verification with
// a cached key writes nothing shared (a mutex would move its cache line
// between the cores on every call). The mutex guards the counts of keys
// without a table, and serializes the replacements.
type Cache struct {
	tables atomic.Pointer[map[[32]byte]*table]
	mu     sync.Mutex
	counts map[[32]byte]uint8
}

var shared Cache

// Verify reports whether sig is a valid signature of msg by pub, exactly as
// crypto/ed25519.Verify does, using the package's shared cache. Unlike
// crypto/ed25519.Verify it returns false for a key of the wrong length
// rather than panicking.
func Verify(pub ed25519.PublicKey, msg, sig []byte) bool { return shared.Verify(pub, msg, sig) }

// Verify reports whether sig is a valid signature of msg by pub, exactly as
// crypto/ed25519.Verify does; see the package documentation.
func (c *Cache) Verify(pub ed25519.PublicKey, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	if t := c.table(pub); t != nil {
		return verify(t, pub, msg, sig)
	}
	return ed25519.Verify(pub, msg, sig)
}

// table returns pub's table, building it when pub has now been seen
// Threshold times, or nil.
func (c *Cache) table(pub []byte) *table {
	key := [32]byte(pub)
	if m := c.tables.Load(); m != nil {
		if t := (*m)[key]; t != nil {
			return t
		}
	}
	c.mu.Lock()
	if m := c.tables.Load(); m != nil && (*m)[key] != nil {
		c.mu.Unlock()
		return (*m)[key] // built meanwhile
	}
	if c.counts == nil {
		c.counts = map[[32]byte]uint8{}
	}
	n := c.counts[key] + 1
	if n < Threshold {
		if len(c.counts) >= maxCounted {
			clear(c.counts)
		}
		c.counts[key] = n
		c.mu.Unlock()
		return nil
	}
	delete(c.counts, key)
	c.mu.Unlock()

	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return nil // crypto/ed25519 rejects it too
	}
	t := newTable(new(edwards25519.Point).Negate(A))

	c.mu.Lock()
	defer c.mu.Unlock()
	var old map[[32]byte]*table
	if m := c.tables.Load(); m != nil {
		old = *m
	}
	if t := old[key]; t != nil {
		return t // built concurrently
	}
	next := make(map[[32]byte]*table, min(len(old)+1, MaxTables))
	victim := len(old) >= MaxTables
	for k, v := range old { // map order: a random victim when full
		if victim {
			victim = false
			continue
		}
		next[k] = v
	}
	next[key] = t
	c.tables.Store(&next)
	return t
}
