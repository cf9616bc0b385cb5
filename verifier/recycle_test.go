package verifier_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/verifier"
)

// TestResultOutlivesRecycledDocument verifies documents of different
// shapes from several goroutines at once, while the memory strictjson,
// jsonld and dataintegrity pool (the parsed document's nodes, expansion
// scratch) passes from one verification to the next, and checks that
// every Result, and its Credential, still holds what was verified alone:
// nothing the verifier returns may refer to memory that is reused. Run
// with -race.
func TestResultOutlivesRecycledDocument(t *testing.T) {
	var docs [][]byte
	for i, n := range []int{1, 4, 30} {
		d, _ := signedScaled(t, n, "urn:uuid:recycle-"+string(rune('a'+i)))
		docs = append(docs, d)
	}
	docs = append(docs, bytes.Replace(docs[1], []byte(`"Skill 0"`), []byte(`"Skill X"`), 1))
	want := make([]*credential.Credential, len(docs))
	wantJSON := make([][]byte, len(docs))
	for i, d := range docs {
		c, err := credential.Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = c
		r, err := newVerifier(t, nil).Verify(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if wantJSON[i], err = json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	}
	v := newVerifier(t, nil)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var kept []*credential.Credential
			var keptResults []*verifier.Result
			var keptFrom []int
			for round := range 10 {
				for i := range docs {
					i := (i + g + round) % len(docs)
					r, err := v.Verify(context.Background(), docs[i])
					if err != nil {
						t.Error(err)
						return
					}
					if r.Verified != (i != 3) {
						t.Errorf("document %d: Verified %v: %s", i, r.Verified, r.Summary())
						return
					}
					kept, keptFrom = append(kept, r.Credential), append(keptFrom, i)
					keptResults = append(keptResults, r)
				}
			}
			for k, c := range kept {
				w := want[keptFrom[k]]
				if !reflect.DeepEqual(c.Envelope, w.Envelope) || !reflect.DeepEqual(c.CredentialSubject, w.CredentialSubject) || !reflect.DeepEqual(c.Extra, w.Extra) {
					t.Errorf("result %d (document %d): Credential differs from what was verified", k, keptFrom[k])
					return
				}
				if !bytes.Equal(c.Raw(), docs[keptFrom[k]]) {
					t.Errorf("result %d: Raw differs", k)
					return
				}
				// The rest of the Result (checks, problems, proofs) too: the
				// parsed document is released when Verify returns.
				if got, err := json.Marshal(keptResults[k]); err != nil || !bytes.Equal(got, wantJSON[keptFrom[k]]) {
					t.Errorf("result %d (document %d): Result differs from the document verified alone: %v\n%s\n%s", k, keptFrom[k], err, got, wantJSON[keptFrom[k]])
					return
				}
			}
		})
	}
	wg.Wait()
}
