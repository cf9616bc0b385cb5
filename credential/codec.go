package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcred/openbadges/internal/strictjson"
)

// The model's JSON mapping is case-sensitive: decoding goes from the strict
// decoder's map[string]any onto struct fields by exact member name
// (encoding/json would match "ValidUntil" to validUntil), and every member
// that is unknown, or known but of an unexpected JSON form, is kept in the
// struct's Extra map so that nothing is lost on the way back out. The field
// tables below are derived by reflection; the model structs are decoded by
// methods generated from them (decode_gen.go, fastdecode.go), and the
// reflective decoder here serves other types and is the tests' reference.

// fieldInfo describes one JSON member of a model struct.
type fieldInfo struct {
	name  string
	index []int
	// lang: the VC Data Model lets the member also be a language value
	// object or an array of them (the name and description of a
	// credential, and of its issuer, a Profile); Validate accepts that form
	// there only.
	lang bool
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]*fieldInfo
	folded map[string]string // lower-cased name -> name
	extra  []int             // index of the Extra field, nil if none
}

var infoCache sync.Map // reflect.Type -> *structInfo

var rawMapType = reflect.TypeFor[map[string]json.RawMessage]()

func infoOf(t reflect.Type) *structInfo {
	if v, ok := infoCache.Load(t); ok {
		return v.(*structInfo)
	}
	si := &structInfo{byName: map[string]*fieldInfo{}, folded: map[string]string{}}
	collectFields(si, t, nil)
	for i := range si.fields {
		f := &si.fields[i]
		si.byName[f.name] = f
		si.folded[strings.ToLower(f.name)] = f.name
	}
	v, _ := infoCache.LoadOrStore(t, si)
	return v.(*structInfo)
}

func collectFields(si *structInfo, t reflect.Type, prefix []int) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			collectFields(si, sf.Type, index)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if sf.Name == "Extra" && sf.Type == rawMapType {
			if si.extra == nil {
				si.extra = index
			}
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "" || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		si.fields = append(si.fields, fieldInfo{name: name, index: index, lang: sf.Tag.Get("ob") == "lang"})
	}
}

// decodeState carries the decoding of one document.
type decodeState struct {
	path []pathSeg // where the decoder is, for errors
	slab []string  // see strings

	// reflective makes the decoding go through decodeValue for every
	// type, even those with a generated decodeObject: the reference the
	// tests compare the generated decoders with.
	reflective bool
	// sorted makes the reflective decoder visit members in name order
	// (see firstCaseVariant).
	sorted bool

	pathBuf [8]pathSeg
	// arena, when set, supplies the model's structs and slices (see
	// modelArena).
	arena *modelArena
}

func newDecodeState() *decodeState {
	d := new(decodeState)
	d.path = d.pathBuf[:0]
	return d
}

func reflectElem(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

type pathSeg struct {
	key   string
	index int // -1 for a member
}

// pathString returns the JSON path of the current position extended by the
// member name k.
func (d *decodeState) pathString(k string) string {
	p := "$"
	for _, s := range d.path {
		if s.index >= 0 {
			p = strictjson.AppendIndex(p, s.index)
		} else {
			p = strictjson.AppendKey(p, s.key)
		}
	}
	return strictjson.AppendKey(p, k)
}

// jsonValueDecoder is implemented by model types whose JSON form is not a
// plain object or scalar (sets, references).
type jsonValueDecoder interface {
	decodeJSONValue(d *decodeState, x any) (bool, error)
}

var (
	valueDecoderType = reflect.TypeFor[jsonValueDecoder]()
	rawMessageType   = reflect.TypeFor[json.RawMessage]()
)

// decodeValue stores x, a value from strictjson, in v. It reports false when
// x has a JSON form that v cannot hold; the caller then keeps x in Extra.
// Errors are reserved for input that Parse must reject.
// decoderCache remembers, per type T, whether *T implements
// jsonValueDecoder: reflect's Implements is too slow to ask for every value.
var decoderCache sync.Map // reflect.Type -> bool

func ptrDecodes(t reflect.Type) bool {
	if v, ok := decoderCache.Load(t); ok {
		return v.(bool)
	}
	ok := reflect.PointerTo(t).Implements(valueDecoderType)
	decoderCache.Store(t, ok)
	return ok
}

func (d *decodeState) decodeValue(v reflect.Value, x any) (bool, error) {
	if v.CanAddr() && ptrDecodes(v.Type()) {
		return v.Addr().Interface().(jsonValueDecoder).decodeJSONValue(d, x)
	}
	switch v.Type() {
	case rawMessageType:
		v.SetBytes(appendJSON(nil, x))
		return true, nil
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := x.(string)
		if !ok || s == "" {
			// An empty string would be dropped on output (and OB 3.0
			// says empty values must be omitted): keep it in Extra.
			return false, nil
		}
		v.SetString(s)
		return true, nil
	case reflect.Bool:
		b, ok := x.(bool)
		if !ok {
			return false, nil
		}
		v.SetBool(b)
		return true, nil
	case reflect.Float64:
		n, ok := x.(json.Number)
		if !ok {
			return false, nil
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return false, nil
		}
		v.SetFloat(f)
		return true, nil
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		ok, err := d.decodeValue(nv.Elem(), x)
		if ok && err == nil {
			v.Set(nv)
		}
		return ok, err
	case reflect.Struct:
		m, ok := x.(map[string]any)
		if !ok {
			return false, nil
		}
		return true, d.decodeStruct(v, m)
	case reflect.Interface:
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
		return true, nil
	}
	return false, fmt.Errorf("credential: internal error: cannot decode into %s", v.Type())
}

// decodeStruct maps the members of m onto the fields of the struct v by
// exact name: with its generated decodeObject method when it has one.
func (d *decodeState) decodeStruct(v reflect.Value, m map[string]any) error {
	if !d.reflective && v.CanAddr() {
		if od, ok := v.Addr().Interface().(objectDecoder); ok {
			return od.decodeObject(d, m)
		}
	}
	return d.decodeStructReflect(v, m)
}

// decodeStructReflect is decodeStruct through reflection, for any struct.
func (d *decodeState) decodeStructReflect(v reflect.Value, m map[string]any) error {
	si := infoOf(v.Type())
	var extra map[string]json.RawMessage
	keep := func(k string, x any) error {
		if si.extra == nil {
			return nil
		}
		b := appendJSON(nil, x)
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		extra[k] = b
		return nil
	}
	for k, x := range members(m, d.sorted) {
		f := si.byName[k]
		if f == nil {
			if known, ok := si.folded[strings.ToLower(k)]; ok {
				return &ParseError{
					Path:   d.pathString(k),
					Offset: -1,
					Err:    fmt.Errorf("%w: %q differs from the term %q only by case", ErrCaseVariantKey, k, known),
				}
			}
			if err := keep(k, x); err != nil {
				return err
			}
			continue
		}
		fv := v.FieldByIndex(f.index)
		d.path = append(d.path, pathSeg{key: k, index: -1})
		ok, err := d.decodeValue(fv, x)
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return err
		}
		if !ok {
			fv.SetZero()
			if err := keep(k, x); err != nil {
				return err
			}
		}
	}
	if extra != nil {
		v.FieldByIndex(si.extra).Set(reflect.ValueOf(extra))
	}
	return nil
}

// unmarshalStruct implements UnmarshalJSON for the model types: strict and
// case-sensitive like Parse.
func unmarshalStruct(data []byte, p any) error {
	x, err := strictjson.Decode(data, strictjson.Options{})
	if err != nil {
		return parseErrorFrom(err)
	}
	m, ok := x.(map[string]any)
	if !ok {
		return &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(x))}
	}
	v := reflect.ValueOf(p).Elem()
	v.SetZero()
	return firstCaseVariant(v.Type(), m, newDecodeState().decodeStruct(v, m))
}

// firstCaseVariant makes the error of a decode of m into a value of type t
// the same every time. The decoders visit members in map order, which Go
// randomises, so of several keys that differ from a term only by case they
// report whichever they meet first; when err is such an error, m is decoded
// again (only then: it costs a reflective decode) visiting members in name
// order, and the first of them, depth first, is reported.
func firstCaseVariant(t reflect.Type, m map[string]any, err error) error {
	if !errors.Is(err, ErrCaseVariantKey) {
		return err
	}
	d := &decodeState{reflective: true, sorted: true}
	d.path = d.pathBuf[:0]
	if e := d.decodeStructReflect(reflect.New(t).Elem(), m); e != nil {
		return e
	}
	return err
}

// members yields the members of m, in name order if sorted.
func members(m map[string]any, sorted bool) iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		if !sorted {
			for k, x := range m {
				if !yield(k, x) {
					return
				}
			}
			return
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

type zeroer interface{ IsZero() bool }

func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(zeroer); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// marshalStruct implements MarshalJSON for the model types.
func marshalStruct(v reflect.Value) ([]byte, error) { return appendStruct(nil, v) }

// jsonAppender is implemented by the model's value types (Set, ProfileRef,
// AchievementRef, ContextEntry) to write themselves.
type jsonAppender interface {
	appendJSONTo(b []byte) ([]byte, error)
}

var (
	appenderType = reflect.TypeFor[jsonAppender]()
	imagePtrType = reflect.TypeFor[*Image]()
)

// appendStruct writes a model struct: its set fields in declaration order,
// then the Extra members not shadowed by a set field, in name order.
func appendStruct(b []byte, v reflect.Value) ([]byte, error) {
	si := infoOf(v.Type())
	b = append(b, '{')
	first := true
	var err error
	for _, f := range si.fields {
		fv := v.FieldByIndex(f.index)
		if isZero(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, f.name)
		b = append(b, ':')
		if b, err = appendModel(b, fv); err != nil {
			return nil, fmt.Errorf("credential: %s: %w", f.name, err)
		}
	}
	if si.extra != nil {
		extra := v.FieldByIndex(si.extra).Interface().(map[string]json.RawMessage)
		keys := make([]string, 0, len(extra))
		for k := range extra {
			if f := si.byName[k]; f == nil || isZero(v.FieldByIndex(f.index)) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, k)
			b = append(b, ':')
			if b, err = appendRaw(b, extra[k]); err != nil {
				return nil, fmt.Errorf("credential: Extra[%q]: %w", k, err)
			}
		}
	}
	return append(b, '}'), nil
}

// appendRaw appends raw JSON, compacted; it fails on invalid JSON.
func appendRaw(b []byte, raw []byte) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// appendModel writes a field value of a model struct.
func appendModel(b []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	if t == imagePtrType && !v.IsNil() {
		return appendImage(b, v.Interface().(*Image))
	}
	if t.Implements(appenderType) {
		return v.Interface().(jsonAppender).appendJSONTo(b)
	}
	if t == rawMessageType {
		return appendRaw(b, v.Bytes())
	}
	switch v.Kind() {
	case reflect.String:
		return appendJSONString(b, v.String()), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendModel(b, v.Elem())
	case reflect.Struct:
		return appendStruct(b, v)
	case reflect.Slice:
		b = append(b, '[')
		var err error
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendModel(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	out, err := marshalJSON(v.Interface()) // numbers: encoding/json's formatting
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

// marshalJSON is json.Marshal without HTML escaping (the output is data, not
// markup, and "<" is easier to read than "\u003c").
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func jsonKind(x any) string {
	switch x := x.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		if x == "" {
			return "an empty string"
		}
		return "a string"
	case []any:
		if len(x) == 0 {
			return "an empty array"
		}
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}

// appendJSON appends the JSON encoding of x, a value produced by strictjson
// (so its strings are valid UTF-8), with object members in name order. It is
// encoding/json's output without HTML escaping, without the reflection.
func appendJSON(b []byte, x any) []byte {
	switch x := x.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case json.Number:
		return append(b, x...)
	case string:
		return appendJSONString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, x[k])
		}
		return append(b, '}')
	}
	// Not a strictjson value: fall back to encoding/json.
	out, err := marshalJSON(x)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

// appendJSONString appends s as a JSON string, escaping what RFC 8259
// requires (and U+2028/U+2029, as encoding/json does).
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' || (r == utf8.RuneError && size == 1) {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
