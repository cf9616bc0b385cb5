package jsonld

import (
	"context"
	"encoding/json"
	"fmt"
)

// StaticLoader serves a fixed set of documents supplied by the caller: its
// own contexts, or test fixtures. Build it with NewStaticLoader; it is safe
// for concurrent use.
type StaticLoader struct {
	docs map[string]*RemoteDocument
}

// NewStaticLoader returns a loader that serves docs, keyed by exact URL (the
// same strict matching as Embedded: no scheme, trailing-slash or fragment
// variants). Each document must be valid JSON; the first that is not makes
// NewStaticLoader fail with an error wrapping ErrContextNotJSON and naming
// the URL. The bytes are copied, so the caller may reuse docs afterwards.
//
// Any URL not in docs is answered with an error wrapping
// ErrContextNotAllowed, so a StaticLoader can be put in front of Embedded
// with Chain.
func NewStaticLoader(docs map[string][]byte) (*StaticLoader, error) {
	m := make(map[string]*RemoteDocument, len(docs))
	for url, b := range docs {
		if url == "" {
			return nil, fmt.Errorf("jsonld: static loader: empty URL")
		}
		if !json.Valid(b) {
			return nil, fmt.Errorf("%w: static loader document for %q", ErrContextNotJSON, url)
		}
		m[url] = &RemoteDocument{DocumentURL: url, Document: string(b)}
	}
	return &StaticLoader{docs: m}, nil
}

// LoadDocument implements DocumentLoader. It does no I/O and ignores ctx.
func (l *StaticLoader) LoadDocument(_ context.Context, url string) (*RemoteDocument, error) {
	d, ok := l.docs[url]
	if !ok {
		return nil, fmt.Errorf("%w: %q is not in the static loader", ErrContextNotAllowed, url)
	}
	rd := *d
	return &rd, nil
}
