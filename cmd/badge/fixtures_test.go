package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/testref"
)

// presentTestBadge is the shared badge template (/testdata/badge-template.json)
// issued by issuerDID to subject.
func presentTestBadge(t *testing.T, issuerDID, subject string) string {
	t.Helper()
	return string(testref.Testdata(t, "badge-template.json", "ISSUER", issuerDID, "SUBJECT", subject, "BADGE_ID", "urn:uuid:5e4b5b1c-3f0e-4c39-a1b2-8f9d2f3a4b5c"))
}

// templateBadge is the shared badge template with id, issued by issuer to
// subject; an empty subject leaves the AchievementSubject with neither id
// nor identifier, which breaks an Open Badges 3.0 rule and nothing else.
func templateBadge(t *testing.T, issuer, subject, id string) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(testref.Testdata(t, "badge-template.json", "ISSUER", issuer, "SUBJECT", subject, "BADGE_ID", id), &doc))
	if subject == "" {
		delete(doc["credentialSubject"].(map[string]any), "id")
	}
	return doc
}
