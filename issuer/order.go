package issuer

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
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

// readOrder reads the member order of JSON data. It returns nil for
// anything it cannot read (the value is then written with sorted keys).
func readOrder(data []byte) *order {
	dec := json.NewDecoder(bytes.NewReader(data))
	o, err := readOrderValue(dec, 0)
	if err != nil {
		return nil
	}
	return o
}

func readOrderValue(dec *json.Decoder, depth int) (*order, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if depth > 128 {
		return nil, io.ErrUnexpectedEOF
	}
	switch tok {
	case json.Delim('{'):
		o := &order{keys: map[string]int{}, children: map[string]*order{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			child, err := readOrderValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			if _, dup := o.keys[k]; !dup {
				o.keys[k] = len(o.keys)
				o.children[k] = child
			}
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		o := &order{}
		for dec.More() {
			child, err := readOrderValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			o.items = append(o.items, child)
		}
		_, err := dec.Token()
		return o, err
	}
	return nil, nil
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
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the newline Encode adds
	return nil
}
