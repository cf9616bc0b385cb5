// Package rdfc implements RDF Dataset Canonicalization (RDFC-1.0,
// https://www.w3.org/TR/rdf-canon/) and the canonical N-Quads serialisation
// it specifies. It knows nothing of JSON-LD: it takes a dataset as quads and
// returns it with canonical blank node labels.
package rdfc
