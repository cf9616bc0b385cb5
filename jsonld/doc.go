// Package jsonld holds the JSON-LD contexts this library embeds, the document
// loaders that serve them, and a JSON-LD 1.1 processor that expands a document
// in safe mode and turns it into an RDF dataset for canonicalization.
//
// Nothing in this package touches the network unless the caller builds a
// loader that does (see NewHTTPLoader).
package jsonld
