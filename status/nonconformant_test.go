package status_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/status"
)

// Lists that are authentic but break a Bitstring Status List rule (too
// short, or issued by another issuer than the credential's) are reported
// as nonconformant when they say the credential is in good standing, so
// that a lenient verifier may accept them with a warning; what they say
// about revocation and suspension always counts.

const (
	ncURL   = "https://issuer.example/status/nc"
	ncIndex = 42
	// shortBytes of bits hold 8,192 one-bit entries, far below MinEntries
	// but enough for ncIndex.
	shortBytes = 1024
	fullBytes  = status.MinEntries / 8
)

// ncBits returns an encodedList of n bytes whose entry ncIndex (of size
// bits) holds value.
func ncBits(t *testing.T, n, size int, value uint64, v2021 bool) string {
	t.Helper()
	bs := status.BitstringFromBytes(make([]byte, n))
	must(t, bs.Set(ncIndex, size, value))
	if v2021 {
		return bs.EncodeStatusList2021()
	}
	return bs.Encode()
}

// ncCredential is a credential of issuer with one Bitstring Status List
// entry at ncIndex of ncURL.
func ncCredential(issuer, purpose string, size int, msgs []status.Message) map[string]any {
	e := status.Entry{Type: status.TypeBitstringEntry, Purpose: purpose, Index: ncIndex, ListCredential: ncURL, Size: size, Messages: msgs}
	return map[string]any{"issuer": issuer, "credentialStatus": entryMap(e)}
}

// ncChecker checks against list served at ncURL, verified with the test
// list verifier (proof by a key of the list's own issuer).
func ncChecker(t *testing.T, list []byte, trust func(cred, list string) bool) *status.Checker {
	t.Helper()
	c, err := status.NewChecker(status.CheckerConfig{
		Fetcher:         status.NewStaticFetcher(map[string][]byte{ncURL: list}),
		VerifyList:      listVerifier(t, didKeyResolver),
		Now:             func() time.Time { return fixedNow },
		TrustListIssuer: trust,
	})
	must(t, err)
	return c
}

func wantErrs(t *testing.T, r status.Result, is, isNot []error) {
	t.Helper()
	for _, want := range is {
		if !errors.Is(r.Err, want) {
			t.Errorf("error %v does not wrap %v", r.Err, want)
		}
	}
	for _, not := range isNot {
		if errors.Is(r.Err, not) {
			t.Errorf("error %v wraps %v", r.Err, not)
		}
	}
}

func TestNonconformantLists(t *testing.T) {
	issuer, other := newTestKey(t, 7), newTestKey(t, 9)
	msgs := []status.Message{{"0x0", "pending_review"}, {"0x1", "accepted"}, {"0x2", "rejected"}, {"0x3", "undefined"}}
	trustOther := func(cred, list string) bool { return cred == issuer.did && list == other.did }
	cases := []struct {
		name        string
		key         testKey // issues and signs the list
		bytes       int
		purpose     string
		size        int
		value       uint64
		trust       func(cred, list string) bool
		want        status.Status
		is, isNot   []error
		problem     string
		reason, msg string
	}{
		{name: "short, clear", key: issuer, bytes: shortBytes, value: 0,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListLength},
			isNot:   []error{status.ErrRevoked, status.ErrListIssuer, status.ErrVerification, status.ErrRange},
			problem: status.ProblemListLength, reason: "not revoked"},
		{name: "short, revoked", key: issuer, bytes: shortBytes, value: 1,
			want: status.StatusRevoked, is: []error{status.ErrRevoked}, isNot: []error{status.ErrNonconformant, status.ErrListLength}},
		{name: "short, suspended", key: issuer, bytes: shortBytes, purpose: status.PurposeSuspension, value: 1,
			want: status.StatusSuspended, is: []error{status.ErrSuspended}, isNot: []error{status.ErrNonconformant}},
		{name: "short, not suspended", key: issuer, bytes: shortBytes, purpose: status.PurposeSuspension, value: 0,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListLength}, reason: "not suspended"},
		{name: "short, message", key: issuer, bytes: shortBytes, purpose: status.PurposeMessage, size: 2, value: 2,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListLength}, msg: "rejected", reason: "rejected"},
		{name: "short, refresh available", key: issuer, bytes: shortBytes, purpose: status.PurposeRefresh, value: 1,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListLength}, reason: "refreshed credential"},
		{name: "other issuer, clear", key: other, bytes: fullBytes, value: 0,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListIssuer},
			isNot:   []error{status.ErrListLength, status.ErrVerification, status.ErrRevoked},
			problem: status.ProblemVerification, reason: "not revoked"},
		{name: "other issuer, revoked", key: other, bytes: fullBytes, value: 1,
			want: status.StatusRevoked, is: []error{status.ErrRevoked}, isNot: []error{status.ErrNonconformant, status.ErrListIssuer}},
		{name: "other issuer, suspended", key: other, bytes: fullBytes, purpose: status.PurposeSuspension, value: 1,
			want: status.StatusSuspended, is: []error{status.ErrSuspended}, isNot: []error{status.ErrNonconformant}},
		// Both problems are reported; the issuer's comes first, as it did
		// when it was checked first.
		{name: "other issuer and short, clear", key: other, bytes: shortBytes, value: 0,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListIssuer, status.ErrListLength},
			problem: status.ProblemVerification, reason: "not revoked"},
		{name: "other issuer and short, revoked", key: other, bytes: shortBytes, value: 1,
			want: status.StatusRevoked, is: []error{status.ErrRevoked}, isNot: []error{status.ErrNonconformant}},
		{name: "trusted other issuer", key: other, bytes: fullBytes, value: 0, trust: trustOther,
			want: status.StatusOK, reason: "not revoked"},
		{name: "trusted other issuer, short", key: other, bytes: shortBytes, value: 0, trust: trustOther,
			want: status.StatusNonconformant, is: []error{status.ErrNonconformant, status.ErrListLength}, isNot: []error{status.ErrListIssuer},
			problem: status.ProblemListLength},
		{name: "conformant", key: issuer, bytes: fullBytes, value: 0, want: status.StatusOK, reason: "not revoked"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			purpose, size := tc.purpose, tc.size
			if purpose == "" {
				purpose = status.PurposeRevocation
			}
			if size == 0 {
				size = 1
			}
			var entryMsgs []status.Message
			if size > 1 {
				entryMsgs = msgs
			}
			list := signedList(t, tc.key, ncURL, func(d, s map[string]any) {
				s["statusPurpose"] = purpose
				s["encodedList"] = ncBits(t, tc.bytes, size, tc.value, false)
			})
			r := checkOne(t, ncChecker(t, list, tc.trust), ncCredential(issuer.did, purpose, size, entryMsgs))
			if r.Status != tc.want || r.Value != tc.value || r.Index != ncIndex {
				t.Fatalf("result %+v, want %s with value %d", r, tc.want, tc.value)
			}
			wantErrs(t, r, tc.is, tc.isNot)
			if (r.Err == nil) != (len(tc.is) == 0) {
				t.Fatalf("error %v", r.Err)
			}
			if r.Failed() != (tc.want != status.StatusOK && tc.want != status.StatusMessage) {
				t.Fatalf("Failed() = %v for %s", r.Failed(), r.Status)
			}
			if tc.problem != "" && status.ProblemType(r.Err) != tc.problem {
				t.Fatalf("problem type %q, want %q", status.ProblemType(r.Err), tc.problem)
			}
			if !strings.Contains(r.Reason, tc.reason) {
				t.Fatalf("reason %q does not say %q", r.Reason, tc.reason)
			}
			if r.Message != tc.msg {
				t.Fatalf("message %q, want %q", r.Message, tc.msg)
			}
			if tc.want == status.StatusNonconformant {
				// The verifier's problem type comes from the error's
				// method (verifier.problemTypeOf), and must agree.
				var pt interface{ ProblemType() string }
				if !errors.As(r.Err, &pt) || pt.ProblemType() != status.ProblemType(r.Err) {
					t.Fatalf("ProblemType method disagrees for %v", r.Err)
				}
				if !status.AnyFailed([]status.Result{r}) {
					t.Fatal("AnyFailed false for a nonconformant result")
				}
			}
		})
	}
}

// Every check of authenticity still fails as before, whatever the
// conformance problems of the list: a nonconformant result is never given
// for a list that is missing, unsigned, tampered with, out of its validity
// period, of the wrong type or purpose.
func TestNonconformantNeverRelaxesAuthenticity(t *testing.T) {
	issuer, other, third := newTestKey(t, 7), newTestKey(t, 9), newTestKey(t, 11)
	short := func(value uint64) func(d, s map[string]any) {
		return func(d, s map[string]any) { s["encodedList"] = ncBits(t, shortBytes, 1, value, false) }
	}
	then := func(f ...func(d, s map[string]any)) func(d, s map[string]any) {
		return func(d, s map[string]any) {
			for _, g := range f {
				g(d, s)
			}
		}
	}
	byOther := func(d, s map[string]any) { d["issuer"] = other.did }
	cases := []struct {
		name  string
		key   testKey
		edit  func(d, s map[string]any)
		after func(t *testing.T, b []byte) []byte
		cred  map[string]any
		// acceptAll replaces the list verifier by one that accepts
		// every proof, so that it is the checker that refuses the list.
		acceptAll bool
		want      error
	}{
		{name: "unsigned, short", key: issuer, edit: short(0), after: func(t *testing.T, b []byte) []byte {
			d := decode(t, b)
			delete(d, "proof")
			out, _ := json.Marshal(d)
			return out
		}, want: status.ErrVerification},
		{name: "tampered to short and clear", key: issuer, edit: short(1), after: func(t *testing.T, b []byte) []byte {
			d := decode(t, b)
			d["credentialSubject"].(map[string]any)["encodedList"] = ncBits(t, shortBytes, 1, 0, false)
			out, _ := json.Marshal(d)
			return out
		}, want: status.ErrVerification},
		{name: "other issuer, tampered", key: other, edit: then(byOther, short(1)), after: func(t *testing.T, b []byte) []byte {
			d := decode(t, b)
			d["credentialSubject"].(map[string]any)["encodedList"] = ncBits(t, fullBytes, 1, 0, false)
			out, _ := json.Marshal(d)
			return out
		}, want: status.ErrVerification},
		// Claims another issuer, signed by a third party's key.
		{name: "other issuer, signed by a third key", key: third, edit: byOther, want: status.ErrVerification},
		{name: "short, expired", key: issuer, edit: then(short(0), func(d, s map[string]any) { d["validUntil"] = "2026-11-01T00:00:00Z" }), want: status.ErrVerification},
		{name: "other issuer, expired", key: other, edit: then(byOther, func(d, s map[string]any) { d["validUntil"] = "2026-11-01T00:00:00Z" }), want: status.ErrVerification},
		{name: "short, not yet valid", key: issuer, edit: then(short(0), func(d, s map[string]any) { d["validFrom"] = "2027-01-01T00:00:00Z" }), want: status.ErrVerification},
		{name: "other issuer, not yet valid", key: other, edit: then(byOther, func(d, s map[string]any) { d["validFrom"] = "2027-01-01T00:00:00Z" }), want: status.ErrVerification},
		{name: "short, not a status list", key: issuer, edit: then(short(0), func(d, s map[string]any) { d["type"] = []any{"VerifiableCredential"} }), want: status.ErrVerification},
		{name: "other issuer, not a status list", key: other, edit: then(byOther, func(d, s map[string]any) { d["type"] = []any{"VerifiableCredential"} }), want: status.ErrVerification},
		{name: "short, wrong subject type", key: issuer, edit: then(short(0), func(d, s map[string]any) {
			// A StatusList2021 subject in a Bitstring Status List
			// credential (the 2021 context defines its terms).
			d["@context"] = append(d["@context"].([]any), "https://w3id.org/vc/status-list/2021/v1")
			s["type"] = "StatusList2021"
		}), want: status.ErrVerification},
		{name: "short, wrong purpose", key: issuer, edit: then(short(0), func(d, s map[string]any) { s["statusPurpose"] = "suspension" }), want: status.ErrVerification},
		{name: "other issuer, wrong purpose", key: other, edit: then(byOther, func(d, s map[string]any) { s["statusPurpose"] = "suspension" }), want: status.ErrVerification},
		{name: "short, bad encoding", key: issuer, edit: func(d, s map[string]any) { s["encodedList"] = "not multibase" }, want: status.ErrMalformed},
		// A missing issuer is not a conformance nuance.
		{name: "short, credential without issuer", key: issuer, edit: short(0), cred: map[string]any{"credentialStatus": ncCredential("", "revocation", 1, nil)["credentialStatus"]}, want: status.ErrVerification},
		{name: "short, list without issuer", key: issuer, edit: then(short(0), func(d, s map[string]any) { delete(d, "issuer") }), acceptAll: true, want: status.ErrVerification},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := signedList(t, tc.key, ncURL, tc.edit)
			if tc.after != nil {
				body = tc.after(t, body)
			}
			cred := tc.cred
			if cred == nil {
				cred = ncCredential(issuer.did, status.PurposeRevocation, 1, nil)
			}
			c := ncChecker(t, body, nil)
			if tc.acceptAll {
				var err error
				c, err = status.NewChecker(status.CheckerConfig{
					Fetcher:    status.NewStaticFetcher(map[string][]byte{ncURL: body}),
					VerifyList: func(context.Context, []byte) error { return nil },
					Now:        func() time.Time { return fixedNow },
				})
				must(t, err)
			}
			r := checkOne(t, c, cred)
			if r.Status != status.StatusError || !r.Failed() {
				t.Fatalf("result %+v, want an error", r)
			}
			wantErrs(t, r, []error{tc.want}, []error{status.ErrNonconformant, status.ErrRevoked})
		})
	}
	t.Run("missing list", func(t *testing.T) {
		c, err := status.NewChecker(status.CheckerConfig{
			Fetcher: status.NewStaticFetcher(nil), VerifyList: listVerifier(t, didKeyResolver), Now: func() time.Time { return fixedNow }})
		must(t, err)
		r := checkOne(t, c, ncCredential(issuer.did, status.PurposeRevocation, 1, nil))
		if r.Status != status.StatusError || errors.Is(r.Err, status.ErrNonconformant) || !errors.Is(r.Err, status.ErrRetrieval) {
			t.Fatalf("%+v", r)
		}
	})
}

// An index outside a short list is a range error in every mode: no bit
// was read, so nothing says the credential is in good standing. The
// conformance problems are reported too (the list length first, as
// Bitstring Status List §3.2 checks it before the index), but not as
// nonconformance.
func TestNonconformantOutOfRange(t *testing.T) {
	issuer, other := newTestKey(t, 7), newTestKey(t, 9)
	const beyond = shortBytes * 8 // the first index past the short list
	cred := func() map[string]any {
		e := status.Entry{Type: status.TypeBitstringEntry, Purpose: status.PurposeRevocation, Index: beyond, ListCredential: ncURL}
		return map[string]any{"issuer": issuer.did, "credentialStatus": entryMap(e)}
	}
	cases := []struct {
		name    string
		key     testKey
		edit    func(d, s map[string]any)
		is      []error
		problem string
	}{
		{"short", issuer, func(d, s map[string]any) { s["encodedList"] = ncBits(t, shortBytes, 1, 0, false) },
			[]error{status.ErrRange, status.ErrListLength}, status.ProblemListLength},
		{"other issuer, short", other, func(d, s map[string]any) {
			d["issuer"] = other.did
			s["encodedList"] = ncBits(t, shortBytes, 1, 0, false)
		}, []error{status.ErrRange, status.ErrListLength, status.ErrListIssuer}, status.ProblemVerification},
		{"conformant", issuer, func(d, s map[string]any) {}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := cred()
			if tc.is == nil {
				// Past the end of a full list.
				e["credentialStatus"].(map[string]any)["statusListIndex"] = "131072"
				tc.is, tc.problem = []error{status.ErrRange}, status.ProblemRange
			}
			r := checkOne(t, ncChecker(t, signedList(t, tc.key, ncURL, tc.edit), nil), e)
			if r.Status != status.StatusError || !r.Failed() || r.Value != 0 {
				t.Fatalf("%+v", r)
			}
			wantErrs(t, r, tc.is, []error{status.ErrNonconformant})
			if status.ProblemType(r.Err) != tc.problem {
				t.Fatalf("problem type %q, want %q", status.ProblemType(r.Err), tc.problem)
			}
			var pt interface{ ProblemType() string }
			if !errors.As(r.Err, &pt) || pt.ProblemType() != tc.problem {
				t.Fatalf("ProblemType method disagrees for %v", r.Err)
			}
			if strings.Contains(r.Reason, "\n") {
				t.Fatalf("reason on several lines: %q", r.Reason)
			}
		})
	}
}

// StatusList2021 lists are held to the same rules.
func TestNonconformantStatusList2021(t *testing.T) {
	ctx := context.Background()
	issuer, other := newTestKey(t, 7), newTestKey(t, 9)
	list := func(k testKey, n int, value uint64) []byte {
		doc := map[string]any{
			"@context": []any{"https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1",
				"https://w3id.org/security/data-integrity/v2"},
			"id":           ncURL,
			"type":         []any{"VerifiableCredential", "StatusList2021Credential"},
			"issuer":       k.did,
			"issuanceDate": "2021-04-05T14:27:40Z",
			"credentialSubject": map[string]any{"id": ncURL + "#list", "type": "StatusList2021",
				"statusPurpose": "revocation", "encodedList": ncBits(t, n, 1, value, true)},
		}
		unsigned, _ := json.Marshal(doc)
		signed, err := k.signer(t).IssueJSON(ctx, unsigned)
		must(t, err)
		return signed
	}
	cred := map[string]any{"issuer": issuer.did, "credentialStatus": map[string]any{
		"id": ncURL + "#42", "type": "StatusList2021Entry", "statusPurpose": "revocation",
		"statusListIndex": "42", "statusListCredential": ncURL}}
	cases := []struct {
		name      string
		key       testKey
		bytes     int
		value     uint64
		want      status.Status
		is, isNot []error
	}{
		{"short, clear", issuer, shortBytes, 0, status.StatusNonconformant, []error{status.ErrNonconformant, status.ErrListLength}, []error{status.ErrListIssuer}},
		{"short, revoked", issuer, shortBytes, 1, status.StatusRevoked, []error{status.ErrRevoked}, []error{status.ErrNonconformant}},
		{"other issuer, clear", other, fullBytes, 0, status.StatusNonconformant, []error{status.ErrNonconformant, status.ErrListIssuer}, []error{status.ErrListLength}},
		{"other issuer, revoked", other, fullBytes, 1, status.StatusRevoked, []error{status.ErrRevoked}, []error{status.ErrNonconformant}},
		{"both, clear", other, shortBytes, 0, status.StatusNonconformant, []error{status.ErrNonconformant, status.ErrListIssuer, status.ErrListLength}, nil},
		{"conformant", issuer, fullBytes, 0, status.StatusOK, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkOne(t, ncChecker(t, list(tc.key, tc.bytes, tc.value), nil), cred)
			if r.Status != tc.want || r.Value != tc.value || r.Type != status.TypeStatusList2021Entry {
				t.Fatalf("%+v", r)
			}
			wantErrs(t, r, tc.is, tc.isNot)
		})
	}
}

// The verifier hook returns the nonconformance as an error (strict
// verifiers fail), and the memo of verified lists keeps giving the same
// outcome: it holds what was verified, not what was concluded.
func TestNonconformantCheckStatusAndMemo(t *testing.T) {
	ctx := context.Background()
	issuer := newTestKey(t, 7)
	short := func(value uint64) []byte {
		return signedList(t, issuer, ncURL, func(d, s map[string]any) { s["encodedList"] = ncBits(t, shortBytes, 1, value, false) })
	}
	served := map[string][]byte{ncURL: short(0)}
	var verifications atomic.Int32
	verify := listVerifier(t, didKeyResolver)
	c, err := status.NewChecker(status.CheckerConfig{
		Fetcher: status.FetcherFunc(func(ctx context.Context, url string) ([]byte, error) { return served[url], nil }),
		VerifyList: func(ctx context.Context, b []byte) error {
			verifications.Add(1)
			return verify(ctx, b)
		},
		Now: func() time.Time { return fixedNow },
	})
	must(t, err)
	doc := ncCredential(issuer.did, status.PurposeRevocation, 1, nil)
	for range 3 {
		if r := checkOne(t, c, doc); r.Status != status.StatusNonconformant {
			t.Fatalf("%+v", r)
		}
	}
	if n := verifications.Load(); n != 1 {
		t.Fatalf("%d verifications for one list", n)
	}
	// Another credential, of another issuer, on the same (memoized) list.
	other := newTestKey(t, 9)
	r := checkOne(t, c, ncCredential(other.did, status.PurposeRevocation, 1, nil))
	wantErrs(t, r, []error{status.ErrNonconformant, status.ErrListIssuer, status.ErrListLength}, nil)
	// The issuer revokes: the new list is verified and revokes.
	served[ncURL] = short(1)
	if r := checkOne(t, c, doc); r.Status != status.StatusRevoked || errors.Is(r.Err, status.ErrNonconformant) {
		t.Fatalf("%+v", r)
	}
	if n := verifications.Load(); n != 2 {
		t.Fatalf("%d verifications, want 2", n)
	}

	// Through the verifier's hook.
	served[ncURL] = short(0)
	e := status.Entry{Type: status.TypeBitstringEntry, Purpose: status.PurposeRevocation, Index: ncIndex, ListCredential: ncURL}
	raw, _ := json.Marshal(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer.did,
		"validFrom":         "2026-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "did:example:learner"},
		"credentialStatus":  e,
	})
	cred, err := credential.Parse(raw)
	must(t, err)
	err = c.CheckStatus(ctx, cred, cred.CredentialStatus.Items[0])
	var pt interface{ ProblemType() string }
	if !errors.Is(err, status.ErrNonconformant) || !errors.Is(err, status.ErrListLength) ||
		!errors.As(err, &pt) || pt.ProblemType() != status.ProblemListLength {
		t.Fatalf("CheckStatus: %v", err)
	}
	served[ncURL] = short(1)
	if err := c.CheckStatus(ctx, cred, cred.CredentialStatus.Items[0]); !errors.Is(err, status.ErrRevoked) || errors.Is(err, status.ErrNonconformant) {
		t.Fatalf("CheckStatus, revoked: %v", err)
	}
}
