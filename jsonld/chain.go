package jsonld

import (
	"context"
	"errors"
	"fmt"
)

// chain is the DocumentLoader returned by Chain.
type chain []DocumentLoader

// Chain returns a loader that asks each of loaders in turn. It moves on to
// the next loader only when one answers with an error wrapping
// ErrContextNotAllowed ("not mine"); any other error (a digest mismatch, a
// timeout, an invalid document) is returned at once, so that a failing
// trusted source is never silently replaced by a later one. When every loader
// declines, the error wraps ErrContextNotAllowed and names the URL.
//
// Nil loaders are skipped. A typical chain puts the caller's own contexts
// first and the embedded ones next, with an HTTP loader (if any) last:
//
//	jsonld.Chain(static, jsonld.Embedded(), httpLoader)
func Chain(loaders ...DocumentLoader) DocumentLoader {
	c := make(chain, 0, len(loaders))
	for _, l := range loaders {
		if l != nil {
			c = append(c, l)
		}
	}
	return c
}

// LoadDocument implements DocumentLoader.
func (c chain) LoadDocument(ctx context.Context, url string) (*RemoteDocument, error) {
	for i, l := range c {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("jsonld: loading %q: %w", url, err)
		}
		rd, err := l.LoadDocument(ctx, url)
		if err == nil {
			if rd == nil {
				return nil, fmt.Errorf("%w: loader %d in the chain returned no document for %q", ErrContextFetch, i, url)
			}
			return rd, nil
		}
		if !errors.Is(err, ErrContextNotAllowed) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: no loader in the chain serves %q", ErrContextNotAllowed, url)
}
