package realworld

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
)

// The generator: go test ./internal/realworld -update writes the set to
// testdata/realworld; without -update, TestGenerated regenerates it in
// memory and fails if the committed files differ, so that the fixtures
// never drift from the code that explains them.
var update = flag.Bool("update", false, "rewrite testdata/realworld from the generator")

// Fixed instants: everything is signed at issuedAt (the endorsement that
// has since expired at its own date), the status lists were last published
// at listsAt, and the expectations hold at VerifyAt.
var (
	issuedAt = time.Date(2025, 9, 15, 10, 0, 0, 0, time.UTC)
	listsAt  = time.Date(2026, 2, 28, 6, 0, 0, 0, time.UTC)
)

// VerifyAt is the verifier clock of the expectations (Index.Now).
const VerifyAt = "2026-03-01T12:00:00Z"

// The DIDs and URLs of the set: a college and its status service on
// did:web, a badge platform on did:web with a JsonWebKey2020 key, an
// accreditation body and a registrar on did:key.
const (
	collegeDID   = "did:web:example.edu"
	statusSvcDID = "did:web:example.edu:status"
	platformDID  = "did:web:badges.example.org"

	listProper = "https://example.edu/status/revocation/1"
	listShort  = "https://example.edu/status/revocation/legacy"
	listOther  = "https://example.edu/status/revocation/2"

	extContextURL = "https://example.edu/contexts/badge-ext-v1.jsonld"

	contextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	contextV2 = "https://www.w3.org/ns/credentials/v2"
)

// Status list layout: which index each credential holds, and which are set.
const (
	idxClear       = 94    // proper list, clear
	idxRevoked     = 1207  // proper list, revoked
	idxShortClear  = 2     // 8-entry list, clear
	idxShortRevoke = 5     // 8-entry list, revoked
	idxOther       = 3141  // list of the status service, clear
	properBytes    = 16384 // 131,072 one-bit entries: the minimum
	shortBytes     = 1     // 8 entries, as some deployed issuers publish
)

// key is a fixed Ed25519 key with its DID and verification method.
type key struct {
	priv ed25519.PrivateKey
	did  string
	vm   string
}

func seeded(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func webKey(seed byte, id, fragment string) key {
	return key{priv: seeded(seed), did: id, vm: id + "#" + fragment}
}

func keyDID(t testing.TB, seed byte) key {
	priv := seeded(seed)
	d, vm, err := did.NewKeyDID(priv.Public())
	require.NoError(t, err)
	return key{priv: priv, did: d, vm: vm}
}

// ordered is a JSON object whose members are written in the order given
// (key, value, key, value…), as issuers write them; a nil value is left
// out.
type ordered []any

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for i := 0; i+1 < len(o); i += 2 {
		if o[i+1] == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, err := marshal(o[i])
		if err != nil {
			return nil, err
		}
		v, err := marshal(o[i+1])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping, so that the fixtures read
// as an issuer would have written them.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

func list(v ...any) []any { return v }

// gen accumulates the generated files (path relative to the fixture
// directory → content) and the index.
type gen struct {
	t      testing.TB
	files  map[string][]byte
	index  Index
	loader jsonld.DocumentLoader
}

// put stores a JSON file, indented.
func (g *gen) put(name string, data []byte) {
	g.t.Helper()
	var b bytes.Buffer
	require.NoError(g.t, json.Indent(&b, data, "", "  "), name)
	b.WriteByte('\n')
	_, dup := g.files[name]
	require.False(g.t, dup, "%s written twice", name)
	g.files[name] = b.Bytes()
}

func (g *gen) putValue(name string, v any) {
	g.t.Helper()
	b, err := marshal(v)
	require.NoError(g.t, err)
	g.put(name, b)
}

// issue signs a valid credential with the issuer package (which refuses
// what breaks the VC and OB 3.0 rules), eddsa-rdfc-2022, created at at.
func (g *gen) issue(k key, at time.Time, doc ordered) []byte {
	g.t.Helper()
	is, err := issuer.New(issuer.Config{Signer: k.priv, VerificationMethod: k.vm, Now: func() time.Time { return at }, Loader: g.loader})
	require.NoError(g.t, err)
	unsigned, err := marshal(doc)
	require.NoError(g.t, err)
	out, err := is.IssueJSON(context.Background(), unsigned)
	require.NoError(g.t, err)
	return out
}

// signRaw signs doc as it is, without validating it, as a careless issuer
// would: what the issuer package refuses to sign still reaches verifiers.
// The proof is appended as the last member, keeping the others in order.
func (g *gen) signRaw(k key, at time.Time, doc ordered) []byte {
	g.t.Helper()
	unsigned, err := marshal(doc)
	require.NoError(g.t, err)
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite: dataintegrity.SuiteEdDSARDFC2022, Key: k.priv, VerificationMethod: k.vm,
		Now: func() time.Time { return at },
	})
	require.NoError(g.t, err)
	signed, err := p.AddProof(context.Background(), unsigned, dataintegrity.ProofOptions{})
	require.NoError(g.t, err)
	// The proof written as before, its members in name order.
	dec := json.NewDecoder(bytes.NewReader(signed))
	dec.UseNumber()
	var m struct{ Proof map[string]any }
	require.NoError(g.t, dec.Decode(&m))
	pb, err := marshal(m.Proof)
	require.NoError(g.t, err)
	out := append(bytes.TrimSuffix(unsigned, []byte("}")), []byte(`,"proof":`)...)
	return append(append(out, pb...), '}')
}

// webDocument is the did:web document of k as deployed issuers publish it:
// the key in verificationMethod and the same object embedded again under
// assertionMethod (and, for the JWK one, under authentication too).
func webDocument(t testing.TB, k key, jwk bool) *did.Document {
	vm := did.VerificationMethod{ID: k.vm, Controller: k.did}
	ctx := []string{did.ContextDIDv1, did.ContextMultikey}
	if jwk {
		j, err := did.JWKFromPublicKey(k.priv.Public())
		require.NoError(t, err)
		vm.Type, vm.PublicKeyJWK = did.TypeJSONWebKey2020, j
		ctx[1] = did.ContextJWS2020
	} else {
		mb, err := did.EncodePublicKey(k.priv.Public())
		require.NoError(t, err)
		vm.Type, vm.PublicKeyMultibase = did.TypeMultikey, mb
	}
	c, err := marshal(ctx)
	require.NoError(t, err)
	embedded := func() did.MethodRef { m := vm; return did.MethodRef{ID: vm.ID, Method: &m} }
	d := &did.Document{
		Context:             c,
		ID:                  k.did,
		VerificationMethods: []did.VerificationMethod{vm},
		AssertionMethod:     []did.MethodRef{embedded()},
	}
	if jwk {
		d.Authentication = []did.MethodRef{embedded()}
	} else {
		d.Authentication = []did.MethodRef{{ID: vm.ID}}
	}
	return d
}

// statusList is a BitstringStatusListCredential of nbytes bytes with the
// given indexes set, issued and signed by k.
func (g *gen) statusList(k key, url string, nbytes int, set ...uint64) []byte {
	g.t.Helper()
	bs := status.BitstringFromBytes(make([]byte, nbytes))
	for _, i := range set {
		require.NoError(g.t, bs.Set(i, 1, 1))
	}
	return g.issue(k, listsAt, ordered{
		"@context", list(contextV2),
		"id", url,
		"type", list("VerifiableCredential", status.TypeBitstringCredential),
		"issuer", k.did,
		"validFrom", listsAt.Format(time.RFC3339),
		"credentialSubject", ordered{
			"id", url + "#list",
			"type", status.TypeBitstringList,
			"statusPurpose", status.PurposeRevocation,
			"encodedList", bs.Encode(),
		},
	})
}

func statusEntry(url string, index uint64) ordered {
	return ordered{
		"id", fmt.Sprintf("%s#%d", url, index),
		"type", status.TypeBitstringEntry,
		"statusPurpose", status.PurposeRevocation,
		"statusListIndex", fmt.Sprint(index),
		"statusListCredential", url,
	}
}

// badge is the parts of an OpenBadgeCredential that vary across the set.
type badge struct {
	id, name     string
	contexts     []any // after the VC and OB contexts
	issuer       any   // the issuer profile
	validUntil   any   // a date, or nil
	subjectID    any   // the learner's DID, or nil
	achievement  ordered
	result       any // the subject's result, or nil
	credentialSt any // credentialStatus, or nil
}

func (b badge) doc() ordered {
	ctx := append(list(contextV2, contextOB), b.contexts...)
	return ordered{
		"@context", ctx,
		"id", b.id,
		"type", list("VerifiableCredential", "OpenBadgeCredential"),
		"name", b.name,
		"issuer", b.issuer,
		"validFrom", issuedAt.Format(time.RFC3339),
		"validUntil", b.validUntil,
		"credentialSubject", ordered{
			"id", b.subjectID,
			"type", list("AchievementSubject"),
			"achievement", b.achievement,
			"result", b.result,
		},
		"credentialStatus", b.credentialSt,
	}
}

func college(endorsements ...any) ordered {
	var end any
	if len(endorsements) > 0 {
		end = endorsements
	}
	return ordered{
		"id", collegeDID,
		"type", list("Profile"),
		"name", "Example Technical College",
		"url", "https://example.edu",
		"email", "registrar@example.edu",
		"endorsement", end,
	}
}

func platform() ordered {
	return ordered{
		"id", platformDID,
		"type", list("Profile"),
		"name", "Riverside Makerspace (via Example Badges)",
		"url", "https://badges.example.org/orgs/riverside-makerspace",
	}
}

func weldingAchievement(extra ...any) ordered {
	a := ordered{
		"id", "https://example.edu/achievements/welding-safety-1",
		"type", list("Achievement"),
		"achievementType", "Certificate",
		"name", "Welding Safety Level 1",
		"description", "Safe set-up and operation of MIG welding equipment.",
		"criteria", ordered{"narrative", "Pass the practical assessment with at least 80%."},
		"image", ordered{
			"id", "https://example.edu/badges/welding-safety-1.png",
			"type", "Image",
			"caption", "Welding Safety Level 1 badge",
		},
	}
	return append(a, extra...)
}

func makerAchievement(extra ...any) ordered {
	a := ordered{
		"id", "https://badges.example.org/badge-classes/laser-cutter-induction",
		"type", list("Achievement"),
		"name", "Laser Cutter Induction",
		"description", "Completed the laser cutter safety induction.",
		"criteria", ordered{"narrative", "Attend the induction and cut the test piece under supervision."},
	}
	return append(a, extra...)
}

const learner = "did:example:learner-ana-7f3c"

// Expectations shared by several entries.
var (
	verifiedBoth = [2]Expect{
		{Verdict: "verified", Verified: true, Authentic: true, Conformant: true},
		{Verdict: "verified", Verified: true, Authentic: true, Conformant: true},
	}
)

// relaxedConformance: strict says authentic, not conformant (check failed),
// lenient verifies with check relaxed.
func relaxedConformance(check string) [2]Expect {
	return [2]Expect{
		{Verdict: "authentic, not conformant", Authentic: true, Failed: []string{check}},
		{Verdict: "verified", Verified: true, Authentic: true, Relaxed: []string{check}},
	}
}

// notVerifiedBoth: check fails in both modes and the credential is not
// authentic (or not in force).
func notVerifiedBoth(check string) [2]Expect {
	e := Expect{Verdict: "not verified", Conformant: true, Failed: []string{check}}
	return [2]Expect{e, e}
}

func (g *gen) entry(e Entry, exp [2]Expect) {
	e.Strict, e.Lenient = exp[0], exp[1]
	for _, x := range []*Expect{&e.Strict, &e.Lenient} {
		// Empty lists rather than null, so that the index reads the same
		// for every entry.
		if x.Failed == nil {
			x.Failed = []string{}
		}
		if x.Relaxed == nil {
			x.Relaxed = []string{}
		}
	}
	g.index.Credentials = append(g.index.Credentials, e)
}

// extContext is the college's own JSON-LD context for its extension
// members, protected like the OB context so that it cannot redefine terms.
const extContext = `{
  "@context": {
    "@version": 1.1,
    "@protected": true,
    "courseCode": "https://example.edu/vocab#courseCode",
    "creditHours": {"@id": "https://example.edu/vocab#creditHours", "@type": "http://www.w3.org/2001/XMLSchema#decimal"}
  }
}
`

// generate builds the whole set.
func generate(t testing.TB) map[string][]byte {
	static, err := jsonld.NewStaticLoader(map[string][]byte{extContextURL: []byte(extContext)})
	require.NoError(t, err)
	g := &gen{t: t, files: map[string][]byte{}, index: Index{Now: VerifyAt}, loader: jsonld.Chain(jsonld.Embedded(), static)}

	collegeKey := webKey(0xE1, collegeDID, "key-1")
	statusKey := webKey(0xE2, statusSvcDID, "key-1")
	platformKey := webKey(0xB1, platformDID, "key-2024")
	council := keyDID(t, 0xA1)
	registrar := keyDID(t, 0xC1)

	const (
		collegeDoc  = "did/example.edu.json"
		statusDoc   = "did/example.edu_status.json"
		platformDoc = "did/badges.example.org.json"
		ctxFile     = "contexts/badge-ext-v1.jsonld"
	)
	g.putValue(collegeDoc, webDocument(t, collegeKey, false))
	g.putValue(statusDoc, webDocument(t, statusKey, false))
	g.putValue(platformDoc, webDocument(t, platformKey, true))
	g.files[ctxFile] = []byte(extContext)
	pinCollege := map[string]string{collegeDID: collegeDoc}
	pinPlatform := map[string]string{platformDID: platformDoc}

	const (
		properFile = "status/example.edu-revocation-1.json"
		shortFile  = "status/example.edu-revocation-legacy.json"
		otherFile  = "status/example.edu-revocation-2.json"
	)
	g.put(properFile, g.statusList(collegeKey, listProper, properBytes, idxRevoked))
	g.put(shortFile, g.statusList(collegeKey, listShort, shortBytes, idxShortRevoke))
	g.put(otherFile, g.statusList(statusKey, listOther, properBytes))

	welding := func(id string) badge {
		return badge{
			id: id, name: "Welding Safety Level 1", issuer: college(), subjectID: learner,
			achievement: weldingAchievement(),
			result:      list(ordered{"type", list("Result"), "value", "91"}),
		}
	}

	// did:web issuers whose documents repeat the key.
	g.put("credentials/didweb-embedded-method.json", g.issue(collegeKey, issuedAt, welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a01").doc()))
	g.entry(Entry{File: "credentials/didweb-embedded-method.json", Category: "did:web repeated method",
		Description: "did:web issuer whose DID document lists its key in verificationMethod and embeds the same object under assertionMethod; verified offline with the document pinned",
		Resolve:     pinCollege}, verifiedBoth)

	laser := badge{
		id: "urn:uuid:61c7f3a4-2b8e-4d0f-b1a9-5e3c8d7f9a02", name: "Laser Cutter Induction", issuer: platform(),
		subjectID: learner, achievement: makerAchievement(),
	}
	g.put("credentials/didweb-jwk-listed-thrice.json", g.issue(platformKey, issuedAt, laser.doc()))
	g.entry(Entry{File: "credentials/didweb-jwk-listed-thrice.json", Category: "did:web repeated method",
		Description: "badge platform on did:web with a JsonWebKey2020 key defined in verificationMethod and embedded, identical, under assertionMethod and authentication",
		Resolve:     pinPlatform}, verifiedBoth)

	// OB 3.0 rules that deployed issuers break.
	anon := laser
	anon.id, anon.subjectID = "urn:uuid:61c7f3a4-2b8e-4d0f-b1a9-5e3c8d7f9a03", nil
	g.put("credentials/subject-without-id.json", g.signRaw(platformKey, issuedAt, anon.doc()))
	g.entry(Entry{File: "credentials/subject-without-id.json", Category: "OB 3.0 rule",
		Description: "AchievementSubject with neither id nor identifier (the badge names nobody): authentic, breaks an OB 3.0 rule",
		Resolve:     pinPlatform}, relaxedConformance("ob3"))

	img := laser
	img.id = "urn:uuid:61c7f3a4-2b8e-4d0f-b1a9-5e3c8d7f9a04"
	img.achievement = makerAchievement("image", "https://badges.example.org/images/laser-cutter-induction.png")
	g.put("credentials/image-url-string.json", g.signRaw(platformKey, issuedAt, img.doc()))
	imgExp := verifiedBoth
	for i := range imgExp {
		imgExp[i].Warnings = []string{"ob3"}
	}
	g.entry(Entry{File: "credentials/image-url-string.json", Category: "OB 3.0 rule",
		Description: "achievement image given as a bare URL string instead of an Image object: verified in both modes, with a warning",
		Resolve:     pinPlatform}, imgExp)

	typ := laser
	typ.id = "urn:uuid:61c7f3a4-2b8e-4d0f-b1a9-5e3c8d7f9a05"
	typ.achievement = makerAchievement("achievementType", "Workshop")
	g.put("credentials/achievement-type-unprefixed.json", g.signRaw(platformKey, issuedAt, typ.doc()))
	g.entry(Entry{File: "credentials/achievement-type-unprefixed.json", Category: "OB 3.0 rule",
		Description: `achievementType "Workshop", outside the OB 3.0 vocabulary and without the "ext:" prefix`,
		Resolve:     pinPlatform}, relaxedConformance("ob3"))

	// Status lists.
	pinList := func(url, file string) map[string]string { return map[string]string{url: file} }
	clear := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a10")
	clear.credentialSt = statusEntry(listProper, idxClear)
	g.put("credentials/status-clear.json", g.issue(collegeKey, issuedAt, clear.doc()))
	g.entry(Entry{File: "credentials/status-clear.json", Category: "status list",
		Description: "revocation entry on a conformant list (131,072 entries) of the same issuer, bit clear",
		Resolve:     pinCollege, StatusDocs: pinList(listProper, properFile)}, verifiedBoth)

	revoked := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a11")
	revoked.credentialSt = statusEntry(listProper, idxRevoked)
	g.put("credentials/status-revoked.json", g.issue(collegeKey, issuedAt, revoked.doc()))
	g.entry(Entry{File: "credentials/status-revoked.json", Category: "status list",
		Description: "revoked: its bit is set on a conformant list of the same issuer",
		Resolve:     pinCollege, StatusDocs: pinList(listProper, properFile)}, notVerifiedBoth("status"))

	short := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a12")
	short.credentialSt = statusEntry(listShort, idxShortClear)
	g.put("credentials/status-short-list-clear.json", g.issue(collegeKey, issuedAt, short.doc()))
	g.entry(Entry{File: "credentials/status-short-list-clear.json", Category: "status list",
		Description: "status list of 8 entries (fewer than the 131,072 Bitstring Status List requires), properly signed, bit clear",
		Resolve:     pinCollege, StatusDocs: pinList(listShort, shortFile)}, relaxedConformance("status"))

	shortRev := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a13")
	shortRev.credentialSt = statusEntry(listShort, idxShortRevoke)
	g.put("credentials/status-short-list-revoked.json", g.issue(collegeKey, issuedAt, shortRev.doc()))
	g.entry(Entry{File: "credentials/status-short-list-revoked.json", Category: "status list",
		Description: "the same 8-entry list with this credential's bit set: revoked, whatever the list's length",
		Resolve:     pinCollege, StatusDocs: pinList(listShort, shortFile)}, notVerifiedBoth("status"))

	other := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a14")
	other.credentialSt = statusEntry(listOther, idxOther)
	g.put("credentials/status-list-other-issuer.json", g.issue(collegeKey, issuedAt, other.doc()))
	g.entry(Entry{File: "credentials/status-list-other-issuer.json", Category: "status list",
		Description: "status list issued and signed by the college's status service (did:web:example.edu:status), not by the credential's issuer (did:web:example.edu); bit clear",
		Resolve:     map[string]string{collegeDID: collegeDoc, statusSvcDID: statusDoc},
		StatusDocs:  pinList(listOther, otherFile)}, relaxedConformance("status"))

	// Expired, tampered.
	expired := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a20")
	expired.validUntil = "2025-12-31T23:59:59Z"
	g.put("credentials/expired.json", g.issue(collegeKey, issuedAt, expired.doc()))
	g.entry(Entry{File: "credentials/expired.json", Category: "validity",
		Description: "validUntil 2025-12-31, before the verification time",
		Resolve:     pinCollege}, notVerifiedBoth("validity"))

	signed := g.issue(collegeKey, issuedAt, welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a21").doc())
	require.Equal(t, 1, bytes.Count(signed, []byte(`"value":"91"`)))
	g.put("credentials/tampered-result.json", bytes.Replace(signed, []byte(`"value":"91"`), []byte(`"value":"99"`), 1))
	g.entry(Entry{File: "credentials/tampered-result.json", Category: "tampered",
		Description: "result value changed from 91 to 99 after signing",
		Resolve:     pinCollege}, notVerifiedBoth("proof"))

	// Endorsements of the issuer's profile.
	endorsement := func(id string, from time.Time, until any, comment string) json.RawMessage {
		return json.RawMessage(g.issue(council, from, ordered{
			"@context", list(contextV2, contextOB),
			"id", id,
			"type", list("VerifiableCredential", "EndorsementCredential"),
			"name", "Regional Accreditation Council endorsement",
			"issuer", ordered{"id", council.did, "type", list("Profile"), "name", "Regional Accreditation Council"},
			"validFrom", from.Format(time.RFC3339),
			"validUntil", until,
			"credentialSubject", ordered{
				"id", collegeDID,
				"type", list("EndorsementSubject"),
				"endorsementComment", comment,
			},
		}))
	}
	// The current endorsement has no end date, so that the set also
	// verifies as expected against a wall clock after VerifyAt (badge
	// serve has no clock option).
	current := endorsement("urn:uuid:9e0c4b1a-3d2f-4e8a-b7c6-1a2b3c4d5e01", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		nil, "Accredited provider of vocational welding training since 2025.")
	lapsed := endorsement("urn:uuid:9e0c4b1a-3d2f-4e8a-b7c6-1a2b3c4d5e02", time.Date(2023, 1, 10, 0, 0, 0, 0, time.UTC),
		"2025-12-31T23:59:59Z", "Accredited provider of vocational welding training, 2023-2025.")
	endorsed := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a30")
	endorsed.issuer = college(current, lapsed)
	g.put("credentials/issuer-endorsement-expired.json", g.issue(collegeKey, issuedAt, endorsed.doc()))
	g.entry(Entry{File: "credentials/issuer-endorsement-expired.json", Category: "endorsement",
		Description: "issuer profile embeds two endorsements: a current one and one that expired on 2025-12-31",
		Resolve:     pinCollege}, [2]Expect{
		{Verdict: "not verified", Authentic: true, Conformant: true, Failed: []string{"endorsement"},
			VerifiedEndorsements: []string{"$.issuer.endorsement[0]"}},
		{Verdict: "verified", Verified: true, Authentic: true, Conformant: true, Relaxed: []string{"endorsement"},
			VerifiedEndorsements: []string{"$.issuer.endorsement[0]"}},
	})

	// Not a badge; an extension context.
	g.put("credentials/plain-vc-ob-context.json", g.issue(registrar, issuedAt, ordered{
		"@context", list(contextV2, contextOB),
		"id", "urn:uuid:c3f1e2d4-5a6b-4c7d-8e9f-0a1b2c3d4e40",
		"type", list("VerifiableCredential"),
		"name", "Enrolment confirmation",
		"description", "Confirms enrolment in the 2025-2026 welding programme.",
		"issuer", registrar.did,
		"validFrom", issuedAt.Format(time.RFC3339),
		"credentialSubject", ordered{"id", learner},
	}))
	g.entry(Entry{File: "credentials/plain-vc-ob-context.json", Category: "not a badge",
		Description: "plain VerifiableCredential (no OpenBadgeCredential type) that still carries the OB 3.0 context: only the VC Data Model rules apply"},
		verifiedBoth)

	ext := welding("urn:uuid:0b9b2d0e-8f5a-4c1e-9a57-7d1b4f0c2a40")
	ext.contexts = list(extContextURL)
	ext.achievement = weldingAchievement("courseCode", "WLD-101", "creditHours", "1.5")
	g.put("credentials/extension-context.json", g.issue(collegeKey, issuedAt, ext.doc()))
	g.entry(Entry{File: "credentials/extension-context.json", Category: "extension context",
		Description: "badge with the college's own JSON-LD context for extension members (courseCode, creditHours); verifies once the context is pinned",
		Resolve:     pinCollege, Contexts: map[string]string{extContextURL: ctxFile}}, verifiedBoth)

	g.putValue(IndexFile, g.index)
	g.files["README.md"] = []byte(readme)
	return g.files
}

const readme = `# Real-world Open Badges 3.0 credentials

Credentials shaped like what deployed Open Badges 3.0 issuers produce —
did:web documents that repeat their keys, badges that break an OB 3.0 rule
without being forged, short status lists, status lists signed by another
DID of the same service, expired endorsements — with what a strict
verifier (the default, for conformance tools) and a lenient one (for
wallets and displayers) must conclude of each.

INDEX.json lists every credential with a one-line description, the DID
documents (` + "`resolve`" + `), status lists (` + "`statusDocs`" + `) and contexts
(` + "`contexts`" + `) it needs pinned, and the expected verdict, failed checks and
relaxed checks in each mode, at the fixed verification time ` + "`now`" + `
and at any later time (nothing in the set expires after it, so that a
server without a clock option can be tested too).
The same expectations are checked from the library
(internal/realworld), the CLI (cmd/badge: ` + "`badge verify [--lenient] --now …`" + `)
and the VC-API server (vcapi: POST /credentials/verify with and without
` + "`options.lenient`" + `).

Everything here is generated, with fixed keys, clock and ids; do not edit
it by hand. To regenerate:

    go test ./internal/realworld -run TestGenerated -update

Without -update that test regenerates the set in memory and fails if it
differs from these files. Example, from the module root:

    go run ./cmd/badge verify --now 2026-03-01T12:00:00Z \
      --resolve did:web:example.edu=testdata/realworld/did/example.edu.json \
      --status-doc https://example.edu/status/revocation/legacy=testdata/realworld/status/example.edu-revocation-legacy.json \
      --lenient testdata/realworld/credentials/status-short-list-clear.json
`

// TestGenerated regenerates the set and compares it with testdata/realworld
// (or, with -update, writes it there).
func TestGenerated(t *testing.T) {
	files := generate(t)
	dir := Dir(t)
	if *update {
		require.NoError(t, os.RemoveAll(dir))
		for name, b := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, b, 0o644))
		}
		t.Logf("wrote %d files to %s", len(files), dir)
		return
	}
	var onDisk []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		onDisk = append(onDisk, filepath.ToSlash(rel))
		return err
	}))
	var want []string
	for name := range files {
		want = append(want, name)
	}
	slices.Sort(want)
	slices.Sort(onDisk)
	require.Equal(t, want, onDisk, "the files of testdata/realworld (regenerate with -update)")
	for _, name := range want {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		require.NoError(t, err)
		if bytes.Equal(got, files[name]) {
			continue
		}
		if strings.HasPrefix(name, "status/") && sameList(t, got, files[name]) {
			// GZIP output is not guaranteed to stay the same across Go
			// versions (compress/flate may change), and the proof signs
			// it: the committed list means the same and still verifies
			// (the library test checks that), so it stands.
			continue
		}
		assert.Equal(t, string(files[name]), string(got), "%s differs from the generator (regenerate with -update)", name)
	}
}

// sameList reports whether two status list credentials are the same but
// for the compressed form of encodedList and the proof value that signs
// it.
func sameList(t testing.TB, a, b []byte) bool {
	norm := func(data []byte) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m))
		subj, _ := m["credentialSubject"].(map[string]any)
		enc, _ := subj["encodedList"].(string)
		bs, err := status.DecodeList(enc, 0)
		if err != nil {
			return nil
		}
		subj["encodedList"] = fmt.Sprintf("%x", bs.Bytes())
		if p, ok := m["proof"].(map[string]any); ok {
			delete(p, "proofValue")
		}
		return m
	}
	na, nb := norm(a), norm(b)
	return na != nil && assert.ObjectsAreEqual(na, nb)
}
