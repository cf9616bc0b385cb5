package jsonld

import (
	"context"
	"errors"
)

// ErrContextNotAllowed is returned (wrapped, with the URL) by a loader asked
// for a document it is not allowed to serve.
var ErrContextNotAllowed = errors.New("jsonld: context not allowed")

// RemoteDocument is a loaded JSON-LD document, usually a context.
type RemoteDocument struct {
	// DocumentURL is the final URL of the document (after redirects).
	DocumentURL string
	// ContextURL is the URL of a context given in an HTTP Link header, if any.
	ContextURL string
	// Document is the raw JSON bytes of the document.
	Document []byte
}

// DocumentLoader loads JSON-LD documents (contexts) by URL. Implementations
// must be safe for concurrent use.
type DocumentLoader interface {
	LoadDocument(ctx context.Context, url string) (*RemoteDocument, error)
}
