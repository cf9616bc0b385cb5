package credential

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/internal/strictjson"
)

// The typed decoding of Parse, without reflection. Every model struct has a
// decodeObject method, generated from its field table (decode_gen.go, see
// TestDecodersAreGenerated), that maps the members of a strictjson object
// onto its fields with a switch on the member name. The helpers below give
// each kind of field its semantics; TestFastDecodeMatchesReflective
// compares them with a reflective decoder written independently in the
// tests.

//go:generate go test -run TestDecodersAreGenerated . -update-decoders

// objectDecoder is implemented by the model structs (decode_gen.go).
type objectDecoder interface {
	decodeObject(d *decodeState, m strictjson.Value) error
}

// extraHolder is implemented by the model structs (decode_gen.go): it gives
// Validate their Extra without reflection.
type extraHolder interface {
	extraMembers() map[string]json.RawMessage
}

// push and pop maintain the path of the member being decoded, for errors.
func (d *decodeState) push(k string) { d.path = append(d.path, pathSeg{key: k, index: -1}) }
func (d *decodeState) pushIndex(i int) {
	d.path = append(d.path, pathSeg{index: i})
}
func (d *decodeState) pop() { d.path = d.path[:len(d.path)-1] }

// caseVariant is the error for the member k of the object being decoded
// (the last on the path), when k differs from one of the object's terms
// only by case, and nil otherwise (k a term itself included). terms maps each term's lower case to the
// term (foldTerms).
func (d *decodeState) caseVariant(k string, terms map[string]string) error {
	term, ok := terms[strings.ToLower(k)]
	if !ok || term == k {
		return nil
	}
	return &ParseError{
		Path:   d.pathString(),
		Offset: -1,
		Err:    fmt.Errorf("%w: %q differs from the term %q only by case", ErrCaseVariantKey, k, term),
	}
}

// decodeMembers decodes the members of m, an object of a model type, with
// member, the type's generated switch on member names: a member that
// member does not take (ok false) goes to *extra, unless it differs from
// one of terms only by case, which fails.
func (d *decodeState) decodeMembers(m strictjson.Value, extra *map[string]json.RawMessage, terms map[string]string, member func(k string, x strictjson.Value) (ok bool, err error)) error {
	var kept map[string]json.RawMessage
	visit := func(k string, x strictjson.Value) error {
		d.push(k)
		ok, err := member(k, x)
		if err == nil && !ok {
			err = d.caseVariant(k, terms)
		}
		d.pop()
		if err == nil && !ok {
			kept = keepExtra(kept, k, x)
		}
		return err
	}
	if d.sorted {
		keys := make([]string, 0, m.Len())
		for k := range m.Members() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			x, _ := m.Get(k)
			if err := visit(k, x); err != nil {
				return err
			}
		}
	} else {
		for k, x := range m.Members() {
			if err := visit(k, x); err != nil {
				return err
			}
		}
	}
	*extra = kept
	return nil
}

// decodeItem stores x in *p, an item of a Set: a model object, a value
// with a JSON form of its own (a context entry, …) or a non-empty string.
// It reports false when x has a JSON form that *p cannot hold.
func decodeItem(d *decodeState, p any, x strictjson.Value) (bool, error) {
	switch p := p.(type) {
	case jsonValueDecoder:
		return p.decodeJSONValue(d, x)
	case objectDecoder:
		if x.Kind() != strictjson.Object {
			return false, nil
		}
		return true, p.decodeObject(d, x)
	case *string:
		return decodeString(p, x), nil
	}
	return false, fmt.Errorf("credential: a Set of %T cannot be decoded", p)
}

// foldTerms maps the lower case of each term to the term.
func foldTerms(terms ...string) map[string]string {
	m := make(map[string]string, len(terms))
	for _, t := range terms {
		m[strings.ToLower(t)] = t
	}
	return m
}

// keepExtra records a member the model cannot hold.
func keepExtra(extra map[string]json.RawMessage, k string, x strictjson.Value) map[string]json.RawMessage {
	if extra == nil {
		extra = make(map[string]json.RawMessage)
	}
	extra[k] = appendJSON(nil, x)
	return extra
}

// stringSlab is how many strings decodeState.strings allocates at once:
// the type lists and tags of a typical badge fit in one allocation.
const stringSlab = 16

// strings returns a []string of length and capacity n carved from a shared
// block, so that the many short type lists of a document cost one
// allocation. The capacity is exact, so appending to one list never writes
// into another.
func (d *decodeState) strings(n int) []string {
	if d.arena != nil {
		return alloc[string](d, n)
	}
	if n > len(d.slab) {
		if n > stringSlab/2 {
			return make([]string, n)
		}
		d.slab = make([]string, stringSlab)
	}
	s := d.slab[:n:n]
	d.slab = d.slab[n:]
	return s
}

// decodeString stores a non-empty string. An empty string would be dropped
// on output (and OB 3.0 says empty values must be omitted): it is kept in
// Extra.
func decodeString(p *string, x strictjson.Value) bool {
	s := x.Str()
	if s == "" {
		return false
	}
	*p = s
	return true
}

// decodeFloat stores a number.
func decodeFloat(p **float64, x strictjson.Value) bool {
	if x.Kind() != strictjson.Number {
		return false
	}
	f, err := strconv.ParseFloat(x.NumberText(), 64)
	if err != nil {
		return false
	}
	*p = &f
	return true
}

// decodeBool stores a boolean.
func decodeBool(p **bool, x strictjson.Value) bool {
	if x.Kind() != strictjson.Bool {
		return false
	}
	b := x.Bool()
	*p = &b
	return true
}

// decodeStrings stores a set of non-empty strings (type, tag, …).
func (d *decodeState) decodeStrings(s *Set[string], x strictjson.Value) bool {
	switch x.Kind() {
	case strictjson.Array:
		if x.Len() == 0 {
			return false // "empty values MUST be omitted": keep as written, report
		}
		for _, e := range x.Elements() {
			if e.Str() == "" {
				return false
			}
		}
		items := d.strings(x.Len())
		for i, e := range x.Elements() {
			items[i] = e.Str()
		}
		*s = Set[string]{Items: items}
		return true
	case strictjson.String:
		if x.Str() == "" {
			return false
		}
		items := d.strings(1)
		items[0] = x.Str()
		*s = Set[string]{Items: items, Single: true}
		return true
	}
	return false
}

// contextEntry reads one @context item: a string (even empty) or an object.
func contextEntry(x strictjson.Value) (ContextEntry, bool) {
	switch x.Kind() {
	case strictjson.String:
		return ContextEntry{URL: x.Str()}, true
	case strictjson.Object:
		return ContextEntry{Inline: appendJSON(nil, x)}, true
	}
	return ContextEntry{}, false
}

// decodeContexts stores an @context.
func decodeContexts(s *Set[ContextEntry], x strictjson.Value) bool {
	if x.Kind() == strictjson.Array {
		if x.Len() == 0 {
			return false
		}
		items := make([]ContextEntry, x.Len())
		for i, e := range x.Elements() {
			var ok bool
			if items[i], ok = contextEntry(e); !ok {
				return false
			}
		}
		*s = Set[ContextEntry]{Items: items}
		return true
	}
	e, ok := contextEntry(x)
	if !ok {
		return false
	}
	*s = Set[ContextEntry]{Items: []ContextEntry{e}, Single: true}
	return true
}

// decodeSet stores a set of model objects: an array of objects, or one.
func decodeSet[T any, P interface {
	*T
	objectDecoder
}](d *decodeState, s *Set[T], x strictjson.Value) (bool, error) {
	if x.Kind() == strictjson.Array {
		if x.Len() == 0 {
			return false, nil
		}
		items := alloc[T](d, x.Len())
		for i, e := range x.Elements() {
			if e.Kind() != strictjson.Object {
				return false, nil
			}
			d.pushIndex(i)
			err := P(&items[i]).decodeObject(d, e)
			d.pop()
			if err != nil {
				return true, err
			}
		}
		*s = Set[T]{Items: items}
		return true, nil
	}
	if x.Kind() != strictjson.Object {
		return false, nil
	}
	items := alloc[T](d, 1)
	if err := P(&items[0]).decodeObject(d, x); err != nil {
		return true, err
	}
	*s = Set[T]{Items: items, Single: true}
	return true, nil
}

// decodePtr stores an optional model object (image, criteria, …).
func decodePtr[T any, P interface {
	*T
	objectDecoder
}](d *decodeState, p **T, x strictjson.Value) (bool, error) {
	if x.Kind() != strictjson.Object {
		return false, nil
	}
	v := allocOne[T](d)
	if err := P(v).decodeObject(d, x); err != nil {
		return true, err
	}
	*p = v
	return true, nil
}

// decodeImage stores an image: its object, or its id string alone (see
// Image.decodeJSONValue, which the reflective decoder uses).
func decodeImage(d *decodeState, p **Image, x strictjson.Value) (bool, error) {
	if x.Kind() == strictjson.String {
		if x.Str() == "" {
			return false, nil
		}
		v := allocOne[Image](d)
		v.ID, v.IDOnly = x.Str(), true
		*p = v
		return true, nil
	}
	return decodePtr(d, p, x)
}
