package verifier

import (
	"context"
	"strings"

	"errors"
	"fmt"
	"github.com/microcred/openbadges/internal/strictjson"
	"strconv"
)

// MaxNestedCredentials bounds the credentials embedded in one credential's
// subjects (a CLR's verifiableCredential list) that are verified; the
// others are skipped with a warning. A transcript holds tens of
// achievements; a hostile document must not make one Verify call check
// thousands of signatures.
const MaxNestedCredentials = 256

// ErrNestedCredential: a credential embedded in the subject (a CLR's
// verifiableCredential) does not verify.
var ErrNestedCredential = errors.New("verifier: embedded credential not verified")

// checkNested verifies the credentials embedded in the subjects of doc
// (credentialSubject.verifiableCredential, as in a CLR 2.0 ClrCredential:
// the achievements it gathers keep the proofs of their own issuers). Each
// is verified like the outer credential, to the endorsement depth limit,
// and a failure fails the outer credential. Nothing is reported when there
// are none.
func (v *Verifier) checkNested(ctx context.Context, res *Result, doc strictjson.Value, depth int, at string) {
	var found []embedded
	eachSubject(doc, at, func(at, rel string, m strictjson.Value) {
		found = appendEmbedded(found, m, "verifiableCredential", "", at, rel)
	})
	if len(found) == 0 {
		return
	}
	v.verifyFound(ctx, res, "credential", "embedded credentials", found, MaxNestedCredentials, depth, at, &res.Credentials, func(f embedded, sub *Result) {
		if sub.Verified {
			res.add(Check{Name: "credential", Path: f.path, Outcome: Passed})
			return
		}
		e := &nestedError{kind: ErrNestedCredential, summary: sub.reasons(), cause: sub.Err()}
		v.embeddedFailed(res, "credential", f.path, e)
	})
}

// nestedError reports an embedded endorsement or credential that did not
// verify: its message is kind followed by the credential's reasons, and
// errors.Is finds both kind (ErrEndorsement, ErrNestedCredential) and the
// reasons it failed.
type nestedError struct {
	kind    error
	summary string
	cause   error
}

func (e *nestedError) Error() string { return e.kind.Error() + ": " + e.summary }

func (e *nestedError) Unwrap() []error { return []error{e.kind, e.cause} }

// embedded is a credential found inside another, at path: an object (with
// an embedded proof) or a string (a VC-JWT); holder is the id of the
// object it is attached to, when that matters.
type embedded struct {
	path   string
	doc    strictjson.Value
	holder string
}

// appendEmbedded appends the credentials that member key of m holds (one,
// or an array of them; other JSON forms are the validator's business). The
// path of m is the concatenation of path, made only when there is
// something to record (most credentials have nothing embedded).
func appendEmbedded(found []embedded, m strictjson.Value, key, holder string, path ...string) []embedded {
	e, _ := m.Get(key)
	switch e.Kind() {
	case strictjson.Object, strictjson.String:
		found = append(found, embedded{strings.Join(path, "") + "." + key, e, holder})
	case strictjson.Array:
		at := strings.Join(path, "") + "." + key
		for i, x := range e.Elements() {
			switch x.Kind() {
			case strictjson.Object, strictjson.String:
				found = append(found, embedded{at + "[" + strconv.Itoa(i) + "]", x, holder})
			}
		}
	}
	return found
}

// eachSubject calls f with each credentialSubject object of doc and its
// path, at followed by rel.
func eachSubject(doc strictjson.Value, at string, f func(at, rel string, s strictjson.Value)) {
	s, _ := doc.Get("credentialSubject")
	switch s.Kind() {
	case strictjson.Object:
		f(at, ".credentialSubject", s)
	case strictjson.Array:
		for i, x := range s.Elements() {
			if x.Kind() == strictjson.Object {
				f(at, ".credentialSubject["+strconv.Itoa(i)+"]", x)
			}
		}
	}
}

// verifyFound verifies the credentials found embedded in one at check
// (what names them in messages) and passes each result to judge. Past the
// count limit, or below the depth limit, they are not verified, which
// fails the credential (or is a relaxed warning when the verifier is
// lenient, or a plain warning when the caller turned embedded checks off
// with a negative depth); those are never recorded in *into, so nothing
// unchecked is presented as verified. It stops when ctx ends.
func (v *Verifier) verifyFound(ctx context.Context, res *Result, check, what string, found []embedded, limit, depth int, at string, into *map[string]*Result, judge func(f embedded, sub *Result)) {
	if v.maxDepth < 0 {
		e := fmt.Errorf("%w: %d %s, verification of embedded credentials is turned off", ErrNotChecked, len(found), what)
		res.add(Check{Name: check, Outcome: Warning, Detail: e.Error()})
		res.warn(check, at, ProblemProofVerification, e)
		return
	}
	if depth >= v.maxDepth {
		e := fmt.Errorf("%w: %d %s nested deeper than the limit of %d", ErrNotChecked, len(found), what, v.maxDepth)
		v.embeddedFailed(res, check, at, e)
		return
	}
	if len(found) > limit {
		e := fmt.Errorf("%w: %d %s, more than the limit of %d: the first %d are verified", ErrNotChecked, len(found), what, limit, limit)
		v.embeddedFailed(res, check, at, e)
		found = found[:limit]
	}
	for _, f := range found {
		if ctx.Err() != nil {
			return
		}
		if sub := v.verifyEmbedded(ctx, res, check, f, depth, into); sub != nil {
			judge(f, sub)
		}
	}
}

// embeddedFailed records that embedded credentials at path failed or were
// not checked: a failure, or a relaxed warning when the verifier is
// lenient (the outer credential's verdict does not depend on them then).
func (v *Verifier) embeddedFailed(res *Result, check, path string, err error) {
	if v.lenient {
		res.add(Check{Name: check, Path: path, Outcome: Warning, Detail: err.Error()})
		p := newProblem(ProblemProofVerification, check, path, err)
		p.Relaxed = true
		res.Warnings = append(res.Warnings, p)
		return
	}
	res.add(Check{Name: check, Path: path, Outcome: Failed, Detail: err.Error()})
	res.fail(check, path, ProblemProofVerification, err)
}

// verifyEmbedded verifies one embedded credential one level deeper and
// records its result in *into under its path.
func (v *Verifier) verifyEmbedded(ctx context.Context, res *Result, check string, e embedded, depth int, into *map[string]*Result) *Result {
	var b []byte
	if e.doc.Kind() == strictjson.String {
		b = []byte(e.doc.Str())
	} else {
		b = e.doc.AppendJSON(nil)
	}
	sub := v.verify(ctx, b, depth+1, e.path)
	if *into == nil {
		*into = map[string]*Result{}
	}
	(*into)[e.path] = sub
	return sub
}
