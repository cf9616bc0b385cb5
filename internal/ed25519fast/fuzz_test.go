package ed25519fast

import (
	"crypto/ed25519"
	"testing"
)

// FuzzVerify compares the table path with crypto/ed25519: on a signature
// made with a key from seed and then altered by mask (all-zero masks keep it
// valid), and on raw key and signature bytes.
func FuzzVerify(f *testing.F) {
	f.Add(make([]byte, 32), []byte("badge"), make([]byte, 64), false)
	f.Add(make([]byte, 32), []byte{}, []byte{0: 1, 63: 0x10}, false)
	f.Add([]byte{0: 1}, make([]byte, 64), []byte{0: 1}, true)
	f.Fuzz(func(t *testing.T, seed, msg, mask []byte, raw bool) {
		var pub, sig []byte
		if raw {
			if len(seed) != 32 || len(mask) != 64 {
				return
			}
			pub, sig = seed, mask
		} else {
			var s [ed25519.SeedSize]byte
			copy(s[:], seed)
			priv := ed25519.NewKeyFromSeed(s[:])
			pub = priv.Public().(ed25519.PublicKey)
			sig = ed25519.Sign(priv, msg)
			for i := 0; i < len(mask) && i < len(sig); i++ {
				sig[i] ^= mask[i]
			}
		}
		want := ed25519.Verify(pub, msg, sig)
		if got := fastVerify(t, pub, msg, sig); got != want {
			t.Fatalf("table path says %v, crypto/ed25519 %v", got, want)
		}
	})
}
