package rdfc

import (
	"errors"
	"strconv"
)

// ErrCanonicalizationLimit is returned (wrapped, with the numbers) when a
// dataset needs more work than [Options.MaxWork] allows: a "poison" dataset
// built to make RDFC-1.0 run for a very long time. Test with errors.Is.
var ErrCanonicalizationLimit = errors.New("rdfc: canonicalization work limit exceeded")

// ErrSyntax is the sentinel for malformed N-Quads; the error returned by
// [ParseNQuads] is a *[SyntaxError] that wraps it.
var ErrSyntax = errors.New("rdfc: invalid N-Quads")

// ErrInvalidQuad is the sentinel for a quad that is not a valid RDF
// statement (see [Quad.Validate]); the error returned is a *[QuadError]
// that wraps it.
var ErrInvalidQuad = errors.New("rdfc: invalid quad")

// SyntaxError reports where and why N-Quads input is malformed.
type SyntaxError struct {
	Line   int    // 1-based line number
	Column int    // 1-based column, counted in Unicode code points
	Reason string // what is wrong, e.g. "unterminated IRI"
}

// Error names the line, column and reason.
func (e *SyntaxError) Error() string {
	return "rdfc: invalid N-Quads at line " + strconv.Itoa(e.Line) + ", column " +
		strconv.Itoa(e.Column) + ": " + e.Reason
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// QuadError reports which quad of a dataset is invalid, in which position
// and why.
type QuadError struct {
	Index    int    // index of the quad in the input slice; -1 when unknown
	Position string // "subject", "predicate", "object" or "graph"
	Reason   string // e.g. "IRI contains a space"
}

// Error names the quad, the position in it and the reason.
func (e *QuadError) Error() string {
	s := "rdfc: invalid quad"
	if e.Index >= 0 {
		s += " " + strconv.Itoa(e.Index)
	}
	if e.Position != "" {
		s += ": " + e.Position
	}
	return s + ": " + e.Reason
}

// Unwrap returns ErrInvalidQuad.
func (e *QuadError) Unwrap() error { return ErrInvalidQuad }
