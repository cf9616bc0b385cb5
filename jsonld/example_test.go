package jsonld_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/microcred/openbadges/jsonld"
)

func ExampleProcessor_Canonicalize() {
	p, err := jsonld.NewProcessor(jsonld.Config{}) // embedded contexts, safe mode
	if err != nil {
		panic(err)
	}
	doc := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "id": "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5",
	  "type": ["VerifiableCredential"],
	  "issuer": "did:example:issuer",
	  "credentialSubject": {"id": "did:example:subject", "name": "Ada"}
	}`)
	nq, err := p.Canonicalize(context.Background(), doc)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(nq))

	// A term no context defines is rejected, with its JSON path.
	_, err = p.Canonicalize(context.Background(), []byte(`{
	  "@context": ["https://www.w3.org/2018/credentials/v1"],
	  "type": ["VerifiableCredential"],
	  "credentialSubject": {"id": "did:example:subject", "nickname": "Ada"}
	}`))
	fmt.Println(errors.Is(err, jsonld.ErrUndefinedTerm), err)
	// Output:
	// <did:example:subject> <https://schema.org/name> "Ada" .
	// <urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
	// <urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:subject> .
	// <urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5> <https://www.w3.org/2018/credentials#issuer> <did:example:issuer> .
	// true jsonld: undefined term "nickname" at $.credentialSubject.nickname: property does not expand to an absolute IRI
}
