package stack_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/clr"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
)

const jsPathway = `{"achievements": ["https://example.edu/achievements/a1", "https://example.edu/achievements/a2", "https://example.edu/achievements/a3"],
	"minimum": 3, "issuers": ["` + jsIssuer + `"], "minimumCredits": 12, "within": "P2Y"}`

func statuses(p *stack.Progress) []stack.Status {
	var out []stack.Status
	for _, c := range p.Components {
		out = append(out, c.Status)
	}
	return out
}

// TestStackJSComponents: three badges issued with the JavaScript reference
// stack stack into a certificate, which verifies, names each as evidence
// and binds each by digest; with the CLR option, a CLR holding certificate
// and components verifies too, and follows the CLR rules.
func TestStackJSComponents(t *testing.T) {
	ctx := context.Background()
	comps := jsComponents(t)
	p := mustPathway(t, jsPathway)
	v := newVerifier(t)
	prog, err := stack.Evaluate(ctx, p, comps, v)
	require.NoError(t, err)
	require.True(t, prog.Met, "%+v", prog.Missing())
	assert.Equal(t, []stack.Status{stack.Counted, stack.Counted, stack.Counted}, statuses(prog))
	assert.Equal(t, learner, prog.Learner.ID)
	assert.Empty(t, prog.Missing())

	is := newIssuer(t, 1, issuer.FormatDataIntegrity)
	out, err := stack.Issue(ctx, prog, is, stack.IssueOptions{CLR: true, Now: clock})
	require.NoError(t, err)

	r, err := v.Verify(ctx, out.Certificate)
	require.NoError(t, err)
	require.True(t, r.Verified, r.Summary())
	cert := r.Credential
	assert.Equal(t, learner, cert.Subject().ID)
	assert.Equal(t, p.Achievement.ID, cert.Subject().Achievement.ID())
	require.NotNil(t, cert.Subject().CreditsEarned)
	assert.InDelta(t, 12, *cert.Subject().CreditsEarned, 0)
	require.Len(t, cert.Evidence.Items, 3)
	require.Len(t, cert.RelatedResource.Items, 3)
	for i, c := range prog.Counted() {
		assert.Equal(t, c.ID, cert.Evidence.Items[i].ID)
		assert.Equal(t, c.AchievementName, cert.Evidence.Items[i].Name)
		assert.Equal(t, stack.Digest(comps[i]), cert.RelatedResource.Items[i].DigestMultibase)
	}
	require.NoError(t, stack.CheckComponents(out.Certificate, comps))
	// A component changed by one byte is not one the certificate counted.
	changed := append([][]byte{}, comps...)
	changed[1] = []byte(strings.Replace(string(comps[1]), "Exploratory", "Exploratory ", 1))
	assert.ErrorIs(t, stack.CheckComponents(out.Certificate, changed), stack.ErrComponentMismatch)
	assert.ErrorIs(t, stack.CheckComponents(out.Certificate, comps[:2]), stack.ErrComponentMismatch)
	assert.ErrorIs(t, stack.CheckComponents(out.Certificate, append(comps, makeBadge(t, component{ach: "x"}))), stack.ErrComponentMismatch)

	r, err = v.Verify(ctx, out.CLR)
	require.NoError(t, err)
	require.True(t, r.Verified, r.Summary())
	assert.Len(t, r.VerifiedCredentials(), 4)
	record, err := clr.Parse(out.CLR)
	require.NoError(t, err)
	assert.Empty(t, record.Validate().Errors())
	require.Len(t, record.CredentialSubject.Association, 3)
	assert.Equal(t, clr.IsPartOf, record.CredentialSubject.Association[0].AssociationType)
	assert.Equal(t, p.Achievement.ID, record.CredentialSubject.Association[0].TargetID)
}

// TestStackFormats: components as VC-JWTs and baked images count like JSON
// ones; the certificate can be a VC-JWT.
func TestStackFormats(t *testing.T) {
	ctx := context.Background()
	jwt := makeBadge(t, component{ach: "a1", format: issuer.FormatJWT})
	png, _, err := bake.Bake(tinyPNG(t), makeBadge(t, component{ach: "a2"}))
	require.NoError(t, err)
	json3 := makeBadge(t, component{ach: "a3"})
	p := mustPathway(t, `{"achievements": ["`+achBase+`a1", "`+achBase+`a2", "`+achBase+`a3"]}`)
	prog, err := stack.Evaluate(ctx, p, [][]byte{jwt, png, json3}, newVerifier(t))
	require.NoError(t, err)
	require.True(t, prog.Met, "%+v %+v", prog.Missing(), prog.Components)
	assert.Equal(t, "application/vc+jwt", prog.Components[0].MediaType)
	out, err := stack.Issue(ctx, prog, newIssuer(t, 1, issuer.FormatJWT), stack.IssueOptions{CLR: true, Now: clock})
	require.NoError(t, err)
	for _, b := range [][]byte{out.Certificate, out.CLR} {
		r, err := newVerifier(t).Verify(ctx, b)
		require.NoError(t, err)
		require.True(t, r.Verified, r.Summary())
	}
	require.NoError(t, stack.CheckComponents(out.Certificate, [][]byte{jwt, png, json3}))
}

// TestStackBadComponents: a component that is forged, expired, revoked,
// for another learner, from an issuer not allowed, or counted twice never
// counts, and the pathway is then not met.
func TestStackBadComponents(t *testing.T) {
	ctx := context.Background()
	rev := newRevocable(t, 2)
	good := func(ach string) []byte { return rev.badge(t, component{ach: ach}, false) }
	a1, a2, a3 := good("a1"), good("a2"), good("a3")
	forged := []byte(strings.Replace(string(good("a3")), "Course a3", "Course a3 with honours", 1))
	expired := makeBadge(t, component{ach: "a3", seed: 2, edit: func(m map[string]any) { m["validUntil"] = "2026-02-01T00:00:00Z" }})
	revoked := rev.badge(t, component{ach: "a3"}, true)
	other := rev.badge(t, component{ach: "a3", subject: "did:example:someone-else"}, false)
	foreign := makeBadge(t, component{ach: "a3", seed: 9})
	sameAchievement := makeBadge(t, component{ach: "a2", seed: 2, subject: learner, edit: func(m map[string]any) { m["id"] = "urn:uuid:00000000-0000-4000-8000-0000000000a2" }})
	unrelated := rev.badge(t, component{ach: "zz"}, false)
	v := rev.verifier(t)
	p := mustPathway(t, `{"achievements": ["`+achBase+`a1", "`+achBase+`a2", "`+achBase+`a3"], "issuers": ["`+didOf(2)+`"]}`)

	for _, tc := range []struct {
		name   string
		third  []byte
		status stack.Status
		reason string
	}{
		{"forged", forged, stack.NotVerified, "signature"},
		{"expired", expired, stack.NotVerified, "expired"},
		{"revoked", revoked, stack.NotVerified, "revoked"},
		{"another learner", other, stack.OtherLearner, "did:example:someone-else"},
		{"issuer not allowed", foreign, stack.IssuerNotAllowed, didOf(9)},
		{"the same credential twice", a2, stack.Duplicate, "#2"},
		{"a second credential for an achievement", sameAchievement, stack.Duplicate, "#2"},
		{"not part of the pathway", unrelated, stack.NotRequired, "not part of the pathway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prog, err := stack.Evaluate(ctx, p, [][]byte{a1, a2, tc.third}, v)
			require.NoError(t, err)
			assert.False(t, prog.Met)
			assert.Equal(t, []stack.Status{stack.Counted, stack.Counted, tc.status}, statuses(prog), prog.Components[2].Reason)
			assert.Contains(t, prog.Components[2].Reason, tc.reason)
			assert.Equal(t, tc.status.Rejected(), len(prog.Rejected()) == 1)
			missing := prog.Missing()
			require.NotEmpty(t, missing)
			assert.Equal(t, "$.requires.achievements[2]", missing[0].Path)
			_, err = stack.Issue(ctx, prog, newIssuer(t, 1, issuer.FormatDataIntegrity), stack.IssueOptions{})
			assert.ErrorIs(t, err, stack.ErrNotMet)
			assert.ErrorContains(t, err, "$.requires.achievements[2]")
		})
	}
	// With the good third one, the same verifier counts all three.
	prog, err := stack.Evaluate(ctx, p, [][]byte{a1, a2, a3}, v)
	require.NoError(t, err)
	assert.True(t, prog.Met, "%+v", prog.Components)
}

// TestStackMinimumGroupsCredits: a minimum, an any-of group and credits.
func TestStackMinimumGroupsCredits(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	p := mustPathway(t, `{"achievements": ["`+achBase+`a1", "`+achBase+`a2", "`+achBase+`a3"], "minimum": 2, "minimumCredits": 10,
		"groups": [{"achievements": ["`+achBase+`e1", "`+achBase+`e2"], "minimum": 1}]}`)
	a1 := makeBadge(t, component{ach: "a1", credits: 4})
	a3 := makeBadge(t, component{ach: "a3", credits: 4})
	e2 := makeBadge(t, component{ach: "e2", edit: func(m map[string]any) { m["credentialSubject"].(map[string]any)["creditsEarned"] = 2.5 }})

	prog, err := stack.Evaluate(ctx, p, [][]byte{a1, a3}, v)
	require.NoError(t, err)
	assert.False(t, prog.Met)
	paths := func(rs []stack.RequirementReport) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Path)
		}
		return out
	}
	// Two of the four items are met, which is the minimum: only the
	// credits are missing.
	assert.Equal(t, []string{"$.requires.minimumCredits"}, paths(prog.Missing()))
	assert.Equal(t, "8 credits earned", prog.Missing()[0].Detail)
	optional := 0
	for _, r := range prog.Requirements {
		if r.Optional {
			optional++
		}
	}
	assert.Equal(t, 4, optional, "a2, the group and its two achievements")
	// Without a3, the list is short of one.
	prog, err = stack.Evaluate(ctx, p, [][]byte{a1}, v)
	require.NoError(t, err)
	assert.Equal(t, []string{"$.requires.achievements[1]", "$.requires.achievements[2]", "$.requires.groups[0].achievements[0]", "$.requires.groups[0].achievements[1]", "$.requires.groups[0]", "$.requires", "$.requires.minimumCredits"}, paths(prog.Missing()))

	prog, err = stack.Evaluate(ctx, p, [][]byte{a1, a3, e2}, v)
	require.NoError(t, err)
	assert.True(t, prog.Met, "%+v", prog.Missing())
	for _, r := range prog.Requirements {
		if r.Path == "$.requires.minimumCredits" {
			assert.Equal(t, "10.5 credits earned", r.Detail)
		}
	}
	out, err := stack.Issue(ctx, prog, newIssuer(t, 1, issuer.FormatDataIntegrity), stack.IssueOptions{Now: clock})
	require.NoError(t, err)
	c, err := credential.Parse(out.Certificate)
	require.NoError(t, err)
	assert.InDelta(t, 10.5, *c.Subject().CreditsEarned, 0)
}

// TestStackWithin: the components counted must fall within the span; an
// old one is left out when the others meet the pathway without it.
func TestStackWithin(t *testing.T) {
	ctx := context.Background()
	v := newVerifier(t)
	p := mustPathway(t, `{"achievements": ["`+achBase+`a1", "`+achBase+`a2", "`+achBase+`a3"], "minimum": 2, "within": "P1Y"}`)
	old := makeBadge(t, component{ach: "a1", validFrom: "2023-05-01T00:00:00Z"})
	a2 := makeBadge(t, component{ach: "a2", validFrom: "2025-06-01T00:00:00Z"})
	a3 := makeBadge(t, component{ach: "a3", validFrom: "2026-02-01T00:00:00Z"})

	prog, err := stack.Evaluate(ctx, p, [][]byte{old, a2, a3}, v)
	require.NoError(t, err)
	require.True(t, prog.Met, "%+v", prog.Missing())
	assert.Equal(t, []stack.Status{stack.OutsideWindow, stack.Counted, stack.Counted}, statuses(prog))
	out, err := stack.Issue(ctx, prog, newIssuer(t, 1, issuer.FormatDataIntegrity), stack.IssueOptions{Now: clock})
	require.NoError(t, err)
	require.NoError(t, stack.CheckComponents(out.Certificate, [][]byte{a2, a3}))

	prog, err = stack.Evaluate(ctx, p, [][]byte{old, a3}, v)
	require.NoError(t, err)
	assert.False(t, prog.Met)
	require.Len(t, prog.Missing(), 1)
	assert.Equal(t, "$.requires.within", prog.Missing()[0].Path)
	assert.Equal(t, "issued from 2023-05-01 to 2026-02-01", prog.Missing()[0].Detail)
}

// TestStackHashedLearner: components that name the learner by a hashed
// email (the same salt) are one learner's; the certificate names her so.
func TestStackHashedLearner(t *testing.T) {
	ctx := context.Background()
	id := credential.HashedIdentity("emailAddress", "ada@example.edu", "pepper")
	hashed := func(ach string) []byte {
		return makeBadge(t, component{ach: ach, edit: func(m map[string]any) {
			s := m["credentialSubject"].(map[string]any)
			delete(s, "id")
			s["identifier"] = []any{id}
		}})
	}
	p := mustPathway(t, `{"achievements": ["`+achBase+`a1", "`+achBase+`a2"]}`)
	prog, err := stack.Evaluate(ctx, p, [][]byte{hashed("a1"), hashed("a2")}, newVerifier(t))
	require.NoError(t, err)
	require.True(t, prog.Met, "%+v", prog.Components)
	out, err := stack.Issue(ctx, prog, newIssuer(t, 1, issuer.FormatDataIntegrity), stack.IssueOptions{CLR: true, Now: clock})
	require.NoError(t, err)
	c, err := credential.Parse(out.Certificate)
	require.NoError(t, err)
	assert.True(t, c.Subject().HasIdentity("emailAddress", "ada@example.edu"))
	r, err := newVerifier(t).Verify(ctx, out.CLR)
	require.NoError(t, err)
	assert.True(t, r.Verified, r.Summary())

	// The learner given: components for others do not count.
	prog, err = stack.EvaluateWith(ctx, p, [][]byte{hashed("a1"), hashed("a2")}, newVerifier(t), stack.EvaluateOptions{Learner: clr.Learner{ID: learner}})
	require.NoError(t, err)
	assert.Equal(t, []stack.Status{stack.OtherLearner, stack.OtherLearner}, statuses(prog))
}

// TestStackThousand: a pathway of a thousand achievements and a learner
// with a thousand credentials (the speed is BenchmarkEvaluate's).
func TestStackThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("signs a thousand credentials")
	}
	ctx := context.Background()
	p, comps := scaled(t, 1000)
	prog, err := stack.Evaluate(ctx, p, comps, newVerifier(t))
	require.NoError(t, err)
	assert.True(t, prog.Met)
	assert.Len(t, prog.Counted(), 1000)
	assert.Len(t, prog.Requirements, 1002) // each achievement, the list, the credits
}

// scaled is a pathway of n achievements and the learner's n badges.
func scaled(t testing.TB, n int) (*stack.Pathway, [][]byte) {
	t.Helper()
	var ids []string
	var comps [][]byte
	for i := range n {
		ach := fmt.Sprintf("c%04d", i)
		ids = append(ids, `"`+achBase+ach+`"`)
		comps = append(comps, makeBadge(t, component{ach: ach, credits: 1}))
	}
	return mustPathway(t, `{"achievements": [`+strings.Join(ids, ",")+`], "minimumCredits": `+fmt.Sprint(n)+`}`), comps
}

func TestEvaluateMisuse(t *testing.T) {
	_, err := stack.Evaluate(context.Background(), mustPathway(t, jsPathway), nil, nil)
	assert.ErrorIs(t, err, stack.ErrNoVerifier)
	_, err = stack.Evaluate(context.Background(), mustPathway(t, jsPathway), make([][]byte, stack.MaxComponents+1), newVerifier(t))
	assert.ErrorIs(t, err, stack.ErrTooManyComponents)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = stack.Evaluate(ctx, mustPathway(t, jsPathway), jsComponents(t), newVerifier(t))
	assert.ErrorIs(t, err, context.Canceled)
}

func tinyPNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))))
	return b.Bytes()
}
