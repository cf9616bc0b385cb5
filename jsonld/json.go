package jsonld

import (
	"errors"
	"fmt"
	"iter"
	"math"

	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/strictjson"
)

// jv is a JSON value of a document: internal/strictjson's immutable tree,
// which expansion reads where it is (its strings are the document's).
type jv = strictjson.Value

// The kinds of JSON values.
const (
	jInvalid = strictjson.Invalid // the zero jv: no value
	jNull    = strictjson.Null
	jBool    = strictjson.Bool
	jNumber  = strictjson.Number
	jString  = strictjson.String
	jArray   = strictjson.Array
	jObject  = strictjson.Object
)

// parseJSON decodes src strictly (internal/strictjson: RFC 8259 grammar,
// UTF-8 only, no lone surrogates, no duplicate keys, nesting bounded by
// maxDepth). Errors are a *SyntaxError wrapping ErrInvalidJSON,
// ErrDuplicateKey or ErrLimitExceeded, or wrap ErrLossyNumber.
func parseJSON(src string, maxDepth int) (jv, error) {
	// The callers bound the size themselves, and JSON-LD bounds no object's
	// members.
	v, err := strictjson.Parse(src, strictjson.Options{MaxBytes: max(len(src), 1), MaxDepth: maxDepth, MaxKeys: math.MaxInt32})
	if err != nil {
		return jv{}, syntaxError(err)
	}
	return v, checkTree(v, 0, math.MaxInt)
}

// syntaxError is the *SyntaxError for err, a strictjson failure.
func syntaxError(err error) error {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	sentinel := ErrInvalidJSON
	switch {
	case errors.Is(err, strictjson.ErrDuplicateKey):
		sentinel = ErrDuplicateKey
	case errors.Is(err, strictjson.ErrTooDeep), errors.Is(err, strictjson.ErrTooLarge):
		sentinel = ErrLimitExceeded
	}
	return &SyntaxError{Offset: se.Offset, Msg: se.Err.Error() + " at " + se.Path, Err: sentinel}
}

// checkTree refuses a document with a number the conversion to RDF would
// change (ErrLossyNumber), wherever it is, or, in the same walk, with
// objects and arrays nested more than maxDepth deep (ErrLimitExceeded).
// enclosing is the number of objects and arrays around v.
func checkTree(v jv, enclosing, maxDepth int) error {
	switch v.Kind() {
	case jNumber:
		if err := checkNumber(v.Float()); err != nil {
			return fmt.Errorf("%w: %s", err, v.NumberText())
		}
	case jArray:
		if enclosing >= maxDepth {
			return fmt.Errorf("%w: nesting deeper than %d", ErrLimitExceeded, maxDepth)
		}
		for _, e := range v.Elements() {
			if err := checkTree(e, enclosing+1, maxDepth); err != nil {
				return err
			}
		}
	case jObject:
		if enclosing >= maxDepth {
			return fmt.Errorf("%w: nesting deeper than %d", ErrLimitExceeded, maxDepth)
		}
		for _, e := range v.Members() {
			if err := checkTree(e, enclosing+1, maxDepth); err != nil {
				return err
			}
		}
	}
	return nil
}

// fromGo reads a document given as Go values: a tree internal/strictjson
// parsed as it is (under limits of its own, so its nesting is checked
// here), otherwise encoding/json's shapes, which are held to the rules of
// JSON text (strictjson.FromGo).
func fromGo(v any, maxDepth int) (jv, error) {
	t, ok := v.(jv)
	if !ok {
		var err error
		if t, err = strictjson.FromGo(v, strictjson.Options{MaxDepth: maxDepth, MaxKeys: math.MaxInt32}); err != nil {
			return jv{}, syntaxError(err)
		}
		return t, checkTree(t, 0, math.MaxInt)
	}
	return t, checkTree(t, 0, maxDepth)
}

// members is the members of an object in name order, which is the order
// expansion visits them in (so that of several errors the same one is
// reported every time). buf is the caller's, reused from object to object.
func members(buf []member, v *jv) []member {
	start := len(buf)
	for k, x := range v.Members() {
		m := member{key: k, val: x}
		i := len(buf)
		buf = append(buf, m)
		for i > start && keyLess(m.key, buf[i-1].key) {
			buf[i] = buf[i-1]
			i--
		}
		buf[i] = m
	}
	return buf
}

type member struct {
	key string
	val jv
}

// keyLess is a < b, deciding most member names by their first byte
// without a call.
func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// toGo converts v to the encoding/json shapes (numbers as float64).
func toGo(v jv) any {
	switch v.Kind() {
	case jBool:
		return v.Bool()
	case jNumber:
		return v.Float()
	case jString:
		return v.Str()
	case jArray:
		out := make([]any, 0, v.Len())
		for _, e := range v.Elements() {
			out = append(out, toGo(e))
		}
		return out
	case jObject:
		out := make(map[string]any, v.Len())
		for k, e := range v.Members() {
			out[k] = toGo(e)
		}
		return out
	}
	return nil
}

// equalJV reports deep equality (of objects whatever their member order).
func equalJV(a, b *jv) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case jNumber:
		return a.Float() == b.Float()
	case jArray:
		if a.Len() != b.Len() {
			return false
		}
		for i, e := range a.Elements() {
			f := b.Index(i)
			if !equalJV(&e, &f) {
				return false
			}
		}
		return true
	case jObject:
		if a.Len() != b.Len() {
			return false
		}
		for k, e := range a.Members() {
			f, ok := b.Get(k)
			if !ok || !equalJV(&e, &f) {
				return false
			}
		}
		return true
	}
	return a.Text() == b.Text()
}

// stringValue is the JSON string s as a value of a document of its own.
func stringValue(s string) jv {
	v, _ := strictjson.Parse(string(jcs.AppendJSONString(nil, s)), strictjson.Options{MaxBytes: math.MaxInt})
	return v
}

// items yields the elements of an array, or v itself.
func items(v jv) iter.Seq2[int, jv] {
	return func(yield func(int, jv) bool) {
		if v.Kind() != jArray {
			yield(0, v)
			return
		}
		for i, e := range v.Elements() {
			if !yield(i, e) {
				return
			}
		}
	}
}
