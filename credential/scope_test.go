package credential

import (
	"testing"
)

// obAttestation is a VC that uses the OB context (for its terms) but is
// typed VerifiableCredential only: an attestation, not an Open Badge.
const obAttestation = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "type": ["VerifiableCredential"],
  "issuer": "https://example.edu/issuers/565049",
  "credentialSubject": {"id": "did:example:1", "narrative": "Attended the workshop."}
}`

// TestRulesFollowType checks that the Open Badges rules apply to the
// credentials typed as OB 3.0 credentials, not to every credential that uses
// the OB context, and that an embedded credential is judged by its own type.
func TestRulesFollowType(t *testing.T) {
	c, err := Parse([]byte(obAttestation))
	if err != nil {
		t.Fatal(err)
	}
	if c.IsBadge() {
		t.Error("a credential typed VerifiableCredential only is taken for a badge because of its context")
	}
	if ps := c.Validate(); len(ps) != 0 {
		t.Errorf("OB rules applied to a credential that is not a badge: %v", ps)
	}
	for _, typ := range []string{"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"} {
		c, err := Parse(build(t, obAttestation, set("type", []any{"VerifiableCredential", typ})))
		if err != nil {
			t.Fatal(err)
		}
		if !c.IsBadge() {
			t.Errorf("%s not taken for a badge", typ)
		}
	}
	c, err = Parse(build(t, obAttestation, set("type", []any{"VerifiableCredential", "ClrCredential"})))
	if err != nil {
		t.Fatal(err)
	}
	if c.IsBadge() {
		t.Error("a ClrCredential taken for a badge")
	}

	// An endorsement embedded in a badge is judged by its own type: typed
	// EndorsementCredential it gets the OB rules (validFrom, name, …); typed
	// otherwise it is reported for that, but not held to the badge rules.
	endorsement := map[string]any{
		"@context": []any{ContextV2, ContextOB}, "id": "urn:uuid:1", "type": []any{"VerifiableCredential", "EndorsementCredential"},
		"name": "E", "issuer": "https://example.org/endorser",
		"credentialSubject": map[string]any{"id": "https://example.edu/issuers/565049", "type": []any{"EndorsementSubject"}},
		"proof":             map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5"},
	}
	c, err = Parse(build(t, baseBadge, set("issuer.endorsement", []any{endorsement})))
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Validate(); !has(ps, "$.issuer.endorsement[0]", RuleRequired, SeverityError) {
		t.Errorf("an embedded EndorsementCredential without validFrom: %v", ps)
	}
	endorsement["type"] = []any{"VerifiableCredential"}
	endorsement["validFrom"] = "2010-01-01T00:00:00Z"
	c, err = Parse(build(t, baseBadge, set("issuer.endorsement", []any{endorsement})))
	if err != nil {
		t.Fatal(err)
	}
	ps := c.Validate()
	if !has(ps, "$.issuer.endorsement[0].type", RuleType, SeverityError) {
		t.Errorf("an endorsement not typed EndorsementCredential: %v", ps)
	}
	for _, p := range ps {
		if p.Path == "$.issuer.endorsement[0].type" && p.Message != "an endorsement's type must include EndorsementCredential" {
			t.Errorf("an embedded VerifiableCredential held to the badge type rule: %v", p)
		}
	}
}
