package credential

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// baseBadge is a valid badge that exercises most classes. Each rule test
// changes one thing in it.
const baseBadge = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
  ],
  "id": "http://example.edu/credentials/3732",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "Data Science Badge",
  "issuer": {
    "id": "https://example.edu/issuers/565049",
    "type": ["Profile"],
    "name": "Example University",
    "url": "https://example.edu",
    "email": "registrar@example.edu",
    "address": {
      "type": ["Address"],
      "addressCountry": "USA",
      "geo": {"type": "GeoCoordinates", "latitude": 40.1, "longitude": -88.2}
    },
    "otherIdentifier": [{"type": "IdentifierEntry", "identifier": "12345", "identifierType": "sourcedId"}],
    "parentOrg": {"id": "https://example.edu/system", "type": ["Profile"]},
    "image": {"id": "https://example.edu/logo.png", "type": "Image"}
  },
  "validFrom": "2010-01-01T00:00:00Z",
  "validUntil": "2030-01-01T00:00:00Z",
  "awardedDate": "2010-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "type": ["AchievementSubject"],
    "activityStartDate": "2009-09-01T00:00:00Z",
    "activityEndDate": "2009-12-20T00:00:00Z",
    "identifier": [{
      "type": "IdentityObject",
      "identityHash": "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
      "identityType": "emailAddress",
      "hashed": true,
      "salt": "Kosher"
    }],
    "achievement": {
      "id": "https://example.edu/achievements/data-science",
      "type": ["Achievement"],
      "achievementType": "Badge",
      "name": "Data Science",
      "description": "Analyses data.",
      "criteria": {"narrative": "Pass the course."},
      "inLanguage": "en-US",
      "alignment": [{
        "type": ["Alignment"],
        "targetName": "Data analysis",
        "targetUrl": "https://example.org/frameworks/1/data-analysis",
        "targetType": "CFItem"
      }],
      "resultDescription": [
        {
          "id": "urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c",
          "type": ["ResultDescription"],
          "name": "Final grade",
          "resultType": "LetterGrade",
          "allowedValue": ["A", "B", "C"]
        },
        {
          "id": "urn:uuid:a70ddc6a-4c4a-4bd8-8277-cb97c79f40c5",
          "type": ["ResultDescription"],
          "name": "Project rubric",
          "resultType": "RubricCriterionLevel",
          "requiredLevel": "urn:uuid:d05a0867-d0ad-4b03-bdb5-28fb5d2aab7a",
          "rubricCriterionLevel": [{
            "id": "urn:uuid:d05a0867-d0ad-4b03-bdb5-28fb5d2aab7a",
            "type": ["RubricCriterionLevel"],
            "name": "Mastery"
          }]
        },
        {
          "id": "urn:uuid:b07c0387-f2d6-4b65-a3f4-f4e4302ea8f7",
          "type": ["ResultDescription"],
          "name": "Completion",
          "resultType": "Status"
        }
      ]
    },
    "result": [
      {"type": ["Result"], "resultDescription": "urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c", "value": "A"},
      {"type": ["Result"], "resultDescription": "urn:uuid:a70ddc6a-4c4a-4bd8-8277-cb97c79f40c5", "achievedLevel": "urn:uuid:d05a0867-d0ad-4b03-bdb5-28fb5d2aab7a"},
      {"type": ["Result"], "resultDescription": "urn:uuid:b07c0387-f2d6-4b65-a3f4-f4e4302ea8f7", "status": "Completed"}
    ]
  },
  "evidence": [{"id": "https://example.edu/evidence/1", "type": ["Evidence"], "name": "Project"}],
  "credentialStatus": {"id": "https://example.edu/status/3732", "type": "1EdTechRevocationList"},
  "credentialSchema": [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}],
  "refreshService": {"id": "https://example.edu/refresh/3732", "type": "1EdTechCredentialRefresh"},
  "termsOfUse": {"type": "ExampleTerms"},
  "relatedResource": [{"id": "https://example.edu/logo.png", "digestSRI": "sha384-S57yQDg1MTzF56Oi9DbSQ14u7jBy0RDdx0YbeV7shwhCS88G8SCXeFq82PafhCrW"}]
}`

// plainVC is a VC 2.0 credential that is not a badge.
const plainVC = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "http://university.example/credentials/3732",
  "type": ["VerifiableCredential", "ExampleDegreeCredential"],
  "issuer": "https://university.example/issuers/565049",
  "validFrom": "2010-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:123", "degree": {"type": "ExampleBachelorDegree", "name": "Bachelor of Science"}}
}`

// v11Badge is a VCDM 1.1 badge.
const v11Badge = `{
  "@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
  "type": ["VerifiableCredential", "AchievementCredential"],
  "issuer": {"id": "https://example.edu/issuers/565049", "type": "Profile"},
  "issuanceDate": "2010-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:1",
    "type": "AchievementSubject",
    "achievement": "https://example.edu/achievements/1"
  }
}`

// edit changes a JSON document given as a map; paths are dot-separated
// member names and array indices ("credentialSubject.result.0.status").
type edit func(m map[string]any)

func set(path string, value any) edit {
	return func(m map[string]any) { walkTo(m, path, func(parent any, k string) { assign(parent, k, value) }) }
}

func del(path string) edit {
	return func(m map[string]any) {
		walkTo(m, path, func(parent any, k string) {
			if p, ok := parent.(map[string]any); ok {
				delete(p, k)
			}
		})
	}
}

func walkTo(m map[string]any, path string, f func(parent any, k string)) {
	parts := strings.Split(path, ".")
	var cur any = m
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, _ := strconv.Atoi(p)
			cur = c[i]
		}
	}
	f(cur, parts[len(parts)-1])
}

func assign(parent any, k string, v any) {
	switch p := parent.(type) {
	case map[string]any:
		p[k] = v
	case []any:
		i, _ := strconv.Atoi(k)
		p[i] = v
	}
}

func build(t *testing.T, base string, edits ...edit) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(base))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		e(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func has(ps Problems, path, rule string, sev Severity) bool {
	for _, p := range ps {
		if p.Path == path && p.Rule == rule && p.Severity == sev {
			return true
		}
	}
	return false
}

func TestValidateBaseDocuments(t *testing.T) {
	for name, doc := range map[string]string{"badge": baseBadge, "plain VC": plainVC, "VCDM 1.1 badge": v11Badge} {
		c, err := Parse([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ps := c.Validate()
		if ps.HasErrors() {
			t.Errorf("%s: unexpected errors: %v", name, ps)
		}
		if name == "VCDM 1.1 badge" {
			if !has(ps, "$", "vcdm.legacy", SeverityWarning) {
				t.Errorf("%s: no vcdm.legacy warning: %v", name, ps)
			}
		} else if len(ps) != 0 {
			t.Errorf("%s: unexpected warnings: %v", name, ps)
		}
	}
}

// ruleCase is one rule test: the edits to a base document, and the problem
// they must cause (or, with pass set, that they must not cause any error).
type ruleCase struct {
	name  string
	base  string
	edits []edit
	path  string
	rule  string
	sev   Severity
	// std is the standard of the problem at path (StandardVCDM unless
	// set).
	std  Standard
	pass bool // the edits keep the document valid
	// schema is false when the JSON Schemas cannot express the rule (or
	// disagree by design), so that the differential check skips the case.
	schema bool
}

func ruleCases() []ruleCase {
	uuid := "urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c"
	return []ruleCase{
		// Required members of the credential.
		{name: "no @context", edits: []edit{del("@context")}, path: "$", rule: "context", schema: true},
		{name: "no id", edits: []edit{del("id")}, path: "$", rule: "required", std: ob3, schema: true},
		{name: "no type", edits: []edit{del("type")}, path: "$", rule: "required", schema: true},
		{name: "no issuer", edits: []edit{del("issuer")}, path: "$", rule: "required", schema: true},
		{name: "no validFrom", edits: []edit{del("validFrom")}, path: "$", rule: "required", std: ob3, schema: true},
		{name: "no credentialSubject", edits: []edit{del("credentialSubject")}, path: "$", rule: "required", schema: true},
		// type
		{name: "type without VerifiableCredential", edits: []edit{set("type", []any{"OpenBadgeCredential"})}, path: "$.type", rule: "type", schema: true},
		{name: "type without OpenBadgeCredential", edits: []edit{set("type", []any{"VerifiableCredential", "AchievementCredential"})}, pass: true, schema: true},
		// The OB context alone does not make a badge (the achievement
		// credential schema does not apply to it).
		{name: "OB context without a badge type", base: plainVC, edits: []edit{set("@context", []any{ContextV2, ContextOB})}, pass: true},
		{name: "type as a string is allowed", edits: []edit{set("credentialSubject.type", "AchievementSubject")}, pass: true, schema: true},
		// @context
		{name: "wrong first context", edits: []edit{set("@context.0", "https://example.org/context")}, path: "$.@context[0]", rule: "context", schema: true},
		{name: "OB context not second", edits: []edit{set("@context", []any{ContextV2, ContextOBExt, ContextOB})}, path: "$.@context[2]", rule: "context.order", std: ob3, schema: true},
		{name: "OB context missing", edits: []edit{set("@context", []any{ContextV2, ContextOBExt})}, path: "$.@context", rule: "context.order", std: ob3, schema: true},
		{name: "outdated OB context", edits: []edit{set("@context.1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json")}, path: "$.@context[1]", rule: "context.version", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "unknown OB context", edits: []edit{set("@context.1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.9.9.json")}, path: "$.@context[1]", rule: "context.version", std: ob3},
		{name: "inline context aliasing @nest", edits: []edit{set("@context", []any{ContextV2, ContextOB, map[string]any{"wrap": "@nest"}})}, path: "$.@context[2].wrap", rule: "shape"},
		{name: "nested context aliasing @id", edits: []edit{set("credentialSubject.@context", map[string]any{"ident": map[string]any{"@id": "@id"}})}, path: "$.credentialSubject.@context.ident", rule: "shape"},
		{name: "inline context allowed", edits: []edit{set("@context", []any{ContextV2, ContextOB, map[string]any{"myTerm": "https://example.org/myTerm"}})}, pass: true, schema: true},
		// URIs
		{name: "id not a URI", edits: []edit{set("id", "3732")}, path: "$.id", rule: "uri"},
		{name: "issuer URI", edits: []edit{set("issuer", "https://example.edu/issuers/565049")}, pass: true, schema: true},
		{name: "issuer not a URI", edits: []edit{set("issuer", "Example University")}, path: "$.issuer", rule: "uri"},
		{name: "subject id not a URI", edits: []edit{set("credentialSubject.id", "jane doe")}, path: "$.credentialSubject.id", rule: "uri"},
		{name: "alignment targetUrl not a URL", edits: []edit{set("credentialSubject.achievement.alignment.0.targetUrl", "not a url")}, path: "$.credentialSubject.achievement.alignment[0].targetUrl", rule: "uri", std: ob3},
		// Dates
		{name: "validFrom without zone", edits: []edit{set("validFrom", "2010-01-01T00:00:00")}, path: "$.validFrom", rule: "datetime", schema: true},
		{name: "validFrom date only", edits: []edit{set("validFrom", "2010-01-01")}, path: "$.validFrom", rule: "datetime", schema: true},
		{name: "validFrom offset", edits: []edit{set("validFrom", "2010-01-01T00:00:00.5+02:00")}, pass: true, schema: true},
		{name: "validUntil before validFrom", edits: []edit{set("validUntil", "2009-01-01T00:00:00Z")}, path: "$.validUntil", rule: "dates.order"},
		{name: "validFrom as value object", edits: []edit{set("validFrom", map[string]any{"@value": "2010-01-01T00:00:00Z", "@type": "xsd:dateTime"})}, path: "$.validFrom", rule: "shape", schema: true},
		{name: "validUntil as array", edits: []edit{set("validUntil", []any{"2009-01-01T00:00:00Z"})}, path: "$.validUntil", rule: "shape", schema: true},
		{name: "issuanceDate in VCDM 2.0", edits: []edit{set("issuanceDate", "2010-01-01T00:00:00Z")}, path: "$.issuanceDate", rule: "vcdm"},
		{name: "awardedDate bad", edits: []edit{set("awardedDate", "yesterday")}, path: "$.awardedDate", rule: "datetime", schema: true},
		{name: "VCDM 1.1 without issuanceDate", base: v11Badge, edits: []edit{del("issuanceDate")}, path: "$", rule: "required"},
		{name: "VCDM 1.1 expiration before issuance", base: v11Badge, edits: []edit{set("expirationDate", "2000-01-01T00:00:00Z")}, path: "$.expirationDate", rule: "dates.order"},
		// Shapes that canonicalize like valid ones
		{name: "issuer as one-element array", edits: []edit{set("issuer", []any{"https://example.edu/issuers/565049"})}, path: "$.issuer", rule: "shape", schema: true},
		{name: "@id instead of id", edits: []edit{del("credentialSubject.id"), set("credentialSubject.@id", "did:example:1")}, path: "$.credentialSubject.@id", rule: "shape"},
		{name: "expanded vocabulary IRI", edits: []edit{func(m map[string]any) { m["https://www.w3.org/2018/credentials#validUntil"] = "2000-01-01T00:00:00Z" }}, path: `$["https://www.w3.org/2018/credentials#validUntil"]`, rule: "shape"},
		{name: "null value", edits: []edit{set("validUntil", nil)}, path: "$.validUntil", rule: "shape", schema: true},
		{name: "empty array", edits: []edit{set("evidence", []any{})}, path: "$.evidence", rule: "shape"},
		{name: "empty string", edits: []edit{set("name", "")}, path: "$.name", rule: "shape", std: ob3},
		{name: "name as language value", edits: []edit{set("name", map[string]any{"@value": "Insignia", "@language": "es"})}, pass: true},
		{name: "name with bad direction", edits: []edit{set("name", map[string]any{"@value": "x", "@direction": "up"})}, path: "$.name.@direction", rule: "language"},
		{name: "name as number", edits: []edit{set("name", json.Number("5"))}, path: "$.name", rule: "shape", schema: true},
		{name: "single-value proof", edits: []edit{set("proof", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5"})}, pass: true},
		// Subject
		{name: "subject without id or identifier", edits: []edit{del("credentialSubject.id"), del("credentialSubject.identifier")}, path: "$.credentialSubject", rule: "subject", std: ob3},
		{name: "subject with identifier only", edits: []edit{del("credentialSubject.id")}, pass: true, schema: true},
		{name: "subject type missing AchievementSubject", edits: []edit{set("credentialSubject.type", []any{"Other"})}, path: "$.credentialSubject.type", rule: "type", std: ob3},
		{name: "no achievement", edits: []edit{del("credentialSubject.achievement")}, path: "$.credentialSubject", rule: "required", std: ob3, schema: true},
		{name: "two subjects", edits: []edit{func(m map[string]any) {
			s := m["credentialSubject"]
			m["credentialSubject"] = []any{s, s}
		}}, path: "$.credentialSubject", rule: "subject", std: ob3},
		{name: "identity hash malformed", edits: []edit{set("credentialSubject.identifier.0.identityHash", "sha256$xyz")}, path: "$.credentialSubject.identifier[0].identityHash", rule: "identity", std: ob3},
		{name: "identity without hashed", edits: []edit{del("credentialSubject.identifier.0.hashed")}, path: "$.credentialSubject.identifier[0]", rule: "required", std: ob3, schema: true},
		{name: "identityType unknown", edits: []edit{set("credentialSubject.identifier.0.identityType", "email")}, path: "$.credentialSubject.identifier[0].identityType", rule: "enum", std: ob3, schema: true},
		{name: "identityType extension", edits: []edit{set("credentialSubject.identifier.0.identityType", "ext:studentNumber")}, pass: true, schema: true},
		// Achievement
		{name: "achievement without criteria", edits: []edit{del("credentialSubject.achievement.criteria")}, path: "$.credentialSubject.achievement", rule: "required", std: ob3, schema: true},
		{name: "achievement without name", edits: []edit{del("credentialSubject.achievement.name")}, path: "$.credentialSubject.achievement", rule: "required", std: ob3, schema: true},
		{name: "achievement without description", edits: []edit{del("credentialSubject.achievement.description")}, path: "$.credentialSubject.achievement", rule: "required", std: ob3, schema: true},
		{name: "achievement without id", edits: []edit{del("credentialSubject.achievement.id")}, path: "$.credentialSubject.achievement", rule: "required", std: ob3, schema: true},
		{name: "achievement type wrong", edits: []edit{set("credentialSubject.achievement.type", []any{"Badge"})}, path: "$.credentialSubject.achievement.type", rule: "type", std: ob3},
		{name: "achievement by URI", edits: []edit{set("credentialSubject.achievement", "https://example.edu/achievements/data-science"), del("credentialSubject.result")}, pass: true},
		{name: "empty criteria", edits: []edit{set("credentialSubject.achievement.criteria", map[string]any{})}, path: "$.credentialSubject.achievement.criteria", rule: "criteria", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "badge without name", edits: []edit{del("name")}, path: "$", rule: "recommended", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "requiredValue not allowed", edits: []edit{set("credentialSubject.achievement.resultDescription.0.requiredValue", "Z")}, path: "$.credentialSubject.achievement.resultDescription[0].requiredValue", rule: "result.value", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "achievementType unknown", edits: []edit{set("credentialSubject.achievement.achievementType", "Trophy")}, path: "$.credentialSubject.achievement.achievementType", rule: "enum", std: ob3, schema: true},
		{name: "achievementType extension", edits: []edit{set("credentialSubject.achievement.achievementType", "ext:Trophy")}, pass: true, schema: true},
		{name: "achievementType bad extension", edits: []edit{set("credentialSubject.achievement.achievementType", "ext:")}, path: "$.credentialSubject.achievement.achievementType", rule: "enum", std: ob3, schema: true},
		{name: "inLanguage malformed", edits: []edit{set("credentialSubject.achievement.inLanguage", "english")}, path: "$.credentialSubject.achievement.inLanguage", rule: "language", std: ob3, schema: true},
		{name: "alignment without targetName", edits: []edit{del("credentialSubject.achievement.alignment.0.targetName")}, path: "$.credentialSubject.achievement.alignment[0]", rule: "required", std: ob3, schema: true},
		{name: "alignment targetType unknown", edits: []edit{set("credentialSubject.achievement.alignment.0.targetType", "Skill")}, path: "$.credentialSubject.achievement.alignment[0].targetType", rule: "enum", std: ob3, schema: true},
		{name: "resultType unknown", edits: []edit{set("credentialSubject.achievement.resultDescription.0.resultType", "Grade")}, path: "$.credentialSubject.achievement.resultDescription[0].resultType", rule: "enum", std: ob3, schema: true},
		{name: "resultDescription without name", edits: []edit{del("credentialSubject.achievement.resultDescription.0.name")}, path: "$.credentialSubject.achievement.resultDescription[0]", rule: "required", std: ob3, schema: true},
		{name: "rubric level without name", edits: []edit{del("credentialSubject.achievement.resultDescription.1.rubricCriterionLevel.0.name")}, path: "$.credentialSubject.achievement.resultDescription[1].rubricCriterionLevel[0]", rule: "required", std: ob3, schema: true},
		{name: "requiredLevel dangling", edits: []edit{set("credentialSubject.achievement.resultDescription.1.requiredLevel", "urn:uuid:0")}, path: "$.credentialSubject.achievement.resultDescription[1].requiredLevel", rule: "resultDescription.requiredLevel", std: ob3},
		{name: "duplicate resultDescription id", edits: []edit{set("credentialSubject.achievement.resultDescription.1.id", uuid), set("credentialSubject.result.1.resultDescription", uuid)}, path: "$.credentialSubject.achievement.resultDescription[1].id", rule: "result.description", std: ob3},
		// Results
		{name: "result points nowhere", edits: []edit{set("credentialSubject.result.0.resultDescription", "urn:uuid:00000000-0000-4000-8000-000000000000")}, path: "$.credentialSubject.result[0].resultDescription", rule: "result.description", std: ob3},
		{name: "status missing for Status result", edits: []edit{del("credentialSubject.result.2.status")}, path: "$.credentialSubject.result[2]", rule: "result.status", std: ob3},
		{name: "status unknown", edits: []edit{set("credentialSubject.result.2.status", "Done")}, path: "$.credentialSubject.result[2].status", rule: "enum", std: ob3, schema: true},
		{name: "achievedLevel dangling", edits: []edit{set("credentialSubject.result.1.achievedLevel", "urn:uuid:0")}, path: "$.credentialSubject.result[1].achievedLevel", rule: "result.level", std: ob3},
		{name: "achievedLevel of another description", edits: []edit{set("credentialSubject.result.1.resultDescription", uuid)}, path: "$.credentialSubject.result[1].achievedLevel", rule: "result.level", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "result value not allowed", edits: []edit{set("credentialSubject.result.0.value", "Z")}, path: "$.credentialSubject.result[0].value", rule: "result.value", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		{name: "VCDM 1.1 refreshService without id", base: v11Badge, edits: []edit{set("refreshService", map[string]any{"type": "1EdTechCredentialRefresh"})}, path: "$.refreshService", rule: "required"},
		{name: "result without type", edits: []edit{del("credentialSubject.result.0.type")}, path: "$.credentialSubject.result[0]", rule: "required", std: ob3, schema: true},
		// Profile
		{name: "issuer profile without type", edits: []edit{del("issuer.type")}, path: "$.issuer", rule: "required", std: ob3, schema: true},
		{name: "issuer profile without id", edits: []edit{del("issuer.id")}, path: "$.issuer", rule: "required", schema: true},
		{name: "address without type", edits: []edit{del("issuer.address.type")}, path: "$.issuer.address", rule: "required", std: ob3, schema: true},
		{name: "geo without latitude", edits: []edit{del("issuer.address.geo.latitude")}, path: "$.issuer.address.geo", rule: "required", std: ob3, schema: true},
		{name: "otherIdentifier without identifierType", edits: []edit{del("issuer.otherIdentifier.0.identifierType")}, path: "$.issuer.otherIdentifier[0]", rule: "required", std: ob3, schema: true},
		{name: "parentOrg without type", edits: []edit{del("issuer.parentOrg.type")}, path: "$.issuer.parentOrg", rule: "required", std: ob3, schema: true},
		{name: "image without type", edits: []edit{del("issuer.image.type")}, path: "$.issuer.image", rule: "required", std: ob3, schema: true},
		// The OB data model allows the id string alone, the schema does not.
		{name: "image as a string", edits: []edit{set("issuer.image", "https://example.edu/logo.png")}, path: "$.issuer.image", rule: "image.string", std: ob3, sev: SeverityWarning, pass: true},
		{name: "image string not a URI", edits: []edit{set("issuer.image", "logo.png")}, path: "$.issuer.image", rule: "uri"},
		{name: "image string javascript:", edits: []edit{set("image", "javascript:alert(1)")}, path: "$.image", rule: "image", std: ob3},
		{name: "image javascript: URI", edits: []edit{set("issuer.image.id", "javascript:alert(1)")}, path: "$.issuer.image.id", rule: "image", std: ob3},
		{name: "image file: URI", edits: []edit{set("issuer.image.id", "file:///etc/passwd")}, path: "$.issuer.image.id", rule: "image", std: ob3},
		{name: "image data: URI of HTML", edits: []edit{set("issuer.image.id", "data:text/html;base64,PHNjcmlwdD4=")}, path: "$.issuer.image.id", rule: "image", std: ob3},
		{name: "image data: URI too large", edits: []edit{set("issuer.image.id", "data:image/png;base64,"+strings.Repeat("A", MaxImageDataURI))}, path: "$.issuer.image.id", rule: "image", std: ob3},
		{name: "image data: PNG", edits: []edit{set("issuer.image.id", "data:image/png;base64,iVBORw0KGgo=")}, pass: true},
		{name: "image data: SVG", edits: []edit{set("issuer.image.id", "data:image/svg+xml;utf8,%3Csvg%2F%3E")}, pass: true},
		{name: "image with an extra property", edits: []edit{set("issuer.image.width", json.Number("5"))}, path: "$.issuer.image.width", rule: "closed", std: ob3, schema: true},
		{name: "identity object with an extra property", edits: []edit{set("credentialSubject.identifier.0.note", "x")}, path: "$.credentialSubject.identifier[0].note", rule: "closed", std: ob3, schema: true},
		{name: "identifier entry with an extra property", edits: []edit{set("issuer.otherIdentifier.0.note", "x")}, path: "$.issuer.otherIdentifier[0].note", rule: "closed", std: ob3, schema: true},
		{name: "identity object type as array", edits: []edit{set("credentialSubject.identifier.0.type", []any{"IdentityObject"})}, pass: true, schema: true},
		{name: "dateOfBirth malformed", edits: []edit{set("issuer.dateOfBirth", "1 May 1990")}, path: "$.issuer.dateOfBirth", rule: "date", std: ob3, schema: true},
		// VC Data Model entries
		{name: "evidence without type", edits: []edit{del("evidence.0.type")}, path: "$.evidence[0]", rule: "required", schema: true},
		{name: "credentialStatus without type", edits: []edit{del("credentialStatus.type")}, path: "$.credentialStatus", rule: "required", schema: true},
		{name: "credentialStatus without id", edits: []edit{del("credentialStatus.id")}, path: "$.credentialStatus", rule: "required", std: ob3, schema: true},
		{name: "credentialSchema without id", edits: []edit{del("credentialSchema.0.id")}, path: "$.credentialSchema[0]", rule: "required", schema: true},
		{name: "credentialSchema id not a URL", edits: []edit{set("credentialSchema.0.id", "schema")}, path: "$.credentialSchema[0].id", rule: "uri"},
		{name: "refreshService without type", edits: []edit{del("refreshService.type")}, path: "$.refreshService", rule: "required", schema: true},
		{name: "termsOfUse without type", edits: []edit{del("termsOfUse.type")}, path: "$.termsOfUse", rule: "required", schema: true},
		{name: "relatedResource without digest", edits: []edit{del("relatedResource.0.digestSRI")}, path: "$.relatedResource[0]", rule: "related-resource"},
		{name: "relatedResource with digestMultibase", edits: []edit{del("relatedResource.0.digestSRI"), set("relatedResource.0.digestMultibase", "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA")}, pass: true},
		{name: "relatedResource duplicate id", edits: []edit{set("relatedResource", []any{
			map[string]any{"id": "https://example.edu/logo.png", "digestSRI": "sha256-abc="},
			map[string]any{"id": "https://example.edu/logo.png", "digestSRI": "sha256-abc="},
		})}, path: "$.relatedResource[1].id", rule: "related-resource"},
		{name: "relatedResource bad SRI", edits: []edit{set("relatedResource.0.digestSRI", "md5-x")}, path: "$.relatedResource[0].digestSRI", rule: "format"},
		{name: "proof without type", edits: []edit{set("proof", []any{map[string]any{"proofValue": "z5"}})}, path: "$.proof[0]", rule: "required", schema: true},
		{name: "proof purpose", edits: []edit{set("proof", []any{map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "authentication", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5"}})}, path: "$.proof[0].proofPurpose", rule: "proof", std: ob3},
		{name: "DataIntegrityProof without cryptosuite", edits: []edit{set("proof", []any{map[string]any{"type": "DataIntegrityProof", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5"}})}, path: "$.proof[0]", rule: "required"},
		{name: "endorsementJwt malformed", edits: []edit{set("endorsementJwt", []any{"not-a-jws"})}, path: "$.endorsementJwt[0]", rule: "format", std: ob3},
		// Nested endorsement
		{name: "endorsement without name", edits: []edit{set("endorsement", []any{map[string]any{
			"@context": []any{ContextV2, ContextOB}, "id": "urn:uuid:1", "type": []any{"VerifiableCredential", "EndorsementCredential"},
			"issuer": "https://example.org/endorser", "validFrom": "2010-01-01T00:00:00Z",
			"credentialSubject": map[string]any{"id": "https://example.edu/issuers/565049", "type": []any{"EndorsementSubject"}},
		}})}, path: "$.endorsement[0]", rule: "required", std: ob3, schema: true},
		{name: "endorsement without proof", edits: []edit{set("endorsement", []any{map[string]any{
			"@context": []any{ContextV2, ContextOB}, "id": "urn:uuid:1", "type": []any{"VerifiableCredential", "EndorsementCredential"},
			"name": "E", "issuer": "https://example.org/endorser", "validFrom": "2010-01-01T00:00:00Z",
			"credentialSubject": map[string]any{"id": "https://example.edu/issuers/565049", "type": []any{"EndorsementSubject"}},
		}})}, path: "$.endorsement[0]", rule: "proof", std: ob3, sev: SeverityWarning, pass: true, schema: true},
		// More rules, each with its standard.
		{name: "VCDM 1.1 badge", base: v11Badge, path: "$", rule: "vcdm.legacy", std: ob3, sev: SeverityWarning, pass: true},
		{name: "email malformed", edits: []edit{set("issuer.email", "registrar")}, path: "$.issuer.email", rule: "format", std: ob3},
		{name: "latitude out of range", edits: []edit{set("issuer.address.geo.latitude", json.Number("91"))}, path: "$.issuer.address.geo.latitude", rule: "format", std: ob3},
		{name: "activity dates reversed", edits: []edit{set("credentialSubject.activityEndDate", "2009-01-01T00:00:00Z")}, path: "$.credentialSubject.activityEndDate", rule: "dates.order", std: ob3, sev: SeverityWarning, pass: true},
		{name: "achievement URI not a URI", edits: []edit{set("credentialSubject.achievement", "data science"), del("credentialSubject.result")}, path: "$.credentialSubject.achievement", rule: "uri", std: ob3},
		{name: "issuer url not a URL", edits: []edit{set("issuer.url", "example.edu")}, path: "$.issuer.url", rule: "uri", std: ob3},
		{name: "creator id not a URI", edits: []edit{set("credentialSubject.achievement.creator", map[string]any{"id": "creator", "type": []any{"Profile"}})}, path: "$.credentialSubject.achievement.creator.id", rule: "uri"},
		{name: "creator without id", edits: []edit{set("credentialSubject.achievement.creator", map[string]any{"type": []any{"Profile"}})}, path: "$.credentialSubject.achievement.creator", rule: "required", std: ob3, schema: true},
		{name: "badge evidence type without Evidence", edits: []edit{set("evidence.0.type", "Work")}, path: "$.evidence[0].type", rule: "type", std: ob3},
		{name: "badge evidence without type", edits: []edit{del("evidence.0.type")}, path: "$.evidence[0]", rule: "required", schema: true},
		{name: "achievement name as number", edits: []edit{set("credentialSubject.achievement.name", json.Number("5"))}, path: "$.credentialSubject.achievement.name", rule: "shape", std: ob3, schema: true},
		{name: "achievement tag as one number", edits: []edit{set("credentialSubject.achievement.tag", []any{json.Number("5")})}, path: "$.credentialSubject.achievement.tag", rule: "shape", std: ob3, schema: true},
		{name: "endorsement subject comment as number", edits: []edit{set("endorsement", []any{map[string]any{
			"@context": []any{ContextV2, ContextOB}, "id": "urn:uuid:1", "type": []any{"VerifiableCredential", "EndorsementCredential"},
			"name": "E", "issuer": "https://example.org/endorser", "validFrom": "2010-01-01T00:00:00Z",
			"credentialSubject": map[string]any{"id": "https://example.edu/issuers/565049", "type": []any{"EndorsementSubject"}, "endorsementComment": json.Number("1")},
		}})}, path: "$.endorsement[0].credentialSubject.endorsementComment", rule: "shape", std: ob3},
		{name: "proof created as number", edits: []edit{set("proof", map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod", "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z5", "created": json.Number("5")})}, path: "$.proof.created", rule: "shape"},
		{name: "name as empty language array", edits: []edit{set("name", []any{})}, path: "$.name", rule: "shape"},
		// Plain VCs get the VC rules only.
		{name: "plain VC without validFrom", base: plainVC, edits: []edit{del("validFrom")}, pass: true},
		{name: "plain VC without id", base: plainVC, edits: []edit{del("id")}, pass: true},
		{name: "plain VC issuer object without id", base: plainVC, edits: []edit{set("issuer", map[string]any{"name": "U"})}, path: "$.issuer", rule: "required"},
		{name: "plain VC empty subject", base: plainVC, edits: []edit{set("credentialSubject", map[string]any{})}, path: "$.credentialSubject", rule: "subject"},
		{name: "plain VC evidence without type", base: plainVC, edits: []edit{set("evidence", map[string]any{"id": "https://example.org/e"})}, path: "$.evidence", rule: "required"},
		{name: "plain VC single-string context", base: plainVC, edits: []edit{set("@context", ContextV2)}, pass: true},
		{name: "plain VC without VerifiableCredential", base: plainVC, edits: []edit{set("type", "ExampleDegreeCredential")}, path: "$.type", rule: "type"},
		{name: "renderMethod without type", base: plainVC, edits: []edit{set("renderMethod", map[string]any{"id": "https://example.org/render"})}, path: "$.renderMethod", rule: "required"},
		{name: "confidenceMethod with type", base: plainVC, edits: []edit{set("confidenceMethod", []any{map[string]any{"type": "X"}})}, pass: true},
		{name: "enveloped credential", base: plainVC, edits: []edit{set("type", "EnvelopedVerifiableCredential"), set("id", "data:application/vc+jwt,eyJ"), del("issuer"), del("credentialSubject")}, pass: true},
		{name: "enveloped credential id not data:", base: plainVC, edits: []edit{set("type", "EnvelopedVerifiableCredential"), del("issuer"), del("credentialSubject")}, path: "$.id", rule: "uri"},
		{name: "plain VC subject array", base: plainVC, edits: []edit{set("credentialSubject", []any{map[string]any{"id": "did:example:1", "a": "b"}, map[string]any{"id": "did:example:2", "a": "c"}})}, pass: true},
	}
}

func TestValidateRules(t *testing.T) {
	for _, tc := range ruleCases() {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.base
			if base == "" {
				base = baseBadge
			}
			c, err := Parse(build(t, base, tc.edits...))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			ps := c.Validate()
			if tc.pass && ps.HasErrors() {
				t.Errorf("unexpected errors: %v", ps.Errors())
			}
			if !tc.pass && !ps.HasErrors() {
				t.Errorf("no error; problems: %v", ps)
			}
			if tc.rule != "" && !has(ps, tc.path, tc.rule, tc.sev) {
				t.Errorf("no %s %q problem at %s; got %v", tc.sev, tc.rule, tc.path, ps)
			}
			for _, p := range ps {
				if p.Path == tc.path && p.Rule == tc.rule && p.Severity == tc.sev && p.Standard != tc.std {
					t.Errorf("%v: standard %v, want %v", p, p.Standard, tc.std)
				}
			}
		})
	}
}

// TestValidateRulesAgainstSchemas runs the rule cases that the JSON Schemas
// can express through the schemas too, and fails where the verdicts differ.
func TestValidateRulesAgainstSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	for _, tc := range ruleCases() {
		if !tc.schema {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			base := tc.base
			if base == "" {
				base = baseBadge
			}
			data := build(t, base, tc.edits...)
			c, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			schema := schemas["achievementcredential"]
			schemaErr := schema.Validate(doc)
			for i := 0; schemaErr != nil && i < 20 && wrapSingleValues(doc, schemaErr); i++ {
				schemaErr = schema.Validate(doc)
			}
			if ours, theirs := !c.Validate().HasErrors(), schemaErr == nil; ours != theirs {
				t.Errorf("Validate says valid=%v, the schema valid=%v: %v", ours, theirs, schemaErr)
			}
		})
	}
}

// TestSharedBenchSample checks that the benchmark sample is a valid badge.
func TestSharedBenchSample(t *testing.T) {
	ref := referenceDir(t)
	data, err := os.ReadFile(filepath.Join(ref, "..", "bench", "ob3-sample.json"))
	if err != nil {
		t.Skip(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Validate() {
		t.Log(p)
	}
}

// allRules are the exported Rule constants.
var allRules = []string{RuleRequired, RuleShape, RuleType, RuleURI, RuleDateTime, RuleDate, RuleDatesOrder,
	RuleContext, RuleContextOrder, RuleContextVersion, RuleVCDM, RuleVCDMLegacy, RuleEnum, RuleSubject,
	RuleResultDescription, RuleResultLevel, RuleResultStatus, RuleResultValue, RuleRequiredLevel, RuleCriteria,
	RuleRecommended, RuleIdentity, RuleRelatedResource, RuleProof, RuleLanguage, RuleFormat, RuleClosed, RuleImage,
	RuleImageString}

// TestEveryRuleHasAStandardCase checks that the rule cases, which assert the
// standard of the problem they cause, cover every rule.
func TestEveryRuleHasAStandardCase(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases() {
		covered[tc.rule] = true
	}
	for _, r := range allRules {
		if !covered[r] {
			t.Errorf("no rule case asserts the standard of a %q problem", r)
		}
	}
}

// TestProblemsHaveKnownStandard checks that every problem Validate reports,
// on the reference vectors, the rule cases and the decoder seeds, names a
// known standard.
func TestProblemsHaveKnownStandard(t *testing.T) {
	var docs [][]byte
	dir, names := exampleCredentials(t)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	for _, tc := range ruleCases() {
		base := tc.base
		if base == "" {
			base = baseBadge
		}
		docs = append(docs, build(t, base, tc.edits...))
	}
	for _, s := range decoderSeeds {
		docs = append(docs, []byte(s))
	}
	n := 0
	for _, data := range docs {
		c, err := Parse(data)
		if err != nil {
			continue
		}
		ps := c.Validate()
		if a := c.Subject(); a != nil && a.Achievement.Achievement != nil {
			ps = append(ps, a.Achievement.Achievement.Validate()...)
		}
		if p := c.Issuer.Profile; p != nil {
			ps = append(ps, p.Validate()...)
		}
		for _, p := range ps {
			n++
			if _, err := p.Standard.MarshalText(); err != nil {
				t.Errorf("%v: %v", p, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no problems to check")
	}
}

// TestRuleNamesAreDocumented checks that every rule the rule cases produce
// is one of the exported Rule constants.
func TestRuleNamesAreDocumented(t *testing.T) {
	known := map[string]bool{}
	for _, r := range allRules {
		known[r] = true
	}
	for _, tc := range ruleCases() {
		base := tc.base
		if base == "" {
			base = baseBadge
		}
		c, err := Parse(build(t, base, tc.edits...))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Validate() {
			if !known[p.Rule] {
				t.Errorf("%s: rule %q is not an exported Rule constant", tc.name, p.Rule)
			}
		}
	}
}

// TestValidateOrderStable checks that Validate reports the problems of a
// language value object with several bad members in the same order every
// time (map order is random in Go).
func TestValidateOrderStable(t *testing.T) {
	c, err := Parse([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],
		"name":{"@value":"n","@language":"not a tag","@direction":"up","x":1,"y":2,"z":3}}`))
	if err != nil {
		t.Fatal(err)
	}
	first := c.Validate()
	if len(first) < 5 {
		t.Fatalf("want at least five problems, got %v", first)
	}
	for range 20 {
		if again := c.Validate(); !reflect.DeepEqual(again, first) {
			t.Fatalf("problems in another order:\n%v\n%v", first, again)
		}
	}
}
