package credential

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFormsThatCanonicalizeAlike checks the JSON forms that JSON-LD reads
// like another (null, which expansion drops; ["x"] and {"@value": "x"},
// which it reads as "x"): they could be changed after signing without
// breaking the signature, and a reader of the JSON would see something
// else, so Validate rejects them, at every level, as VC Data Model errors
// (failed in every mode of a verifier).
func TestFormsThatCanonicalizeAlike(t *testing.T) {
	endorsement := map[string]any{
		"@context": []any{ContextV2, ContextOB}, "id": "urn:uuid:1", "type": []any{"VerifiableCredential", "EndorsementCredential"},
		"name": "E", "issuer": "https://example.org/endorser", "validFrom": "2010-01-01T00:00:00Z",
		"credentialSubject": map[string]any{"id": "https://example.edu/issuers/565049", "type": []any{"EndorsementSubject"}, "endorsementComment": "Good."},
		"proof":             map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5"},
	}
	withEndorsement := func(at string) edit {
		return func(m map[string]any) {
			var e any // a copy: the edits of one case must not show in another
			b, _ := json.Marshal(endorsement)
			_ = json.Unmarshal(b, &e)
			set(at, []any{e})(m)
		}
	}
	creator := set("credentialSubject.achievement.creator", map[string]any{"id": "https://example.edu/c", "type": []any{"Profile"}, "name": "C"})
	for _, v := range []struct {
		form string
		x    any
	}{
		{"null", nil},
		{"one-element array", []any{"x"}},
		{"value object", map[string]any{"@value": "x"}},
		{"array of a value object", []any{map[string]any{"@value": "x"}}},
		{"nested array", []any{[]any{"x"}, "y"}},
	} {
		for _, tc := range []struct {
			name  string
			base  string
			edits []edit
			at    string
		}{
			{"credential name", baseBadge, nil, "name"},
			{"credential description", baseBadge, nil, "description"},
			{"subject description (not in the model)", baseBadge, nil, "credentialSubject.description"},
			{"subject narrative", baseBadge, nil, "credentialSubject.narrative"},
			{"achievement name", baseBadge, nil, "credentialSubject.achievement.name"},
			{"achievement description", baseBadge, nil, "credentialSubject.achievement.description"},
			{"achievementType", baseBadge, nil, "credentialSubject.achievement.achievementType"},
			{"criteria narrative", baseBadge, nil, "credentialSubject.achievement.criteria.narrative"},
			{"alignment targetName", baseBadge, nil, "credentialSubject.achievement.alignment.0.targetName"},
			{"resultDescription name", baseBadge, nil, "credentialSubject.achievement.resultDescription.0.name"},
			{"rubric level name", baseBadge, nil, "credentialSubject.achievement.resultDescription.1.rubricCriterionLevel.0.name"},
			{"result value", baseBadge, nil, "credentialSubject.result.0.value"},
			{"identity salt", baseBadge, nil, "credentialSubject.identifier.0.salt"},
			{"evidence name", baseBadge, nil, "evidence.0.name"},
			{"issuer name", baseBadge, nil, "issuer.name"},
			{"issuer address locality", baseBadge, nil, "issuer.address.addressLocality"},
			{"creator name", baseBadge, []edit{creator}, "credentialSubject.achievement.creator.name"},
			{"image caption", baseBadge, nil, "issuer.image.caption"},
			{"endorsement name", baseBadge, []edit{withEndorsement("endorsement")}, "endorsement.0.name"},
			{"endorsement comment", baseBadge, []edit{withEndorsement("endorsement")}, "endorsement.0.credentialSubject.endorsementComment"},
			{"achievement endorsement name", baseBadge, []edit{withEndorsement("credentialSubject.achievement.endorsement")}, "credentialSubject.achievement.endorsement.0.name"},
			{"credentialStatus purpose", baseBadge, nil, "credentialStatus.statusPurpose"},
			{"plain VC subject member", plainVC, nil, "credentialSubject.degree"},
			{"plain VC name", plainVC, nil, "name"},
			{"plain VC issuer name", plainVC, []edit{set("issuer", map[string]any{"id": "https://example.org/i", "name": "I"})}, "issuer.name"},
			{"plain VC subject achievement name", plainVC, []edit{set("credentialSubject.achievement", map[string]any{"id": "https://example.org/a", "name": "A"})}, "credentialSubject.achievement.name"},
		} {
			if (tc.base == plainVC || tc.name == "subject description (not in the model)") && v.form != "null" {
				// Another vocabulary may make a member outside the
				// model a set: only null is wrong everywhere.
				continue
			}
			t.Run(v.form+"/"+tc.name, func(t *testing.T) {
				data := build(t, tc.base, append(tc.edits, set(tc.at, v.x))...)
				c, err := Parse(data)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				path := "$"
				for _, p := range splitPath(tc.at) {
					path += p
				}
				ps := c.Validate()
				found := false
				for _, p := range ps {
					if p.Path == path && p.Rule == RuleShape && p.Severity == SeverityError {
						found = true
						if p.Standard != StandardVCDM {
							t.Errorf("%v: standard %v, want vcdm", p, p.Standard)
						}
					}
				}
				if !found {
					t.Errorf("no shape error at %s: %v\n%s", path, ps, data)
				}
			})
		}
	}
}

// splitPath turns a dotted edit path into JSON path steps.
func splitPath(at string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(at); i++ {
		if i < len(at) && at[i] != '.' {
			continue
		}
		seg := at[start:i]
		start = i + 1
		if seg != "" && seg[0] >= '0' && seg[0] <= '9' {
			out = append(out, "["+seg+"]")
		} else {
			out = append(out, "."+seg)
		}
	}
	return out
}

// TestLanguageValues checks where language value objects are accepted: the
// VC Data Model allows them for the name and description of a credential
// and of its issuer; elsewhere the OB 3.0 model has plain strings, so they
// are an Open Badges error (not an integrity one: a language-tagged string
// reads differently from the plain one).
func TestLanguageValues(t *testing.T) {
	fr := map[string]any{"@value": "Insigne", "@language": "fr"}
	rtl := map[string]any{"@value": "شارة", "@language": "ar", "@direction": "rtl"}
	for _, tc := range []struct {
		name  string
		edits []edit
		path  string // "" when valid
		std   Standard
	}{
		{"credential name", []edit{set("name", fr)}, "", 0},
		{"credential name, several languages", []edit{set("name", []any{fr, rtl})}, "", 0},
		{"credential description", []edit{set("description", []any{fr})}, "", 0},
		{"issuer name", []edit{set("issuer.name", []any{fr, rtl})}, "", 0},
		{"issuer description", []edit{set("issuer.description", fr)}, "", 0},
		{"credential name, a plain string among them", []edit{set("name", []any{"Badge", fr})}, "$.name", StandardVCDM},
		{"achievement name", []edit{set("credentialSubject.achievement.name", fr)}, "$.credentialSubject.achievement.name", StandardOB3},
		{"achievement description", []edit{set("credentialSubject.achievement.description", []any{fr, rtl})}, "$.credentialSubject.achievement.description", StandardOB3},
		{"parentOrg name", []edit{set("issuer.parentOrg.name", fr)}, "$.issuer.parentOrg.name", StandardOB3},
		{"evidence name", []edit{set("evidence.0.name", fr)}, "$.evidence[0].name", StandardOB3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := build(t, baseBadge, tc.edits...)
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			ps := c.Validate()
			if tc.path == "" {
				if len(ps) != 0 {
					t.Errorf("problems: %v", ps)
				}
				out, err := json.Marshal(c)
				if err != nil {
					t.Fatal(err)
				}
				assertSameJSON(t, data, out)
				return
			}
			if !has(ps, tc.path, RuleShape, SeverityError) {
				t.Fatalf("no shape error at %s: %v", tc.path, ps)
			}
			for _, p := range ps {
				if p.Path == tc.path && p.Standard != tc.std {
					t.Errorf("%v: standard %v, want %v", p, p.Standard, tc.std)
				}
				if p.Path == tc.path && tc.std == StandardOB3 && !strings.Contains(p.Message, "language value") {
					t.Errorf("%v: the message does not say why", p)
				}
			}
		})
	}
}

// TestExtensionNulls checks that a null inside the value of an extension
// member, which the model keeps as written, is not reported.
func TestExtensionNulls(t *testing.T) {
	c, err := Parse(build(t, baseBadge, set("credentialSubject.achievement.extension", map[string]any{"a": nil, "b": []any{nil}})))
	if err != nil {
		t.Fatal(err)
	}
	if ps := c.Validate(); len(ps) != 0 {
		t.Errorf("problems: %v", ps)
	}
}
