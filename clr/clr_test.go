package clr_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/verifier"
)

const (
	achA    = "https://example.edu/achievements/course-a"
	achB    = "https://example.edu/achievements/course-b"
	achC    = "https://example.edu/achievements/course-c"
	program = "https://example.edu/programs/certificate"
)

func programAchievement() credential.Achievement {
	return credential.Achievement{
		ID: program, Type: credential.One("Achievement"), Name: "Certificate",
		Description: "The three courses.", Criteria: &credential.Criteria{Narrative: "Earn the three course badges."},
	}
}

// threeBadges are three badges for the learner from two issuers.
func threeBadges(t *testing.T) [][]byte {
	return [][]byte{badge(t, 2, learner, achA), badge(t, 2, learner, achB), badge(t, 3, learner, achC)}
}

func partOfProgram() []clr.Association {
	return []clr.Association{
		clr.NewAssociation(achA, clr.IsPartOf, program),
		clr.NewAssociation(achB, clr.IsPartOf, program),
		clr.NewAssociation(program, clr.IsParentOf, achC),
	}
}

func assemble(t *testing.T, creds [][]byte, opts clr.AssembleOptions) []byte {
	t.Helper()
	opts.Now = clock
	c, err := clr.Assemble(creds, opts)
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	return b
}

// TestAssembleIssueVerify: a CLR assembled from three signed badges, with
// a program achievement and associations, is signed by the issuer with
// eddsa-rdfc-2022 and as a VC-JWT, and verifies with every embedded
// credential; read back, it holds the badges byte for byte.
func TestAssembleIssueVerify(t *testing.T) {
	creds := threeBadges(t)
	unsigned := assemble(t, creds, clr.AssembleOptions{Name: "Transcript", Achievements: []credential.Achievement{programAchievement()}, Associations: partOfProgram()})
	for _, format := range []issuer.Format{issuer.FormatDataIntegrity, issuer.FormatJWT} {
		signed, err := newIssuer(t, 1, format).IssueJSON(context.Background(), unsigned)
		require.NoError(t, err)
		for _, lenient := range []bool{false, true} {
			r, err := newVerifier(t, lenient).Verify(context.Background(), signed)
			require.NoError(t, err)
			require.True(t, r.Verified, r.Summary())
			assert.True(t, r.Conformant, r.Summary())
			assert.Len(t, r.VerifiedCredentials(), 3)
		}
		if format == issuer.FormatJWT {
			continue
		}
		c, err := clr.Parse(signed)
		require.NoError(t, err)
		assert.Empty(t, c.Validate().Errors())
		assert.Equal(t, learner, c.CredentialSubject.ID)
		require.Len(t, c.CredentialSubject.VerifiableCredential, 3)
		for i, e := range c.CredentialSubject.VerifiableCredential {
			assert.JSONEq(t, string(creds[i]), string(e.Credential.Raw()))
		}
		again, err := json.Marshal(c)
		require.NoError(t, err)
		assert.JSONEq(t, string(signed), string(again), "read and written back, the same JSON")
	}
}

// TestAssembleJWTComponents: VC-JWT badges are embedded as tokens and
// verified as such.
func TestAssembleJWTComponents(t *testing.T) {
	doc := sampleDoc(t)
	b, _ := json.Marshal(doc)
	tok, err := newIssuer(t, 2, issuer.FormatJWT).IssueJSON(context.Background(), b)
	require.NoError(t, err)
	unsigned := assemble(t, [][]byte{tok, badge(t, 3, learner, achB)}, clr.AssembleOptions{})
	signed, err := newIssuer(t, 1, issuer.FormatDataIntegrity).IssueJSON(context.Background(), unsigned)
	require.NoError(t, err)
	r, err := newVerifier(t, false).Verify(context.Background(), signed)
	require.NoError(t, err)
	require.True(t, r.Verified, r.Summary())
	c, err := clr.Parse(signed)
	require.NoError(t, err)
	assert.Equal(t, string(tok), c.CredentialSubject.VerifiableCredential[0].JWT)
	assert.Equal(t, learner, c.CredentialSubject.VerifiableCredential[0].Subject().ID)
}

func TestAssembleRefuses(t *testing.T) {
	_, err := clr.Assemble(nil, clr.AssembleOptions{})
	assert.ErrorIs(t, err, clr.ErrNoCredentials)
	_, err = clr.Assemble([][]byte{[]byte("not a credential")}, clr.AssembleOptions{})
	assert.ErrorIs(t, err, clr.ErrCredential)
	_, err = clr.Assemble([][]byte{[]byte(`{"a":1,"a":2}`)}, clr.AssembleOptions{})
	assert.ErrorIs(t, err, credential.ErrDuplicateKey)
}

// hasProblem reports whether ps has an error of rule at path.
func hasProblem(ps credential.Problems, rule, path string) bool {
	for _, p := range ps.Errors() {
		if p.Rule == rule && p.Path == path {
			return true
		}
	}
	return false
}

// TestIssuerRefusesBrokenCLR: every CLR rule stops the issuer from signing,
// with the rule and the path.
func TestIssuerRefusesBrokenCLR(t *testing.T) {
	good := threeBadges(t)
	other := badge(t, 2, "did:example:someone-else", achB)
	notBadge := func() []byte {
		d := sampleDoc(t)
		d["type"] = []any{"VerifiableCredential"}
		return sign(t, 2, d)
	}()
	cases := []struct {
		name  string
		creds [][]byte
		opts  clr.AssembleOptions
		edit  func(m map[string]any)
		rule  string
		path  string
	}{
		{name: "another learner", creds: [][]byte{good[0], other}, rule: clr.RuleLearner, path: "$.credentialSubject.verifiableCredential[1].credentialSubject"},
		{name: "not a badge", creds: [][]byte{good[0], notBadge}, rule: clr.RuleCredential, path: "$.credentialSubject.verifiableCredential[1].type"},
		{name: "dangling target", creds: good, opts: clr.AssembleOptions{Associations: []clr.Association{clr.NewAssociation(achA, clr.IsPartOf, program)}}, rule: clr.RuleAssociation, path: "$.credentialSubject.association[0].targetId"},
		{name: "dangling source", creds: good, opts: clr.AssembleOptions{Associations: []clr.Association{clr.NewAssociation("urn:x:none", clr.Precedes, achA)}}, rule: clr.RuleAssociation, path: "$.credentialSubject.association[0].sourceId"},
		{name: "cycle", creds: good, opts: clr.AssembleOptions{Associations: []clr.Association{
			clr.NewAssociation(achA, clr.IsPartOf, achB), clr.NewAssociation(achB, clr.IsChildOf, achC), clr.NewAssociation(achA, clr.IsParentOf, achC),
		}}, rule: clr.RuleAssociationCycle, path: "$.credentialSubject.association[2]"},
		{name: "self", creds: good, opts: clr.AssembleOptions{Associations: []clr.Association{clr.NewAssociation(achA, clr.IsPartOf, achA)}}, rule: clr.RuleAssociationCycle, path: "$.credentialSubject.association[0]"},
		{name: "unknown type", creds: good, opts: clr.AssembleOptions{Associations: []clr.Association{clr.NewAssociation(achA, "isCousinOf", achB)}}, rule: credential.RuleEnum, path: "$.credentialSubject.association[0].associationType"},
		{name: "closed association", creds: good, edit: func(m map[string]any) {
			m["association"] = []any{map[string]any{"type": "Association", "associationType": "isPeerOf", "sourceId": achA, "targetId": achB, "weight": 2}}
		}, rule: credential.RuleClosed, path: "$.credentialSubject.association[0].weight"},
		{name: "association type", creds: good, edit: func(m map[string]any) {
			m["association"] = map[string]any{"type": "Link", "associationType": "isPeerOf", "sourceId": achA, "targetId": achB}
		}, rule: credential.RuleType, path: "$.credentialSubject.association.type"},
		{name: "subject type", creds: good, edit: func(m map[string]any) { m["type"] = "Person" }, rule: credential.RuleType, path: "$.credentialSubject.type"},
		{name: "no credentials", creds: good, edit: func(m map[string]any) { delete(m, "verifiableCredential") }, rule: credential.RuleRequired, path: "$.credentialSubject.verifiableCredential"},
		{name: "no learner", creds: good, edit: func(m map[string]any) { delete(m, "id") }, rule: credential.RuleRequired, path: "$.credentialSubject"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := assemble(t, tc.creds, tc.opts)
			if tc.edit != nil {
				m := decode(t, b)
				tc.edit(obj(m["credentialSubject"]))
				b, _ = json.Marshal(m)
			}
			_, err := newIssuer(t, 1, issuer.FormatDataIntegrity).IssueJSON(context.Background(), b)
			require.ErrorIs(t, err, issuer.ErrInvalidCredential)
			var ve *issuer.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.True(t, hasProblem(ve.Problems, tc.rule, tc.path), "%s at %s not in %v", tc.rule, tc.path, ve.Problems)
			c, err := clr.Parse(b)
			require.NoError(t, err)
			assert.True(t, hasProblem(c.Validate(), tc.rule, tc.path), "Validate: %v", c.Validate())
		})
	}
}

// TestVerifierCLRRules: a CLR signed although it breaks a CLR rule (an
// embedded credential for another learner) is authentic but not verified
// in strict mode; lenient mode verifies it and relaxes the rule to a
// warning.
func TestVerifierCLRRules(t *testing.T) {
	b := assemble(t, [][]byte{badge(t, 2, learner, achA), badge(t, 2, "did:example:someone-else", achB)}, clr.AssembleOptions{})
	signed := signAnyway(t, 1, decode(t, b))

	r, err := newVerifier(t, false).Verify(context.Background(), signed)
	require.NoError(t, err)
	assert.False(t, r.Verified)
	assert.True(t, r.Signed())
	found := false
	for _, p := range r.Errors {
		if p.Path == "$.credentialSubject.verifiableCredential[1].credentialSubject" && strings.Contains(p.Detail, clr.RuleLearner) {
			found = true
		}
	}
	assert.True(t, found, r.Summary())

	r, err = newVerifier(t, true).Verify(context.Background(), signed)
	require.NoError(t, err)
	require.True(t, r.Verified, r.Summary())
	relaxed := 0
	for _, w := range r.Warnings {
		if w.Relaxed {
			relaxed++
		}
	}
	assert.Equal(t, 1, relaxed, r.Summary())
	_ = verifier.ErrNestedCredential
}

// TestLearnerMatches covers ids and plain and hashed identifiers.
func TestLearnerMatches(t *testing.T) {
	plain := credential.IdentityObject{Type: credential.One("IdentityObject"), Hashed: new(bool), IdentityHash: "ada@example.edu", IdentityType: "emailAddress"}
	hashed := credential.HashedIdentity("emailAddress", "ada@example.edu", "salt1")
	hashed2 := credential.HashedIdentity("emailAddress", "ada@example.edu", "salt2")
	other := credential.HashedIdentity("emailAddress", "bob@example.edu", "salt1")
	asStudentID := credential.HashedIdentity("studentId", "ada@example.edu", "salt1")
	for _, tc := range []struct {
		a, b clr.Learner
		want bool
	}{
		{clr.Learner{ID: "did:example:1"}, clr.Learner{ID: "did:example:1"}, true},
		{clr.Learner{ID: "did:example:1"}, clr.Learner{ID: "did:example:2"}, false},
		{clr.Learner{ID: "did:example:1"}, clr.Learner{}, false},
		{clr.Learner{}, clr.Learner{}, false},
		{clr.Learner{Identifier: []credential.IdentityObject{hashed}}, clr.Learner{Identifier: []credential.IdentityObject{hashed}}, true},
		{clr.Learner{Identifier: []credential.IdentityObject{plain}}, clr.Learner{Identifier: []credential.IdentityObject{hashed2}}, true},
		{clr.Learner{Identifier: []credential.IdentityObject{hashed2}}, clr.Learner{Identifier: []credential.IdentityObject{plain}}, true},
		{clr.Learner{Identifier: []credential.IdentityObject{hashed}}, clr.Learner{Identifier: []credential.IdentityObject{hashed2}}, false}, // salts differ: not shown
		{clr.Learner{Identifier: []credential.IdentityObject{hashed}}, clr.Learner{Identifier: []credential.IdentityObject{other}}, false},
		{clr.Learner{Identifier: []credential.IdentityObject{hashed}}, clr.Learner{Identifier: []credential.IdentityObject{asStudentID}}, false},
		{clr.Learner{ID: "did:example:2", Identifier: []credential.IdentityObject{hashed}}, clr.Learner{ID: "did:example:1", Identifier: []credential.IdentityObject{hashed}}, true},
	} {
		assert.Equal(t, tc.want, tc.a.Matches(tc.b), "%v vs %v", tc.a, tc.b)
	}
}
