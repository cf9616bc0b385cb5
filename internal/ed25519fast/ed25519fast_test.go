package ed25519fast

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"testing"

	"filippo.io/edwards25519"
)

// ell is the group order ℓ, little-endian.
var ell = []byte{
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

// fastVerify checks with a table, whatever the key's count.
func fastVerify(t testing.TB, pub, msg, sig []byte) bool {
	t.Helper()
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	return verify(newTable(new(edwards25519.Point).Negate(A)), pub, msg, sig)
}

func TestD2(t *testing.T) {
	// 2d from RFC 8032 § 5.1 (d = 37095705934669439343138083508754565189542113879843219016388785533085940283555).
	want := "59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624"
	if got := hex.EncodeToString(d2.Bytes()); got != want {
		t.Fatalf("2d = %s, want %s", got, want)
	}
}

// TestTableEntries checks every entry of a table against ScalarMult.
func TestTableEntries(t *testing.T) {
	p := new(edwards25519.Point).ScalarBaseMult(mustScalar(t, 12345))
	tb := newTable(p)
	for j := 0; j < 32; j++ {
		for d := 1; d <= 8; d++ {
			// d·256^j as a scalar.
			var b [64]byte
			b[j] = byte(d)
			s, err := new(edwards25519.Scalar).SetUniformBytes(b[:])
			if err != nil {
				t.Fatal(err)
			}
			want := new(edwards25519.Point).ScalarMult(s, p)
			var got point
			got.Y.One()
			got.Z.One()
			got.add(&tb[j][d-1], false)
			var enc [32]byte
			got.encode(&enc)
			if !bytes.Equal(enc[:], want.Bytes()) {
				t.Fatalf("entry [%d][%d] wrong", j, d)
			}
		}
	}
}

func mustScalar(t *testing.T, v uint64) *edwards25519.Scalar {
	t.Helper()
	var b [64]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
	s, err := new(edwards25519.Scalar).SetUniformBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRadix16(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1000; i++ {
		var wide [64]byte
		for j := range wide {
			wide[j] = byte(r.Uint32())
		}
		s, _ := new(edwards25519.Scalar).SetUniformBytes(wide[:])
		e := radix16(s.Bytes())
		// Σ e[i]·16^i must give s back.
		acc := edwards25519.NewScalar()
		pow := mustScalar(t, 1)
		sixteen := mustScalar(t, 16)
		for _, d := range e {
			if d < -8 || d > 8 {
				t.Fatalf("digit %d out of range", d)
			}
			term := new(edwards25519.Scalar).Multiply(mustScalar(t, uint64(abs(d))), pow)
			if d < 0 {
				term.Negate(term)
			}
			acc.Add(acc, term)
			pow.Multiply(pow, sixteen)
		}
		if acc.Equal(s) != 1 {
			t.Fatal("radix16 does not round-trip")
		}
	}
}

func abs(d int8) int8 {
	if d < 0 {
		return -d
	}
	return d
}

// TestDifferential compares the table path with crypto/ed25519 on valid,
// corrupted and edge-case signatures.
func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	seed := make([]byte, ed25519.SeedSize)
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := 0; i < n; i++ {
		for j := range seed {
			seed[j] = byte(r.Uint32())
		}
		priv := ed25519.NewKeyFromSeed(seed)
		pub := priv.Public().(ed25519.PublicKey)
		msg := make([]byte, r.IntN(300))
		for j := range msg {
			msg[j] = byte(r.Uint32())
		}
		sig := ed25519.Sign(priv, msg)
		cases := map[string][]byte{"valid": sig}
		for _, pos := range []int{0, 31, 32, 63, r.IntN(64)} {
			bad := bytes.Clone(sig)
			bad[pos] ^= 1 << r.IntN(8)
			cases["flip"] = bad
		}
		cases["s+ℓ"] = withS(sig, addLE(sig[32:], ell))
		cases["s=0"] = withS(sig, make([]byte, 32))
		otherMsg := append(bytes.Clone(msg), 1)
		for name, s := range cases {
			for _, m := range [][]byte{msg, otherMsg} {
				want := ed25519.Verify(pub, m, s)
				if got := fastVerify(t, pub, m, s); got != want {
					t.Fatalf("case %s: fast %v, crypto/ed25519 %v", name, got, want)
				}
			}
		}
		if !fastVerify(t, pub, msg, sig) {
			t.Fatal("a valid signature was rejected")
		}
	}
}

func withS(sig, s []byte) []byte {
	out := bytes.Clone(sig)
	copy(out[32:], s)
	return out
}

// addLE adds two 32-byte little-endian numbers (mod 2^256).
func addLE(a, b []byte) []byte {
	out := make([]byte, 32)
	carry := 0
	for i := 0; i < 32; i++ {
		v := int(a[i]) + int(b[i]) + carry
		out[i], carry = byte(v), v>>8
	}
	return out
}

// TestSmallOrderKeys: crypto/ed25519 accepts, for the identity key, any
// signature whose R is the identity and s is 0 (catalogue: small-order
// keys; the did package refuses such keys before they get here). The fast
// path must agree with it exactly, whatever that is.
func TestSmallOrderKeys(t *testing.T) {
	keys := map[string]string{
		"identity":          "0100000000000000000000000000000000000000000000000000000000000000",
		"order 2":           "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"order 4":           "0000000000000000000000000000000000000000000000000000000000000080",
		"order 8":           "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
		"non-canonical y=1": "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	}
	identityR := "0100000000000000000000000000000000000000000000000000000000000000"
	for name, k := range keys {
		pub, _ := hex.DecodeString(k)
		for _, rHex := range []string{identityR, k} {
			R, _ := hex.DecodeString(rHex)
			sig := append(R, make([]byte, 32)...)
			for _, msg := range [][]byte{nil, []byte("hello"), make([]byte, 64)} {
				want := ed25519.Verify(pub, msg, sig)
				if got := fastVerify(t, pub, msg, sig); got != want {
					t.Errorf("%s: fast %v, crypto/ed25519 %v", name, got, want)
				}
			}
		}
	}
}

func TestCacheBuildsAfterThreshold(t *testing.T) {
	var c Cache
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	msg := []byte("badge")
	sig := ed25519.Sign(priv, msg)
	for i := 1; i <= Threshold+1; i++ {
		if !c.Verify(pub, msg, sig) {
			t.Fatalf("use %d: valid signature rejected", i)
		}
		m := c.tables.Load()
		has := m != nil && (*m)[[32]byte(pub)] != nil
		if want := i >= Threshold; has != want {
			t.Fatalf("use %d: table built = %v, want %v", i, has, want)
		}
	}
	sig[5] ^= 1
	if c.Verify(pub, msg, sig) {
		t.Fatal("corrupted signature accepted through the table")
	}
	if c.Verify(pub[:31], msg, sig) || c.Verify(pub, msg, sig[:63]) {
		t.Fatal("wrong lengths must be refused, not panic")
	}
}

func TestCacheBounded(t *testing.T) {
	var c Cache
	msg := []byte("m")
	for i := 0; i < MaxTables*2; i++ {
		seed := sha256.Sum256([]byte{byte(i)})
		priv := ed25519.NewKeyFromSeed(seed[:])
		pub := priv.Public().(ed25519.PublicKey)
		sig := ed25519.Sign(priv, msg)
		for j := 0; j < Threshold; j++ {
			if !c.Verify(pub, msg, sig) {
				t.Fatal("valid signature rejected")
			}
		}
	}
	if c.tableCount() > MaxTables {
		t.Fatalf("%d tables, bound %d", c.tableCount(), MaxTables)
	}
	if c.tableCount() != MaxTables {
		t.Fatalf("%d tables, want the cache full (%d)", c.tableCount(), MaxTables)
	}
}

func TestCacheConcurrent(t *testing.T) {
	var c Cache
	var wg sync.WaitGroup
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seed := sha256.Sum256([]byte{byte(g % 4)})
			priv := ed25519.NewKeyFromSeed(seed[:])
			pub := priv.Public().(ed25519.PublicKey)
			msg := []byte{byte(g)}
			sig := ed25519.Sign(priv, msg)
			for i := 0; i < 10; i++ {
				if !c.Verify(pub, msg, sig) {
					t.Error("valid signature rejected")
					return
				}
				if c.Verify(pub, append(msg, 0), sig) {
					t.Error("signature accepted for another message")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkVerify(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 64)
	sig := ed25519.Sign(priv, msg)
	b.Run("crypto/ed25519", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ed25519.Verify(pub, msg, sig)
		}
	})
	b.Run("table", func(b *testing.B) {
		var c Cache
		b.ReportAllocs()
		for b.Loop() {
			if !c.Verify(pub, msg, sig) {
				b.Fatal("rejected")
			}
		}
	})
}

func BenchmarkNewTable(b *testing.B) {
	p := edwards25519.NewGeneratorPoint()
	for b.Loop() {
		newTable(p)
	}
}

// tableCount is the number of keys with a table.
func (c *Cache) tableCount() int {
	if m := c.tables.Load(); m != nil {
		return len(*m)
	}
	return 0
}
