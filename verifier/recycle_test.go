package verifier_test

import (
	"bytes"
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/microcred/openbadges/credential"
)

// TestResultOutlivesRecycledDocument verifies documents of different
// shapes from several goroutines at once, while the memory jsonld and
// dataintegrity pool passes from one verification to the next, and checks
// that every Result's Credential still holds what was verified: nothing
// the verifier returns may refer to memory that is reused. Run with -race.
func TestResultOutlivesRecycledDocument(t *testing.T) {
	var docs [][]byte
	for i, n := range []int{1, 4, 30} {
		d, _ := signedScaled(t, n, "urn:uuid:recycle-"+string(rune('a'+i)))
		docs = append(docs, d)
	}
	docs = append(docs, bytes.Replace(docs[1], []byte(`"Skill 0"`), []byte(`"Skill X"`), 1))
	want := make([]*credential.Credential, len(docs))
	for i, d := range docs {
		c, err := credential.Parse(d)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = c
	}
	v := newVerifier(t, nil)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var kept []*credential.Credential
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
			}
		})
	}
	wg.Wait()
}
