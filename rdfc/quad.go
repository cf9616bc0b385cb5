package rdfc

// TermKind says what an RDF term is.
type TermKind uint8

// The kinds of RDF term. The zero value is not a valid term, so a Quad built
// without a graph name must say DefaultGraph explicitly.
const (
	IRI TermKind = iota + 1
	BlankNode
	Literal
	DefaultGraph
)

// Well-known datatype IRIs.
const (
	XSDString     = "http://www.w3.org/2001/XMLSchema#string"
	RDFLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
)

// Term is one RDF term. For IRIs Value is the IRI; for blank nodes it is the
// label without the leading "_:"; for literals it is the lexical form, with
// Datatype (never empty for a literal: xsd:string when plain) and Language
// (non-empty only for rdf:langString).
type Term struct {
	Kind     TermKind
	Value    string
	Datatype string
	Language string
}

// Quad is one statement of an RDF dataset. Graph has Kind DefaultGraph for
// the default graph.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}
