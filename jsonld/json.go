package jsonld

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
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

// parser is a strict single-pass JSON decoder: RFC 8259 grammar, UTF-8 only,
// no duplicate keys, no lone surrogates, bounded nesting.
type parser struct {
	src       string
	pos       int
	depth     int
	maxDepth  int
	members   []member // stack of members of the objects being parsed
	items     []jv     // stack of items of the arrays being parsed
	buf       []byte
	memArena  *arena[member]
	idx       []int32 // scratch for sorting members
	itemArena *arena[jv]
}

// stacks are the parser's scratch stacks, pooled.
type stacks struct {
	members []member
	items   []jv
	idx     []int32
}

var stackPool = sync.Pool{New: func() any { return new(stacks) }}

// parseJSON decodes src. Errors wrap ErrInvalidJSON, ErrDuplicateKey or
// ErrLimitExceeded.
func parseJSON(src string, maxDepth int) (jv, error) {
	return parseJSONInto(src, maxDepth, new(arena[member]), new(arena[jv]))
}

// parseJSONInto is parseJSON with the caller's arenas (see scratch).
func parseJSONInto(src string, maxDepth int, mem *arena[member], items *arena[jv]) (jv, error) {
	p := parser{src: src, maxDepth: maxDepth, memArena: mem, itemArena: items}
	// Colons bound the number of members, so that arena is usually one
	// allocation. The stacks are reused between documents.
	p.memArena.reserve(strings.Count(src, ":"))
	if sp, ok := stackPool.Get().(*stacks); ok {
		p.members, p.items, p.idx = sp.members[:0], sp.items[:0], sp.idx[:0]
		defer func() {
			// Popped entries were cleared as objects and arrays closed; an
			// error leaves some behind.
			clear(p.members)
			clear(p.items)
			sp.members, sp.items, sp.idx = p.members[:0], p.items[:0], p.idx[:0]
			if cap(sp.members) <= 1024 && cap(sp.items) <= 1024 && cap(sp.idx) <= 1024 {
				stackPool.Put(sp)
			}
		}()
	}
	p.skipWS()
	v, err := p.value()
	if err != nil {
		return jv{}, err
	}
	p.skipWS()
	if p.pos != len(p.src) {
		return jv{}, p.errorf("unexpected data after the top-level value")
	}
	return v, nil
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: int64(p.pos), Msg: fmt.Sprintf(format, args...), Err: ErrInvalidJSON}
}

func (p *parser) skipWS() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (jv, error) {
	if p.pos >= len(p.src) {
		return jv{}, p.errorf("unexpected end of input")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jv{k: jString, s: s}, err
	case c == 't':
		return p.lit("true", jv{k: jBool, b: true})
	case c == 'f':
		return p.lit("false", jv{k: jBool})
	case c == 'n':
		return p.lit("null", jv{k: jNull})
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return jv{}, p.errorf("unexpected character %q", c)
	}
}

func (p *parser) lit(word string, v jv) (jv, error) {
	if strings.HasPrefix(p.src[p.pos:], word) {
		p.pos += len(word)
		return v, nil
	}
	return jv{}, p.errorf("invalid literal")
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return &SyntaxError{Offset: int64(p.pos), Msg: fmt.Sprintf("nesting deeper than %d", p.maxDepth), Err: ErrLimitExceeded}
	}
	return nil
}

func (p *parser) object() (jv, error) {
	if err := p.enter(); err != nil {
		return jv{}, err
	}
	p.pos++ // {
	base := len(p.members)
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		p.depth--
		return jv{k: jObject, obj: []member{}}, nil
	}
	for {
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return jv{}, p.errorf("expected a string key")
		}
		key, err := p.str()
		if err != nil {
			return jv{}, err
		}
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return jv{}, p.errorf("expected ':'")
		}
		p.pos++
		p.skipWS()
		val, err := p.value()
		if err != nil {
			return jv{}, err
		}
		p.members = append(p.members, member{key: key, val: val})
		p.skipWS()
		if p.pos >= len(p.src) {
			return jv{}, p.errorf("unexpected end of input in object")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] == '}' {
			p.pos++
			break
		}
		return jv{}, p.errorf("expected ',' or '}'")
	}
	ms := p.members[base:]
	obj := p.memArena.take(len(ms))
	if sorted(ms) {
		obj = append(obj, ms...)
	} else {
		// Sort indexes, not the members: moving members (which hold
		// pointers) costs write barriers, and we copy them once anyway.
		idx := p.idx[:0]
		for i := range ms {
			idx = append(idx, int32(i))
		}
		if len(idx) <= 16 {
			for i := 1; i < len(idx); i++ {
				for j := i; j > 0 && ms[idx[j-1]].key > ms[idx[j]].key; j-- {
					idx[j-1], idx[j] = idx[j], idx[j-1]
				}
			}
		} else {
			slices.SortFunc(idx, func(a, b int32) int { return strings.Compare(ms[a].key, ms[b].key) })
		}
		for i, k := range idx {
			if i > 0 && ms[idx[i-1]].key == ms[k].key {
				return jv{}, &SyntaxError{Offset: int64(p.pos), Msg: fmt.Sprintf("duplicate key %q", ms[k].key), Err: ErrDuplicateKey}
			}
			obj = append(obj, ms[k])
		}
		p.idx = idx
	}
	clear(p.members[base:])
	p.members = p.members[:base]
	p.depth--
	return jv{k: jObject, obj: obj}, nil
}

// sorted reports whether the members are in strictly increasing key order
// (which also means no duplicates).
func sorted(ms []member) bool {
	for i := 1; i < len(ms); i++ {
		if ms[i-1].key >= ms[i].key {
			return false
		}
	}
	return true
}

// sortMembers sorts obj by key and reports a duplicate key.
func sortMembers(obj []member) error {
	if len(obj) < 2 {
		return nil
	}
	sorted := true
	for i := 1; i < len(obj); i++ {
		if obj[i-1].key >= obj[i].key {
			sorted = false
			break
		}
	}
	if !sorted {
		slices.SortFunc(obj, func(a, b member) int { return strings.Compare(a.key, b.key) })
		for i := 1; i < len(obj); i++ {
			if obj[i-1].key == obj[i].key {
				return fmt.Errorf("duplicate key %q", obj[i].key)
			}
		}
	}
	return nil
}

func (p *parser) array() (jv, error) {
	if err := p.enter(); err != nil {
		return jv{}, err
	}
	p.pos++ // [
	base := len(p.items)
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		p.depth--
		return jv{k: jArray, arr: []jv{}}, nil
	}
	for {
		p.skipWS()
		v, err := p.value()
		if err != nil {
			return jv{}, err
		}
		p.items = append(p.items, v)
		p.skipWS()
		if p.pos >= len(p.src) {
			return jv{}, p.errorf("unexpected end of input in array")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] == ']' {
			p.pos++
			break
		}
		return jv{}, p.errorf("expected ',' or ']'")
	}
	arr := p.itemArena.take(len(p.items) - base)
	arr = append(arr, p.items[base:]...)
	clear(p.items[base:])
	p.items = p.items[:base]
	p.depth--
	return jv{k: jArray, arr: arr}, nil
}

func (p *parser) number() (jv, error) {
	start := p.pos
	s := p.src
	i := p.pos
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return jv{}, p.errorf("invalid number")
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return jv{}, p.errorf("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return jv{}, p.errorf("invalid number")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			return jv{}, p.errorf("invalid number")
		}
	}
	p.pos = i
	f, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil || math.IsInf(f, 0) {
		p.pos = start
		return jv{}, p.errorf("number out of range")
	}
	if err := checkNumber(f); err != nil {
		p.pos = start
		return jv{}, &SyntaxError{Offset: int64(start), Msg: s[start:i], Err: err}
	}
	return jv{k: jNumber, f: f}, nil
}

// str parses a string starting at the opening quote.
func (p *parser) str() (string, error) {
	p.pos++ // "
	start := p.pos
	s := p.src
	for i := start; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			p.pos = i + 1
			return s[start:i], nil
		}
		if c == '\\' {
			return p.strSlow(start)
		}
		if c < 0x20 {
			p.pos = i
			return "", p.errorf("control character in string")
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				p.pos = i
				return "", p.errorf("invalid UTF-8")
			}
			i += size - 1
		}
	}
	p.pos = len(s)
	return "", p.errorf("unterminated string")
}

func (p *parser) strSlow(start int) (string, error) {
	s := p.src
	b := p.buf[:0]
	i := start
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b
			return string(b), nil
		case c == '\\':
			if i+1 >= len(s) {
				p.pos = i
				return "", p.errorf("unterminated escape")
			}
			i++
			switch s[i] {
			case '"', '\\', '/':
				b = append(b, s[i])
				i++
			case 'b':
				b = append(b, '\b')
				i++
			case 'f':
				b = append(b, '\f')
				i++
			case 'n':
				b = append(b, '\n')
				i++
			case 'r':
				b = append(b, '\r')
				i++
			case 't':
				b = append(b, '\t')
				i++
			case 'u':
				r, n, ok := hex4(s, i+1)
				if !ok {
					p.pos = i
					return "", p.errorf("invalid \\u escape")
				}
				i = n
				if utf16.IsSurrogate(r) {
					if r >= 0xdc00 || i+1 >= len(s) || s[i] != '\\' || s[i+1] != 'u' {
						p.pos = i
						return "", p.errorf("lone surrogate in \\u escape")
					}
					r2, n2, ok := hex4(s, i+2)
					if !ok || r2 < 0xdc00 || r2 > 0xdfff {
						p.pos = i
						return "", p.errorf("lone surrogate in \\u escape")
					}
					r = utf16.DecodeRune(r, r2)
					i = n2
				}
				b = utf8.AppendRune(b, r)
			default:
				p.pos = i
				return "", p.errorf("invalid escape")
			}
		case c < 0x20:
			p.pos = i
			return "", p.errorf("control character in string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				p.pos = i
				return "", p.errorf("invalid UTF-8")
			}
			b = append(b, s[i:i+size]...)
			i += size
		default:
			b = append(b, c)
			i++
		}
	}
	p.pos = len(s)
	return "", p.errorf("unterminated string")
}

func hex4(s string, i int) (rune, int, bool) {
	if i+4 > len(s) {
		return 0, 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, 0, false
		}
	}
	return r, i + 4, true
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
