package issuer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/issuer"
)

// recycleInputs are credentials of different shapes and sizes, some
// refused: the issuer recycles each one's parsed document and typed model
// for the next.
func recycleInputs(t *testing.T, is *issuer.Issuer) [][]byte {
	t.Helper()
	_, did2, _ := testKey(2)
	var alignments []string
	for i := range 40 {
		alignments = append(alignments, fmt.Sprintf(`{"type": ["Alignment"], "targetName": "Skill \u00e9 %d", "targetUrl": "https://example.org/skills/%d"}`, i, i))
	}
	big := bytes.Replace(badge(`"`+is.Controller()+`"`), []byte(`"criteria"`),
		[]byte(`"alignment": [`+strings.Join(alignments, ",")+`], "criteria"`), 1)
	invalid := bytes.Replace(badge(""), []byte(`"validFrom": "2026-01-01T00:00:00Z"`), []byte(`"validFrom": "yesterday"`), 1)
	return [][]byte{
		badge(""), // no issuer: filled in, the document parsed twice
		badge(`"` + is.Controller() + `"`),
		big,
		badge(`"` + did2 + `"`), // another issuer: refused
		invalid,                 // refused with its problems
		[]byte(`{"@context": [1, {"\u0041": "\ud83d\ude00"}], "type": 3}`),
	}
}

// outcome is what a caller keeps of one IssueJSON call.
type outcome struct {
	signed   []byte
	err      error
	problems credential.Problems
}

func issueOutcome(is *issuer.Issuer, in []byte) outcome {
	signed, err := is.IssueJSON(context.Background(), in)
	o := outcome{signed: signed, err: err}
	var ve *issuer.ValidationError
	if errors.As(err, &ve) {
		o.problems = ve.Problems
	}
	return o
}

// TestIssueOutlivesRecycledDocument issues documents of different shapes
// from several goroutines at once, the parsed documents' and typed models'
// memory passing from one call to the next, and checks that every output
// and error kept from an earlier call still reads as it did when issued
// alone: nothing the issuer returns may refer to memory that is reused.
// Run with -race.
func TestIssueOutlivesRecycledDocument(t *testing.T) {
	is := newIssuer(t, 1, "")
	inputs := recycleInputs(t, is)
	want := make([]outcome, len(inputs))
	wantErr := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = issueOutcome(newIssuer(t, 1, ""), in)
		if want[i].err != nil {
			wantErr[i] = want[i].err.Error()
		} else {
			mustVerify(t, want[i].signed)
		}
	}
	require.NoError(t, want[0].err)
	require.NoError(t, want[2].err)
	require.ErrorIs(t, want[3].err, issuer.ErrIssuerMismatch)
	require.NotEmpty(t, want[4].problems)

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			type kept struct {
				from int
				o    outcome
			}
			var all []kept
			for round := range 8 {
				for i := range inputs {
					i := (i + g + round) % len(inputs)
					all = append(all, kept{i, issueOutcome(is, inputs[i])})
				}
			}
			for k, o := range all {
				w := want[o.from]
				assert.Equal(t, w.signed, o.o.signed, "call %d (input %d): output", k, o.from)
				if w.err == nil {
					assert.NoError(t, o.o.err, "call %d (input %d)", k, o.from)
					continue
				}
				if assert.Error(t, o.o.err, "call %d (input %d)", k, o.from) {
					assert.Equal(t, wantErr[o.from], o.o.err.Error(), "call %d (input %d): error", k, o.from)
				}
				assert.Equal(t, w.problems, o.o.problems, "call %d (input %d): problems", k, o.from)
			}
		})
	}
	wg.Wait()
}

// TestIssueBatchConcurrentRecycling runs batches on several goroutines at
// once and compares every outcome with the credential issued alone.
func TestIssueBatchConcurrentRecycling(t *testing.T) {
	is := newIssuer(t, 1, "")
	inputs := recycleInputs(t, is)
	var cs []*credential.Credential
	var want []outcome
	for range 5 {
		for _, in := range inputs {
			c, err := credential.Parse(in)
			if err != nil {
				continue // not a credential: IssueJSON's concern
			}
			cs = append(cs, c)
			want = append(want, issueOutcome(newIssuer(t, 1, ""), in))
		}
	}
	require.NotEmpty(t, cs)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for range 3 {
				for i, o := range is.IssueBatch(context.Background(), cs) {
					assert.Equal(t, want[i].signed, o.Signed, "credential %d", i)
					if want[i].err == nil {
						assert.NoError(t, o.Err, "credential %d", i)
					} else if assert.Error(t, o.Err, "credential %d", i) {
						assert.Equal(t, want[i].err.Error(), o.Err.Error(), "credential %d", i)
					}
				}
			}
		})
	}
	wg.Wait()
}
