package jsonld

import (
	"context"
	"errors"
)

// Loader errors. Every error a loader in this package returns wraps one of
// these (or the context's error) and names the URL, so callers branch with
// errors.Is.
var (
	// ErrContextNotAllowed is returned (wrapped, with the URL) by a loader
	// asked for a document it is not allowed to serve: a URL that is not
	// embedded, not in a static loader, not on an HTTP loader's allow-list,
	// not https, or reached by a redirect that leaves the allow-list. Chain
	// moves on to the next loader only on this error.
	ErrContextNotAllowed = errors.New("jsonld: context not allowed")
	// ErrContextTooLarge: a fetched document exceeds the loader's size limit.
	ErrContextTooLarge = errors.New("jsonld: context document too large")
	// ErrDigestMismatch: a fetched document does not hash to the SHA-256
	// digest pinned for its URL.
	ErrDigestMismatch = errors.New("jsonld: context document digest mismatch")
	// ErrContextNotJSON: a document is not valid JSON.
	ErrContextNotJSON = errors.New("jsonld: context document is not JSON")
	// ErrContextFetch: an HTTP fetch failed: transport error, status other
	// than 200, a media type other than application/ld+json or
	// application/json, or too many redirects.
	ErrContextFetch = errors.New("jsonld: fetching context failed")
)

// RemoteDocument is a loaded JSON-LD document, usually a context. Its
// Document is a string, so that loaders can share it between callers (the
// embedded documents are shared by the whole process) without anyone being
// able to change it.
type RemoteDocument struct {
	// DocumentURL is the final URL of the document (after redirects).
	DocumentURL string
	// ContextURL is the URL of a context given in an HTTP Link header, if any.
	// The loaders in this package never set it: contexts are loaded as
	// contexts, and a Link header from the network is not trusted to add one.
	ContextURL string
	// Document is the JSON text of the document.
	Document string
}

// DocumentLoader loads JSON-LD documents (contexts) by URL. Implementations
// must be safe for concurrent use. A loader that does not serve url must
// return an error wrapping ErrContextNotAllowed (so that Chain can try the
// next one); any other error stops the chain.
type DocumentLoader interface {
	LoadDocument(ctx context.Context, url string) (*RemoteDocument, error)
}
