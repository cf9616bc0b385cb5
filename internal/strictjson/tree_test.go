package strictjson

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTree(t *testing.T) {
	v, err := Parse(`{"b":[1,"x\u00e9",{"c":null}],"a":true,"":{}}`, Options{})
	require.NoError(t, err)
	require.Equal(t, Object, v.Kind())
	var keys []string
	for k := range v.Members() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"b", "a", ""}, keys, "members in document order")
	b, ok := v.Get("b")
	require.True(t, ok)
	assert.Equal(t, 3, b.Len())
	var kinds []Kind
	for i, e := range b.Elements() {
		assert.Len(t, kinds, i)
		kinds = append(kinds, e.Kind())
	}
	assert.Equal(t, []Kind{Number, String, Object}, kinds)
	a, _ := v.Get("a")
	assert.True(t, a.Bool())
	_, ok = v.Get("z")
	assert.False(t, ok)
	var zero Value
	assert.Equal(t, Invalid, zero.Kind())
	_, ok = zero.Get("a")
	assert.False(t, ok)
	assert.Equal(t, 0, zero.Len())
}

func BenchmarkParseTree(b *testing.B) {
	data := string(loadBench(b))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTreeWithoutCloneAppend(t *testing.T) {
	src := `{"a":[1,{"x":"\u00e9"}],"proof":{"p":[true,null]},"b":"s\u2028","c":{}}`
	v, err := Parse(src, Options{})
	require.NoError(t, err)
	w := v.Without("proof")
	assert.Equal(t, `{"a":[1,{"x":"é"}],"b":"s\u2028","c":{}}`, string(w.AppendJSON(nil)))
	assert.Equal(t, 3, w.Len())
	assert.False(t, w.Has("proof"))
	assert.Equal(t, v, v.Without("absent"))
	assert.Equal(t, `{"a":[1,{"x":"é"}],"b":"s\u2028","c":{}}`, string(v.Without("proof").Clone().AppendJSON(nil)))
	first := v.Without("a")
	assert.Equal(t, `{"proof":{"p":[true,null]},"b":"s\u2028","c":{}}`, string(first.AppendJSON(nil)))
	last := v.Without("c")
	assert.Equal(t, `{"a":[1,{"x":"é"}],"proof":{"p":[true,null]},"b":"s\u2028"}`, string(last.AppendJSON(nil)))
	p, _ := v.Get("proof")
	assert.Equal(t, `{"p":[true,null]}`, string(p.Clone().AppendJSON(nil)))
	assert.Equal(t, map[string]any{"p": []any{true, nil}}, p.ToGo())
	assert.Equal(t, Invalid, v.Index(0).Kind(), "not an array")
	a, _ := v.Get("a")
	assert.Equal(t, "1", a.Index(0).NumberText())
	assert.Equal(t, Invalid, a.Index(2).Kind())
}

func TestFromGo(t *testing.T) {
	v, err := FromGo(map[string]any{"b": []any{json.Number("1.50"), 2.5, 3, true, nil}, "a": []map[string]any{{"x": "y"}}, "s": []string{"q"}}, Options{})
	require.NoError(t, err)
	assert.Equal(t, `{"a":[{"x":"y"}],"b":[1.50,2.5,3,true,null],"s":["q"]}`, string(v.AppendJSON(nil)))
	for _, bad := range []any{"\xff", map[string]any{"\xff": 1}, json.Number("x"), math.Inf(1), struct{}{}} {
		_, err := FromGo(bad, Options{})
		var e *Error
		require.ErrorAs(t, err, &e, "%#v", bad)
	}
	deep := any("x")
	for range 70 {
		deep = []any{deep}
	}
	_, err = FromGo(deep, Options{})
	require.ErrorIs(t, err, ErrTooDeep)
}

// TestRelease checks that a released document's Values read as the zero
// Value, that what was read from it before stays as it was while other
// documents are parsed into its nodes, and that those documents read as
// parsed.
func TestRelease(t *testing.T) {
	src := `{"a":[1,{"x":"\u00e9"}],"proof":{"p":[true,null]},"b":"s","c":{}}`
	v, err := Parse(src, Options{})
	require.NoError(t, err)
	a, _ := v.Get("a")
	x, _ := a.Index(1).Get("x")
	w := v.Without("proof")
	s, text := x.Str(), string(w.AppendJSON(nil))
	v.Release()
	v.Release() // twice: nothing more
	for _, r := range []Value{v, a, x, w} {
		assert.Equal(t, Invalid, r.Kind())
		assert.Equal(t, 0, r.Len())
		assert.False(t, r.Has("a"))
		assert.Equal(t, "null", string(r.AppendJSON(nil)))
		for range r.Members() {
			t.Error("a released object has members")
		}
	}
	assert.Equal(t, src, v.Source())
	for i := range 20 {
		other := fmt.Sprintf(`{"z":[%d,"\u00e8",{"y":"%d"}],"a":"b"}`, i, i)
		o, err := Parse(other, Options{})
		require.NoError(t, err)
		assert.Equal(t, "é", s)
		assert.Equal(t, `{"a":[1,{"x":"é"}],"b":"s","c":{}}`, text)
		assert.Equal(t, Invalid, x.Kind(), "a released Value reads another document")
		assert.Equal(t, fmt.Sprintf(`{"z":[%d,"è",{"y":"%d"}],"a":"b"}`, i, i), string(o.AppendJSON(nil)))
		o.Release()
	}
	var zero Value
	zero.Release()
	assert.Equal(t, Invalid, zero.Kind())
}

// TestReleaseReuses checks that a document parsed after another was
// released takes no new nodes: only its tree's header is allocated.
func TestReleaseReuses(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops entries at random under the race detector")
	}
	data := `{"type":["VerifiableCredential"],"items":[`
	for i := range 100 {
		data += fmt.Sprintf(`{"n":%d,"s":"text","b":[true,null]},`, i)
	}
	data += `{}]}`
	v, err := Parse(data, Options{})
	require.NoError(t, err)
	v.Release()
	allocs := testing.AllocsPerRun(100, func() {
		v, err := Parse(data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		v.Release()
	})
	// One for the tree (sync.Pool may drop an entry, rarely).
	assert.Less(t, allocs, 1.5)
}

// TestCompactSourceLen checks that the compact length is the source's
// without the white space between tokens (strings' own spaces kept), the
// length AppendJSON writes when the strings need no other escaping.
func TestCompactSourceLen(t *testing.T) {
	for _, src := range []string{
		`{}`, ` [ 1 , "a b" ,{"k" : null}] `, "{\n  \"x\": [true,\tfalse],\r\n  \"y\": \"  \"\n}\n", `"s"`, ` 0 `,
	} {
		v, err := Parse(src, Options{})
		require.NoError(t, err)
		assert.Equal(t, len(v.AppendJSON(nil)), v.CompactSourceLen(), "%q", src)
		if a, ok := v.Get("x"); ok {
			assert.Equal(t, v.CompactSourceLen(), a.CompactSourceLen(), "the whole document's, from any of its values")
		}
	}
	assert.Equal(t, 0, Value{}.CompactSourceLen())
}
