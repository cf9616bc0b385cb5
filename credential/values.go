package credential

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/microcred/openbadges/internal/jcs"
	"github.com/microcred/openbadges/internal/strictjson"
)

// Set is a multi-valued property: in JSON an array, or a single value, which
// JSON-LD compaction allows and the OB 3.0 specification explicitly permits
// for type, proof, credentialSchema and termsOfUse. Single records which form
// was (or is to be) written; it matters only when there is exactly one item.
type Set[T any] struct {
	Items  []T
	Single bool
}

// One returns a set of one item, written as a bare value.
func One[T any](v T) Set[T] { return Set[T]{Items: []T{v}, Single: true} }

// Many returns a set written as a JSON array, however many items it has.
func Many[T any](vs ...T) Set[T] { return Set[T]{Items: vs} }

// IsZero reports whether the set is empty (and so omitted from JSON).
func (s Set[T]) IsZero() bool { return len(s.Items) == 0 }

// Len returns the number of items.
func (s Set[T]) Len() int { return len(s.Items) }

// MarshalJSON writes a bare value when the set was read (or built) as one
// and has one item, otherwise an array.
func (s Set[T]) MarshalJSON() ([]byte, error) { return s.appendJSONTo(nil) }

func (s Set[T]) appendJSONTo(b []byte) ([]byte, error) {
	if s.Single && len(s.Items) == 1 {
		return appendModel(b, reflect.ValueOf(&s.Items[0]).Elem())
	}
	b = append(b, '[')
	var err error
	for i := range s.Items {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendModel(b, reflect.ValueOf(&s.Items[i]).Elem()); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array or a single value, strictly.
func (s *Set[T]) UnmarshalJSON(data []byte) error {
	x, err := strictjson.Parse(string(data), strictjson.Options{})
	if err != nil {
		return parseErrorFrom(err)
	}
	ok, err := s.decodeJSONValue(newDecodeState(), x)
	if err == nil && !ok {
		err = &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrShape, jsonKind(x))}
	}
	return err
}

func (s *Set[T]) decodeJSONValue(d *decodeState, x strictjson.Value) (bool, error) {
	if x.Kind() == strictjson.Array {
		if x.Len() == 0 {
			return false, nil // "empty values MUST be omitted": keep as written, report
		}
		items := alloc[T](d, x.Len())
		if strs, ok := any(items).([]string); ok {
			// The common case (type lists, tags): no reflection.
			for i, e := range x.Elements() {
				if strs[i] = e.Str(); strs[i] == "" {
					return false, nil // as decodeItem: kept in Extra
				}
			}
			*s = Set[T]{Items: items}
			return true, nil
		}
		for i, e := range x.Elements() {
			d.pushIndex(i)
			ok, err := decodeItem(d, &items[i], e)
			d.pop()
			if !ok || err != nil {
				return ok, err
			}
		}
		*s = Set[T]{Items: items}
		return true, nil
	}
	if x.Kind() == strictjson.Null {
		return false, nil
	}
	var item T
	ok, err := decodeItem(d, &item, x)
	if ok && err == nil {
		*s = Set[T]{Items: []T{item}, Single: true}
	}
	return ok, err
}

// Types is the value of a type property: a set of type names.
type Types = Set[string]

// TypeOf returns a type set of the given names, written as an array as the
// OB 3.0 JSON Schemas require for most classes. For the classes whose schema
// wants a single string (IdentityObject, IdentifierEntry, Image,
// GeoCoordinates, Proof, CredentialStatus, CredentialSchema, RefreshService,
// TermsOfUse) use One(name).
func TypeOf(names ...string) Types {
	return Types{Items: names}
}

// HasType reports whether the set contains name.
func HasType(t Types, name string) bool { return slices.Contains(t.Items, name) }

// ContextEntry is one member of an @context: a URL or an inline context
// object.
type ContextEntry struct {
	URL    string
	Inline json.RawMessage // a JSON object, when URL is empty
}

// IsZero reports whether the entry is empty.
func (e ContextEntry) IsZero() bool { return e.URL == "" && len(e.Inline) == 0 }

// MarshalJSON writes the URL string or the inline object.
func (e ContextEntry) MarshalJSON() ([]byte, error) { return e.appendJSONTo(nil) }

func (e ContextEntry) appendJSONTo(b []byte) ([]byte, error) {
	if e.URL != "" || len(e.Inline) == 0 {
		return jcs.AppendJSONString(b, e.URL), nil
	}
	return appendRaw(b, e.Inline)
}

func (e *ContextEntry) decodeJSONValue(_ *decodeState, x strictjson.Value) (bool, error) {
	entry, ok := contextEntry(x)
	if ok {
		*e = entry
	}
	return ok, nil
}

// Contexts returns an @context of the given URLs, written as an array.
func Contexts(urls ...string) Set[ContextEntry] {
	s := Set[ContextEntry]{Items: make([]ContextEntry, len(urls))}
	for i, u := range urls {
		s.Items[i] = ContextEntry{URL: u}
	}
	return s
}

// ProfileRef is a property whose value is either the URI of a Profile or an
// embedded Profile, such as issuer.
type ProfileRef struct {
	URI     string   // set when the reference is a bare URI
	Profile *Profile // set when the profile is embedded
}

// ID returns the profile's identifier in either form.
func (r ProfileRef) ID() string {
	if r.Profile != nil {
		return r.Profile.ID
	}
	return r.URI
}

// IsZero reports whether the reference is empty.
func (r ProfileRef) IsZero() bool { return r.URI == "" && r.Profile == nil }

// MarshalJSON writes the embedded profile, or else the URI.
func (r ProfileRef) MarshalJSON() ([]byte, error) { return r.appendJSONTo(nil) }

func (r ProfileRef) appendJSONTo(b []byte) ([]byte, error) { return appendRef(b, r.URI, r.Profile) }

func (r *ProfileRef) decodeJSONValue(d *decodeState, x strictjson.Value) (bool, error) {
	return decodeRef(d, &r.URI, &r.Profile, x)
}

// AchievementRef is the achievement of an AchievementSubject: an embedded
// Achievement or its URI.
type AchievementRef struct {
	URI         string
	Achievement *Achievement
}

// ID returns the achievement's identifier in either form.
func (r AchievementRef) ID() string {
	if r.Achievement != nil {
		return r.Achievement.ID
	}
	return r.URI
}

// IsZero reports whether the reference is empty.
func (r AchievementRef) IsZero() bool { return r.URI == "" && r.Achievement == nil }

// MarshalJSON writes the embedded achievement, or else the URI.
func (r AchievementRef) MarshalJSON() ([]byte, error) { return r.appendJSONTo(nil) }

func (r AchievementRef) appendJSONTo(b []byte) ([]byte, error) {
	return appendRef(b, r.URI, r.Achievement)
}

func (r *AchievementRef) decodeJSONValue(d *decodeState, x strictjson.Value) (bool, error) {
	return decodeRef(d, &r.URI, &r.Achievement, x)
}

// appendRef appends a reference (ProfileRef, AchievementRef): the embedded
// object obj, or else the URI.
func appendRef[T any](b []byte, uri string, obj *T) ([]byte, error) {
	if obj != nil {
		return appendStruct(b, reflect.ValueOf(obj).Elem())
	}
	return jcs.AppendJSONString(b, uri), nil
}

// decodeRef reads a reference into *uri and *obj: a non-empty URI, or an
// embedded object of type T. Neither changes unless it succeeds.
func decodeRef[T any, P interface {
	*T
	objectDecoder
}](d *decodeState, uri *string, obj **T, x strictjson.Value) (bool, error) {
	switch x.Kind() {
	case strictjson.String:
		if x.Str() == "" {
			return false, nil
		}
		*uri, *obj = x.Str(), nil
		return true, nil
	case strictjson.Object:
		v := allocOne[T](d)
		if err := P(v).decodeObject(d, x); err != nil {
			return false, err
		}
		*uri, *obj = "", v
		return true, nil
	}
	return false, nil
}

// DateTime is an xsd:dateTime as written, e.g. "2024-05-01T09:00:00Z". It is
// kept as text so that a credential is written back exactly as it was read;
// Time parses it.
type DateTime string

// DateTimeOf formats t as an RFC 3339 date-time with its time zone offset
// (Z for UTC), with fractional seconds only when t has them.
func DateTimeOf(t time.Time) DateTime { return DateTime(t.Format(time.RFC3339Nano)) }

// Time parses the value as an RFC 3339 date-time, which must carry a time
// zone ("Z" or an offset), as VCDM 2.0's dateTimeStamp and OB's DateTimeZ
// require.
func (d DateTime) Time() (time.Time, error) {
	if !isDateTimeStamp(string(d)) {
		return time.Time{}, &time.ParseError{Layout: time.RFC3339, Value: string(d), Message: ": not an RFC 3339 date-time with a time zone"}
	}
	return time.Parse(time.RFC3339Nano, string(d))
}

// isDateTimeStamp reports whether s is in the lexical space of
// xsd:dateTimeStamp restricted to what RFC 3339 allows (four-digit years,
// upper-case T and Z):
//
//	^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$
//
// written out by hand, as the regular expression was a tenth of the cost
// of Validate (TestDateTimeStampMatchesRegexp compares the two).
func isDateTimeStamp(s string) bool {
	const head = "dddd-dd-ddTdd:dd:dd" // d: a digit
	if len(s) < len(head)+1 {
		return false
	}
	for i := 0; i < len(head); i++ {
		if c := s[i]; head[i] == 'd' && !isDigit(c) || head[i] != 'd' && c != head[i] {
			return false
		}
	}
	rest := s[len(head):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	if rest == "Z" {
		return true
	}
	return len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') &&
		isDigit(rest[1]) && isDigit(rest[2]) && rest[3] == ':' && isDigit(rest[4]) && isDigit(rest[5])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// unmarshalValue implements UnmarshalJSON for the types with a
// decodeJSONValue method.
func unmarshalValue(data []byte, dst jsonValueDecoder) error {
	x, err := strictjson.Parse(string(data), strictjson.Options{})
	if err != nil {
		return parseErrorFrom(err)
	}
	ok, err := dst.decodeJSONValue(newDecodeState(), x)
	if err == nil && !ok {
		err = &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrShape, jsonKind(x))}
	}
	return err
}

// UnmarshalJSON reads a URI string or an embedded Profile, strictly.
func (r *ProfileRef) UnmarshalJSON(data []byte) error { return unmarshalValue(data, r) }

// UnmarshalJSON reads a URI string or an embedded Achievement, strictly.
func (r *AchievementRef) UnmarshalJSON(data []byte) error { return unmarshalValue(data, r) }

// UnmarshalJSON reads a URL string or an inline context object.
func (e *ContextEntry) UnmarshalJSON(data []byte) error { return unmarshalValue(data, e) }
