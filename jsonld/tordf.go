package jsonld

import (
	"math"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/rdfc"
)

const (
	rdfType      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfFirst     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	rdfRest      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	rdfNil       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	rdfJSON      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	xsdBoolean   = "http://www.w3.org/2001/XMLSchema#boolean"
	xsdIntegerDT = "http://www.w3.org/2001/XMLSchema#integer"
	xsdDoubleDT  = "http://www.w3.org/2001/XMLSchema#double"
	i18nBase     = "https://www.w3.org/ns/i18n#"
)

// blankLabels are preallocated labels for the first blank nodes.
var blankLabels = func() []string {
	l := make([]string, 256)
	for i := range l {
		l[i] = "b" + strconv.Itoa(i)
	}
	return l
}()

var defaultGraph = rdfc.Term{Kind: rdfc.DefaultGraph}

func (st *state) freshBlank() rdfc.Term {
	n := st.nextBlank
	st.nextBlank++
	if n < len(blankLabels) {
		return rdfc.Term{Kind: rdfc.BlankNode, Value: blankLabels[n]}
	}
	return rdfc.Term{Kind: rdfc.BlankNode, Value: "b" + strconv.Itoa(n)}
}

// blankFor maps a document blank node identifier ("_:x") to our label, so
// that document labels can never collide with generated ones.
func (st *state) blankFor(id string) rdfc.Term {
	if st.blank == nil {
		st.blank = make(map[string]string)
	}
	if l, ok := st.blank[id]; ok {
		return rdfc.Term{Kind: rdfc.BlankNode, Value: l}
	}
	t := st.freshBlank()
	st.blank[id] = t.Value
	return t
}

func (st *state) idTerm(id string) rdfc.Term {
	if isBlank(id) {
		return st.blankFor(id)
	}
	return rdfc.Term{Kind: rdfc.IRI, Value: id}
}

func (st *state) emit(s, p, o, g rdfc.Term) error {
	if len(st.quads) >= st.p.maxQuads {
		return &TermError{Err: ErrLimitExceeded, Detail: "more than " + strconv.Itoa(st.p.maxQuads) + " RDF statements"}
	}
	st.quads = append(st.quads, rdfc.Quad{Subject: s, Predicate: p, Object: o, Graph: g})
	return nil
}

// toRDF is Deserialize JSON-LD to RDF (API 8.1) over the expanded form.
// Instead of building a node map it emits statements while walking the
// tree: merging nodes by @id only ever unions their statements, and the
// duplicates this leaves are removed at the end.
func (st *state) toRDF(vals []xval) ([]rdfc.Quad, error) {
	if want := min(max(st.quadsHint, 16), 4096); cap(st.quads) < want {
		st.quads = make([]rdfc.Quad, 0, want)
	}
	st.quads = st.quads[:0]
	for i := range vals {
		if vals[i].kind != xNode {
			continue // free-floating values and lists (only without safe mode)
		}
		if _, err := st.nodeToRDF(vals[i].node, defaultGraph); err != nil {
			return nil, err
		}
	}
	return st.quads, nil
}

func (st *state) nodeToRDF(n *xnode, graph rdfc.Term) (rdfc.Term, error) {
	if err := st.tick(); err != nil {
		return rdfc.Term{}, err
	}
	var subj rdfc.Term
	if n.hasID {
		if !st.safe && (n.id == "" || !isAbsoluteIRI(n.id) || !isBlank(n.id) && !validIRIChars(n.id)) {
			return rdfc.Term{}, nil // null, relative or unusable (only without safe mode)
		}
		subj = st.idTerm(n.id)
	} else {
		subj = st.freshBlank()
	}
	for _, t := range n.types {
		if !st.safe && !isAbsoluteIRI(t) {
			continue
		}
		if err := st.emit(subj, rdfc.Term{Kind: rdfc.IRI, Value: rdfType}, st.idTerm(t), graph); err != nil {
			return rdfc.Term{}, err
		}
	}
	for pi := range n.props {
		p := &n.props[pi]
		if !st.safe && (isBlank(p.iri) || !isAbsoluteIRI(p.iri)) {
			if st.safe && isBlank(p.iri) {
				return rdfc.Term{}, &TermError{Err: ErrBlankNodePredicate, Term: p.iri}
			}
			continue
		}
		pred := rdfc.Term{Kind: rdfc.IRI, Value: p.iri}
		for vi := range p.vals {
			obj, ok, err := st.objectToRDF(&p.vals[vi], graph)
			if err != nil {
				return rdfc.Term{}, err
			}
			if !ok {
				continue
			}
			if err := st.emit(subj, pred, obj, graph); err != nil {
				return rdfc.Term{}, err
			}
		}
	}
	for pi := range n.rev {
		p := &n.rev[pi]
		if !st.safe && (isBlank(p.iri) || !isAbsoluteIRI(p.iri)) {
			if st.safe && isBlank(p.iri) {
				return rdfc.Term{}, &TermError{Err: ErrBlankNodePredicate, Term: p.iri}
			}
			continue
		}
		pred := rdfc.Term{Kind: rdfc.IRI, Value: p.iri}
		for vi := range p.vals {
			v := &p.vals[vi]
			if v.kind != xNode {
				continue
			}
			s, err := st.nodeToRDF(v.node, graph)
			if err != nil {
				return rdfc.Term{}, err
			}
			if s.Kind == 0 {
				continue
			}
			if err := st.emit(s, pred, subj, graph); err != nil {
				return rdfc.Term{}, err
			}
		}
	}
	if n.hasGraph {
		for i := range n.graph {
			if n.graph[i].kind != xNode {
				continue
			}
			if _, err := st.nodeToRDF(n.graph[i].node, subj); err != nil {
				return rdfc.Term{}, err
			}
		}
	}
	for i := range n.included {
		if n.included[i].kind != xNode {
			continue
		}
		if _, err := st.nodeToRDF(n.included[i].node, graph); err != nil {
			return rdfc.Term{}, err
		}
	}
	return subj, nil
}

// objectToRDF is Object to RDF Conversion (API 8.5) plus List Conversion.
func (st *state) objectToRDF(v *xval, graph rdfc.Term) (rdfc.Term, bool, error) {
	switch v.kind {
	case xNode:
		t, err := st.nodeToRDF(v.node, graph)
		return t, t.Kind != 0, err
	case xList:
		if len(v.items) == 0 {
			return rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}, true, nil
		}
		head := st.freshBlank()
		cur := head
		first := rdfc.Term{Kind: rdfc.IRI, Value: rdfFirst}
		rest := rdfc.Term{Kind: rdfc.IRI, Value: rdfRest}
		for i := range v.items {
			obj, ok, err := st.objectToRDF(&v.items[i], graph)
			if err != nil {
				return rdfc.Term{}, false, err
			}
			if ok {
				if err := st.emit(cur, first, obj, graph); err != nil {
					return rdfc.Term{}, false, err
				}
			}
			next := rdfc.Term{Kind: rdfc.IRI, Value: rdfNil}
			if i+1 < len(v.items) {
				next = st.freshBlank()
			}
			if err := st.emit(cur, rest, next, graph); err != nil {
				return rdfc.Term{}, false, err
			}
			cur = next
		}
		return head, true, nil
	}
	if !st.safe && v.lang != "" && !validLanguage(v.lang) {
		return rdfc.Term{}, false, nil // ill-formed language tag: dropped
	}
	return literal(v), true, nil
}

// literal converts a value object as jsonld.js does (rdfDirection
// i18n-datatype).
func literal(v *xval) rdfc.Term {
	t := rdfc.Term{Kind: rdfc.Literal}
	dt := v.typ
	if dt == "@json" {
		t.Value = string(v.v.AppendJCS(nil))
		t.Datatype = rdfJSON
		return t
	}
	switch v.v.Kind() {
	case jBool:
		if v.v.Bool() {
			t.Value = "true"
		} else {
			t.Value = "false"
		}
		t.Datatype = orStr(dt, xsdBoolean)
	case jNumber:
		f := v.v.Float()
		if isDouble(f) || dt == xsdDoubleDT {
			t.Value = xsdDouble(f)
			t.Datatype = orStr(dt, xsdDoubleDT)
		} else {
			t.Value = xsdInteger(f)
			t.Datatype = orStr(dt, xsdIntegerDT)
		}
	default:
		t.Value = v.v.Str()
		switch {
		case v.dir != "":
			t.Datatype = i18nBase + strings.ToLower(v.lang) + "_" + v.dir
		case v.lang != "":
			t.Datatype = orStr(dt, rdfc.RDFLangString)
			t.Language = v.lang
		default:
			t.Datatype = orStr(dt, rdfc.XSDString)
		}
	}
	return t
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// isDouble is the JSON-LD to RDF rule: a number with a non-zero fractional
// part, or with an absolute value of 1e21 or more, becomes an xsd:double.
// (jsonld.js tests String(v) for a "." instead, so it turns 1e-7 into the
// integer "0", colliding with 0; we follow the specification, as json-gold
// does.)
func isDouble(f float64) bool {
	return math.Abs(f) >= 1e21 || f != math.Trunc(f)
}

// dedupe removes duplicate statements, keeping the first of each.
func dedupe(qs []rdfc.Quad) []rdfc.Quad {
	if len(qs) < 2 {
		return qs
	}
	seen := make(map[rdfc.Quad]struct{}, len(qs))
	out := qs[:0]
	for _, q := range qs {
		if _, dup := seen[q]; dup {
			continue
		}
		seen[q] = struct{}{}
		out = append(out, q)
	}
	return out
}
