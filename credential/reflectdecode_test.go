package credential

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/internal/strictjson"
)

// The reference the generated decoders are compared with: a decoder
// written independently of them, by reflection over the model's field
// tables (infoOf), with each kind of field's semantics spelled out again.

// refDecoder decodes reflectively; sorted visits members in name order.
type refDecoder struct {
	d      *decodeState // only its path, for errors
	sorted bool
}

func newRefDecoder(sorted bool) *refDecoder { return &refDecoder{d: newDecodeState(), sorted: sorted} }

var (
	profileRefType     = reflect.TypeFor[ProfileRef]()
	achievementRefType = reflect.TypeFor[AchievementRef]()
	imageType          = reflect.TypeFor[Image]()
	contextEntryType   = reflect.TypeFor[ContextEntry]()
)

// value stores x in v. It reports false when x has a JSON form that v
// cannot hold (the caller keeps x in Extra); errors are for input that
// Parse must reject.
func (r *refDecoder) value(v reflect.Value, x any) (bool, error) {
	t := v.Type()
	switch {
	case t == rawMessageType:
		v.SetBytes(rawJSON(x))
		return true, nil
	case t == contextEntryType:
		switch x := x.(type) {
		case string:
			v.Set(reflect.ValueOf(ContextEntry{URL: x}))
		case map[string]any:
			v.Set(reflect.ValueOf(ContextEntry{Inline: rawJSON(x)}))
		default:
			return false, nil
		}
		return true, nil
	case t == profileRefType || t == achievementRefType:
		// A URI, or an embedded Profile or Achievement.
		if s, ok := x.(string); ok {
			if s == "" {
				return false, nil
			}
			v.Field(0).SetString(s)
			return true, nil
		}
		m, ok := x.(map[string]any)
		if !ok {
			return false, nil
		}
		p := reflect.New(v.Field(1).Type().Elem())
		if err := r.object(p.Elem(), m); err != nil {
			return false, err
		}
		v.Field(1).Set(p)
		return true, nil
	case t.Kind() == reflect.Pointer && t.Elem() == imageType:
		// An image's id string alone, or its object.
		if s, ok := x.(string); ok {
			if s == "" {
				return false, nil
			}
			v.Set(reflect.ValueOf(&Image{ID: s, IDOnly: true}))
			return true, nil
		}
	case t.Kind() == reflect.Struct && strings.HasPrefix(t.Name(), "Set["):
		return r.set(v, x)
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := x.(string)
		if !ok || s == "" {
			return false, nil
		}
		v.SetString(s)
		return true, nil
	case reflect.Bool:
		b, ok := x.(bool)
		if ok {
			v.SetBool(b)
		}
		return ok, nil
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
		nv := reflect.New(t.Elem())
		ok, err := r.value(nv.Elem(), x)
		if ok && err == nil {
			v.Set(nv)
		}
		return ok, err
	case reflect.Struct:
		m, ok := x.(map[string]any)
		if !ok {
			return false, nil
		}
		return true, r.object(v, m)
	}
	return false, fmt.Errorf("reference decoder: cannot decode into %s", t)
}

// set stores x in v, a Set: an array of items, or one item.
func (r *refDecoder) set(v reflect.Value, x any) (bool, error) {
	itemsType := v.Field(0).Type()
	if arr, ok := x.([]any); ok {
		if len(arr) == 0 {
			return false, nil
		}
		items := reflect.MakeSlice(itemsType, len(arr), len(arr))
		for i, e := range arr {
			r.d.pushIndex(i)
			ok, err := r.value(items.Index(i), e)
			r.d.pop()
			if !ok || err != nil {
				return ok, err
			}
		}
		v.Field(0).Set(items)
		v.Field(1).SetBool(false)
		return true, nil
	}
	if x == nil {
		return false, nil
	}
	items := reflect.MakeSlice(itemsType, 1, 1)
	ok, err := r.value(items.Index(0), x)
	if ok && err == nil {
		v.Field(0).Set(items)
		v.Field(1).SetBool(true)
	}
	return ok, err
}

// object maps the members of m onto the fields of the struct v by exact
// name; the others go to its Extra.
func (r *refDecoder) object(v reflect.Value, m map[string]any) error {
	si := infoOf(v.Type())
	var extra map[string]json.RawMessage
	keys := slices.Collect(maps.Keys(m))
	if r.sorted {
		slices.Sort(keys)
	}
	for _, k := range keys {
		x := m[k]
		f := si.byName[k]
		if f == nil {
			if known, ok := si.folded[strings.ToLower(k)]; ok {
				r.d.push(k)
				return &ParseError{Path: r.d.pathString(), Offset: -1,
					Err: fmt.Errorf("%w: %q differs from the term %q only by case", ErrCaseVariantKey, k, known)}
			}
		} else {
			fv := v.FieldByIndex(f.index)
			r.d.push(k)
			ok, err := r.value(fv, x)
			r.d.pop()
			if err != nil {
				return err
			}
			if ok {
				continue
			}
			fv.SetZero()
		}
		if si.extra != nil {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[k] = rawJSON(x)
		}
	}
	if extra != nil {
		v.FieldByIndex(si.extra).Set(reflect.ValueOf(extra))
	}
	return nil
}

// decodeReflective decodes m into v, reporting of several case variants
// the first in name order, as firstCaseVariant does.
func decodeReflective(v reflect.Value, m map[string]any) error {
	err := newRefDecoder(false).object(v, m)
	if err != nil {
		if e := newRefDecoder(true).object(reflect.New(v.Type()).Elem(), m); e != nil {
			return e
		}
	}
	return err
}

// parseReflective is Parse with the reference decoder.
func parseReflective(data []byte) (*Credential, error) {
	src := string(data)
	tree, err := strictjson.Parse(src, strictjson.Options{})
	if err != nil {
		return nil, parseErrorFrom(err)
	}
	m, ok := tree.ToGo().(map[string]any)
	if !ok {
		return nil, &ParseError{Path: "$", Offset: -1, Err: fmt.Errorf("%w: got %s", ErrNotObject, jsonKind(tree))}
	}
	c := &Credential{src: src}
	if err := decodeReflective(reflect.ValueOf(c).Elem(), m); err != nil {
		return nil, modelError(err)
	}
	return c, nil
}

// rawJSON is x, a strictjson value, as encoding/json writes it (without
// HTML escaping): what the generated decoder keeps in Extra.
func rawJSON(x any) json.RawMessage {
	b, err := marshalJSON(x)
	if err != nil {
		panic(err)
	}
	return b
}
