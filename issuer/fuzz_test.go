package issuer_test

import (
	"context"
	"testing"
)

// FuzzIssueJSON: IssueJSON never panics, and whatever it signs verifies.
func FuzzIssueJSON(f *testing.F) {
	f.Add(badge(""))
	f.Add(badge(`{"type": ["Profile"]}`))
	f.Add(badge(`"did:example:other"`))
	f.Add([]byte(`{"@context": ["https://www.w3.org/2018/credentials/v1"], "issuer": null}`))
	f.Add([]byte(`{"issuer": {"id": 5}}`))
	f.Add([]byte(`[]`))
	is := newIssuer(f, 1, "")
	v := verifierFor(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := is.IssueJSON(context.Background(), data)
		if err != nil {
			if out != nil {
				t.Fatal("output with an error")
			}
			return
		}
		r, err := v.Verify(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Errors {
			if p.Check == "proof" {
				t.Fatalf("signed output does not verify: %s\n%s", r.Summary(), out)
			}
		}
	})
}
