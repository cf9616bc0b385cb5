package jsonld

//go:generate go run ./internal/gencontexts -out contexts

import (
	"context"
	"fmt"
	"sync"

	"github.com/microcred/openbadges/jsonld/contexts"
)

// ContextInfo describes one embedded context document.
type ContextInfo struct {
	// URL is the exact context URL the document is served for.
	URL string
	// SHA256 is the lowercase hex SHA-256 digest of the embedded bytes.
	SHA256 string
	// Source names where the bytes were taken from: the npm package, as
	// "name@version", or, for an official document (Official), the URL the
	// document is officially published at.
	Source string
	// Path is the document's path inside that npm package; empty for an
	// official document.
	Path string
	// Official reports that the bytes are a copy of the officially published
	// document, pinned by its SHA-256, rather than taken from an npm package
	// (used for the contexts no npm package publishes with those bytes).
	Official bool
	// OptIn reports a context that Embedded does not serve: only
	// ExamplesContext does (see there why).
	OptIn bool
}

// ContextExamplesV2 is the context of the VC Data Model 2.0 specification's
// examples, served by ExamplesContext.
const ContextExamplesV2 = "https://www.w3.org/ns/credentials/examples/v2"

// optIn lists the embedded contexts that Embedded does not serve.
var optIn = map[string]bool{ContextExamplesV2: true}

// ExamplesContext returns a DocumentLoader that serves only the embedded
// copy of https://www.w3.org/ns/credentials/examples/v2 (ContextExamplesV2).
// Embedded does not serve it: its only content is an @vocab that maps every
// term to the examples vocabulary, so in a document that uses it no term is
// undefined and safe mode can no longer refuse the terms a processor would
// otherwise drop. Chain it with Embedded where such documents must be read:
// test suites, the specification's examples.
func ExamplesContext() DocumentLoader { return examplesLoader{} }

type examplesLoader struct{}

// LoadDocument implements DocumentLoader. It does no I/O and ignores ctx.
func (examplesLoader) LoadDocument(_ context.Context, url string) (*RemoteDocument, error) {
	if url != ContextExamplesV2 {
		return nil, fmt.Errorf("%w: %q is not the examples context", ErrContextNotAllowed, url)
	}
	rd := *embeddedDocs()[url]
	return &rd, nil
}

// embeddedDocs maps each embedded context URL to its document. Built once;
// never modified afterwards.
var embeddedDocs = sync.OnceValue(func() map[string]*RemoteDocument {
	m := make(map[string]*RemoteDocument, len(contexts.Documents))
	for _, d := range contexts.Documents {
		b, err := contexts.FS.ReadFile(d.File)
		if err != nil {
			// The table and the embedded files are generated together and a
			// test checks them; a mismatch is a build defect, not an input error.
			panic("jsonld: embedded context missing: " + d.File)
		}
		m[d.URL] = &RemoteDocument{DocumentURL: d.URL, Document: string(b)}
	}
	return m
})

// EmbeddedContexts lists the context documents compiled into this package
// (those Embedded serves, and the OptIn ones it does not), with the
// SHA-256 digest of each and its source: the npm package it was taken from
// or, for an official document, its official URL. The returned slice is a
// fresh copy.
func EmbeddedContexts() []ContextInfo {
	out := make([]ContextInfo, len(contexts.Documents))
	for i, d := range contexts.Documents {
		if d.OfficialURL != "" {
			out[i] = ContextInfo{URL: d.URL, SHA256: d.SHA256, Source: d.OfficialURL, Official: true, OptIn: optIn[d.URL]}
			continue
		}
		out[i] = ContextInfo{URL: d.URL, SHA256: d.SHA256, Source: d.Package + "@" + d.Version, Path: d.Path}
	}
	return out
}

// embeddedLoader is the DocumentLoader returned by Embedded.
type embeddedLoader struct{}

// Embedded returns a DocumentLoader that serves the pinned context documents
// compiled into this package (see EmbeddedContexts) and nothing else. It never
// touches the network or the file system.
//
// URLs must match exactly: no "http://" variant, no trailing "/" or "#", no
// fragment or query is accepted, because a context's identity is its URL and a
// loose match would let a document name a context it did not ask for. Any
// other URL is answered with an error that wraps ErrContextNotAllowed and
// names the URL, so that Embedded can be combined with other loaders using
// Chain.
//
// The returned RemoteDocument is a fresh struct; its Document, a string, is
// shared by every caller.
func Embedded() DocumentLoader { return embeddedLoader{} }

// LoadDocument implements DocumentLoader. It does no I/O and ignores ctx.
func (embeddedLoader) LoadDocument(_ context.Context, url string) (*RemoteDocument, error) {
	d, ok := embeddedDocs()[url]
	if !ok || optIn[url] {
		return nil, fmt.Errorf("%w: %q is not an embedded context", ErrContextNotAllowed, url)
	}
	rd := *d
	return &rd, nil
}
