package issuer

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/microcred/openbadges/internal/jcs"
)

// The signed credential is written with its members in the order of the
// input, so that what a registrar wrote (or what the typed model
// marshals) is what the learner sees: JSON-LD does not care about member
// order, people do. Members the issuer adds go after the others, the proof
// last, with its own members in the order of the specifications' examples.

// order records the member order of a JSON value.
type order struct {
	keys     map[string]int
	children map[string]*order
	items    []*order
	every    *order // for array items beyond items
}

// proofOrder is the member order of a proof.
var proofOrder = &order{keys: map[string]int{
	"@context": 0, "id": 1, "type": 2, "cryptosuite": 3, "created": 4, "expires": 5,
	"verificationMethod": 6, "proofPurpose": 7, "domain": 8, "challenge": 9,
	"nonce": 10, "previousProof": 11, "proofValue": 12,
}}

// readOrder reads the member order of JSON data, which Parse has already
// accepted as strict JSON. It returns nil for anything it cannot read (the
// value is then written with sorted keys).
func readOrder(data string) *order {
	r := orderReader{data: data}
	o, ok := r.value(0)
	if !ok {
		return nil
	}
	return o
}

// orderReader is a minimal scanner over valid JSON: it records object keys
// and skips everything else, much faster than json.Decoder.Token.
type orderReader struct {
	data string
	i    int
}

func (r *orderReader) ws() {
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *orderReader) value(depth int) (*order, bool) {
	r.ws()
	if r.i >= len(r.data) || depth > 128 {
		return nil, false
	}
	switch r.data[r.i] {
	case '{':
		r.i++
		o := &order{keys: map[string]int{}, children: map[string]*order{}}
		r.ws()
		if r.i < len(r.data) && r.data[r.i] == '}' {
			r.i++
			return o, true
		}
		for {
			r.ws()
			k, ok := r.str()
			if !ok {
				return nil, false
			}
			r.ws()
			if r.i >= len(r.data) || r.data[r.i] != ':' {
				return nil, false
			}
			r.i++
			child, ok := r.value(depth + 1)
			if !ok {
				return nil, false
			}
			if _, dup := o.keys[k]; !dup {
				o.keys[k] = len(o.keys)
				if child != nil {
					o.children[k] = child
				}
			}
			r.ws()
			if r.i >= len(r.data) {
				return nil, false
			}
			r.i++
			switch r.data[r.i-1] {
			case ',':
				continue
			case '}':
				return o, true
			}
			return nil, false
		}
	case '[':
		r.i++
		o := &order{}
		r.ws()
		if r.i < len(r.data) && r.data[r.i] == ']' {
			r.i++
			return o, true
		}
		for {
			child, ok := r.value(depth + 1)
			if !ok {
				return nil, false
			}
			o.items = append(o.items, child)
			r.ws()
			if r.i >= len(r.data) {
				return nil, false
			}
			r.i++
			switch r.data[r.i-1] {
			case ',':
				continue
			case ']':
				return o, true
			}
			return nil, false
		}
	case '"':
		_, ok := r.str()
		return nil, ok
	}
	// A number or a literal: skip to the next delimiter.
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return nil, true
		}
		r.i++
	}
	return nil, true
}

// str reads a JSON string; keys with escapes are decoded.
func (r *orderReader) str() (string, bool) {
	if r.i >= len(r.data) || r.data[r.i] != '"' {
		return "", false
	}
	start := r.i
	r.i++
	escaped := false
	for r.i < len(r.data) {
		switch r.data[r.i] {
		case '\\':
			escaped = true
			r.i += 2
			continue
		case '"':
			r.i++
			if !escaped {
				return string(r.data[start+1 : r.i-1]), true
			}
			var s string
			if err := json.Unmarshal([]byte(r.data[start:r.i]), &s); err != nil {
				return "", false
			}
			return s, true
		}
		r.i++
	}
	return "", false
}

func (o *order) child(k string) *order {
	if o == nil {
		return nil
	}
	return o.children[k]
}

func (o *order) item(i int) *order {
	if o == nil || i >= len(o.items) {
		return nil
	}
	return o.items[i]
}

// marshalOrdered writes v (decoded JSON) compactly, with object members in
// the order o records, without HTML escaping.
func marshalOrdered(v any, o *order) ([]byte, error) {
	var b bytes.Buffer
	if err := writeOrdered(&b, v, o); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeOrdered(b *bytes.Buffer, v any, o *order) error {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		rank := func(k string) (int, bool) {
			if o == nil {
				return 0, false
			}
			r, ok := o.keys[k]
			return r, ok
		}
		sort.Slice(keys, func(i, j int) bool {
			ri, oki := rank(keys[i])
			rj, okj := rank(keys[j])
			switch {
			case oki && okj:
				return ri < rj
			case oki != okj:
				return oki
			case (keys[i] == "proof") != (keys[j] == "proof"):
				return keys[j] == "proof"
			}
			return keys[i] < keys[j]
		})
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeScalar(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			co := o.child(k)
			if k == "proof" {
				if co == nil {
					co = &order{keys: proofOrder.keys}
				}
				co.every = proofOrder // a proof set, and a proof added to one
			}
			if err := writeOrdered(b, x[k], co); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			eo := o.item(i)
			if eo == nil && o != nil {
				eo = o.every
			}
			if err := writeOrdered(b, e, eo); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	return writeScalar(b, v)
}

func writeScalar(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case string:
		writeString(b, x)
		return nil
	case json.Number:
		b.WriteString(string(x))
		return nil
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
		return nil
	case nil:
		b.WriteString("null")
		return nil
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the newline Encode adds
	return nil
}

// writeString writes s as a JSON string the way encoding/json does without
// HTML escaping: quotes, backslashes, control characters and U+2028/U+2029
// escaped.
func writeString(b *bytes.Buffer, s string) { b.Write(jcs.AppendJSONString(b.AvailableBuffer(), s)) }

// appendCompact appends data (JSON that Parse accepted: valid, strict,
// UTF-8) without insignificant white space, with strings written as
// writeString writes them, so that the result is byte for byte what
// marshalOrdered gives for the decoded value in the order of data. Strings
// without escapes or U+2028/U+2029 (almost all) are copied as they are.
func appendCompact(b *bytes.Buffer, data string) bool {
	for i := 0; i < len(data); {
		c := data[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '"':
			// Most strings: no backslash before the closing quote and no
			// byte that could start U+2028/U+2029.
			if q := strings.IndexByte(data[i+1:], '"'); q >= 0 {
				body := data[i+1 : i+1+q]
				if strings.IndexByte(body, '\\') < 0 && strings.IndexByte(body, 0xe2) < 0 {
					b.WriteString(data[i : i+q+2])
					i += q + 2
					continue
				}
			}
			j := i + 1
			plain := true
			for j < len(data) && data[j] != '"' {
				switch data[j] {
				case '\\':
					plain = false
					j++
				case 0xe2:
					plain = false
				}
				j++
			}
			if j >= len(data) {
				return false
			}
			j++ // the closing quote
			if plain {
				b.WriteString(data[i:j])
			} else {
				var s string
				if err := json.Unmarshal([]byte(data[i:j]), &s); err != nil {
					return false
				}
				writeString(b, s)
			}
			i = j
			continue
		}
		// Structural characters, numbers and literals are copied.
		start := i
		for i < len(data) {
			c := data[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' {
				break
			}
			i++
		}
		b.WriteString(data[start:i])
	}
	return true
}

// spliceProof writes the signed credential when the issuer changed nothing
// in the input: data compacted, with the proof added as its last member.
// It returns nil if data is not an object it can extend.
func spliceProof(data string, proof map[string]any) []byte {
	var b bytes.Buffer
	b.Grow(len(data) + 512)
	if !appendCompact(&b, data) {
		return nil
	}
	out := b.Bytes()
	if len(out) < 2 || out[0] != '{' || out[len(out)-1] != '}' {
		return nil
	}
	b.Truncate(len(out) - 1)
	if len(out) > 2 {
		b.WriteByte(',')
	}
	b.WriteString(`"proof":`)
	if !writeProof(&b, proof) {
		if err := writeOrdered(&b, proof, &order{keys: proofOrder.keys, every: proofOrder}); err != nil {
			return nil
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// proofKeys are the members of a proof in proofOrder's order.
var proofKeys = []string{
	"@context", "id", "type", "cryptosuite", "created", "expires",
	"verificationMethod", "proofPurpose", "domain", "challenge",
	"nonce", "previousProof", "proofValue",
}

// writeProof writes a proof whose members are all known and strings (every
// proof the built-in suites make) as writeOrdered would, without sorting;
// it reports false, having written nothing, for any other proof.
func writeProof(b *bytes.Buffer, proof map[string]any) bool {
	n := 0
	for _, k := range proofKeys {
		if v, ok := proof[k]; ok {
			if _, isStr := v.(string); !isStr {
				return false
			}
			n++
		}
	}
	if n != len(proof) {
		return false
	}
	b.WriteByte('{')
	first := true
	for _, k := range proofKeys {
		v, ok := proof[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, k)
		b.WriteByte(':')
		writeString(b, v.(string))
	}
	b.WriteByte('}')
	return true
}
