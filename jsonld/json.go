package jsonld

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcred/openbadges/internal/strictjson"
)

// jkind is the kind of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// jv is a decoded JSON value. Objects keep their members sorted by key
// (byte order), which is the order expansion visits them in and lets lookups
// use binary search. The parser makes strings substrings of the input where
// it can, so a document costs about one allocation per object and array.
type jv struct {
	k   jkind
	b   bool
	f   float64
	s   string
	arr []jv
	obj []member
}

type member struct {
	key string
	val jv
}

// get returns the member named key.
func (v *jv) get(key string) (*jv, bool) {
	i, ok := slices.BinarySearchFunc(v.obj, key, func(m member, k string) int { return strings.Compare(m.key, k) })
	if !ok {
		return nil, false
	}
	return &v.obj[i].val, true
}

func (v *jv) has(key string) bool {
	_, ok := v.get(key)
	return ok
}

// parseJSON decodes src strictly (internal/strictjson: RFC 8259 grammar,
// UTF-8 only, no lone surrogates, no duplicate keys, nesting bounded by
// maxDepth) into a jv. Errors are a *SyntaxError wrapping ErrInvalidJSON,
// ErrDuplicateKey or ErrLimitExceeded, or wrap ErrLossyNumber.
func parseJSON(src string, maxDepth int) (jv, error) {
	return parseJSONInto(src, maxDepth, new(arena[member]), new(arena[jv]))
}

// parseJSONInto is parseJSON with the caller's arenas (see scratch).
func parseJSONInto(src string, maxDepth int, mem *arena[member], items *arena[jv]) (jv, error) {
	sc := decodePool.Get().(*strictjson.Scratch)
	defer func() {
		sc.Release()
		decodePool.Put(sc)
	}()
	// The callers bound the size themselves, and JSON-LD bounds no object's
	// members.
	x, err := sc.Decode(src, strictjson.Options{MaxBytes: max(len(src), 1), MaxDepth: maxDepth, MaxKeys: math.MaxInt32})
	if err != nil {
		return jv{}, syntaxError(err)
	}
	// The strings of x outlive the scratch memory (they are src's or
	// copies); its maps and slices do not, and the jv shares none of them.
	return fromGoInto(x, 0, maxDepth, mem, items)
}

// decodePool holds the decoder's scratch memory between documents.
var decodePool = sync.Pool{New: func() any { return new(strictjson.Scratch) }}

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

// fromGo converts an already-decoded JSON value (as produced by
// encoding/json) into a jv. It does not modify v. Strings are shared.
func fromGo(v any, depth, maxDepth int) (jv, error) {
	return fromGoInto(v, depth, maxDepth, new(arena[member]), new(arena[jv]))
}

// fromGoInto is fromGo with the caller's arenas (see scratch), so that a
// document costs a few chunk allocations rather than one per object and
// array.
func fromGoInto(v any, depth, maxDepth int, mem *arena[member], items *arena[jv]) (jv, error) {
	if depth > maxDepth {
		return jv{}, fmt.Errorf("%w: nesting deeper than %d", ErrLimitExceeded, maxDepth)
	}
	switch x := v.(type) {
	case nil:
		return jv{k: jNull}, nil
	case bool:
		return jv{k: jBool, b: x}, nil
	case string:
		if !utf8.ValidString(x) {
			return jv{}, fmt.Errorf("%w: invalid UTF-8 in string", ErrInvalidJSON)
		}
		return jv{k: jString, s: x}, nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return jv{}, fmt.Errorf("%w: number out of range", ErrInvalidJSON)
		}
		if err := checkNumber(x); err != nil {
			return jv{}, fmt.Errorf("%w: %v", err, x)
		}
		return jv{k: jNumber, f: x}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsInf(f, 0) {
			return jv{}, fmt.Errorf("%w: invalid number %q", ErrInvalidJSON, string(x))
		}
		if err := checkNumber(f); err != nil {
			return jv{}, fmt.Errorf("%w: %s", err, string(x))
		}
		return jv{k: jNumber, f: f}, nil
	case int:
		if err := checkNumber(float64(x)); err != nil {
			return jv{}, fmt.Errorf("%w: %d", err, x)
		}
		return jv{k: jNumber, f: float64(x)}, nil
	case int64:
		if err := checkNumber(float64(x)); err != nil {
			return jv{}, fmt.Errorf("%w: %d", err, x)
		}
		return jv{k: jNumber, f: float64(x)}, nil
	case []any:
		arr := items.take(len(x))[:len(x)]
		for i, e := range x {
			c, err := fromGoInto(e, depth+1, maxDepth, mem, items)
			if err != nil {
				return jv{}, err
			}
			arr[i] = c
		}
		return jv{k: jArray, arr: arr}, nil
	case map[string]any:
		obj := mem.take(len(x))
		if len(x) <= 32 {
			// Sort the members on the stack, then convert in order:
			// cheaper than sorting the converted members, whose moves
			// need write barriers while the garbage collector is
			// marking, and than looking each value up again by name.
			var buf [32]goMember
			ms := buf[:0]
			for k, e := range x {
				ms = append(ms, goMember{k, e})
			}
			sortGoMembers(ms)
			for i := range ms {
				k := ms[i].key
				if !utf8.ValidString(k) {
					return jv{}, fmt.Errorf("%w: invalid UTF-8 in key", ErrInvalidJSON)
				}
				c, err := fromGoInto(ms[i].val, depth+1, maxDepth, mem, items)
				if err != nil {
					return jv{}, err
				}
				obj = append(obj, member{key: k, val: c})
			}
			return jv{k: jObject, obj: obj}, nil
		}
		for k, e := range x {
			if !utf8.ValidString(k) {
				return jv{}, fmt.Errorf("%w: invalid UTF-8 in key", ErrInvalidJSON)
			}
			c, err := fromGoInto(e, depth+1, maxDepth, mem, items)
			if err != nil {
				return jv{}, err
			}
			obj = append(obj, member{key: k, val: c})
		}
		slices.SortFunc(obj, func(a, b member) int { return strings.Compare(a.key, b.key) })
		return jv{k: jObject, obj: obj}, nil
	default:
		return jv{}, fmt.Errorf("%w: unsupported Go type %T", ErrInvalidJSON, v)
	}
}

// goMember is one entry of a map[string]any being converted.
type goMember struct {
	key string
	val any
}

// sortGoMembers sorts a few members by name (insertion sort: objects have
// at most 32 members here, usually a handful, and names are distinct).
func sortGoMembers(ms []goMember) {
	for i := 1; i < len(ms); i++ {
		m := ms[i]
		j := i
		for j > 0 && keyLess(m.key, ms[j-1].key) {
			ms[j] = ms[j-1]
			j--
		}
		ms[j] = m
	}
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
func toGo(v *jv) any {
	switch v.k {
	case jBool:
		return v.b
	case jNumber:
		return v.f
	case jString:
		return v.s
	case jArray:
		out := make([]any, len(v.arr))
		for i := range v.arr {
			out[i] = toGo(&v.arr[i])
		}
		return out
	case jObject:
		out := make(map[string]any, len(v.obj))
		for i := range v.obj {
			out[v.obj[i].key] = toGo(&v.obj[i].val)
		}
		return out
	}
	return nil
}

// equalJV reports deep equality.
func equalJV(a, b *jv) bool {
	if a.k != b.k {
		return false
	}
	switch a.k {
	case jNull:
		return true
	case jBool:
		return a.b == b.b
	case jNumber:
		return a.f == b.f
	case jString:
		return a.s == b.s
	case jArray:
		if len(a.arr) != len(b.arr) {
			return false
		}
		for i := range a.arr {
			if !equalJV(&a.arr[i], &b.arr[i]) {
				return false
			}
		}
		return true
	case jObject:
		if len(a.obj) != len(b.obj) {
			return false
		}
		for i := range a.obj {
			if a.obj[i].key != b.obj[i].key || !equalJV(&a.obj[i].val, &b.obj[i].val) {
				return false
			}
		}
		return true
	}
	return false
}

// cloneJV deep-copies v, strings included, so that the copy shares no memory
// with the document v came from.
func cloneJV(v *jv) jv {
	c := jv{k: v.k, b: v.b, f: v.f, s: strings.Clone(v.s)}
	if v.arr != nil {
		c.arr = make([]jv, len(v.arr))
		for i := range v.arr {
			c.arr[i] = cloneJV(&v.arr[i])
		}
	}
	if v.obj != nil {
		c.obj = make([]member, len(v.obj))
		for i := range v.obj {
			c.obj[i] = member{key: strings.Clone(v.obj[i].key), val: cloneJV(&v.obj[i].val)}
		}
	}
	return c
}
