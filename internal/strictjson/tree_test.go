package strictjson

import (
	"encoding/json"
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
