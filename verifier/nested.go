package verifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
func (v *Verifier) checkNested(ctx context.Context, res *Result, doc map[string]any, depth int, at string) {
	type nested struct {
		path string
		doc  any // a map (embedded proof) or a string (VC-JWT)
	}
	var found []nested
	collect := func(path string, s any) {
		m, ok := s.(map[string]any)
		if !ok {
			return
		}
		path += ".verifiableCredential"
		switch e := m["verifiableCredential"].(type) {
		case map[string]any, string:
			found = append(found, nested{path, e})
		case []any:
			for i, x := range e {
				switch x.(type) {
				case map[string]any, string:
					found = append(found, nested{path + "[" + strconv.Itoa(i) + "]", x})
				}
			}
		}
	}
	switch s := doc["credentialSubject"].(type) {
	case map[string]any:
		collect(at+".credentialSubject", s)
	case []any:
		for i, x := range s {
			collect(at+".credentialSubject["+strconv.Itoa(i)+"]", x)
		}
	}
	if len(found) == 0 {
		return
	}
	if len(found) > MaxNestedCredentials {
		e := fmt.Errorf("%d embedded credentials: only the first %d are verified", len(found), MaxNestedCredentials)
		res.warn("credential", at, ProblemProofVerification, e)
		found = found[:MaxNestedCredentials]
	}
	if v.maxDepth < 0 || depth >= v.maxDepth {
		e := fmt.Errorf("%d embedded credentials not verified: depth limit %d", len(found), max(v.maxDepth, 0))
		res.add(Check{Name: "credential", Outcome: Warning, Detail: e.Error()})
		res.warn("credential", at, ProblemProofVerification, e)
		return
	}
	for _, f := range found {
		if ctx.Err() != nil {
			return
		}
		var b []byte
		if s, ok := f.doc.(string); ok {
			b = []byte(s)
		} else {
			var err error
			if b, err = json.Marshal(f.doc); err != nil { // cannot happen for decoded JSON
				res.fail("credential", f.path, ProblemParsing, err)
				continue
			}
		}
		sub := v.verify(ctx, b, depth+1, f.path)
		if res.Credentials == nil {
			res.Credentials = map[string]*Result{}
		}
		res.Credentials[f.path] = sub
		if sub.Verified {
			res.add(Check{Name: "credential", Path: f.path, Outcome: Passed})
			continue
		}
		e := &nestedError{summary: strings.TrimPrefix(sub.Summary(), "not verified: "), cause: sub.Err()}
		res.add(Check{Name: "credential", Path: f.path, Outcome: Failed, Detail: e.Error()})
		res.fail("credential", f.path, ProblemProofVerification, e)
	}
}

// nestedError reports an embedded credential that did not verify: its
// message is the credential's summary, and errors.Is finds both
// ErrNestedCredential and the reasons it failed.
type nestedError struct {
	summary string
	cause   error
}

func (e *nestedError) Error() string { return ErrNestedCredential.Error() + ": " + e.summary }

func (e *nestedError) Unwrap() []error { return []error{ErrNestedCredential, e.cause} }
