package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/strictjson"
)

// The model's JSON mapping is case-sensitive: decoding goes from the strict
// decoder's map[string]any onto struct fields by exact member name
// (encoding/json would match "ValidUntil" to validUntil), and every member
// that is unknown, or known but of an unexpected JSON form, is kept in the
// struct's Extra map so that nothing is lost on the way back out. The field
// tables below are derived by reflection; the model structs are decoded by
// methods generated from them (decode_gen.go, fastdecode.go); a reflective
// decoder, the generated one's reference, lives in the tests.

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

	// sorted makes the decoders visit members in name order (see
	// firstCaseVariant).
	sorted bool

	// arena, when not nil, holds the model's objects (ReadScoped).
	arena *arena

	pathBuf [8]pathSeg
}

func newDecodeState() *decodeState {
	d := new(decodeState)
	d.path = d.pathBuf[:0]
	return d
}

type pathSeg struct {
	key   string
	index int // -1 for a member
}

// pathString returns the JSON path of the current position.
func (d *decodeState) pathString() string {
	p := "$"
	for _, s := range d.path {
		if s.index >= 0 {
			p = strictjson.AppendIndex(p, s.index)
		} else {
			p = strictjson.AppendKey(p, s.key)
		}
	}
	return p
}

// jsonValueDecoder is implemented by model types whose JSON form is not a
// plain object or scalar (sets, references).
type jsonValueDecoder interface {
	decodeJSONValue(d *decodeState, x strictjson.Value) (bool, error)
}

// rawMessageType is the type of the members kept as written.
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// unmarshalStruct implements UnmarshalJSON for the model types: strict and
// case-sensitive like Parse.
func unmarshalStruct[T any, P interface {
	*T
	objectDecoder
}](data []byte, p P) error {
	m, err := strictjson.Parse(string(data), strictjson.Options{})
	if err != nil {
		return parseErrorFrom(err)
	}
	if m.Kind() != strictjson.Object {
		return &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(m))}
	}
	*p = *new(T)
	return firstCaseVariant(P(new(T)), m, p.decodeObject(newDecodeState(), m))
}

// firstCaseVariant makes the error of a decode of m the same every time.
// The decoders visit members in map order, which Go randomises, so of
// several keys that differ from a term only by case they report whichever
// they meet first; when err is such an error, m is decoded again into
// fresh (a new value of the type decoded), visiting members in name order,
// and the first of them, depth first, is reported.
func firstCaseVariant(fresh objectDecoder, m strictjson.Value, err error) error {
	if !errors.Is(err, ErrCaseVariantKey) {
		return err
	}
	d := newDecodeState()
	d.sorted = true
	if e := fresh.decodeObject(d, m); e != nil {
		return e
	}
	return err
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
		b = jcs.AppendJSONString(b, f.name)
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
			b = jcs.AppendJSONString(b, k)
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
		return jcs.AppendJSONString(b, v.String()), nil
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

func jsonKind(x strictjson.Value) string {
	switch x.Kind() {
	case strictjson.Bool:
		return "a boolean"
	case strictjson.Number:
		return "a number"
	case strictjson.String:
		if x.Str() == "" {
			return "an empty string"
		}
		return "a string"
	case strictjson.Array:
		if x.Len() == 0 {
			return "an empty array"
		}
		return "an array"
	case strictjson.Object:
		return "an object"
	}
	return "null"
}

// appendJSON appends the JSON encoding of x with object members in name
// order: encoding/json's output without HTML escaping, without the
// reflection.
func appendJSON(b []byte, x strictjson.Value) []byte {
	switch x.Kind() {
	case strictjson.Bool, strictjson.Number:
		return append(b, x.Text()...)
	case strictjson.String:
		return jcs.AppendJSONString(b, x.Str())
	case strictjson.Array:
		b = append(b, '[')
		for i, e := range x.Elements() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case strictjson.Object:
		keys := make([]string, 0, x.Len())
		for k := range x.Members() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jcs.AppendJSONString(b, k)
			b = append(b, ':')
			v, _ := x.Get(k)
			b = appendJSON(b, v)
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}
