package verifier

import (
	"errors"
	"fmt"

	"github.com/microcred/openbadges/internal/strictjson"
)

// ErrInlineContext is reported (in the jsonld check) for a credential with
// an @context that is not a URL: a context object at the top level or
// anywhere inside (catalogue #2, #5, #13). Such a context can redefine
// terms or add an @vocab so that the JSON reads differently from the
// signed N-Quads, or so that any unknown key counts as defined; VC Data
// Integrity (§4.6, context validation) says to reject it. Contexts are
// accepted by URL only, and only the ones the loader serves. Callers that
// must accept inline contexts set Config.InsecureAllowInlineContexts.
var ErrInlineContext = errors.New("verifier: inline @context not allowed")

// maxContextScanDepth bounds the walk; strict parsing already bounds the
// document's depth below it.
const maxContextScanDepth = 1 << 10

// findInlineContext returns the JSON path of the first @context in v that
// is not a string or an array of strings, or "" when there is none. The
// path is built only when one is found: the walk itself allocates nothing.
func findInlineContext(v strictjson.Value) string {
	var rev []any // the path's segments, innermost first: string keys, int indexes
	if !inlineContextAt(v, 0, &rev) {
		return ""
	}
	path := "$"
	for i := len(rev) - 1; i >= 0; i-- {
		switch s := rev[i].(type) {
		case string:
			path = strictjson.AppendKey(path, s)
		case int:
			path = strictjson.AppendIndex(path, s)
		}
	}
	return path
}

func inlineContextAt(v strictjson.Value, depth int, rev *[]any) bool {
	if depth > maxContextScanDepth {
		return true
	}
	switch v.Kind() {
	case strictjson.Object:
		if c, ok := v.Get("@context"); ok {
			switch c.Kind() {
			case strictjson.String:
			case strictjson.Array:
				for i, e := range c.Elements() {
					if e.Kind() != strictjson.String {
						*rev = append(*rev, i, "@context")
						return true
					}
				}
			default:
				*rev = append(*rev, "@context")
				return true
			}
		}
		for k, e := range v.Members() {
			if k != "@context" && inlineContextAt(e, depth+1, rev) {
				*rev = append(*rev, k)
				return true
			}
		}
	case strictjson.Array:
		for i, e := range v.Elements() {
			if inlineContextAt(e, depth+1, rev) {
				*rev = append(*rev, i)
				return true
			}
		}
	}
	return false
}

// inlineContextError is the jsonld check's error for an inline context.
type inlineContextError struct{ path string }

func (e *inlineContextError) Error() string {
	return fmt.Sprintf("%v at %s (contexts are accepted by URL only)", ErrInlineContext, e.path)
}

func (e *inlineContextError) Unwrap() error { return ErrInlineContext }

// Path is the JSON path of the inline context.
func (e *inlineContextError) Path() string { return e.path }
