package rdfc_test

import (
	"context"
	"fmt"

	"github.com/microcred/openbadges/rdfc"
)

func ExampleCanonicalNQuads() {
	quads, err := rdfc.ParseNQuads([]byte(`
_:alice <http://xmlns.com/foaf/0.1/knows> _:bob .
_:bob <http://xmlns.com/foaf/0.1/name> "Bob\tSmith" .
_:alice <http://xmlns.com/foaf/0.1/name> "Alice"@en .
_:bob <http://xmlns.com/foaf/0.1/knows> _:alice .
`))
	if err != nil {
		panic(err)
	}
	doc, err := rdfc.CanonicalNQuads(context.Background(), quads, nil)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(doc))
	// Output:
	// _:c14n0 <http://xmlns.com/foaf/0.1/knows> _:c14n1 .
	// _:c14n0 <http://xmlns.com/foaf/0.1/name> "Alice"@en .
	// _:c14n1 <http://xmlns.com/foaf/0.1/knows> _:c14n0 .
	// _:c14n1 <http://xmlns.com/foaf/0.1/name> "Bob\tSmith" .
}

func ExampleCanonicalize() {
	quads := []rdfc.Quad{{
		Subject:   rdfc.Term{Kind: rdfc.IRI, Value: "https://example.edu/credentials/3732"},
		Predicate: rdfc.Term{Kind: rdfc.IRI, Value: "https://www.w3.org/2018/credentials#credentialSubject"},
		Object:    rdfc.Term{Kind: rdfc.BlankNode, Value: "b0"},
		Graph:     rdfc.Term{Kind: rdfc.DefaultGraph},
	}, {
		Subject:   rdfc.Term{Kind: rdfc.BlankNode, Value: "b0"},
		Predicate: rdfc.Term{Kind: rdfc.IRI, Value: "https://schema.org/name"},
		Object:    rdfc.Term{Kind: rdfc.Literal, Value: "Jane Doe", Datatype: rdfc.XSDString},
		Graph:     rdfc.Term{Kind: rdfc.DefaultGraph},
	}}
	res, err := rdfc.Canonicalize(context.Background(), quads, nil)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(res.NQuads))
	fmt.Println(res.IssuedIdentifiers)
	// Output:
	// <https://example.edu/credentials/3732> <https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .
	// _:c14n0 <https://schema.org/name> "Jane Doe" .
	// map[b0:c14n0]
}
