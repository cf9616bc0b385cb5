// Package jsonld holds the JSON-LD contexts this library embeds, the document
// loaders that serve them, and a JSON-LD 1.1 processor that expands a document
// in safe mode and turns it into an RDF dataset for canonicalization
// (RDFC-1.0, package rdfc). This is the first half of every Data Integrity
// signature the library makes or checks.
//
// # Security model
//
// Embedded contexts only. A Processor resolves "@context" URLs through its
// DocumentLoader. The default, Embedded(), serves the pinned official
// contexts compiled into the package (see EmbeddedContexts) and answers
// everything else with ErrContextNotAllowed: nothing touches the network or
// the file system. To accept other contexts, pass a loader in Config: a
// NewStaticLoader with your own documents, or, to opt in to the network,
// Chain(Embedded(), httpLoader) with a NewHTTPLoader (allow-listed hosts,
// timeouts, size limits).
//
// Safe mode, always. JSON-LD normally drops what it does not understand: a
// property no context defines, a relative @type, a free-floating value. A
// signature over the canonical form then does not cover what a reader of the
// JSON sees. Like jsonld.js in safe mode (used by the W3C and 1EdTech
// validators), the Processor rejects every such document instead. Each
// rejection is a *TermError with the JSON path and the term, wrapping one of
// the sentinels: ErrUndefinedTerm ("invalid property"), ErrRelativeType,
// ErrRelativeID (relative IRIs and IRIs with white space), ErrRelativeVocab,
// ErrInvalidLanguage, ErrDroppedValue (free-floating scalars, values and
// lists, empty objects, objects with only @id or only @language where a node
// is needed, null @value), ErrReservedTerm (terms, @id and @reverse values of
// the form "@word"), ErrBlankNodePredicate, and ErrInvalidIRI for IRIs that
// N-Quads cannot carry. Context errors wrap ErrProtectedTermRedefinition,
// ErrInvalidContext or ErrLoadingContext; other JSON-LD errors
// ErrInvalidSyntax.
//
// Strict JSON. Canonicalize parses with a strict decoder: RFC 8259 grammar,
// UTF-8 only, no lone surrogates, no duplicate keys (ErrDuplicateKey).
//
// Bounded work. Config limits, with their defaults: document size
// (DefaultMaxDocumentBytes, 4 MiB), nesting depth (DefaultMaxDepth, 64),
// context processing per document (DefaultMaxContextSteps, 1024 runs not
// answered by the cache), nested remote contexts (DefaultMaxRemoteContexts,
// 10), RDF statements per document (DefaultMaxQuads, 100,000), processed
// contexts cached per Processor (DefaultMaxCachedContexts, 4096), and the
// RDFC-1.0 work budget (rdfc.DefaultMaxWork): a poison graph ends with
// ErrCanonicalizationLimit, which is rdfc.ErrCanonicalizationLimit. Exceeding
// the others gives ErrLimitExceeded. A cancelled ctx stops processing.
//
// # Algorithms and compatibility
//
// The Processor implements JSON-LD 1.1 context processing (protected terms,
// type- and property-scoped contexts, @propagate, @import, @vocab, @base,
// keyword aliases, compact IRIs), expansion (@nest, @included, @reverse,
// @graph, @list, @set, @json, and @index, @language, @id, @type and @graph
// containers) and conversion to RDF, with @direction as jsonld.js's
// rdfDirection "i18n-datatype" (https://www.w3.org/ns/i18n#lang_dir). Numbers
// follow the specification: integral values below 1e21 are xsd:integer,
// others xsd:double in canonical form (1.1E0, 5.3E-1); JSON literals use JCS.
// The output is tested equal to json-gold's and jsonld.js's on the OB 3.0,
// CLR 2.0 and VC test vectors, and against the W3C toRdf test suite.
//
// Compatibility promise: for a given set of contexts, the canonical N-Quads
// of an accepted document do not change between releases, except to fix a
// divergence from the JSON-LD 1.1 and RDFC-1.0 specifications; such fixes are
// called out in the release notes. Documents rejected today may be accepted
// later only if jsonld.js safe mode accepts them.
//
// One Processor should be shared: it caches processed contexts and their
// compositions, so that a repeated document shape does no context work.
//
// # Files
//
//   - processor.go: Config, Processor, the context caches and entry points
//   - json.go: the strict JSON decoder; jcs.go: JCS and number forms
//   - arena.go: slab allocation for parse trees and expanded forms
//   - context.go, iri.go: context processing, term definitions, IRIs
//   - expand.go: expansion with the safe-mode checks; export.go: Expand output
//   - tordf.go: conversion of the expanded form to rdfc quads
//   - errors.go: sentinels and *TermError
//   - loader.go, embedded.go, static.go, httploader.go, chain.go, contexts/:
//     document loaders and the embedded context documents
package jsonld
