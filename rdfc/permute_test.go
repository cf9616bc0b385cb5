package rdfc

import (
	"fmt"
	"testing"
)

func factorial(n int) int {
	f := 1
	for i := 2; i <= n; i++ {
		f *= i
	}
	return f
}

// TestPermuterDistinct checks that every permutation of distinct nodes is
// produced exactly once, starting with the label order.
func TestPermuterDistinct(t *testing.T) {
	for n := 1; n <= 6; n++ {
		group := make([]int32, n)
		rank := make([]int32, n)
		for i := range n {
			group[i] = int32(n - 1 - i) // reverse label order
			rank[i] = int32(i)
		}
		var p permuter
		p.reset(group, rank)
		seen := map[string]bool{}
		first := true
		for p.next() {
			key := fmt.Sprint(p.current)
			if seen[key] {
				t.Fatalf("n=%d: %s produced twice", n, key)
			}
			seen[key] = true
			if first {
				for i, b := range p.current {
					if b != int32(i) {
						t.Fatalf("n=%d: first permutation %v is not in label order", n, p.current)
					}
				}
				first = false
			}
		}
		if len(seen) != factorial(n) {
			t.Errorf("n=%d: %d permutations, want %d", n, len(seen), factorial(n))
		}
	}
}

// TestPermuterDuplicates checks that a list naming a node twice (a related
// node reached through two quads with the same related hash) terminates.
func TestPermuterDuplicates(t *testing.T) {
	rank := []int32{0, 1, 2, 3}
	for _, group := range [][]int32{{0, 0}, {0, 0, 1}, {1, 0, 1, 0}, {2, 2, 2, 1, 0}, {3, 1, 3, 1, 2, 0}} {
		var p permuter
		p.reset(append([]int32(nil), group...), rank)
		count := 0
		for p.next() {
			count++
			if count > factorial(len(group)) {
				t.Fatalf("%v: more than n! permutations", group)
			}
		}
		t.Logf("%v: %d permutations", group, count)
	}
}
