package stack_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/stack"
)

func TestParsePathway(t *testing.T) {
	p := mustPathway(t, `{"achievements": ["https://example.edu/achievements/a1", "https://example.edu/achievements/a2", "https://example.edu/achievements/a3"],
		"minimum": 2, "issuers": ["did:key:z6MkA"], "minimumCredits": 8, "within": "P2Y",
		"groups": [{"achievements": ["https://example.edu/achievements/b1", "https://example.edu/achievements/b2"], "minimum": 1}]}`)
	assert.Equal(t, "https://example.edu/certificates/data-analytics", p.Achievement.ID)
	assert.Len(t, p.Requires.Achievements, 3)
	assert.Equal(t, 2, p.Requires.Minimum)
	require.NotNil(t, p.Requires.MinimumCredits)
	assert.InDelta(t, 8, *p.Requires.MinimumCredits, 0)
	assert.Equal(t, 2, p.Requires.Within.Years)
	require.Len(t, p.Requires.Groups, 1)
	assert.Equal(t, 1, p.Requires.Groups[0].Minimum)

	// Written back, it reads the same.
	b, err := json.Marshal(p)
	require.NoError(t, err)
	again, err := stack.ParsePathway(b)
	require.NoError(t, err)
	assert.Equal(t, p.Requires, again.Requires)
}

// TestParsePathwayRefuses: every refusal names the field.
func TestParsePathwayRefuses(t *testing.T) {
	a := func(s ...string) string {
		var q []string
		for _, x := range s {
			q = append(q, `"https://example.edu/achievements/`+x+`"`)
		}
		return "[" + strings.Join(q, ",") + "]"
	}
	for _, tc := range []struct {
		name, requires, path string
		doc                  []byte
	}{
		{"unknown field", `{"achievements": ` + a("a1") + `, "maximum": 2}`, "$.requires.maximum", nil},
		{"case variant", `{"achievements": ` + a("a1") + `, "Minimum": 1}`, "$.requires.Minimum", nil},
		{"unknown top field", "", "$.extra", []byte(`{"achievement": {}, "requires": {}, "extra": 1}`)},
		{"empty requires", `{}`, "$.requires", nil},
		{"empty achievements", `{"achievements": []}`, "$.requires.achievements", nil},
		{"minimum above", `{"achievements": ` + a("a1", "a2") + `, "minimum": 3}`, "$.requires.minimum", nil},
		{"minimum zero", `{"achievements": ` + a("a1") + `, "minimum": 0}`, "$.requires.minimum", nil},
		{"minimum fraction", `{"achievements": ` + a("a1") + `, "minimum": 1.5}`, "$.requires.minimum", nil},
		{"duration without P", `{"achievements": ` + a("a1") + `, "within": "2Y"}`, "$.requires.within", nil},
		{"duration empty", `{"achievements": ` + a("a1") + `, "within": "P"}`, "$.requires.within", nil},
		{"duration T alone", `{"achievements": ` + a("a1") + `, "within": "P1YT"}`, "$.requires.within", nil},
		{"duration fraction", `{"achievements": ` + a("a1") + `, "within": "P1.5Y"}`, "$.requires.within", nil},
		{"duration order", `{"achievements": ` + a("a1") + `, "within": "P1D2Y"}`, "$.requires.within", nil},
		{"duration negative", `{"achievements": ` + a("a1") + `, "within": "-P1Y"}`, "$.requires.within", nil},
		{"duration number", `{"achievements": ` + a("a1") + `, "within": 2}`, "$.requires.within", nil},
		{"not a URI", `{"achievements": ["a1"]}`, "$.requires.achievements[0]", nil},
		{"twice", `{"achievements": ` + a("a1", "a1") + `}`, "$.requires.achievements[1]", nil},
		{"twice across groups", `{"achievements": ` + a("a1") + `, "groups": [{"achievements": ` + a("a1") + `}]}`, "$.requires.groups[0].achievements[0]", nil},
		{"issuers in a group", `{"achievements": ` + a("a1") + `, "groups": [{"achievements": ` + a("a2") + `, "issuers": ["did:x:1"]}]}`, "$.requires.groups[0].issuers", nil},
		{"empty group", `{"groups": [{}]}`, "$.requires.groups[0]", nil},
		{"negative credits", `{"achievements": ` + a("a1") + `, "minimumCredits": -1}`, "$.requires.minimumCredits", nil},
		{"credits string", `{"achievements": ` + a("a1") + `, "minimumCredits": "12"}`, "$.requires.minimumCredits", nil},
		{"null", `{"achievements": null}`, "$.requires.achievements", nil},
		{"duplicate key", `{"achievements": ` + a("a1") + `, "achievements": ` + a("a2") + `}`, "$.requires.achievements", nil},
		{"own achievement", `{"achievements": ["https://example.edu/certificates/data-analytics"]}`, "$.requires.achievements[0]", nil},
		{"invalid achievement", "", "$.achievement", []byte(`{"achievement": {"id": "https://example.edu/c", "type": ["Achievement"], "description": "d", "criteria": {"narrative": "n"}}, "requires": {"achievements": ["https://example.edu/a"]}}`)},
		{"no achievement", "", "$.achievement", []byte(`{"requires": {"achievements": ["https://example.edu/a"]}}`)},
		{"not an object", "", "$", []byte(`[]`)},
		{"too deep", `{"groups": [{"groups": [{"groups": [{"groups": [{"groups": [{"groups": [{"groups": [{"groups": [{"achievements": ` + a("a1") + `}]}]}]}]}]}]}]}]}`, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if doc == nil {
				doc = pathwayJSON(tc.requires)
			}
			_, err := stack.ParsePathway(doc)
			require.ErrorIs(t, err, stack.ErrPathway)
			var pe *stack.PathwayError
			require.ErrorAs(t, err, &pe)
			if tc.path != "" {
				assert.Equal(t, tc.path, pe.Path, pe.Error())
			}
		})
	}
	_, err := stack.ParsePathway(bytes.Repeat([]byte(" "), stack.MaxPathwayBytes+1))
	assert.ErrorIs(t, err, stack.ErrPathway)
}

func TestParseDuration(t *testing.T) {
	from := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"P2Y", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"P1Y6M", time.Date(2025, 7, 31, 0, 0, 0, 0, time.UTC)},
		{"P2W", time.Date(2024, 2, 14, 0, 0, 0, 0, time.UTC)},
		{"P90D", time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"PT36H", time.Date(2024, 2, 1, 12, 0, 0, 0, time.UTC)},
		{"P1DT1H1M1S", time.Date(2024, 2, 1, 1, 1, 1, 0, time.UTC)},
		{"P0D", from},
	} {
		d, err := stack.ParseDuration(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d.AddTo(from), tc.in)
		assert.Equal(t, tc.in, d.String())
	}
	for _, bad := range []string{"", "P", "PT", "2Y", "P1", "PY", "P1Y1Y", "P1M1Y", "PT1D", "P1H", "P1,5Y", "P1234567Y", "P1YT1H1H"} {
		_, err := stack.ParseDuration(bad)
		assert.Error(t, err, bad)
	}
}

func FuzzParsePathway(f *testing.F) {
	f.Add(pathwayJSON(`{"achievements": ["https://example.edu/a1", "https://example.edu/a2"], "minimum": 1, "within": "P1Y2M", "minimumCredits": 3, "issuers": ["did:x:1"]}`))
	f.Add(pathwayJSON(`{"groups": [{"achievements": ["https://example.edu/a1"]}, {"groups": [{"achievements": ["https://example.edu/a2"]}]}]}`))
	f.Add([]byte(`{"achievement": 1, "requires": []}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := stack.ParsePathway(b)
		if err != nil {
			var pe *stack.PathwayError
			if !assert.ErrorAs(t, err, &pe) || pe.Path == "" {
				t.Fatalf("not a PathwayError naming a field: %v", err)
			}
			return
		}
		out, err := json.Marshal(p)
		require.NoError(t, err)
		if _, err := stack.ParsePathway(out); err != nil {
			t.Fatalf("written back, the pathway is refused: %v\n%s", err, out)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"P2Y", "P1Y6M2W3DT4H5M6S", "PT", "P-1D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := stack.ParseDuration(s)
		if err == nil {
			_ = d.AddTo(time.Unix(0, 0))
			assert.Equal(t, s, d.String())
		}
	})
}
