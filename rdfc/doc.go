// Package rdfc implements RDF Dataset Canonicalization (RDFC-1.0,
// https://www.w3.org/TR/rdf-canon/) and the canonical N-Quads serialisation
// it specifies. It knows nothing of JSON-LD: it takes a dataset as quads and
// returns it with canonical blank node labels.
//
// # What it implements
//
//   - [Canonicalize] and [CanonicalNQuads]: the RDFC-1.0 canonicalization
//     algorithm (§4.4) with Hash First Degree Quads, Hash Related Blank Node
//     and Hash N-Degree Quads, SHA-256 by default and any other hash.Hash
//     (RDFC-1.0 allows SHA-384) through [Options.Hash]. The result is the
//     canonical N-Quads document and, from Canonicalize, the relabelled
//     quads and the issued identifiers map (input label → "c14nN").
//   - [AppendNQuad]: canonical N-Quads for one quad (the form RDFC-1.0
//     outputs, as in RDF 1.2: in literals only \" \\ \b \t \n \f \r and,
//     for the other control characters, upper-case \u00XX are escaped; IRIs
//     are written verbatim, except that characters IRIs cannot contain but
//     JSON-LD processors let through are written as \u00XX, as rdf-canonize
//     does).
//   - [ParseNQuads]: a strict N-Quads 1.1 parser reporting line and column.
//   - [Quad.Validate]: the checks Canonicalize applies to its input, so that
//     every accepted dataset has exactly one canonical serialisation.
//
// The package passes the whole W3C rdf-canon test suite: every RDFC-1.0
// evaluation test, every issued-identifiers-map test, the SHA-384 tests and
// the negative "poison" test.
//
// # Security model: poison datasets and the work limit
//
// Canonicalization runs on untrusted input before any signature can be
// checked. For blank nodes that their immediate neighbourhood cannot tell
// apart, RDFC-1.0 tries permutations of their neighbours recursively, which
// is exponential in the worst case: a clique of 10 blank nodes (rdf-canon
// test 074) would run for hours. The specification requires implementations
// to detect such "poison" datasets and stop.
//
// This package counts the work spent in Hash N-Degree Quads (calls,
// related-node hashes weighted by input length and issuer size, and
// permutations tried) and stops with an error wrapping
// [ErrCanonicalizationLimit] once [Options.MaxWork] units are spent. The
// default budget, [DefaultMaxWork] + [DefaultWorkPerQuad] per input quad
// (100 000 + 32 per quad), rejects test 074 quickly (BENCHMARKS.md), while
// the most expensive legitimate tests of the suite (the "poison – evil"
// tests 044–046) need under 9 000 units.
// Typical credentials need no units at all, since all their blank nodes have
// distinct first-degree hashes. The default also accepts, for instance,
// thousands of disjoint identical three-node cycles or an RDF list of about
// 90 identical values; larger symmetric structures need a higher MaxWork,
// which only trusted input should get. Cancelling the context also stops the
// computation, within a fraction of a millisecond.
//
// Everything else is linear or O(n log n) in the size of the input. Callers
// that accept untrusted documents should still bound the input size.
//
// # Compatibility
//
// Canonical output is fixed by RDFC-1.0 and will not change, except to fix a
// deviation from the specification, which would be announced as such. The
// issued identifiers map for symmetric datasets (where several permutations
// give the same result) follows the reference implementation's permutation
// order (rdf-canonize), which the rdf-canon map tests use. The API follows
// semantic versioning; the default budget may change between minor versions
// if the unit of work is recalibrated.
//
// Known differences with piprate/json-gold (URDNA2015), which otherwise
// agrees with this package (see the differential test): json-gold does not
// escape control characters as RDFC-1.0 requires, so their output differs for
// literals containing U+0000–U+001F (except \t \n \r) or U+007F; and it
// counts a quad twice for a blank node that occurs twice in it (such as a
// self-loop "_:x <p> _:x"), which can change the canonical labels, whereas
// RDFC-1.0 and its reference implementation (rdf-canonize) count it once.
//
// All functions are safe for concurrent use; the package has no global
// mutable state.
package rdfc
