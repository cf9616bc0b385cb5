package realworld

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// pinned answers from the pinned DID documents and passes the other DIDs
// (did:key endorsers) to the default offline resolver, as badge verify
// --resolve does.

// newVerifier configures a verifier for e the way badge verify does with
// e's pins: DID documents, contexts and status lists from the fixture
// files, nothing from the network, the clock at now.
func newVerifier(t *testing.T, dir string, e Entry, now time.Time, lenient bool) *verifier.Verifier {
	t.Helper()
	var docs []*did.Document
	for id, b := range ReadPins(t, dir, e.Resolve) {
		d, err := did.ParseDocument(b)
		require.NoError(t, err, id)
		require.Equal(t, id, d.ID)
		docs = append(docs, d)
	}
	resolver, err := did.NewPinnedResolver(nil, docs...)
	require.NoError(t, err)
	cfg := verifier.Config{
		Suites:   []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022},
		Resolver: resolver,
		Now:      func() time.Time { return now },
		Lenient:  lenient,
	}
	if len(e.Contexts) > 0 {
		l, err := jsonld.NewStaticLoader(ReadPins(t, dir, e.Contexts))
		require.NoError(t, err)
		cfg.Loader = jsonld.Chain(jsonld.Embedded(), l)
	}
	cfg.Status, err = verifier.NewStatusChecker(cfg, status.NewStaticFetcher(ReadPins(t, dir, e.StatusDocs)))
	require.NoError(t, err)
	v, err := verifier.New(cfg)
	require.NoError(t, err)
	return v
}

func modeName(lenient bool) string {
	if lenient {
		return "lenient"
	}
	return "strict"
}

// TestRealWorld verifies every credential of the set with the library, in
// both modes, and compares with INDEX.json.
func TestRealWorld(t *testing.T) {
	dir, idx := Load(t)
	now, err := time.Parse(time.RFC3339, idx.Now)
	require.NoError(t, err)
	for _, e := range idx.Credentials {
		t.Run(strings.TrimSuffix(filepath.Base(e.File), ".json"), func(t *testing.T) {
			SkipPending(t, e.File)
			data, err := os.ReadFile(filepath.Join(dir, e.File))
			require.NoError(t, err)
			for _, lenient := range []bool{false, true} {
				t.Run(modeName(lenient), func(t *testing.T) {
					r, err := newVerifier(t, dir, e, now, lenient).Verify(context.Background(), data)
					require.NoError(t, err)
					AssertOutcome(t, e.Mode(lenient), OutcomeOf(r), e.File+" "+modeName(lenient))
					// The same holds later (the README promises it, and
					// the badge serve test, which runs on the wall
					// clock, relies on it).
					later := now.AddDate(10, 0, 0)
					r, err = newVerifier(t, dir, e, later, lenient).Verify(context.Background(), data)
					require.NoError(t, err)
					AssertOutcome(t, e.Mode(lenient), OutcomeOf(r), e.File+" "+modeName(lenient)+" in ten years")
				})
			}
		})
	}
}

// TestRealWorldNeedsPins: the pins are what make the pinned credentials
// verify; without them the DID, list or context is unknown and nothing
// verifies, in either mode. (Otherwise a pin listed in INDEX.json could be
// wrong and go unnoticed.)
func TestRealWorldNeedsPins(t *testing.T) {
	dir, idx := Load(t)
	now, err := time.Parse(time.RFC3339, idx.Now)
	require.NoError(t, err)
	for _, e := range idx.Credentials {
		if len(e.Resolve)+len(e.StatusDocs)+len(e.Contexts) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.File))
		require.NoError(t, err)
		for _, lenient := range []bool{false, true} {
			bare := Entry{File: e.File}
			r, err := newVerifier(t, dir, bare, now, lenient).Verify(context.Background(), data)
			require.NoError(t, err)
			assert.False(t, r.Verified, "%s %s verified without its pins: %s", e.File, modeName(lenient), r.Summary())
		}
	}
}

// TestIndexComplete: every credential file is in the index, once, and
// every pinned file exists.
func TestIndexComplete(t *testing.T) {
	dir, idx := Load(t)
	listed := map[string]bool{}
	for _, e := range idx.Credentials {
		assert.False(t, listed[e.File], "%s listed twice", e.File)
		listed[e.File] = true
		assert.NotEmpty(t, e.Description, e.File)
		for _, m := range []map[string]string{e.Resolve, e.StatusDocs, e.Contexts} {
			for k, f := range m {
				assert.FileExists(t, filepath.Join(dir, f), "%s: pin %s", e.File, k)
			}
		}
		for _, x := range []Expect{e.Strict, e.Lenient} {
			assert.Contains(t, []string{string(verifier.VerdictVerified), string(verifier.VerdictNotConformant), string(verifier.VerdictNotVerified)}, x.Verdict, e.File)
			assert.Equal(t, x.Verified, x.Verdict == string(verifier.VerdictVerified), e.File)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "credentials", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		rel, err := filepath.Rel(dir, f)
		require.NoError(t, err)
		assert.True(t, listed[filepath.ToSlash(rel)], "%s is not in %s", rel, IndexFile)
	}
}

// reasons are, for the credentials that fail in some mode, the error each
// failure (strict mode) or relaxed warning (lenient mode) must wrap, with
// the JSON path and conformance it must name: the check names of INDEX.json
// say where, these say why, so that a credential failing for another
// reason than the one it was made for does not pass unnoticed.
var reasons = map[string]struct {
	err         error
	path        string
	conformance string
}{
	"credentials/subject-without-id.json":          {nil, "$.credentialSubject", verifier.ConformanceOB3},
	"credentials/achievement-type-unprefixed.json": {nil, "$.credentialSubject.achievement.achievementType", verifier.ConformanceOB3},
	"credentials/status-short-list-clear.json":     {status.ErrListLength, "$.credentialStatus", verifier.ConformanceStatusList},
	"credentials/status-list-other-issuer.json":    {status.ErrListIssuer, "$.credentialStatus", verifier.ConformanceStatusList},
	"credentials/status-short-list-revoked.json":   {status.ErrRevoked, "$.credentialStatus", ""},
	"credentials/status-revoked.json":              {status.ErrRevoked, "$.credentialStatus", ""},
	"credentials/expired.json":                     {verifier.ErrExpired, "$.validUntil", ""},
	"credentials/tampered-result.json":             {dataintegrity.ErrInvalidSignature, "$.proof", ""},
	"credentials/issuer-endorsement-expired.json":  {verifier.ErrEndorsement, "$.issuer.endorsement[1]", ""},
}

func TestRealWorldReasons(t *testing.T) {
	dir, idx := Load(t)
	now, err := time.Parse(time.RFC3339, idx.Now)
	require.NoError(t, err)
	seen := 0
	for _, e := range idx.Credentials {
		why, ok := reasons[e.File]
		if !ok {
			assert.True(t, e.Strict.Verified && e.Lenient.Verified, "%s fails in some mode: give its reason", e.File)
			continue
		}
		seen++
		data, err := os.ReadFile(filepath.Join(dir, e.File))
		require.NoError(t, err)
		for _, lenient := range []bool{false, true} {
			r, err := newVerifier(t, dir, e, now, lenient).Verify(context.Background(), data)
			require.NoError(t, err)
			ps := r.Errors
			if r.Verified {
				ps = nil
				for _, w := range r.Warnings {
					if w.Relaxed {
						ps = append(ps, w)
					}
				}
			}
			label := e.File + " " + modeName(lenient)
			require.NotEmpty(t, ps, label)
			for _, p := range ps {
				if why.err != nil {
					assert.ErrorIs(t, p.Err, why.err, label)
				}
				assert.Equal(t, why.path, p.Path, label)
				assert.Equal(t, why.conformance, p.Conformance, label)
			}
			// An endorsement's own result says why it failed.
			if sub := r.Endorsements[why.path]; why.err == verifier.ErrEndorsement && assert.NotNil(t, sub, label) {
				assert.ErrorIs(t, sub.Err(), verifier.ErrExpired, label)
			}
		}
	}
	assert.Equal(t, len(reasons), seen, "a reason names a credential that is not in the index")
}
