package status_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/microcred/openbadges/status"
)

// FuzzCheck feeds arbitrary credentials and status documents to a Checker
// whose list verifier accepts everything (the worst case: nothing but this
// package's own checks stands between the input and the result). It must
// never panic, and every result must be consistent: an error exactly when
// it fails verification, and a nonconformance exactly when the result is
// nonconformant (never hiding a revocation or a failure).
func FuzzCheck(f *testing.F) {
	const url = "https://example.com/credentials/status/3"
	f.Add([]byte(`{"issuer":"did:example:1","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"`+url+`"}}`),
		[]byte(`{"type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:example:1","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"`+specExampleList+`"}}`))
	f.Add([]byte(`{"issuer":"did:example:1","credentialStatus":[{"type":"BitstringStatusListEntry","statusPurpose":"message","statusSize":2,"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"},{"status":"0x2","message":"c"},{"status":"0x3","message":"d"}],"statusListIndex":"7","statusListCredential":"`+url+`"}]}`),
		[]byte(`{"type":"BitstringStatusListCredential","issuer":{"id":"did:example:1"},"validUntil":"2999-01-01T00:00:00Z","credentialSubject":[{"type":"BitstringStatusList","statusPurpose":["message","revocation"],"encodedList":"`+specExampleList+`"}]}`))
	f.Add([]byte(`{"id":"urn:x","credentialStatus":{"id":"`+url+`","type":"1EdTechRevocationList"}}`),
		[]byte(`{"revokedCredential":[{"id":"urn:x","revoked":true,"revocationReason":"r"}]}`))
	f.Add([]byte(`{"issuer":"did:example:1","credentialStatus":{"type":"StatusList2021Entry","statusPurpose":"suspension","statusListIndex":"1","statusListCredential":"`+url+`"}}`),
		[]byte(`{"type":["StatusList2021Credential"],"issuer":"did:example:1","expirationDate":"2020-01-01T00:00:00Z","credentialSubject":{"type":"StatusList2021","statusPurpose":"suspension","encodedList":"H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"}}`))
	f.Add([]byte(`{"issuer":"did:example:2","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"5","statusListCredential":"`+url+`"}}`),
		[]byte(`{"type":"BitstringStatusListCredential","issuer":"did:example:1","credentialSubject":{"type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sIAAAAAAACA2NgQAUAVUu77BAAAAA"}}`))
	f.Add([]byte(`{"credentialStatus":[1,null,"x",{"type":["a","b"]}]}`), []byte(`[]`))
	f.Add([]byte(`{"issuer":"did:example:1","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"0","statusListCredential":"`+url+`"}}`),
		[]byte(`eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIiwiZXhwIjoxLCJ2YyI6e319.c2ln`))
	checker := func(list []byte) *status.Checker {
		c, err := status.NewChecker(status.CheckerConfig{
			Fetcher:      status.NewStaticFetcher(map[string][]byte{url: list}),
			VerifyList:   func(context.Context, []byte) error { return nil },
			Now:          func() time.Time { return fixedNow },
			MaxListBytes: 1 << 18,
		})
		if err != nil {
			panic(err)
		}
		return c
	}
	f.Fuzz(func(t *testing.T, cred, list []byte) {
		for _, r := range checker(list).Check(context.Background(), cred) {
			switch r.Status {
			case status.StatusOK, status.StatusMessage:
				if r.Err != nil {
					t.Fatalf("%s with error %v", r.Status, r.Err)
				}
			case status.StatusRevoked, status.StatusSuspended, status.StatusUnknown, status.StatusError:
				if r.Err == nil {
					t.Fatalf("%s without error", r.Status)
				}
			case status.StatusNonconformant:
				if !errors.Is(r.Err, status.ErrListLength) && !errors.Is(r.Err, status.ErrListIssuer) {
					t.Fatalf("nonconformant without a rule broken: %v", r.Err)
				}
			default:
				t.Fatalf("status %q", r.Status)
			}
			if errors.Is(r.Err, status.ErrNonconformant) != (r.Status == status.StatusNonconformant) {
				t.Fatalf("%s with error %v", r.Status, r.Err)
			}
			if r.Failed() != (r.Err != nil) {
				t.Fatalf("%s: Failed() = %v with error %v", r.Status, r.Failed(), r.Err)
			}
			if r.Reason == "" {
				t.Fatal("no reason")
			}
		}
	})
}
