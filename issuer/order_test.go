package issuer

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzWriteString checks writeString against encoding/json (without HTML
// escaping) on valid UTF-8.
func FuzzWriteString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote\back`, "ctl\x00\x01\x1f\n\r\t", "line\u2028sep\u2029", "é€𝄞", "<&>", "\xe2\x82\xac"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var got bytes.Buffer
		writeString(&got, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got.String()+"\n" != want.String() {
			t.Fatalf("writeString(%q) = %s, encoding/json %s", s, got.String(), want.String())
		}
	})
}

// FuzzMarshalOrdered checks that writing a JSON value in the order read
// from its own text gives back the same value, with the members in their
// original order.
func FuzzMarshalOrdered(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[{"z":true,"y":null}],"c":{"\u0041":"x","B":-1.5e3}}`,
		`[]`, `{}`, `"s"`, `[1,[2,{"k":"v"}]]`, `{"a" : { "b" : [ 1 , 2 ] } }`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil || dec.More() || !utf8.Valid(data) {
			return
		}
		o := readOrder(string(data))
		out, err := marshalOrdered(v, o)
		if err != nil {
			t.Fatal(err)
		}
		var back any
		d2 := json.NewDecoder(bytes.NewReader(out))
		d2.UseNumber()
		if err := d2.Decode(&back); err != nil {
			t.Fatalf("output %s: %v", out, err)
		}
		a, _ := json.Marshal(v)
		b, _ := json.Marshal(back)
		if !bytes.Equal(a, b) {
			t.Fatalf("value changed: %s → %s", data, out)
		}
		// Without duplicate keys, the compact input and the output agree.
		var compact bytes.Buffer
		if json.Compact(&compact, data) == nil && !bytes.Contains(data, []byte(`\`)) && o != nil && len(out) == compact.Len() && !bytes.Equal(out, compact.Bytes()) {
			t.Fatalf("order not kept: %s → %s", compact.Bytes(), out)
		}
	})
}
