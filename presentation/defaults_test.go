package presentation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
	"github.com/microcred/openbadges/verifier"
)

// TestDefaultClockSkew: with MaxClockSkew left zero, a proof created up to
// verifier.DefaultMaxClockSkew ahead of the verifier's clock is accepted
// and one created further ahead is refused, as for a credential's proof.
func TestDefaultClockSkew(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-0000000000d1", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	v := newVerifier(t, nil)
	for _, tc := range []struct {
		ahead time.Duration
		ok    bool
	}{
		{verifier.DefaultMaxClockSkew - time.Minute, true},
		{verifier.DefaultMaxClockSkew + time.Minute, false},
	} {
		h := newHolder(t, holderSeed, func(c *presentation.HolderConfig) { c.Now = fixedClock(testNow.Add(tc.ahead)) })
		res := verify(t, v, present(t, h, bindOpts, di), expectOpts)
		if tc.ok {
			assert.True(t, res.Verified, "created %v ahead: %s", tc.ahead, problemTypes(res))
		} else {
			require.False(t, res.Verified, "created %v ahead", tc.ahead)
			assert.Contains(t, problemTypes(res), presentation.ProblemProofVerification)
		}
	}
}
