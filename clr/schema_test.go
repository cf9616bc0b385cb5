package clr_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/testref"
)

// asVCDM11 gives a VCDM 2.0 credential, and each credential it embeds, the
// issuanceDate of VCDM 1.1 (its validFrom): the published draft-04 CLR
// schema is a rendering of the VCDM 1.1 form and requires it.
func asVCDM11(m map[string]any) {
	if from, ok := m["validFrom"]; ok {
		if _, has := m["issuanceDate"]; !has {
			m["issuanceDate"] = from
		}
	}
	if s, ok := m["credentialSubject"].(map[string]any); ok {
		if vcs, ok := s["verifiableCredential"].([]any); ok {
			for _, vc := range vcs {
				if vm, ok := vc.(map[string]any); ok {
					asVCDM11(vm)
				}
			}
		}
	}
}

// TestCrossCheckSchema compares Validate with the CLR 2.0 JSON Schema
// (../shared/reference/schemas/clr_v2p0) on the reference CLRs and on a CLR
// broken in each way the schema can tell: where the schema refuses, Validate
// refuses too. The schema cannot express the rules between values (an
// association's ends are achievements of the CLR, no cycle, one learner),
// so for those Validate refuses what the schema accepts, as listed.
func TestCrossCheckSchema(t *testing.T) {
	ref := testref.Reference(t)
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(mustOpen(t, filepath.Join(ref, "schemas", "clr_v2p0", "clr_v2p0_clrcredential_schema_draft4.json")))
	require.NoError(t, err)
	// Its "required": [] (Criteria, CredentialSubject) is not valid
	// draft-04, whose metaschema wants at least one name; it means nothing
	// is required, which leaving it out says.
	dropEmptyRequired(doc)
	require.NoError(t, c.AddResource("clr.json", doc))
	schema, err := c.Compile("clr.json")
	require.NoError(t, err)

	verdicts := func(t *testing.T, b []byte) (ours, theirs bool, problems credential.Problems, schemaErr error) {
		x, err := clr.Parse(b)
		require.NoError(t, err)
		problems = x.Validate().Errors()
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		asVCDM11(m)
		mb, _ := json.Marshal(m)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(mb))
		require.NoError(t, err)
		schemaErr = schema.Validate(inst)
		return len(problems) == 0, schemaErr == nil, problems, schemaErr
	}

	// The unsigned CLR with the issuer an issuer.Issuer would fill in.
	base := func() []byte {
		m := decode(t, unsignedCLR(t))
		m["issuer"] = map[string]any{"id": "https://example.edu/issuers/1", "type": []any{"Profile"}}
		b, _ := json.Marshal(m)
		return b
	}()
	edit := func(f func(m, s map[string]any)) []byte {
		m := decode(t, base)
		f(m, m["credentialSubject"].(map[string]any))
		b, _ := json.Marshal(m)
		return b
	}
	assocs := func(s map[string]any) map[string]any { return s["association"].([]any)[0].(map[string]any) }
	cases := []struct {
		name string
		doc  []byte
		// beyond: a rule of Validate the schema cannot express (Validate
		// refuses, the schema accepts).
		beyond bool
	}{
		{name: "assembled", doc: base},
		{name: "association with another member", doc: edit(func(_, s map[string]any) { assocs(s)["weight"] = 1 })},
		{name: "association type not in the enumeration", doc: edit(func(_, s map[string]any) { assocs(s)["associationType"] = "isCousinOf" })},
		{name: "association without sourceId", doc: edit(func(_, s map[string]any) { delete(assocs(s), "sourceId") })},
		{name: "association sourceId a number", doc: edit(func(_, s map[string]any) { assocs(s)["sourceId"] = 7 })},
		{name: "subject without verifiableCredential", doc: edit(func(_, s map[string]any) { delete(s, "verifiableCredential") })},
		{name: "subject without type", doc: edit(func(_, s map[string]any) { delete(s, "type") })},
		{name: "no name", doc: edit(func(m, _ map[string]any) { delete(m, "name") })},
		{name: "no id", doc: edit(func(m, _ map[string]any) { delete(m, "id") })},
		{name: "identifier without identityHash", doc: edit(func(_, s map[string]any) {
			s["identifier"] = []any{map[string]any{"type": "IdentityObject", "hashed": false, "identityType": "emailAddress"}}
		})},
		{name: "dangling association", beyond: true, doc: edit(func(_, s map[string]any) { assocs(s)["targetId"] = "https://example.edu/nowhere" })},
		{name: "association cycle", beyond: true, doc: edit(func(_, s map[string]any) {
			s["association"] = append(s["association"].([]any), map[string]any{"type": "Association", "associationType": "isParentOf", "sourceId": achA, "targetId": program})
		})},
		{name: "another learner", beyond: true, doc: edit(func(_, s map[string]any) { s["id"] = "did:example:someone-else" })},
	}
	for _, name := range []string{"simple.json", "simple_v1.json", "complex.json"} {
		b, err := os.ReadFile(filepath.Join(ref, "vectors", "1edtech-validator", "clr20", name))
		require.NoError(t, err)
		// simple_v1.json and complex.json break the CLR rules between
		// values (see TestVectors), which the schema cannot express.
		cases = append(cases, struct {
			name   string
			doc    []byte
			beyond bool
		}{name: name, doc: b, beyond: name != "simple.json"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ours, theirs, problems, schemaErr := verdicts(t, tc.doc)
			if tc.beyond {
				assert.True(t, theirs, "the schema accepts it: %v", schemaErr)
				assert.False(t, ours, "Validate refuses it")
				return
			}
			assert.Equal(t, theirs, ours, "schema valid=%v (%v), Validate valid=%v (%v)", theirs, schemaErr, ours, problems)
		})
	}
}

func mustOpen(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func dropEmptyRequired(x any) {
	switch x := x.(type) {
	case map[string]any:
		if r, ok := x["required"].([]any); ok && len(r) == 0 {
			delete(x, "required")
		}
		for _, v := range x {
			dropEmptyRequired(v)
		}
	case []any:
		for _, v := range x {
			dropEmptyRequired(v)
		}
	}
}
