package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rosterTemplate() map[string]any {
	return map[string]any{
		"id":   "urn:uuid:template",
		"type": []any{"VerifiableCredential", "OpenBadgeCredential"},
		"credentialSubject": map[string]any{
			"type":        []any{"AchievementSubject"},
			"achievement": map[string]any{"id": "https://example.edu/a/1", "name": "Welding"},
		},
	}
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestRosterJSONL(t *testing.T) {
	tmpl := rosterTemplate()
	rows, err := readRosterJSONL(strings.NewReader(`{"credentialSubject": {"id": "did:example:1"}}

{"credentialSubject": {"achievement": {"name": "Brazing"}, "type": null}, "validFrom": "2026-01-01T00:00:00Z"}
[1, 2]
{"a": 1, "a": 2}
not json
`), tmpl)
	require.NoError(t, err)
	require.Len(t, rows, 5)

	assert.Equal(t, 1, rows[0].line)
	assert.NoError(t, rows[0].err)
	assert.JSONEq(t, `{"id": "urn:uuid:template", "type": ["VerifiableCredential", "OpenBadgeCredential"],
		"credentialSubject": {"id": "did:example:1", "type": ["AchievementSubject"],
			"achievement": {"id": "https://example.edu/a/1", "name": "Welding"}}}`, asJSON(t, rows[0].doc))

	// Deep merge: the achievement keeps its id; null removes a member.
	assert.Equal(t, 3, rows[1].line)
	assert.JSONEq(t, `{"id": "urn:uuid:template", "type": ["VerifiableCredential", "OpenBadgeCredential"],
		"validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": {"achievement": {"id": "https://example.edu/a/1", "name": "Brazing"}}}`, asJSON(t, rows[1].doc))

	for i, want := range map[int]string{2: "not a JSON object", 3: "duplicate", 4: "invalid"} {
		assert.Equal(t, i+2, rows[i].line)
		require.Error(t, rows[i].err, "line %d", rows[i].line)
		assert.Contains(t, rows[i].err.Error(), want)
		assert.Nil(t, rows[i].doc)
	}
	// The template is not changed by the rows.
	assert.Equal(t, rosterTemplate(), tmpl)
}

func TestRosterCSV(t *testing.T) {
	tmpl := rosterTemplate()
	rows, err := readRosterCSV(strings.NewReader("\ufeffcredentialSubject.id,credentialSubject.identifier.0.identityHash,credentialSubject.identifier.0.hashed:json,validFrom,id\n"+
		"did:example:1,,,2026-01-01T00:00:00Z,\n"+
		"\"\",sha256$abc,true,,urn:uuid:given\n"+
		"too,few\n"+
		"x,y,notjson,z,w\n"), tmpl)
	require.NoError(t, err)
	require.Len(t, rows, 4)

	assert.Equal(t, 2, rows[0].line)
	assert.JSONEq(t, `{"id": "urn:uuid:template", "type": ["VerifiableCredential", "OpenBadgeCredential"],
		"validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": {"id": "did:example:1", "type": ["AchievementSubject"],
			"achievement": {"id": "https://example.edu/a/1", "name": "Welding"}}}`, asJSON(t, rows[0].doc))

	assert.Equal(t, 3, rows[1].line)
	assert.JSONEq(t, `{"id": "urn:uuid:given", "type": ["VerifiableCredential", "OpenBadgeCredential"],
		"credentialSubject": {"type": ["AchievementSubject"], "identifier": [{"identityHash": "sha256$abc", "hashed": true}],
			"achievement": {"id": "https://example.edu/a/1", "name": "Welding"}}}`, asJSON(t, rows[1].doc))

	assert.Equal(t, 4, rows[2].line)
	assert.ErrorContains(t, rows[2].err, "2 cells, the header has 5")
	assert.Equal(t, 5, rows[3].line)
	assert.ErrorContains(t, rows[3].err, "hashed")
	assert.Equal(t, rosterTemplate(), tmpl)
}

func TestRosterCSVPaths(t *testing.T) {
	for header, want := range map[string]string{
		"":                             "no header row",
		"a..b":                         "empty segment",
		"0.a":                          "not an array",
		"a,a":                          "twice",
		"a.2000":                       "more than 1023",
		strings.Repeat("a.", 40) + "a": "more than 32 segments",
		":json":                        "empty column name",
	} {
		_, err := readRosterCSV(strings.NewReader(header+"\n"), rosterTemplate())
		assert.ErrorContains(t, err, want, "header %q", header)
	}
	// A path through a value of another kind fails the row, not the roster.
	rows, err := readRosterCSV(strings.NewReader("type.0.x,credentialSubject.achievement.0\nv,w\n"), rosterTemplate())
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.ErrorContains(t, rows[0].err, "holds no members")
	rows, err = readRosterCSV(strings.NewReader("credentialSubject.achievement.0\nw\n"), rosterTemplate())
	require.NoError(t, err)
	assert.ErrorContains(t, rows[0].err, "an object, not an array")
	rows, err = readRosterCSV(strings.NewReader("type.x\nw\n"), rosterTemplate())
	require.NoError(t, err)
	assert.ErrorContains(t, rows[0].err, "an array, not an object")
	// Indexes beyond the end pad the array with empty objects.
	rows, err = readRosterCSV(strings.NewReader("evidence.2.id\nurn:e\n"), rosterTemplate())
	require.NoError(t, err)
	require.NoError(t, rows[0].err)
	assert.Equal(t, []any{map[string]any{}, map[string]any{}, map[string]any{"id": "urn:e"}}, rows[0].doc["evidence"])
}

// FuzzRosterCSV: any CSV roster is read without panicking, and every row
// is either a document or an error with its line.
func FuzzRosterCSV(f *testing.F) {
	f.Add("credentialSubject.id,credentialSubject.identifier.0.identityHash\ndid:example:1,x\n")
	f.Add("a.0.b.1.c:json,a.0.d\n{\"x\":[1]},y\n\"q\"\"\",\n")
	f.Add("type.0.x\nv\n")
	f.Fuzz(func(t *testing.T, data string) {
		rows, err := readRosterCSV(strings.NewReader(data), rosterTemplate())
		if err != nil {
			return
		}
		for _, r := range rows {
			if (r.err == nil) == (r.doc == nil) || r.line < 2 {
				t.Fatalf("row %+v", r)
			}
			if r.doc != nil {
				if _, err := json.Marshal(r.doc); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// FuzzRosterJSONL: any JSON Lines roster is read without panicking; rows
// merge over the template without changing it.
func FuzzRosterJSONL(f *testing.F) {
	f.Add(`{"credentialSubject": {"id": "did:example:1"}}` + "\n" + `{"type": null}`)
	f.Add(`{"a": {"b": {"c": null}}, "credentialSubject": [1]}`)
	f.Add("[]\n\n{}")
	f.Fuzz(func(t *testing.T, data string) {
		tmpl := rosterTemplate()
		rows, err := readRosterJSONL(strings.NewReader(data), tmpl)
		if err != nil {
			return
		}
		for _, r := range rows {
			if (r.err == nil) == (r.doc == nil) || r.line < 1 {
				t.Fatalf("row %+v", r)
			}
		}
		if asJSON(t, tmpl) != asJSON(t, rosterTemplate()) {
			t.Fatal("the template changed")
		}
	})
}
