package rdfc

import (
	"context"
	"testing"

	"github.com/microcred/openbadges/internal/cpumeter"
)

// credentialNQuads resembles the expanded form of an Open Badges 3.0
// credential without its proof: about 50 quads, a few blank nodes.
const credentialNQuads = `<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://schema.org/name> "Teamwork Badge" .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialSubject> _:b0 .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#issuer> <https://example.edu/issuers/565049> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validFrom> "2010-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validUntil> "2030-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialSchema> _:b5 .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://schema.org/description> "A badge recognising the development of teamwork skills.\nAwarded on completion of the team project." .
_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .
_:b0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://example.com/achievements/21st-century-skills/teamwork> .
_:b0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identifier> _:b1 .
_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash> "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399" .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityType> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#emailAddress> .
_:b1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#salt> "Kosher" .
<https://example.com/achievements/21st-century-skills/teamwork> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/name> "Teamwork" .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/description> "This badge recognizes the development of the capacity to collaborate within a group environment." .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#criteria> _:b2 .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType> "Badge" .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#image> <https://example.com/achievements/21st-century-skills/teamwork/image> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> _:b3 .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> _:b4 .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#creator> <https://example.edu/issuers/565049> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#tag> "teamwork" .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#tag> "collaboration" .
_:b2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management." .
_:b3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Alignment> .
_:b3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetName> "Collaborate effectively" .
_:b3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetUrl> "https://example.org/frameworks/1/collaborate"^^<https://purl.imsglobal.org/spec/vc/ob/vocab.html#URI> .
_:b3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetType> "CFItem" .
_:b4 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Alignment> .
_:b4 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetName> "Communicate clearly" .
_:b4 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetUrl> "https://example.org/frameworks/1/communicate"^^<https://purl.imsglobal.org/spec/vc/ob/vocab.html#URI> .
_:b4 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetType> "CFItem" .
<https://example.com/achievements/21st-century-skills/teamwork/image> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Image> .
<https://example.com/achievements/21st-century-skills/teamwork/image> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#caption> "Teamwork badge image" .
<https://example.edu/issuers/565049> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .
<https://example.edu/issuers/565049> <https://schema.org/name> "Example University" .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#url> "https://example.edu"^^<https://purl.imsglobal.org/spec/vc/ob/vocab.html#URI> .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#email> "registrar@example.edu" .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#phone> "1-222-333-4444" .
<https://example.edu/issuers/565049> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#address> _:b6 .
_:b6 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Address> .
_:b6 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#addressCountry> "USA"@en .
_:b6 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#addressLocality> "Springfield" .
_:b5 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#1EdTechJsonSchemaValidator2019> .
_:b5 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#id> <https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json> .
`

func benchCanonicalize(b *testing.B, quads []Quad) {
	b.Helper()
	ctx := context.Background()
	if _, err := CanonicalNQuads(ctx, quads, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpumeter.Start()
	for b.Loop() {
		if _, err := CanonicalNQuads(ctx, quads, nil); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkCanonicalize measures CanonicalNQuads on a credential-like
// dataset (the common case: every blank node has a unique first-degree
// hash) and on blank-node-heavy datasets that need Hash N-Degree Quads.
func BenchmarkCanonicalize(b *testing.B) {
	cred, err := ParseNQuads([]byte(credentialNQuads))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("credential", func(b *testing.B) { benchCanonicalize(b, cred) })
	b.Run("cycles20x3", func(b *testing.B) { benchCanonicalize(b, cycles(20, 3)) })
	b.Run("chain30", func(b *testing.B) { benchCanonicalize(b, chain(30)) })
	b.Run("credential-full-result", func(b *testing.B) {
		b.ReportAllocs()
		cpu := cpumeter.Start()
		for b.Loop() {
			if _, err := Canonicalize(context.Background(), cred, nil); err != nil {
				b.Fatal(err)
			}
		}
		cpu.Report(b)
	})
}

func BenchmarkParseNQuads(b *testing.B) {
	data := []byte(credentialNQuads)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseNQuads(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRejectPoison measures how long the default work limit takes to
// reject the shape of the W3C poison test 074 (a 10-blank-node clique).
// Each iteration takes milliseconds: run it with a small -benchtime.
func BenchmarkRejectPoison(b *testing.B) {
	poison := clique(10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CanonicalNQuads(context.Background(), poison, nil); err == nil {
			b.Fatal("accepted")
		}
	}
}
