package status

import "testing"

func TestPermutationIsBijection(t *testing.T) {
	seed := []byte("0123456789abcdef0123456789abcdef")
	for _, n := range []uint64{1, 2, 3, 7, 8, 9, 100, 1000, 4097} {
		p := newPermutation(seed, n)
		seen := make([]bool, n)
		for k := range n {
			x := p.forward(k)
			if x >= n {
				t.Fatalf("n=%d: forward(%d) = %d out of range", n, k, x)
			}
			if seen[x] {
				t.Fatalf("n=%d: forward(%d) = %d repeats", n, k, x)
			}
			seen[x] = true
			if back := p.inverse(x); back != k {
				t.Fatalf("n=%d: inverse(forward(%d)) = %d", n, k, back)
			}
		}
	}
}

func TestPermutationDependsOnSeed(t *testing.T) {
	a := newPermutation([]byte("seed-aaaaaaaaaaaaaaaaaaaaaaaaaaaa"), MinEntries)
	b := newPermutation([]byte("seed-bbbbbbbbbbbbbbbbbbbbbbbbbbbb"), MinEntries)
	same, ascending := 0, 0
	prev := uint64(0)
	for k := range uint64(64) {
		if a.forward(k) == b.forward(k) {
			same++
		}
		if x := a.forward(k); x > prev {
			ascending++
			prev = x
		}
	}
	if same > 2 {
		t.Fatalf("%d of 64 indexes agree under different seeds", same)
	}
	if ascending > 20 {
		t.Fatalf("indexes look ordered (%d ascending steps of 64)", ascending)
	}
}
