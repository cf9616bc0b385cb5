// Package fielderr is the error shape that did, vcjwt, dataintegrity and
// status share: a sentinel Kind, the place at fault, a human-readable Reason
// and the underlying cause. Each package keeps its own exported error type
// (did.Error, vcjwt.Error, dataintegrity.ProofError, status.FieldError), so
// that errors.As tells them apart; those types embed Detail, or, where
// callers outside the module build them as literals, call Message and
// Unwrap.
package fielderr

import "strings"

// Detail is the part the packages' error types have in common. Embedded in
// an error type, its fields are that type's, and its Unwrap makes errors.Is
// match both the sentinel and the cause.
type Detail struct {
	Kind   error  // one of the package's sentinel errors
	Reason string // human-readable detail, or ""
	Err    error  // the underlying cause, or nil
}

// Unwrap returns the sentinel and the cause, those that are set.
func (d *Detail) Unwrap() []error { return Unwrap(d.Kind, d.Err) }

// Message returns kind's text (fallback when kind is nil), then at as it
// is (the caller's notation for the place at fault, such as ": " + a JSON
// path, or "" for none), then ": " reason and ": " the cause's text, each
// when set.
func Message(kind error, fallback, at, reason string, cause error) string {
	var b strings.Builder
	if kind != nil {
		b.WriteString(kind.Error())
	} else {
		b.WriteString(fallback)
	}
	b.WriteString(at)
	if reason != "" {
		b.WriteString(": ")
		b.WriteString(reason)
	}
	if cause != nil {
		b.WriteString(": ")
		b.WriteString(cause.Error())
	}
	return b.String()
}

// Unwrap returns kind and cause, leaving out those that are nil, for an
// error type's Unwrap() []error.
func Unwrap(kind, cause error) []error {
	switch {
	case kind == nil && cause == nil:
		return nil
	case cause == nil:
		return []error{kind}
	case kind == nil:
		return []error{cause}
	}
	return []error{kind, cause}
}

// At returns ": " + place, or "" when place is empty: the usual notation
// for Message's at.
func At(place string) string {
	if place == "" {
		return ""
	}
	return ": " + place
}
