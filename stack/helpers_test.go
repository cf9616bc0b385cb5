package stack_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testkeys"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/stack"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// testNow is the tests' clock: after every component's validFrom.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

const (
	learner = "did:example:learner-42"
	achBase = "https://example.edu/achievements/"
	// jsIssuer is the did:key of the components made with the JavaScript
	// reference stack (testdata/js).
	jsIssuer = "did:key:z6Mki35CLQe4dFyb97xuncjhjLEw6XTStqZ3fGkwVhEMcwR2"
)

// testKey is the shared test key of that number (/testdata/keys), its
// did:key and verification method.
func testKey(n byte) (ed25519.PrivateKey, string, string) { return testkeys.Private(int(n)) }

func didOf(seed byte) string { _, d, _ := testKey(seed); return d }

func newIssuer(t testing.TB, seed byte, format issuer.Format) *issuer.Issuer {
	t.Helper()
	priv, _, vm := testKey(seed)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: clock, Format: format})
	require.NoError(t, err)
	return is
}

func verifierConfig() verifier.Config {
	return verifier.Config{
		Suites:     []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Algorithms: []vcjwt.Algorithm{vcjwt.EdDSA},
		Now:        clock,
	}
}

func newVerifier(t testing.TB) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifierConfig())
	require.NoError(t, err)
	return v
}

// component describes a badge to sign.
type component struct {
	seed      byte   // the issuer's key
	subject   string // the learner's id
	ach       string // the achievement's id, after achBase
	validFrom string
	credits   float64
	edit      func(m map[string]any)
	format    issuer.Format
}

// makeBadge signs the badge c describes.
func makeBadge(t testing.TB, c component) []byte {
	t.Helper()
	if c.subject == "" {
		c.subject = learner
	}
	if c.validFrom == "" {
		c.validFrom = "2026-01-01T00:00:00Z"
	}
	if c.seed == 0 {
		c.seed = 2
	}
	doc := map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        fmt.Sprintf("https://example.edu/credentials/%s/%s/%d", c.ach, c.subject, c.seed),
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":      "Course " + c.ach,
		"validFrom": c.validFrom,
		"credentialSubject": map[string]any{
			"id":   c.subject,
			"type": []any{"AchievementSubject"},
			"achievement": map[string]any{
				"id": achBase + c.ach, "type": []any{"Achievement"}, "name": "Course " + c.ach,
				"description": "A course.", "criteria": map[string]any{"narrative": "Pass it."},
			},
		},
	}
	if c.credits != 0 {
		doc["credentialSubject"].(map[string]any)["achievement"].(map[string]any)["creditsAvailable"] = c.credits
	}
	if c.edit != nil {
		c.edit(doc)
	}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	out, err := newIssuer(t, c.seed, c.format).IssueJSON(context.Background(), b)
	require.NoError(t, err)
	return out
}

func pathwayJSON(requires string) []byte {
	return []byte(`{
  "achievement": {"id": "https://example.edu/certificates/data-analytics", "type": ["Achievement"],
    "achievementType": "Certificate", "name": "Data Analytics Certificate",
    "description": "Three courses in data analysis.", "criteria": {"narrative": "Earn the course badges."}},
  "requires": ` + requires + `
}`)
}

func mustPathway(t testing.TB, requires string) *stack.Pathway {
	t.Helper()
	p, err := stack.ParsePathway(pathwayJSON(requires))
	require.NoError(t, err)
	return p
}

// jsComponents are the three components made with the JavaScript
// reference stack (see testdata/js/make-components.mjs).
func jsComponents(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for i := 1; i <= 3; i++ {
		b, err := os.ReadFile(filepath.Join("testdata", "js", fmt.Sprintf("component-%d.json", i)))
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

// revocable is a status list of the issuer of seed, and a verifier that
// checks it.
type revocable struct {
	lists *status.Lists
	id    string
	seed  byte
}

func newRevocable(t testing.TB, seed byte) *revocable {
	t.Helper()
	lists, err := status.NewLists(status.ListsConfig{Store: status.NewMemoryStore(), Signer: newIssuer(t, seed, issuer.FormatDataIntegrity), Now: clock})
	require.NoError(t, err)
	id := "https://example.edu/status/1"
	require.NoError(t, lists.Create(context.Background(), status.ListConfig{ID: id, Issuer: didOf(seed)}))
	return &revocable{lists: lists, id: id, seed: seed}
}

// badge signs a badge with a status entry, revoked if asked.
func (r *revocable) badge(t testing.TB, c component, revoke bool) []byte {
	t.Helper()
	ctx := context.Background()
	e, err := r.lists.Allocate(ctx, r.id)
	require.NoError(t, err)
	c.seed = r.seed
	c.edit = func(m map[string]any) { m["credentialStatus"] = e }
	b := makeBadge(t, c)
	if revoke {
		require.NoError(t, r.lists.Revoke(ctx, r.id, e.Index))
	}
	return b
}

func (r *revocable) verifier(t testing.TB) *verifier.Verifier {
	t.Helper()
	list, err := r.lists.Publish(context.Background(), r.id)
	require.NoError(t, err)
	cfg := verifierConfig()
	checker, err := verifier.NewStatusChecker(cfg, status.NewStaticFetcher(map[string][]byte{r.id: list}))
	require.NoError(t, err)
	cfg.Status = checker
	v, err := verifier.New(cfg)
	require.NoError(t, err)
	return v
}
