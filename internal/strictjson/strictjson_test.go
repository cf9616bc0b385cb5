package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{`null`, nil},
		{` true `, true},
		{`false`, false},
		{`0`, json.Number("0")},
		{`-12.5e+3`, json.Number("-12.5e+3")},
		{`"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t"},
		{`"\u00e9\uD83D\uDE00"`, "é😀"},
		{`"é😀"`, "é😀"},
		{`[]`, []any{}},
		{`{}`, map[string]any{}},
		{`[1,"x",[{}]]`, []any{json.Number("1"), "x", []any{map[string]any{}}}},
		{`{"a":{"b":[null]},"c":"d"}`, map[string]any{"a": map[string]any{"b": []any{nil}}, "c": "d"}},
		{"\t\r\n{ \"a\" : 1 }\n", map[string]any{"a": json.Number("1")}},
	}
	for _, tt := range tests {
		got, err := Decode([]byte(tt.in), Options{})
		if err != nil {
			t.Errorf("Decode(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Decode(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("[", 65) + strings.Repeat("]", 65)
	okDeep := strings.Repeat("[", 64) + strings.Repeat("]", 64)
	if _, err := Decode([]byte(okDeep), Options{}); err != nil {
		t.Fatalf("depth 64 rejected: %v", err)
	}
	var many strings.Builder
	many.WriteString("{")
	for i := range 20 {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`"k` + string(rune('a'+i)) + `":1`)
	}
	manyDup := many.String() + `,"kc":2}`
	manyFold := many.String() + `,"KC":2}`

	tests := []struct {
		name string
		in   string
		opts Options
		want error
		path string
		off  int64
	}{
		{"empty", ``, Options{}, ErrSyntax, "$", 0},
		{"space only", `  `, Options{}, ErrSyntax, "$", 2},
		{"trailing", `{} x`, Options{}, ErrSyntax, "$", 3},
		{"two values", `1 2`, Options{}, ErrSyntax, "$", 2},
		{"number beyond float64", `{"n": 9E929}`, Options{}, ErrSyntax, "$.n", 6},
		{"long integer beyond float64", `[` + strings.Repeat("9", 400) + `]`, Options{}, ErrSyntax, "$[0]", 1},
		{"bom", "\xef\xbb\xbf{}", Options{}, ErrSyntax, "$", 0},
		{"bad literal", `[tru]`, Options{}, ErrSyntax, "$[0]", 4},
		{"leading zero", `01`, Options{}, ErrSyntax, "$", 1},
		{"bare minus", `-`, Options{}, ErrSyntax, "$", 1},
		{"dot no digit", `1.`, Options{}, ErrSyntax, "$", 2},
		{"exp no digit", `1e+`, Options{}, ErrSyntax, "$", 3},
		{"plus sign", `+1`, Options{}, ErrSyntax, "$", 0},
		{"trailing comma array", `[1,]`, Options{}, ErrSyntax, "$[1]", 3},
		{"trailing comma object", `{"a":1,}`, Options{}, ErrSyntax, "$", 7},
		{"missing colon", `{"a" 1}`, Options{}, ErrSyntax, "$.a", 5},
		{"unterminated", `{"a":"b`, Options{}, ErrSyntax, "$.a", 7},
		{"control char", "\"a\x01\"", Options{}, ErrSyntax, "$", 2},
		{"bad escape", `"\x"`, Options{}, ErrSyntax, "$", 2},
		{"bad hex", `"\u12G4"`, Options{}, ErrSyntax, "$", 5},
		{"single quote", `{'a':1}`, Options{}, ErrSyntax, "$", 1},
		{"nan", `NaN`, Options{}, ErrSyntax, "$", 0},
		{"duplicate", `{"a":1,"b":{"c":1,"c":2}}`, Options{}, ErrDuplicateKey, "$.b.c", 18},
		{"duplicate escaped", `{"a":1,"\u0061":2}`, Options{}, ErrDuplicateKey, "$.a", 7},
		{"duplicate large object", manyDup, Options{}, ErrDuplicateKey, "$.kc", int64(len(manyDup) - 7)},
		{"case variant allowed", `{"type":1,"Type":2}`, Options{}, nil, "", 0},
		{"case variant folded", `{"type":1,"Type":2}`, Options{FoldDuplicateKeys: true}, ErrDuplicateKey, "$.Type", 10},
		{"case variant folded large", manyFold, Options{FoldDuplicateKeys: true}, ErrDuplicateKey, "$.KC", int64(len(manyFold) - 7)},
		{"invalid utf8", "{\"a\":[\"\xff\"]}", Options{}, ErrInvalidUTF8, "$.a[0]", 7},
		{"invalid utf8 after escape", "\"\\n\xc3\"", Options{}, ErrInvalidUTF8, "$", 3},
		{"utf8 surrogate", "\"\xed\xa0\x80\"", Options{}, ErrInvalidUTF8, "$", 1},
		{"overlong", "\"\xc0\xaf\"", Options{}, ErrInvalidUTF8, "$", 1},
		{"invalid utf8 key", "{\"\xfe\":1}", Options{}, ErrInvalidUTF8, "$", 2},
		{"lone high surrogate", `["\uD800"]`, Options{}, ErrInvalidUTF8, "$[0]", 2},
		{"lone low surrogate", `"\uDC00"`, Options{}, ErrInvalidUTF8, "$", 1},
		{"high then non-low", `"\uD800\u0041"`, Options{}, ErrInvalidUTF8, "$", 1},
		{"high then char", `"\uD800x"`, Options{}, ErrInvalidUTF8, "$", 1},
		{"noncharacter allowed by default", "\"\uFFFE\"", Options{}, nil, "", 0},
		{"noncharacter I-JSON", "[\"a\uFDD0\"]", Options{IJSON: true}, ErrInvalidUTF8, "$[0]", 3},
		{"noncharacter escape I-JSON", `"\uffff"`, Options{IJSON: true}, ErrInvalidUTF8, "$", 1},
		{"plane-16 noncharacter I-JSON", `"\uDBFF\uDFFF"`, Options{IJSON: true}, ErrInvalidUTF8, "$", 1},
		{"noncharacter after escape I-JSON", "\"\\n\U0001FFFE\"", Options{IJSON: true}, ErrInvalidUTF8, "$", 3},
		{"too deep", deep, Options{}, ErrTooDeep, "$" + strings.Repeat("[0]", 64), 64},
		{"too deep custom", `{"a":{"b":{}}}`, Options{MaxDepth: 2}, ErrTooDeep, "$.a.b", 10},
		{"too large", `[1,2,3]`, Options{MaxBytes: 6}, ErrTooLarge, "$", 6},
		{"too many keys", `{"a":1,"b":2,"c":3}`, Options{MaxKeys: 2}, ErrTooLarge, "$.c", 13},
		{"odd key path", `{"a b":{"x":[1,{"y":tru}]}}`, Options{}, ErrSyntax, `$["a b"].x[1].y`, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Decode([]byte(tt.in), tt.opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, got %#v", v)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Path != tt.path || e.Offset != tt.off {
				t.Errorf("at %s offset %d, want %s offset %d (%v)", e.Path, e.Offset, tt.path, tt.off, err)
			}
			if !strings.HasPrefix(err.Error(), "strictjson: ") {
				t.Errorf("error text %q lacks package prefix", err)
			}
		})
	}
}

func TestHardMaxDepth(t *testing.T) {
	in := strings.Repeat("[", HardMaxDepth+1) + strings.Repeat("]", HardMaxDepth+1)
	_, err := Decode([]byte(in), Options{MaxDepth: 1 << 30, MaxBytes: 1 << 20})
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("got %v, want ErrTooDeep", err)
	}
}

func TestAppendPath(t *testing.T) {
	p := AppendKey("$", "credentialSubject")
	p = AppendKey(p, "@context")
	p = AppendIndex(p, 2)
	p = AppendKey(p, "a.b")
	if want := `$.credentialSubject.@context[2]["a.b"]`; p != want {
		t.Fatalf("got %s, want %s", p, want)
	}
}

// stdDecode decodes exactly one value the way encoding/json does.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"n":-1.5e3}`,
		`[null,true,false,"\u00e9\ud83d\ude00",{"a":[]}]`,
		`{"a":1,"a":2}`,
		`"\ud800"`,
		"\"\xff\"",
		`[[[[[[[[[[]]]]]]]]]]`,
		` 0 `,
		`{"a" :{ "b":"c\n"} }  x`,
		`{"type":1,"Type":2}`,
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(benchSample()); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data, Options{MaxBytes: 1 << 20})
		want, stdErr := stdDecode(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			// encoding/json with UseNumber keeps a number beyond the float64
			// range as text; strictjson refuses it (by design, see number).
			if errors.Is(err, ErrSyntax) && stdErr == nil && !hasHugeNumber(want) {
				t.Fatalf("strictjson syntax error %v but encoding/json accepted %q", err, data)
			}
			return
		}
		if stdErr != nil {
			t.Fatalf("strictjson accepted %q, encoding/json: %v", data, stdErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("values differ for %q:\n strict %#v\n std    %#v", data, got, want)
		}
		// Parsed into nodes Decode released, the tree reads the same; once
		// released, it reads as nothing, and what Decode gave is unchanged.
		v, err := Parse(string(data), Options{MaxBytes: 1 << 20})
		if err != nil || !reflect.DeepEqual(v.ToGo(), want) {
			t.Fatalf("Parse differs from Decode for %q: %v", data, err)
		}
		v.Release()
		if v.Kind() != Invalid || !reflect.DeepEqual(got, want) {
			t.Fatalf("released tree of %q still reads, or Decode's values changed", data)
		}
	})
}

// benchSample finds /work/shared/bench/ob3-sample.json by walking up to the
// module root.
func benchSample() string {
	dir, _ := os.Getwd()
	for dir != "/" && dir != "." {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "bench", "ob3-sample.json")
		}
		dir = filepath.Dir(dir)
	}
	return ""
}

func loadBench(b *testing.B) []byte {
	data, err := os.ReadFile(benchSample())
	if err != nil {
		b.Skipf("benchmark sample not available: %v", err)
	}
	return data
}

func BenchmarkDecode(b *testing.B) {
	data := loadBench(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdUnmarshalAny(b *testing.B) {
	data := loadBench(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// hasHugeNumber reports whether v holds a json.Number beyond the float64
// range.
func hasHugeNumber(v any) bool {
	switch x := v.(type) {
	case json.Number:
		_, err := strconv.ParseFloat(string(x), 64)
		return err != nil
	case []any:
		for _, e := range x {
			if hasHugeNumber(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasHugeNumber(e) {
				return true
			}
		}
	}
	return false
}
