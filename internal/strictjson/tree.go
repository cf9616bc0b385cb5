package strictjson

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcred/openbadges/internal/jcs"
)

// Kind is the kind of a Value.
type Kind uint8

// The kinds of JSON values; Invalid is the zero Value's (a member that is
// absent, an index out of range).
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Array
	Object
)

// Value is a value of a parsed JSON document: a handle on the document's
// nodes, which are immutable, so a Value and everything read from it may
// be kept and shared for as long as anyone likes (unless the document is
// released: see Release). Objects keep their members in document order.
type Value struct {
	t    *tree
	i    int32 // the value's node
	skip int32 // the node of a member the object hides (Without), or 0
}

// tree is a parsed document: its values in document order, each followed
// by its members or elements, all in one slice. Strings are kept as
// offsets into src (the JSON text), or, for those with escapes, into esc
// (their decoded text), so that a node is small.
type tree struct {
	src   string
	esc   string
	nodes []node // nil once released
	space int    // bytes of white space between src's tokens
	// box is the pool's holder of nodes, when they came from nodePool.
	box *[]node
}

type node struct {
	key, s span  // the member name (in an object); a string's content, a number's or a literal's text
	next   int32 // the index of the node after this value and its contents
	n      int32 // members or elements
	kind   Kind
}

// span locates a string: in tree.src, or in tree.esc when off has inEsc.
type span struct{ off, len uint32 }

const inEsc = 1 << 31

func (t *tree) str(s span) string {
	if s.off&inEsc != 0 {
		o := s.off &^ inEsc
		return t.esc[o : o+s.len]
	}
	return t.src[s.off : s.off+s.len]
}

// Parse parses data as exactly one JSON value, with the guarantees and
// errors the package documents, into an immutable tree. Strings without escapes share
// data's memory (data is a string: nobody can change it).
func Parse(data string, opts Options) (Value, error) {
	if err := CheckSize(len(data), opts); err != nil {
		return Value{}, err
	}
	if len(data) >= inEsc {
		return Value{}, &Error{Path: "$", Offset: inEsc, Err: wrap(ErrTooLarge, "2 GiB or more")}
	}
	d := decoder{s: data}
	d.setLimits(opts)
	// A credential averages a value per 30-odd bytes: start near that, so
	// that most documents take one allocation for their nodes, or none
	// when a released document's nodes are at hand.
	want := len(data)/32 + 8
	box, _ := nodePool.Get().(*[]node)
	if box != nil && cap(*box) >= want {
		d.nodes = (*box)[:0]
	} else {
		box = nil
		d.nodes = make([]node, 0, want)
	}
	if err := d.finish(d.treeValue(span{})); err != nil {
		if box != nil && cap(d.nodes) <= maxPooledNodes {
			*box = d.nodes[:0]
			nodePool.Put(box)
		}
		return Value{}, err
	}
	return Value{t: &tree{src: data, esc: string(d.esc), nodes: d.nodes, space: d.space, box: box}}, nil
}

// nodePool holds the nodes of released documents (*[]node, empty), for
// Parse to reuse. Nodes hold no pointers, so a pooled slice keeps nothing
// else alive.
var nodePool sync.Pool

// maxPooledNodes bounds the nodes a released document gives back, so that
// one large document does not stay in the pool.
const maxPooledNodes = 8 << 10

// Release gives the nodes of the document v is part of back, for a later
// Parse to reuse, so that a caller that parses many documents, each read
// only for the length of a call, allocates no new nodes for each. Call it
// only when no Value of the document is in use any more: after Release,
// every Value of the document reads as the zero Value (Invalid, no
// members). Strings and text already read from the document stay valid
// (they are the input's, never recycled), and so does Source. A released
// document's nodes never become another document's while its Values
// still exist: a later Parse gets a new tree, and the released one has
// no nodes. Release is not safe for use concurrently with reads of the
// same document; releasing twice does nothing more.
func (v Value) Release() {
	t := v.t
	if t == nil || t.nodes == nil {
		return
	}
	nodes := t.nodes
	box := t.box
	t.nodes, t.box = nil, nil
	if cap(nodes) > maxPooledNodes {
		return
	}
	if box == nil {
		box = new([]node)
	}
	*box = nodes[:0]
	nodePool.Put(box)
}

// treeString reads the string at d.i and returns where its content is.
func (d *decoder) treeString() (string, span, error) {
	start := d.i + 1
	s, err := d.rawString()
	if err != nil {
		return "", span{}, err
	}
	if len(s) == d.i-1-start { // no escapes: the content is in the input
		return s, span{uint32(start), uint32(len(s))}, nil
	}
	off := len(d.esc)
	d.esc = append(d.esc, s...)
	return s, span{uint32(off) | inEsc, uint32(len(s))}, nil
}

// treeValue appends the value at d.i, as the member key of an object
// (or an array element, key empty), and its contents to d.nodes.
func (d *decoder) treeValue(key span) error {
	d.skipSpace()
	if d.i >= len(d.s) {
		return d.syntax("")
	}
	at := len(d.nodes)
	d.nodes = append(d.nodes, node{key: key, next: int32(at + 1)})
	start := d.i
	var err error
	switch c := d.s[d.i]; c {
	case '{':
		return d.treeObject(at)
	case '[':
		return d.treeArray(at)
	case '"':
		var s span
		_, s, err = d.treeString()
		d.nodes[at].kind, d.nodes[at].s = String, s
		return err
	case 't':
		err = d.literal("true")
		d.nodes[at].kind = Bool
	case 'f':
		err = d.literal("false")
		d.nodes[at].kind = Bool
	case 'n':
		err = d.literal("null")
		d.nodes[at].kind = Null
	default:
		if c != '-' && (c < '0' || c > '9') {
			return d.unexpected("looking for beginning of value")
		}
		_, err = d.numberText()
		d.nodes[at].kind = Number
	}
	d.nodes[at].s = span{uint32(start), uint32(d.i - start)}
	return err
}

func (d *decoder) treeObject(at int) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++                   // '{'
	var big map[string]bool // names (folded with d.fold), once the object outgrows smallObject
	n := 0
	d.skipSpace()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		d.depth--
		d.nodes[at].kind, d.nodes[at].next = Object, int32(len(d.nodes))
		return nil
	}
	for {
		d.skipSpace()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return d.unexpected("looking for beginning of object key string")
		}
		keyOff := d.i
		k, ks, err := d.treeString()
		if err != nil {
			return err
		}
		n++
		if n > d.maxKeys {
			return withKey(d.fail(keyOff, ErrTooLarge, "more than "+strconv.Itoa(d.maxKeys)+" members in an object"), k)
		}
		dup := false
		if n <= smallObject {
			for j := at + 1; j < len(d.nodes); j = int(d.nodes[j].next) {
				if o := d.key(j); o == k || (d.fold && strings.EqualFold(o, k)) {
					dup = true
					break
				}
			}
		} else {
			if big == nil {
				big = make(map[string]bool, 2*smallObject)
				for j := at + 1; j < len(d.nodes); j = int(d.nodes[j].next) {
					big[d.foldedName(d.key(j))] = true
				}
			}
			f := d.foldedName(k)
			dup = big[f]
			big[f] = true
		}
		if dup {
			return withKey(d.fail(keyOff, ErrDuplicateKey, "duplicate member name "+strconv.Quote(k)), k)
		}
		d.skipSpace()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return withKey(d.unexpected("after object key"), k)
		}
		d.i++
		if err := d.treeValue(ks); err != nil {
			return withKey(err, k)
		}
		d.skipSpace()
		if d.i >= len(d.s) {
			return d.syntax("")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
			d.depth--
			nd := &d.nodes[at]
			nd.kind, nd.n, nd.next = Object, int32(n), int32(len(d.nodes))
			return nil
		default:
			return d.unexpected("after object key:value pair")
		}
	}
}

// key returns the member name of node j, while parsing.
func (d *decoder) key(j int) string {
	s := d.nodes[j].key
	if s.off&inEsc != 0 {
		o := s.off &^ inEsc
		return string(d.esc[o : o+s.len])
	}
	return d.s[s.off : s.off+s.len]
}

// foldedName is k, folded when duplicates are judged under case folding.
func (d *decoder) foldedName(k string) string {
	if d.fold {
		return foldKey(k)
	}
	return k
}

func (d *decoder) treeArray(at int) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '['
	d.skipSpace()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		d.depth--
		d.nodes[at].kind, d.nodes[at].next = Array, int32(len(d.nodes))
		return nil
	}
	for idx := 0; ; idx++ {
		if err := d.treeValue(span{}); err != nil {
			return withIndex(err, idx)
		}
		d.skipSpace()
		if d.i >= len(d.s) {
			return d.syntax("")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			d.depth--
			nd := &d.nodes[at]
			nd.kind, nd.n, nd.next = Array, int32(idx+1), int32(len(d.nodes))
			return nil
		default:
			return d.unexpected("after array element")
		}
	}
}

var noNode node

func (v Value) node() *node {
	if v.t == nil || uint(v.i) >= uint(len(v.t.nodes)) { // the zero Value, or released
		return &noNode
	}
	return &v.t.nodes[v.i]
}

// Kind returns the kind of v; Invalid for the zero Value.
func (v Value) Kind() Kind { return v.node().kind }

// Str returns the content of a string, and "" for any other kind.
func (v Value) Str() string {
	if n := v.node(); n.kind == String {
		return v.t.str(n.s)
	}
	return ""
}

// NumberText returns a number as written in the document, and "" for any
// other kind.
func (v Value) NumberText() string {
	if n := v.node(); n.kind == Number {
		return v.t.str(n.s)
	}
	return ""
}

// Float returns a number's float64 value, and 0 for any other kind (Parse
// refuses numbers beyond float64's range).
func (v Value) Float() float64 {
	f, _ := strconv.ParseFloat(v.NumberText(), 64)
	return f
}

// Text returns a number as written, "true" or "false" for a boolean, a
// string's content, and "" for any other kind.
func (v Value) Text() string {
	switch n := v.node(); n.kind {
	case Bool, Number, String:
		return v.t.str(n.s)
	}
	return ""
}

// Source returns the JSON text of the whole document v is part of.
func (v Value) Source() string {
	if v.t == nil {
		return ""
	}
	return v.t.src
}

// CompactSourceLen returns the length of Source without the white space
// between its tokens: about the length of the whole document written as
// AppendJSON writes it, for sizing a buffer (AppendJSON may escape a
// string differently from the source, which changes its length a little).
func (v Value) CompactSourceLen() int {
	if v.t == nil {
		return 0
	}
	return len(v.t.src) - v.t.space
}

// Bool returns a boolean's value, and false for any other kind.
func (v Value) Bool() bool { n := v.node(); return n.kind == Bool && n.s.len == 4 }

// Len returns the members of an object or the elements of an array, and 0
// for any other kind.
func (v Value) Len() int {
	n := int(v.node().n)
	if v.skip != 0 && n > 0 {
		n--
	}
	return n
}

// Get returns the member key of an object (ok false when v is not an
// object or has no such member).
func (v Value) Get(key string) (x Value, ok bool) {
	n := v.node()
	if n.kind != Object {
		return Value{}, false
	}
	for j := v.i + 1; j < n.next; j = v.t.nodes[j].next {
		if nd := &v.t.nodes[j]; int(nd.key.len) == len(key) && v.t.str(nd.key) == key && j != v.skip {
			return Value{t: v.t, i: j}, true
		}
	}
	return Value{}, false
}

// Has reports whether an object has the member key.
func (v Value) Has(key string) bool {
	_, ok := v.Get(key)
	return ok
}

// Index returns the element i of an array (Invalid when out of range).
func (v Value) Index(i int) Value {
	for j, e := range v.Elements() {
		if j == i {
			return e
		}
	}
	return Value{}
}

// Members yields the members of an object in document order.
func (v Value) Members() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		n := v.node()
		if n.kind != Object {
			return
		}
		for j := v.i + 1; j < n.next; j = v.t.nodes[j].next {
			if j != v.skip && !yield(v.t.str(v.t.nodes[j].key), Value{t: v.t, i: j}) {
				return
			}
		}
	}
}

// Elements yields the elements of an array with their indexes.
func (v Value) Elements() iter.Seq2[int, Value] {
	return func(yield func(int, Value) bool) {
		n := v.node()
		if n.kind != Array {
			return
		}
		i := 0
		for j := v.i + 1; j < n.next; j = v.t.nodes[j].next {
			if !yield(i, Value{t: v.t, i: j}) {
				return
			}
			i++
		}
	}
}

// Without returns an object without its member key (v itself when it
// has none). It copies nothing: the result is v's object, hiding one
// member.
func (v Value) Without(key string) Value {
	m, ok := v.Get(key)
	if !ok {
		return v
	}
	if v.skip != 0 { // a second member to hide: a document of its own
		w, err := Parse(string(v.AppendJSON(nil)), Options{MaxBytes: inEsc - 1, MaxDepth: HardMaxDepth, MaxKeys: int(v.node().n)})
		if err != nil {
			return Value{} // unreachable: v is a parsed document
		}
		return w.Without(key)
	}
	return Value{t: v.t, i: v.i, skip: m.i}
}

// Clone returns v as a document of its own, sharing no memory with the
// one v is part of, for a value kept longer than its document (a cache).
func (v Value) Clone() Value {
	if v.t == nil {
		return v
	}
	w, err := Parse(string(v.AppendJSON(nil)), Options{MaxBytes: inEsc - 1, MaxDepth: HardMaxDepth, MaxKeys: inEsc - 1})
	if err != nil {
		return Value{} // unreachable: v is a parsed document
	}
	return w
}

// AppendJSON appends v as compact JSON, members in document order,
// numbers as written and strings as encoding/json writes them (without
// its HTML escaping).
func (v Value) AppendJSON(b []byte) []byte {
	switch v.Kind() {
	case Null, Invalid:
		return append(b, "null"...)
	case Bool, Number:
		return append(b, v.Text()...)
	case String:
		return jcs.AppendJSONString(b, v.Str())
	case Array:
		b = append(b, '[')
		for i, e := range v.Elements() {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.AppendJSON(b)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	first := true
	for k, x := range v.Members() {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(jcs.AppendJSONString(b, k), ':')
		b = x.AppendJSON(b)
	}
	return append(b, '}')
}

// AppendJCS appends v in the JSON Canonicalization Scheme (RFC 8785):
// members sorted by the UTF-16 code units of their names, numbers as
// ECMAScript writes them, strings minimally escaped. It is the library's
// one JCS writer (eddsa-jcs-2022, JSON-LD's rdf:JSON literals); internal/jcs
// holds its rules. A parsed document's strings are valid UTF-8 and its
// numbers finite, so nothing can fail.
func (v Value) AppendJCS(b []byte) []byte {
	switch v.Kind() {
	case Null, Invalid:
		return append(b, "null"...)
	case Bool:
		return append(b, v.Text()...)
	case Number:
		out, _ := jcs.AppendNumber(b, v.Float())
		return out
	case String:
		out, _ := jcs.AppendString(b, v.Str())
		return out
	case Array:
		b = append(b, '[')
		for i, e := range v.Elements() {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.AppendJCS(b)
		}
		return append(b, ']')
	}
	type member struct {
		name string
		v    Value
	}
	var small [16]member
	ms := small[:0]
	cmp := strings.Compare // UTF-16 order, for ASCII names
	for k, x := range v.Members() {
		ms = append(ms, member{k, x})
		if !isASCII(k) {
			cmp = jcs.CompareUTF16
		}
	}
	slices.SortFunc(ms, func(x, y member) int { return cmp(x.name, y.name) })
	b = append(b, '{')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = jcs.AppendString(b, m.name)
		b = m.v.AppendJCS(append(b, ':'))
	}
	return append(b, '}')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// ToGo returns v as Decode returns a value: map[string]any, []any, string,
// bool, nil and json.Number.
func (v Value) ToGo() any {
	switch v.Kind() {
	case Bool:
		return v.Bool()
	case Number:
		return json.Number(v.NumberText())
	case String:
		return v.Str()
	case Array:
		out := make([]any, 0, v.Len())
		for _, e := range v.Elements() {
			out = append(out, e.ToGo())
		}
		return out
	case Object:
		out := make(map[string]any, v.Len())
		for k, e := range v.Members() {
			out[k] = e.ToGo()
		}
		return out
	}
	return nil
}

// FromGo returns x, a value of encoding/json's shapes (map[string]any,
// []any, []map[string]any, []string, string, bool, nil, json.Number,
// float64, int, int64), as a document of its own, held to the rules Parse
// holds JSON text to (valid UTF-8, finite numbers, the limits of opts): it
// is written as JSON and parsed. Object members are in name order.
func FromGo(x any, opts Options) (Value, error) {
	var d decoder
	d.setLimits(opts)
	b, err := appendGo(nil, x, 0, d.maxDepth)
	if err != nil {
		return Value{}, &Error{Path: "$", Offset: -1, Err: err}
	}
	return Parse(string(b), Options{MaxBytes: max(len(b), opts.MaxBytes), MaxDepth: opts.MaxDepth, MaxKeys: opts.MaxKeys})
}

func appendGo(b []byte, x any, depth, maxDepth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, wrap(ErrTooDeep, "more than "+strconv.Itoa(maxDepth)+" nested objects and arrays")
	}
	switch x := x.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		if !utf8.ValidString(x) {
			return nil, wrap(ErrInvalidUTF8, "invalid UTF-8 in string")
		}
		return jcs.AppendJSONString(b, x), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, wrap(ErrSyntax, "invalid number "+strconv.Quote(string(x)))
		}
		if !json.Valid([]byte(x)) { // a form ParseFloat reads and JSON does not ("+1")
			return strconv.AppendFloat(b, f, 'g', -1, 64), nil
		}
		return append(b, x...), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, wrap(ErrSyntax, "number out of range")
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case []string:
		return appendGoArray(b, x, depth, maxDepth)
	case []map[string]any:
		return appendGoArray(b, x, depth, maxDepth)
	case []any:
		return appendGoArray(b, x, depth, maxDepth)
	case map[string]any:
		b = append(b, '{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				b = append(b, ',')
			}
			if !utf8.ValidString(k) {
				return nil, wrap(ErrInvalidUTF8, "invalid UTF-8 in member name")
			}
			b = append(jcs.AppendJSONString(b, k), ':')
			var err error
			if b, err = appendGo(b, x[k], depth+1, maxDepth); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	}
	return nil, wrap(ErrSyntax, fmt.Sprintf("unsupported Go type %T", x))
}

// appendGoArray is appendGo of a slice of encoding/json's shapes.
func appendGoArray[E any](b []byte, x []E, depth, maxDepth int) ([]byte, error) {
	b = append(b, '[')
	for i, e := range x {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendGo(b, e, depth+1, maxDepth); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}
