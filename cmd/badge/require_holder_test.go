package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/presentation"
)

// TestVerifyRequireHolder: badge verify accepts a signed presentation
// without holder, reporting its signer, and refuses it with --require-holder.
func TestVerifyRequireHolder(t *testing.T) {
	dir := t.TempDir()
	_, _, issuerDID := invokeBadge(t, dir, "keygen", "-o", "issuer.json")
	_, _, holderDID := invokeBadge(t, dir, "keygen", "-o", "holder.json")
	holderDID = strings.TrimSpace(holderDID)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "badge.json"), []byte(presentTestBadge(t, strings.TrimSpace(issuerDID), holderDID)), 0o600))
	code, signed, stderr := invokeBadge(t, dir, "issue", "--key", "issuer.json", "badge.json")
	require.Equal(t, exitOK, code, stderr)

	raw, err := os.ReadFile(filepath.Join(dir, "holder.json"))
	require.NoError(t, err)
	hk, err := keys.Parse(raw)
	require.NoError(t, err)
	unsigned, err := presentation.Compose("", [][]byte{[]byte(signed)}, presentation.Options{})
	require.NoError(t, err)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: hk.Signer, VerificationMethod: hk.VerificationMethod})
	require.NoError(t, err)
	vp, err := p.AddProof(context.Background(), unsigned, dataintegrity.ProofOptions{Purpose: presentation.PurposeAuthentication, Challenge: "abc"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "vp.json"), vp, 0o600))

	code, out, stderr := invokeBadge(t, dir, "verify", "--challenge", "abc", "vp.json")
	assert.Equal(t, exitOK, code, out+stderr)
	assert.Contains(t, out, "no holder claimed, signed by")
	assert.Contains(t, out, hk.DID)

	code, out, stderr = invokeBadge(t, dir, "verify", "--challenge", "abc", "--require-holder", "vp.json")
	assert.Equal(t, exitRejected, code, out+stderr)
	assert.Contains(t, out, "no holder")
}
