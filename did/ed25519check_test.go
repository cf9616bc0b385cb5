package did

import (
	"crypto/ed25519"
	"math/big"
	"testing"
)

var (
	fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	// d = -121665/121666 mod p
	curveD = func() *big.Int {
		num := new(big.Int).Neg(big.NewInt(121665))
		den := new(big.Int).ModInverse(big.NewInt(121666), fieldP)
		d := new(big.Int).Mul(num, den)
		return d.Mod(d, fieldP)
	}()
)

func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

func intToLE(n *big.Int) [32]byte {
	var out [32]byte
	be := n.FillBytes(make([]byte, 32))
	for i := range be {
		out[31-i] = be[i]
	}
	return out
}

// TestSmallOrderTable checks the hard-coded y coordinates against the curve
// -x² + y² = 1 + d·x²·y² (mod p): y = ±1 have x = 0 (orders 1 and 2); y = 0
// has x² = -1 (order 4); an order-8 point P has 2P of order 4, i.e.
// x(P)² = -y(P)², which on the curve gives d·y⁴ + 2·y² - 1 = 0.
func TestSmallOrderTable(t *testing.T) {
	p := fieldP
	mod := func(x *big.Int) *big.Int { return x.Mod(x, p) }
	y0, y1, yM1 := leToInt(smallOrderY[0][:]), leToInt(smallOrderY[1][:]), leToInt(smallOrderY[2][:])
	if y0.Sign() != 0 || y1.Cmp(big.NewInt(1)) != 0 || mod(new(big.Int).Add(yM1, big.NewInt(1))).Sign() != 0 {
		t.Fatal("orders 1, 2, 4 entries wrong")
	}
	// x² = -1 must have a root for the order-4 points to exist.
	if new(big.Int).ModSqrt(mod(big.NewInt(-1)), p) == nil {
		t.Fatal("-1 is not a square mod p")
	}
	y8 := leToInt(smallOrderY[3][:])
	want, _ := new(big.Int).SetString("2707385501144840649318225287225658788936804267575313519463743609750303402022", 10)
	if y8.Cmp(want) != 0 {
		t.Fatalf("y8 = %v", y8)
	}
	for _, y := range []*big.Int{y8, leToInt(smallOrderY[4][:])} {
		y2 := mod(new(big.Int).Mul(y, y))
		y4 := mod(new(big.Int).Mul(y2, y2))
		v := mod(new(big.Int).Add(new(big.Int).Mul(curveD, y4), new(big.Int).Sub(new(big.Int).Lsh(y2, 1), big.NewInt(1))))
		if v.Sign() != 0 {
			t.Fatalf("y = %v is not the y of an order-8 point", y)
		}
		// x² = -y² must be a square for the point to exist.
		if new(big.Int).ModSqrt(mod(new(big.Int).Neg(y2)), p) == nil {
			t.Fatalf("no x for y = %v", y)
		}
	}
	if mod(new(big.Int).Add(y8, leToInt(smallOrderY[4][:]))).Sign() != 0 {
		t.Fatal("last entry is not p - y8")
	}
}

func TestCheckEd25519PublicKey(t *testing.T) {
	// All eight small-order points, with both values of the sign bit.
	for i, y := range smallOrderY {
		for _, sign := range []byte{0, 0x80} {
			k := y
			k[31] |= sign
			if err := CheckEd25519PublicKey(k[:]); err == nil {
				t.Errorf("small-order entry %d sign %x accepted", i, sign)
			} else {
				wantErr(t, err, ErrInvalidKey)
			}
		}
	}
	// Non-canonical encodings: y = p … 2^255-1 (p and p+1 encode 0 and 1,
	// both small order, the rest are otherwise valid-looking values).
	for delta := int64(0); delta < 19; delta++ {
		y := intToLE(new(big.Int).Add(fieldP, big.NewInt(delta)))
		for _, sign := range []byte{0, 0x80} {
			k := y
			k[31] |= sign
			wantErr(t, CheckEd25519PublicKey(k[:]), ErrInvalidKey)
		}
	}
	// Wrong lengths are errors, not panics.
	for _, n := range []int{0, 1, 31, 33, 64} {
		wantErr(t, CheckEd25519PublicKey(make([]byte, n)), ErrInvalidKey)
	}
	// Ordinary keys.
	for seed := byte(0); seed < 5; seed++ {
		s := make([]byte, 32)
		s[31] = seed
		pub := ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)
		if err := CheckEd25519PublicKey(pub); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
}

// TestIdentityKeyForgery documents why the check exists: crypto/ed25519
// accepts the identity public key, with which one signature verifies any
// message (SECURITY-CATALOGUE item 34).
func TestIdentityKeyForgery(t *testing.T) {
	pub := make([]byte, 32)
	pub[0] = 1
	sig := make([]byte, 64)
	sig[0] = 1
	for _, msg := range []string{"a credential", "another credential"} {
		if !ed25519.Verify(pub, []byte(msg), sig) {
			t.Skip("crypto/ed25519 now rejects the identity key; the check is still useful")
		}
	}
	wantErr(t, CheckEd25519PublicKey(pub), ErrInvalidKey)
	_, err := DecodePublicKey("z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj")
	wantErr(t, err, ErrInvalidKey)
}
