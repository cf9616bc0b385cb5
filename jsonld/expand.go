package jsonld

import (
	"slices"
	"strings"
)

// The expanded form is kept in typed structs rather than maps: toRDF walks
// it directly, and Expand converts it to the usual []any/map[string]any.

type xkind uint8

const (
	xNode xkind = iota + 1
	xValue
	xList
)

// xval is one expanded value: a node object (or graph object), a value
// object or a list object.
type xval struct {
	kind xkind
	node *xnode
	// value object
	v        jv
	typ      string // @type of a value object ("@json" for JSON literals)
	lang     string
	dir      string
	index    string
	hasIndex bool
	// list object
	items []xval
}

type xnode struct {
	id          string
	hasID       bool
	types       []string
	hasType     bool
	props       []xprop
	rev         []xprop
	hasRev      bool
	graph       []xval
	hasGraph    bool
	included    []xval
	hasIncluded bool
	index       string
	hasIndex    bool
}

type xprop struct {
	iri  string
	vals []xval
}

// count is the number of entries the node object would have as a map.
func (n *xnode) count() int {
	c := len(n.props)
	for _, b := range []bool{n.hasID, n.hasType, n.hasRev, n.hasGraph, n.hasIncluded, n.hasIndex} {
		if b {
			c++
		}
	}
	return c
}

func addProp(props []xprop, iri string, vals []xval, idx map[string]int) []xprop {
	if idx != nil {
		if i, ok := idx[iri]; ok {
			props[i].vals = append(props[i].vals, vals...)
			return props
		}
		idx[iri] = len(props)
		return append(props, xprop{iri: iri, vals: vals})
	}
	for i := range props {
		if props[i].iri == iri {
			props[i].vals = append(props[i].vals, vals...)
			return props
		}
	}
	return append(props, xprop{iri: iri, vals: vals})
}

// addProp adds values to a property of the node being built. Large nodes
// get an index so that adding stays linear.
func (o *xobj) addProp(iri string, vals []xval) {
	if o.propIdx == nil && len(o.n.props) >= 16 {
		o.propIdx = make(map[string]int, 2*len(o.n.props))
		for i := range o.n.props {
			o.propIdx[o.n.props[i].iri] = i
		}
	}
	o.n.props = addProp(o.n.props, iri, vals, o.propIdx)
}

// xobj accumulates the entries of one expanded object.
type xobj struct {
	n        xnode
	value    jv
	hasValue bool
	lang     string
	hasLang  bool
	dir      string
	hasDir   bool
	list     []xval
	hasList  bool
	set      []xval
	hasSet   bool
	setArr   bool           // @set's value was an array (a set of one scalar is not)
	propIdx  map[string]int // index of n.props once it is large
}

func (st *state) fail(err error, term, detail string) error {
	return &TermError{Path: formatPath(st.path), Term: term, Detail: detail, Err: err}
}

// wrap adds the current path to context-processing errors.
func (st *state) wrap(err error) error {
	switch e := err.(type) {
	case *ctxError:
		return &TermError{Path: formatPath(st.path), Term: e.term, Detail: e.detail, Err: e.err}
	case *TermError:
		return e
	}
	return &TermError{Path: formatPath(st.path), Err: err}
}

func (st *state) push(key string) { st.path = append(st.path, pathSeg{key: key, idx: -1}) }
func (st *state) pushIdx(i int)   { st.path = append(st.path, pathSeg{idx: i}) }
func (st *state) pop()            { st.path = st.path[:len(st.path)-1] }

// vocabIRI expands a key or type with vocab=true.
func (st *state) vocabIRI(ac *activeContext, s string) string {
	if td := ac.terms[s]; td != nil {
		if td.nullIRI {
			return nullIRI
		}
		return td.iri
	}
	r, _ := st.expandIRI(ac, s, false, true, nil)
	return r
}

func (st *state) idIRI(ac *activeContext, s string) string {
	r, _ := st.expandIRI(ac, s, true, false, nil)
	return r
}

// expandDocument runs expansion on the document and applies the API's
// top-level rules.
func (st *state) expandDocument(doc *jv) ([]xval, error) {
	vals, _, err := st.expand(st.p.initial, "", false, doc, false, false, nil)
	if err != nil {
		return nil, err
	}
	if len(vals) == 1 && vals[0].kind == xNode {
		n := vals[0].node
		if n.hasGraph && n.count() == 1 {
			return n.graph, nil
		}
	}
	return vals, nil
}

func (st *state) tick() error {
	st.steps++
	if st.steps&1023 == 0 {
		if err := st.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// expand is the Expansion algorithm (API 5.1.2), structured as jsonld.js's
// expand so that safe mode matches it. It returns the expanded values; arr
// reports an array result (as opposed to a single value or null).
func (st *state) expand(ac *activeContext, ap string, hasAP bool, el *jv, insideList, insideIndex bool, typeScoped *activeContext) (vals []xval, arr bool, err error) {
	if err := st.tick(); err != nil {
		return nil, false, err
	}
	switch el.Kind() {
	case jNull:
		return nil, false, nil
	case jArray:
		return st.expandElements(ac, ap, hasAP, *el, insideList, insideIndex, typeScoped)
	case jObject:
		return st.expandObject(ac, ap, hasAP, el, insideList, insideIndex, typeScoped)
	}
	// scalar
	if !insideList && (!hasAP || st.vocabIRI(ac, ap) == "@graph") {
		if st.safe {
			return nil, false, st.fail(ErrDroppedValue, "", "free-floating scalar not in a list")
		}
		return nil, false, nil
	}
	v, err := st.expandValue(ac, ap, el)
	if err != nil {
		return nil, false, err
	}
	return append(st.vals.take(1), v), false, nil
}

// expandElements is expand of an array: el's elements, or el itself as
// the one element of an array when it is not one.
func (st *state) expandElements(ac *activeContext, ap string, hasAP bool, el jv, insideList, insideIndex bool, typeScoped *activeContext) (vals []xval, arr bool, err error) {
	var container uint16
	if hasAP {
		if td := ac.terms[ap]; td != nil {
			container = td.container
		}
	}
	insideList = insideList || container&cList != 0
	n := 1
	if el.Kind() == jArray {
		n = el.Len()
	}
	out := st.vals.take(n)
	for i, item := range items(el) {
		st.pushIdx(i)
		e, eArr, err := st.expand(ac, ap, hasAP, &item, false, insideIndex, typeScoped)
		st.pop()
		if err != nil {
			return nil, false, err
		}
		if insideList && eArr {
			e = []xval{{kind: xList, items: e}}
		}
		out = append(out, e...)
	}
	return out, true, nil
}

// expandValue is Value Expansion (API 5.3.2).
func (st *state) expandValue(ac *activeContext, ap string, el *jv) (xval, error) {
	td := ac.terms[ap]
	var eap string
	if td != nil {
		eap = td.iri
		if td.nullIRI {
			eap = nullIRI
		}
	} else {
		eap = st.vocabIRI(ac, ap)
	}
	if eap == "@id" || eap == "@type" {
		return xval{}, st.fail(ErrInvalidSyntax, ap, "keyword value in an unexpected position")
	}
	typ := ""
	if td != nil {
		typ = td.typ
	}
	if (typ == "@id" || eap == "@graph") && el.Kind() == jString {
		id, err := st.checkID(st.idIRI(ac, el.Str()), el.Str())
		if err != nil {
			return xval{}, err
		}
		n := st.nodes.one()
		n.id, n.hasID = id, true
		return xval{kind: xNode, node: n}, nil
	}
	if typ == "@vocab" && el.Kind() == jString {
		r, _ := st.expandIRI(ac, el.Str(), true, true, nil)
		id, err := st.checkID(r, el.Str())
		if err != nil {
			return xval{}, err
		}
		n := st.nodes.one()
		n.id, n.hasID = id, true
		return xval{kind: xNode, node: n}, nil
	}
	if isKeyword(eap) {
		return xval{}, st.fail(ErrInvalidSyntax, ap, "keyword value in an unexpected position")
	}
	v := xval{kind: xValue, v: *el}
	if typ != "" && typ != "@id" && typ != "@vocab" && typ != "@none" {
		v.typ = typ
	} else if el.Kind() == jString {
		if td != nil && td.hasLang {
			v.lang = td.lang
		} else {
			v.lang = ac.lang
		}
		if td != nil && td.hasDir {
			v.dir = td.dir
		} else {
			v.dir = ac.dir
		}
	}
	return v, nil
}

// checkID validates an expanded @id: safe mode rejects relative IRIs (and
// IRIs with white space) and reserved values.
func (st *state) checkID(id, orig string) (string, error) {
	if id == nullIRI {
		if st.safe {
			return "", st.fail(ErrReservedTerm, orig, "reserved @id value")
		}
		return "", nil
	}
	if !isAbsoluteIRI(id) {
		if st.safe {
			return "", st.fail(ErrRelativeID, orig, "")
		}
		return id, nil
	}
	if !isBlank(id) && !validIRIChars(id) && st.safe {
		return "", st.fail(ErrInvalidIRI, orig, "IRI contains characters N-Quads cannot carry")
	}
	return id, nil
}

func (st *state) expandObject(ac *activeContext, ap string, hasAP bool, el *jv, insideList, insideIndex bool, typeScoped *activeContext) ([]xval, bool, error) {
	eap := ""
	var apDef *termDef
	if hasAP {
		eap = st.vocabIRI(ac, ap)
		apDef = ac.terms[ap]
	}
	if typeScoped == nil && ac.previous != nil {
		typeScoped = ac
	}
	mustRevert := !insideIndex
	// The members in name order, the order they are visited in, on
	// st.members's stack until the object is expanded.
	start := len(st.members)
	st.members = members(st.members, el)
	ms := st.members[start:]
	defer func() { st.members = st.members[:start] }()
	if mustRevert && typeScoped != nil && len(ms) <= 2 && !el.Has("@context") {
		for _, m := range ms {
			e := st.vocabIRI(typeScoped, m.key)
			if e == "@value" {
				mustRevert = false
				ac = typeScoped
				break
			}
			if e == "@id" && len(ms) == 1 {
				mustRevert = false
				break
			}
		}
	}
	if mustRevert {
		ac = ac.revert()
	}
	var err error
	if apDef != nil && apDef.scoped != nil {
		if ac, err = st.applyScoped(ac, apDef, true, true); err != nil {
			return nil, false, st.wrap(err)
		}
	}
	if c, ok := el.Get("@context"); ok {
		st.push("@context")
		ac, err = st.applyLocal(ac, &c)
		if err != nil {
			err = st.wrap(err)
		}
		st.pop()
		if err != nil {
			return nil, false, err
		}
	}
	typeScoped = ac
	typeKey := ""
	for mi := range ms {
		m := &ms[mi]
		if !ac.isTypeKey(m.key) {
			continue
		}
		if typeKey == "" {
			typeKey = m.key
		}
		var one [1]string
		var types []string
		switch m.val.Kind() {
		case jString:
			one[0] = m.val.Str()
			types = one[:]
		case jArray:
			for _, t := range m.val.Elements() {
				if t.Kind() == jString {
					types = append(types, t.Str())
				}
			}
			slices.Sort(types)
		}
		for _, t := range types {
			if td := typeScoped.terms[t]; td != nil && td.scoped != nil {
				if ac, err = st.applyScoped(ac, td, false, false); err != nil {
					st.push(m.key)
					err = st.wrap(err)
					st.pop()
					return nil, false, err
				}
			}
		}
	}

	var o xobj
	o.n.props = st.props.take(len(ms))
	if err := st.expandMembers(ac, ap, hasAP, eap, el, ms, &o, insideList, typeKey, typeScoped); err != nil {
		return nil, false, err
	}
	return st.finishObject(ac, ap, hasAP, eap, &o, insideList)
}

// finishObject turns the accumulated entries into a value, list, set or node
// object and applies the drop rules.
func (st *state) finishObject(ac *activeContext, ap string, hasAP bool, eap string, o *xobj, insideList bool) ([]xval, bool, error) {
	var result xval
	count := o.n.count()
	if o.hasValue {
		count++
	}
	if o.hasLang {
		count++
	}
	if o.hasDir {
		count++
	}
	if o.hasList {
		count++
	}
	if o.hasSet {
		count++
	}
	switch {
	case o.hasValue:
		if o.n.hasType && (o.hasLang || o.hasDir) {
			return nil, false, st.fail(ErrInvalidSyntax, "", "invalid value object: @type with @language or @direction")
		}
		valid := count - 1
		for _, b := range []bool{o.n.hasType, o.n.hasIndex, o.hasLang, o.hasDir} {
			if b {
				valid--
			}
		}
		if valid != 0 {
			return nil, false, st.fail(ErrInvalidSyntax, "", "invalid value object: unexpected entries")
		}
		typ := ""
		if o.n.hasType {
			if len(o.n.types) != 1 {
				return nil, false, st.fail(ErrInvalidSyntax, "", "invalid typed value: @type must be one IRI")
			}
			typ = o.n.types[0]
		}
		if typ == "@json" {
			result = xval{kind: xValue, v: o.value, typ: "@json", index: o.n.index, hasIndex: o.n.hasIndex}
			break
		}
		if o.value.Kind() == jInvalid || o.value.Kind() == jNull {
			if st.safe {
				return nil, false, st.fail(ErrDroppedValue, "", "null @value")
			}
			return nil, false, nil
		}
		if o.value.Kind() == jObject || o.value.Kind() == jArray {
			return nil, false, st.fail(ErrInvalidSyntax, "", "invalid value object value: @value must be a scalar")
		}
		if o.hasLang && o.value.Kind() != jString {
			return nil, false, st.fail(ErrInvalidSyntax, "", "invalid language-tagged value: only strings may be language-tagged")
		}
		if typ != "" && (!isAbsoluteIRI(typ) || isBlank(typ)) {
			if st.safe && typ != nullIRI {
				return nil, false, st.fail(ErrRelativeType, typ, "invalid typed value")
			}
			return nil, false, st.fail(ErrInvalidSyntax, typ, "invalid typed value: @type must be an absolute IRI")
		}
		result = xval{kind: xValue, v: o.value, typ: typ, lang: o.lang, dir: o.dir, index: o.n.index, hasIndex: o.n.hasIndex}
	case o.hasList || o.hasSet:
		if count > 1 && !(count == 2 && o.n.hasIndex) {
			return nil, false, st.fail(ErrInvalidSyntax, "", "invalid set or list object")
		}
		if o.hasSet {
			// A set object is replaced by its expanded value: an array
			// only if the value was one, so that {"@set": "x"} in a list
			// is the item "x", not a list of one (as in jsonld.js).
			if !o.setArr && len(o.set) == 1 {
				return st.dropCheck(ac, ap, hasAP, eap, o.set, false, insideList)
			}
			return st.dropCheck(ac, ap, hasAP, eap, o.set, true, insideList)
		}
		result = xval{kind: xList, items: o.list, index: o.n.index, hasIndex: o.n.hasIndex}
		if result.items == nil {
			result.items = []xval{}
		}
	case count == 1 && o.hasLang:
		if st.safe {
			return nil, false, st.fail(ErrDroppedValue, "", "object with only @language")
		}
		return nil, false, nil
	default:
		for _, t := range o.n.types {
			if t == "@json" {
				// Only a value can have type @json; as a node type it would
				// be a relative IRI (jsonld.js: relative object reference).
				if st.safe {
					return nil, false, st.fail(ErrRelativeType, "@json", "@json as the type of a node")
				}
				o.n.types = slices.DeleteFunc(slices.Clone(o.n.types), func(s string) bool { return s == "@json" })
				break
			}
		}
		n := st.nodes.one()
		*n = o.n
		result = xval{kind: xNode, node: n}
	}
	return st.dropCheck(ac, ap, hasAP, eap, append(st.vals.take(1), result), false, insideList)
}

// dropCheck drops empty objects, free-floating values and lists and objects
// with only @id at the top level and in @graph (jsonld.js _dropUnsafeObject).
func (st *state) dropCheck(ac *activeContext, ap string, hasAP bool, eap string, vals []xval, arr, insideList bool) ([]xval, bool, error) {
	if arr || insideList {
		return vals, arr, nil
	}
	top := !hasAP || eap == "@graph"
	if !top {
		if td := ac.terms[ap]; td != nil && td.container&cGraph != 0 {
			top = true
		}
	}
	if !top {
		return vals, arr, nil
	}
	if reason := unsafeObject(&vals[0]); reason != "" {
		if st.safe {
			return nil, false, st.fail(ErrDroppedValue, ap, reason)
		}
		return nil, false, nil
	}
	return vals, arr, nil
}

// unsafeObject says why jsonld.js would drop v where a node is expected.
func unsafeObject(v *xval) string {
	switch v.kind {
	case xValue:
		return "object with only @value (free-floating value)"
	case xList:
		return "object with only @list (free-floating list)"
	}
	c := v.node.count()
	if c == 0 {
		return "empty object"
	}
	if c == 1 && v.node.hasID {
		return "object with only @id"
	}
	return ""
}

func isJSONType(st *state, ac *activeContext, el *jv, typeKey string) bool {
	if typeKey == "" {
		return false
	}
	t, ok := el.Get(typeKey)
	if !ok {
		return false
	}
	if t.Kind() == jArray && t.Len() > 0 {
		t = t.Index(0)
	}
	if t.Kind() != jString {
		return false
	}
	r, _ := st.expandIRI(ac, t.Str(), true, true, nil)
	return r == "@json"
}

// expandMembers is jsonld.js's _expandObject: it expands each member of el
// into o, then the @nest members.
func (st *state) expandMembers(ac *activeContext, ap string, hasAP bool, eap string, el *jv, ms []member, o *xobj, insideList bool, typeKey string, typeScoped *activeContext) error {
	var nests []string
	jsonType := isJSONType(st, ac, el, typeKey)
	for mi := range ms {
		key := ms[mi].key
		value := &ms[mi].val
		if key == "@context" {
			continue
		}
		st.push(key)
		err := st.expandMember(ac, ap, hasAP, eap, key, value, o, jsonType, typeScoped, &nests)
		st.pop()
		if err != nil {
			return err
		}
	}
	if o.hasValue && !(o.n.hasType && len(o.n.types) == 1 && o.n.types[0] == "@json") {
		if o.value.Kind() != jInvalid && (o.value.Kind() == jObject || o.value.Kind() == jArray) {
			return st.fail(ErrInvalidSyntax, "", "invalid value object value: @value must be a scalar")
		}
	}
	for _, key := range nests {
		nv, _ := el.Get(key)
		st.push(key)
		nac := ac
		if td := ac.terms[key]; td != nil && td.scoped != nil {
			c, err := st.applyScoped(ac, td, true, true)
			if err != nil {
				err = st.wrap(err)
				st.pop()
				return err
			}
			nac = c
		}
		for _, it := range items(nv) {
			item := &it
			bad := item.Kind() != jObject
			if !bad {
				for k := range item.Members() {
					if st.vocabIRI(nac, k) == "@value" {
						bad = true
					}
				}
			}
			if bad {
				st.pop()
				return st.fail(ErrInvalidSyntax, key, "invalid @nest value: must be a node object")
			}
			start := len(st.members)
			st.members = members(st.members, item)
			err := st.expandMembers(nac, ap, hasAP, eap, item, st.members[start:], o, insideList, typeKey, typeScoped)
			st.members = st.members[:start]
			if err != nil {
				st.pop()
				return err
			}
		}
		st.pop()
	}
	return nil
}

func (o *xobj) seen(k string) bool {
	switch k {
	case "@id":
		return o.n.hasID
	case "@graph":
		return o.n.hasGraph
	case "@value":
		return o.hasValue
	case "@language":
		return o.hasLang
	case "@direction":
		return o.hasDir
	case "@index":
		return o.n.hasIndex
	case "@reverse":
		return o.n.hasRev
	case "@list":
		return o.hasList
	case "@set":
		return o.hasSet
	}
	return false
}

func (st *state) expandMember(ac *activeContext, ap string, hasAP bool, eap, key string, value *jv, o *xobj, jsonType bool, typeScoped *activeContext, nests *[]string) error {
	var ep string
	checked := false
	td := ac.terms[key]
	if td != nil && td.iriOK {
		// Validated when the context was processed.
		ep, checked = td.iri, true
	} else {
		ep = st.vocabIRI(ac, key)
	}
	if !checked && (ep == nullIRI || !(isAbsoluteIRI(ep) || isKeyword(ep))) {
		if st.safe {
			return st.fail(ErrUndefinedTerm, key, "property does not expand to an absolute IRI")
		}
		return nil
	}
	kw := isKeyword(ep)
	if kw {
		if eap == "@reverse" {
			return st.fail(ErrInvalidSyntax, key, "invalid reverse property map: keyword in @reverse")
		}
		if ep != "@included" && ep != "@type" && o.seen(ep) {
			return st.fail(ErrInvalidSyntax, key, "colliding keywords")
		}
	} else if !checked && !isBlank(ep) && !validIRIChars(ep) {
		return st.fail(ErrInvalidIRI, key, "property IRI contains characters N-Quads cannot carry")
	}

	switch ep {
	case "@id":
		if value.Kind() != jString {
			return st.fail(ErrInvalidSyntax, key, "invalid @id value: must be a string")
		}
		id, err := st.checkID(st.idIRI(ac, value.Str()), value.Str())
		if err != nil {
			return err
		}
		o.n.id, o.n.hasID = id, true // "" marks a dropped (null) @id without safe mode
		return nil
	case "@type":
		n := 1
		switch value.Kind() {
		case jString:
		case jArray:
			n = value.Len()
			for _, t := range value.Elements() {
				if t.Kind() != jString {
					return st.fail(ErrInvalidSyntax, key, "invalid type value: must be a string or an array of strings")
				}
			}
		default:
			return st.fail(ErrInvalidSyntax, key, "invalid type value: must be a string or an array of strings")
		}
		if n == 0 {
			return nil
		}
		if o.n.types == nil {
			o.n.types = st.strs.take(n)
		}
		for i, t := range items(*value) {
			if t.Str() != "" && t.Str()[0] != '@' {
				// A term defined as an IRI: expandIRI would return
				// td.iri, checked when the context was processed.
				if td := typeScoped.terms[t.Str()]; td != nil && td.iriOK && td.iri[0] != '@' {
					o.n.types = append(o.n.types, td.iri)
					continue
				}
			}
			r, _ := st.expandIRI(typeScoped, t.Str(), true, true, nil)
			if r != "@json" && !isAbsoluteIRI(r) {
				if st.safe {
					if value.Kind() == jArray {
						st.pushIdx(i)
						defer st.pop()
					}
					return st.fail(ErrRelativeType, t.Str(), "")
				}
			} else if r != "@json" && !isBlank(r) && !validIRIChars(r) {
				return st.fail(ErrInvalidIRI, t.Str(), "type IRI contains characters N-Quads cannot carry")
			}
			o.n.types = append(o.n.types, r)
		}
		o.n.hasType = true
		return nil
	case "@included":
		vals, arr, err := st.expand(ac, ap, hasAP, value, false, false, nil)
		if err != nil {
			return err
		}
		if vals == nil && !arr {
			return st.fail(ErrInvalidSyntax, key, "invalid @included value: must be node objects")
		}
		for _, v := range vals {
			if v.kind != xNode || (v.node.count() == 1 && v.node.hasID) {
				return st.fail(ErrInvalidSyntax, key, "invalid @included value: must be node objects")
			}
		}
		o.n.included = append(o.n.included, vals...)
		o.n.hasIncluded = true
		return nil
	case "@graph":
		if value.Kind() != jObject && value.Kind() != jArray {
			return st.fail(ErrInvalidSyntax, key, "invalid @graph value")
		}
	case "@value":
		o.hasValue = true
		o.value = *value
		return nil
	case "@language":
		if value.Kind() == jNull {
			return nil
		}
		if value.Kind() != jString {
			return st.fail(ErrInvalidSyntax, key, "invalid language-tagged string: @language must be a string")
		}
		if !validLanguage(value.Str()) && st.safe {
			return st.fail(ErrInvalidLanguage, value.Str(), "")
		}
		o.lang, o.hasLang = strings.ToLower(value.Str()), true
		return nil
	case "@direction":
		if value.Kind() != jString || (value.Str() != "ltr" && value.Str() != "rtl") {
			return st.fail(ErrInvalidSyntax, key, "invalid base direction")
		}
		o.dir, o.hasDir = value.Str(), true
		return nil
	case "@index":
		if value.Kind() != jString {
			return st.fail(ErrInvalidSyntax, key, "invalid @index value")
		}
		o.n.index, o.n.hasIndex = value.Str(), true
		return nil
	case "@reverse":
		if value.Kind() != jObject {
			return st.fail(ErrInvalidSyntax, key, "invalid @reverse value")
		}
		vals, _, err := st.expand(ac, "@reverse", true, value, false, false, nil)
		if err != nil {
			return err
		}
		if len(vals) == 1 && vals[0].kind == xNode {
			r := vals[0].node
			for _, p := range r.rev {
				o.addProp(p.iri, p.vals)
			}
			for _, p := range r.props {
				for _, item := range p.vals {
					if item.kind != xNode {
						return st.fail(ErrInvalidSyntax, key, "invalid reverse property value")
					}
				}
				o.n.rev = addProp(o.n.rev, p.iri, p.vals, nil)
				o.n.hasRev = true
			}
		}
		return nil
	case "@nest":
		*nests = append(*nests, key)
		return nil
	}

	if kw && ep != "@list" && ep != "@set" && ep != "@graph" {
		// Other keywords (@vocab, @base, @none, ...) mean nothing here;
		// jsonld.js keeps them as a property that toRDF then drops.
		if st.safe {
			return st.fail(ErrUndefinedTerm, key, "keyword "+ep+" cannot be used as a property")
		}
		return nil
	}

	// Properties, and @list, @set and @graph.
	termCtx := ac
	var err error
	if td != nil && td.scoped != nil {
		if termCtx, err = st.applyScoped(ac, td, true, true); err != nil {
			return st.wrap(err)
		}
	}
	var container uint16
	if td != nil {
		container = td.container
	}
	var ev []xval
	evNull, single := false, false
	switch {
	case container&cLanguage != 0 && value.Kind() == jObject:
		var tdt *termDef = termCtx.terms[key]
		dir := termCtx.dir
		if tdt != nil && tdt.hasDir {
			dir = tdt.dir
		}
		ev, err = st.expandLanguageMap(termCtx, value, dir)
	case container&cIndex != 0 && value.Kind() == jObject:
		indexKey := "@index"
		if tdt := termCtx.terms[key]; tdt != nil && tdt.index != "" {
			indexKey = tdt.index
		}
		propIndex := ""
		if indexKey != "@index" {
			propIndex = st.vocabIRI(ac, indexKey)
		}
		ev, err = st.expandIndexMap(termCtx, key, value, container&cGraph != 0, indexKey, propIndex)
	case container&cID != 0 && value.Kind() == jObject:
		ev, err = st.expandIndexMap(termCtx, key, value, container&cGraph != 0, "@id", "")
	case container&cType != 0 && value.Kind() == jObject:
		ev, err = st.expandIndexMap(termCtx.revert(), key, value, false, "@type", "")
	default:
		isList := ep == "@list"
		if isList || ep == "@set" {
			nap, nhas := ap, hasAP
			if isList && eap == "@graph" {
				nap, nhas = "", false
			}
			var arr bool
			ev, arr, err = st.expand(termCtx, nap, nhas, value, isList, false, nil)
			evNull, single = ev == nil && !arr, !arr
		} else if td != nil && td.typ == "@json" {
			ev, single = []xval{{kind: xValue, v: *value, typ: "@json"}}, true
		} else {
			var arr bool
			ev, arr, err = st.expand(termCtx, key, true, value, false, false, nil)
			evNull, single = ev == nil && !arr, !arr
		}
	}
	if err != nil {
		return err
	}
	if evNull && ep != "@value" {
		return nil
	}
	if ev == nil {
		ev = []xval{}
	}
	if ep != "@list" && container&cList != 0 && !(single && len(ev) == 1 && ev[0].kind == xList) {
		ev = []xval{{kind: xList, items: ev}}
	}
	if container&cGraph != 0 && container&(cID|cIndex) == 0 {
		kept := ev[:0:0]
		for i := range ev {
			if reason := unsafeObject(&ev[i]); reason != "" {
				if st.safe {
					return st.fail(ErrDroppedValue, key, reason+" in a graph container")
				}
				continue
			}
			kept = append(kept, ev[i])
		}
		if len(kept) == 0 {
			return nil
		}
		for i := range kept {
			kept[i] = xval{kind: xNode, node: &xnode{graph: []xval{kept[i]}, hasGraph: true}}
		}
		ev = kept
	}
	if td != nil && td.reverse {
		if isBlank(ep) && st.safe {
			return st.fail(ErrBlankNodePredicate, key, "")
		}
		for _, item := range ev {
			if item.kind != xNode {
				return st.fail(ErrInvalidSyntax, key, "invalid reverse property value")
			}
		}
		o.n.rev = addProp(o.n.rev, ep, ev, nil)
		o.n.hasRev = true
		return nil
	}
	switch ep {
	case "@list":
		o.list = append(o.list, ev...)
		o.hasList = true
	case "@set":
		o.set = append(o.set, ev...)
		o.hasSet = true
		o.setArr = o.setArr || !single
	case "@graph":
		o.n.graph = append(o.n.graph, ev...)
		o.n.hasGraph = true
	default:
		if isBlank(ep) && st.safe {
			return st.fail(ErrBlankNodePredicate, key, "")
		}
		o.addProp(ep, ev)
	}
	return nil
}

func (st *state) expandLanguageMap(ac *activeContext, value *jv, dir string) ([]xval, error) {
	out := []xval{}
	for _, m := range members(nil, value) {
		key := m.key
		ek := st.vocabIRI(ac, key)
		st.push(key)
		for _, it := range items(m.val) {
			item := &it
			if item.Kind() == jNull {
				continue
			}
			if item.Kind() != jString {
				st.pop()
				return nil, st.fail(ErrInvalidSyntax, key, "invalid language map value")
			}
			x := xval{kind: xValue, v: *item, dir: dir}
			if ek != "@none" {
				if !validLanguage(key) && st.safe {
					st.pop()
					return nil, st.fail(ErrInvalidLanguage, key, "")
				}
				x.lang = strings.ToLower(key)
			}
			out = append(out, x)
		}
		st.pop()
	}
	return out, nil
}

func (st *state) expandIndexMap(ac *activeContext, ap string, value *jv, asGraph bool, indexKey, propIndex string) ([]xval, error) {
	out := []xval{}
	isType := indexKey == "@type"
	for _, m := range members(nil, value) {
		key, val := m.key, m.val
		st.push(key)
		if isType {
			if td := ac.terms[key]; td != nil && td.scoped != nil {
				c, err := st.applyScoped(ac, td, false, false)
				if err != nil {
					st.pop()
					return nil, st.wrap(err)
				}
				ac = c
			}
		}
		items, _, err := st.expandElements(ac, ap, true, val, false, true, nil)
		if err != nil {
			st.pop()
			return nil, err
		}
		var expandedKey string
		var keyVal xval
		if propIndex != "" {
			if key == "@none" {
				expandedKey = "@none"
			} else {
				kj := stringValue(key)
				keyVal, err = st.expandValue(ac, indexKey, &kj)
				if err != nil {
					st.pop()
					return nil, err
				}
			}
		} else {
			expandedKey = st.vocabIRI(ac, key)
		}
		k := key
		if indexKey == "@id" {
			if expandedKey != "@none" {
				id, err := st.checkID(st.idIRI(ac, key), key)
				if err != nil {
					st.pop()
					return nil, err
				}
				k = id
			}
		} else if isType {
			k = expandedKey
			if k != "@none" && !isAbsoluteIRI(k) && st.safe {
				st.pop()
				return nil, st.fail(ErrRelativeType, key, "")
			}
		}
		for _, item := range items {
			if asGraph && !(item.kind == xNode && isGraphObject(item.node)) {
				item = xval{kind: xNode, node: &xnode{graph: []xval{item}, hasGraph: true}}
			}
			switch {
			case isType:
				if expandedKey != "@none" {
					if item.kind != xNode {
						st.pop()
						return nil, st.fail(ErrInvalidSyntax, key, "invalid type map value")
					}
					n := *item.node
					n.types = append([]string{k}, n.types...)
					n.hasType = true
					item.node = &n
				}
			case item.kind == xValue && indexKey != "@language" && indexKey != "@type" && indexKey != "@index":
				st.pop()
				return nil, st.fail(ErrInvalidSyntax, key, "invalid value object: cannot add "+indexKey)
			case propIndex != "":
				if expandedKey != "@none" {
					if item.kind != xNode {
						st.pop()
						return nil, st.fail(ErrInvalidSyntax, key, "invalid property index value")
					}
					n := *item.node
					n.props = slices.Clone(n.props)
					found := false
					for i := range n.props {
						if n.props[i].iri == propIndex {
							n.props[i].vals = append([]xval{keyVal}, n.props[i].vals...)
							found = true
						}
					}
					if !found {
						n.props = append(n.props, xprop{iri: propIndex, vals: []xval{keyVal}})
					}
					item.node = &n
				}
			case expandedKey != "@none":
				switch indexKey {
				case "@index":
					if item.kind == xNode {
						if !item.node.hasIndex {
							n := *item.node
							n.index, n.hasIndex = k, true
							item.node = &n
						}
					} else if !item.hasIndex {
						item.index, item.hasIndex = k, true
					}
				case "@id":
					if item.kind == xNode && !item.node.hasID {
						n := *item.node
						n.id, n.hasID = k, true
						item.node = &n
					}
				}
			}
			out = append(out, item)
		}
		st.pop()
	}
	return out, nil
}

// isGraphObject: a node with @graph and nothing but @id and @index.
func isGraphObject(n *xnode) bool {
	if !n.hasGraph {
		return false
	}
	return len(n.props) == 0 && !n.hasType && !n.hasRev && !n.hasIncluded
}
