package strictjson

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// scratchInputs covers every way Decode makes a map or a slice: empty,
// small and medium objects (recycled), objects past mediumMap and
// smallObject (not recycled), arrays carved from a slab and arrays too long
// for one.
func scratchInputs() []string {
	members := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"k%d":[%d,"v%d",{}]`, i, i, i)
		}
		return "{" + b.String() + "}"
	}
	elems := func(n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat(`{"a":[]},`, n), ",") + "]"
	}
	return []string{
		`{}`, `[]`, `[{}, [], {"a": {}}]`,
		members(1), members(8), members(9), members(16), members(17), members(40),
		elems(3), elems(16), elems(17), elems(200),
		`{"a":` + members(12) + `,"b":[` + members(3) + `,` + elems(20) + `]}`,
	}
}

func TestScratchDecodesAsDecode(t *testing.T) {
	var sc Scratch
	inputs := scratchInputs()
	if b, err := os.ReadFile(benchSample()); err == nil {
		inputs = append(inputs, string(b))
	}
	// Twice through, so that the second pass runs on recycled maps and
	// slabs left by other documents.
	for pass := range 2 {
		for _, in := range inputs {
			want, err := Decode([]byte(in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := sc.Decode(in, Options{})
			if err != nil {
				t.Fatalf("pass %d: %v", pass, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("pass %d: %.60s decodes to\n %#v\nwant\n %#v", pass, in, got, want)
			}
			sc.Release()
		}
	}
}

func TestScratchReleaseRecycles(t *testing.T) {
	var sc Scratch
	doc := `{"a":{"b":1},"c":[{"d":"e"},{"f":[1,2]}],"g":{}}`
	v, err := sc.Decode(doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := v.(map[string]any)["a"].(map[string]any)
	sc.Release()
	if len(a) != 0 {
		t.Errorf("a released map still holds %v", a)
	}
	if n := len(sc.free[0]); n != 5 {
		t.Errorf("%d small maps free after Release, want 5", n)
	}
	// Once warm, decoding the same shape again takes no new maps or slabs:
	// what remains is boxing strings, numbers and slices into interfaces.
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := sc.Decode(doc, Options{}); err != nil {
			t.Fatal(err)
		}
		sc.Release()
	})
	if allocs > 8 {
		t.Errorf("%v allocations per decode with a warm Scratch, want at most 8", allocs)
	}
}

func TestScratchBounded(t *testing.T) {
	var sc Scratch
	// A map the caller grew past its class is not kept.
	v, err := sc.Decode(`{"a":1}`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	for i := range 100 {
		m[fmt.Sprint(i)] = i
	}
	sc.Release()
	if n := len(sc.free[0]) + len(sc.free[1]); n != 0 {
		t.Errorf("%d maps kept, want the grown one dropped", n)
	}
	// However many maps and slabs one document used, the free lists stay
	// within their bounds.
	big := "[" + strings.TrimSuffix(strings.Repeat(`{"a":[1],"b":{}},`, 3000), ",") + "," + strings.Repeat(`"x",`, 5000) + `{` + strings.Repeat(`"k":[`, 0) + `}]`
	if _, err := sc.Decode(big, Options{}); err != nil {
		t.Fatal(err)
	}
	sc.Release()
	if len(sc.free[0]) > maxFreeMaps || len(sc.free[1]) > maxFreeMaps || len(sc.slabs) > maxFreeSlabs {
		t.Errorf("free lists %d, %d maps and %d slabs, bounds %d and %d", len(sc.free[0]), len(sc.free[1]), len(sc.slabs), maxFreeMaps, maxFreeSlabs)
	}
	const kept = 4096 // SECURITY.md's figure
	if cap(sc.inUse) > kept || cap(sc.usedSl) > kept || cap(sc.d.kvs) > kept || cap(sc.d.vals) > kept {
		t.Errorf("bookkeeping kept after a huge document: %d lent maps, %d slabs, stacks %d and %d", cap(sc.inUse), cap(sc.usedSl), cap(sc.d.kvs), cap(sc.d.vals))
	}
}

func TestScratchErrors(t *testing.T) {
	var sc Scratch
	for _, in := range []string{`{"a":[1,{"b":2,"b":3}]}`, `[1,2`, `{"a":1} x`} {
		_, want := Decode([]byte(in), Options{})
		_, got := sc.Decode(in, Options{})
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("%s: Scratch.Decode error %v, Decode %v", in, got, want)
		}
		sc.Release()
	}
	if _, err := sc.Decode(`[1]`, Options{MaxBytes: 2}); err == nil {
		t.Error("input over MaxBytes accepted")
	}
}

func BenchmarkScratchDecode(b *testing.B) {
	data := string(loadBench(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var sc Scratch
	for b.Loop() {
		if _, err := sc.Decode(data, Options{}); err != nil {
			b.Fatal(err)
		}
		sc.Release()
	}
}

// TestScratchBoxes checks that the kept boxes of short strings hold copies
// (a box must not keep a released document's input alive), that long
// strings are not kept, and that the set stays within maxBoxes.
func TestScratchBoxes(t *testing.T) {
	var sc Scratch
	long := strings.Repeat("x", maxBoxedLen+1)
	in := `["short","` + long + `"]`
	v, err := sc.Decode(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := v.([]any)
	start, end := uintptr(unsafe.Pointer(unsafe.StringData(in))), uintptr(unsafe.Pointer(unsafe.StringData(in)))+uintptr(len(in))
	if p := uintptr(unsafe.Pointer(unsafe.StringData(l[0].(string)))); p >= start && p < end {
		t.Error("a kept box shares the input's memory")
	}
	if _, kept := sc.boxes[long]; kept {
		t.Error("a long string was kept")
	}
	sc.Release()
	var b strings.Builder
	b.WriteString("[")
	for i := range 3 * maxBoxes {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"s%d"`, i)
	}
	b.WriteString("]")
	if _, err := sc.Decode(b.String(), Options{}); err != nil {
		t.Fatal(err)
	}
	sc.Release()
	if len(sc.boxes) > maxBoxes {
		t.Errorf("%d boxes kept, bound %d", len(sc.boxes), maxBoxes)
	}
}
