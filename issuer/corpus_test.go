package issuer_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/verifier"
)

// The exactness guard of the fast path: a generated corpus of varied OB 3.0
// credentials is signed by Issuer (eddsa-rdfc-2022), and for every one
//
//   - our canonical N-Quads equal json-gold's (URDNA2015, the same embedded
//     contexts), for the document and for the proof configuration;
//   - the signature verifies under that slow path (json-gold
//     canonicalization, SHA-256, crypto/ed25519), and under Verify.
//
// The generator avoids the two known json-gold bugs (listed in the jsonld
// tests): it writes no control characters other than tab, newline and
// carriage return (json-gold leaves U+0001, U+0008, U+000B, U+000C and
// U+007F unescaped) and no @direction (which json-gold ignores).

// corpusSize is the number of generated credentials: 2,000, or 200 with
// -short.
func corpusSize() int {
	if testing.Short() {
		return 200
	}
	return 2000
}

// fragments are the pieces generated strings are made of: ASCII, Latin
// accents, CJK, emoji (outside the BMP), JSON and N-Quads escapes.
var fragments = []string{
	"Data", "analysis", "Fundamentals", " ", "—", "Análisis de datos", "Größe", "数据分析",
	"データ", "😀", "🎓", "𝄞", "quote \"", "back\\slash", "tab\t", "line\nbreak", "cr\r",
	"<b>&amp;</b>", "100%", "ÆØÅ", "ﬁ", "\u2028", "e\u0301", "Ωμέγα", "مرحبا", "שלום",
}

type gen struct {
	r *rand.Rand
	// endorse signs an endorsement credential (given without issuer) as
	// the endorser and returns it decoded.
	endorse func(map[string]any) map[string]any
}

func (g gen) text(min, max int) string {
	n := min + g.r.IntN(max-min+1)
	var b strings.Builder
	for range n {
		b.WriteString(fragments[g.r.IntN(len(fragments))])
	}
	return b.String()
}

func (g gen) chance(p float64) bool { return g.r.Float64() < p }

func (g gen) uuid() string {
	return fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", g.r.Uint32(), g.r.Uint32()&0xffff,
		g.r.Uint32()&0xfff, g.r.Uint32()&0xfff, g.r.Uint64()&0xffffffffffff)
}

func (g gen) date(base time.Time) string {
	return base.Add(time.Duration(g.r.Int64N(int64(3 * 365 * 24 * time.Hour)))).UTC().Format(time.RFC3339)
}

// langText is a plain string, or a language value object (VC 2.0 allows
// one for the names and descriptions of a credential and of its issuer; the
// OB 3.0 model has plain strings everywhere else).
func (g gen) langText(min, max int) any {
	s := g.text(min, max)
	if g.chance(0.2) {
		langs := []string{"en", "fr-CA", "de", "zh-Hans", "ja", "ar", "es-419"}
		return map[string]any{"@value": s, "@language": langs[g.r.IntN(len(langs))]}
	}
	return s
}

// number is a JSON number of varied form, kept as json.Number so that it is
// written as generated.
func (g gen) number() json.Number {
	forms := []string{"0", "1", "3", "0.5", "2.25", "12.75", "100", "1e2", "1.5E1", "0.001", "7.0", "1234567.5", "-0"}
	return json.Number(forms[g.r.IntN(len(forms))])
}

func (g gen) alignment() map[string]any {
	a := map[string]any{
		"type":       []any{"Alignment"},
		"targetName": g.text(1, 3),
		"targetUrl":  fmt.Sprintf("https://example.org/frameworks/%d/item/%d", g.r.IntN(5), g.r.IntN(50)),
	}
	if g.chance(0.5) {
		a["targetFramework"] = g.text(1, 3)
	}
	if g.chance(0.5) {
		a["targetType"] = []string{"CFItem", "CFRubric", "CTDL", "ceasn:Competency", "ext:Custom"}[g.r.IntN(5)]
	}
	if g.chance(0.3) {
		a["targetDescription"] = g.text(1, 4)
	}
	if g.chance(0.3) {
		a["targetCode"] = fmt.Sprintf("C%03d", g.r.IntN(20))
	}
	return a
}

func (g gen) achievement() map[string]any {
	a := map[string]any{
		"id":          fmt.Sprintf("https://example.edu/achievements/%d", g.r.IntN(1_000_000)),
		"type":        []any{"Achievement"},
		"name":        g.text(1, 4),
		"description": g.text(1, 8),
		"criteria":    map[string]any{"narrative": g.text(1, 6)},
	}
	if g.chance(0.3) {
		a["criteria"].(map[string]any)["id"] = "https://example.edu/criteria/" + fmt.Sprint(g.r.IntN(100))
	}
	if g.chance(0.6) {
		a["achievementType"] = []string{"Course", "Badge", "Certificate", "Competency", "ext:Residency", "MicroCredential"}[g.r.IntN(6)]
	}
	if g.chance(0.5) {
		a["image"] = map[string]any{"id": fmt.Sprintf("https://example.edu/img/%d.png", g.r.IntN(1000)), "type": "Image"}
	}
	if g.chance(0.7) {
		// Blank-node heavy: alignments are nodes without ids, and some are
		// exact duplicates (the same statements), which RDFC-1.0 must fold.
		n := 1 + g.r.IntN(8)
		list := make([]any, 0, n)
		for range n {
			if len(list) > 0 && g.chance(0.2) {
				list = append(list, list[g.r.IntN(len(list))])
				continue
			}
			list = append(list, g.alignment())
		}
		a["alignment"] = list
	}
	if g.chance(0.4) {
		n := 1 + g.r.IntN(3)
		list := make([]any, 0, n)
		for range n {
			rd := map[string]any{
				"id":         g.uuid(),
				"type":       []any{"ResultDescription"},
				"name":       g.text(1, 3),
				"resultType": []string{"Percent", "GradePointAverage", "LetterGrade", "RubricCriterionLevel", "ext:Custom"}[g.r.IntN(5)],
			}
			if g.chance(0.5) {
				rd["allowedValue"] = []any{"A", "B", "C"}
			}
			list = append(list, rd)
		}
		a["resultDescription"] = list
	}
	if g.chance(0.5) {
		tags := make([]any, 1+g.r.IntN(4))
		for i := range tags {
			tags[i] = g.text(1, 2)
		}
		a["tag"] = tags
	}
	if g.chance(0.3) {
		a["creditsAvailable"] = g.number()
	}
	if g.chance(0.2) {
		a["inLanguage"] = []string{"en", "fr", "de-AT", "zh-Hant"}[g.r.IntN(4)]
	}
	if g.chance(0.2) {
		a["humanCode"] = fmt.Sprintf("DA-%d", g.r.IntN(999))
	}
	if g.chance(0.15) {
		n := 1 + g.r.IntN(2)
		list := make([]any, n)
		for i := range list {
			list[i] = g.endorse(g.endorsement(a["id"].(string)))
		}
		a["endorsement"] = list
	}
	return a
}

// endorsement is an EndorsementCredential to be signed by the endorser and
// nested in the badge.
func (g gen) endorsement(achievementID string) map[string]any {
	return map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        g.uuid(),
		"type":      []any{"VerifiableCredential", "EndorsementCredential"},
		"name":      g.text(1, 3),
		"issuer":    map[string]any{"type": []any{"Profile"}, "name": g.text(1, 2)},
		"validFrom": g.date(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)),
		"credentialSubject": map[string]any{
			"id":                 achievementID,
			"type":               []any{"EndorsementSubject"},
			"endorsementComment": g.text(1, 5),
		},
	}
}

// credential returns a valid OB 3.0 credential issued by controller.
func (g gen) credential(controller string) map[string]any {
	iss := map[string]any{"id": controller, "type": []any{"Profile"}, "name": g.langText(1, 3)}
	if g.chance(0.5) {
		iss["url"] = "https://www.example.edu/" + fmt.Sprint(g.r.IntN(100))
	}
	if g.chance(0.4) {
		iss["email"] = fmt.Sprintf("registrar%d@example.edu", g.r.IntN(100))
	}
	if g.chance(0.3) {
		iss["description"] = g.text(1, 5)
	}
	subject := map[string]any{"type": []any{"AchievementSubject"}, "achievement": g.achievement()}
	if g.chance(0.8) {
		subject["id"] = fmt.Sprintf("did:example:learner%d", g.r.IntN(1_000_000))
	} else {
		// No id: the learner is named by hashed identifiers (blank nodes).
		ids := make([]any, 1+g.r.IntN(2))
		for i := range ids {
			h := sha256.Sum256([]byte(g.text(1, 2)))
			ids[i] = map[string]any{
				"type": "IdentityObject", "hashed": true, "identityHash": fmt.Sprintf("sha256$%x", h),
				"identityType": []string{"emailAddress", "sisSourcedId", "ext:Other"}[g.r.IntN(3)], "salt": g.text(1, 1),
			}
		}
		subject["identifier"] = ids
	}
	if g.chance(0.3) {
		subject["creditsEarned"] = g.number()
	}
	if g.chance(0.4) {
		results := make([]any, 1+g.r.IntN(3))
		for i := range results {
			results[i] = map[string]any{"type": []any{"Result"}, "value": fmt.Sprint(g.r.IntN(101))}
		}
		subject["result"] = results
	}
	validFrom := g.date(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	c := map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":                g.uuid(),
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":              g.langText(1, 4),
		"issuer":            iss,
		"validFrom":         validFrom,
		"credentialSubject": subject,
	}
	if g.chance(0.3) {
		c["description"] = g.langText(1, 6)
	}
	if g.chance(0.3) {
		t, _ := time.Parse(time.RFC3339, validFrom)
		c["validUntil"] = t.Add(time.Duration(1200+g.r.IntN(1000)) * 24 * time.Hour).UTC().Format(time.RFC3339)
	}
	if g.chance(0.2) {
		c["evidence"] = []any{map[string]any{"id": "https://example.edu/evidence/" + fmt.Sprint(g.r.IntN(100)), "type": []any{"Evidence"}, "name": g.text(1, 3)}}
	}
	return c
}

// goldLoader serves json-gold the contexts of l (the embedded ones when
// nil), each decoded once.
type goldLoader struct {
	l    jsonld.DocumentLoader
	mu   sync.Mutex
	docs map[string]any
}

func (g *goldLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if d, ok := g.docs[u]; ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
	}
	l := g.l
	if l == nil {
		l = jsonld.Embedded()
	}
	rd, err := l.LoadDocument(context.Background(), u)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	var d any
	if err := json.Unmarshal([]byte(rd.Document), &d); err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	if g.docs == nil {
		g.docs = map[string]any{}
	}
	g.docs[u] = d
	return &ld.RemoteDocument{DocumentURL: u, Document: d}, nil
}

func goldCanonical(l ld.DocumentLoader, doc any) (string, error) {
	o := ld.NewJsonLdOptions("")
	o.DocumentLoader = l
	o.ProcessingMode = ld.JsonLd_1_1
	o.Algorithm = ld.AlgorithmURDNA2015
	o.Format = "application/n-quads"
	out, err := ld.NewJsonLdProcessor().Normalize(doc, o)
	if err != nil {
		return "", err
	}
	s, _ := out.(string)
	return s, nil
}

func TestCorpusAgainstJSONGold(t *testing.T) {
	priv, _, vm := testKey(7)
	pub := priv.Public().(ed25519.PublicKey)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Now: fixedClock(testNow), SkipStatus: true})
	if err != nil {
		t.Fatal(err)
	}
	proc, err := jsonld.NewProcessor(jsonld.Config{})
	if err != nil {
		t.Fatal(err)
	}
	gl := &goldLoader{}
	ctx := context.Background()
	endorserKey, _, endorserVM := testKey(8)
	endorser, err := issuer.New(issuer.Config{Signer: endorserKey, VerificationMethod: endorserVM, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	g := gen{r: rand.New(rand.NewPCG(2026, 11)), endorse: func(e map[string]any) map[string]any {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := endorser.IssueJSON(ctx, data)
		if err != nil {
			t.Fatalf("endorsement: %v\n%s", err, data)
		}
		var out map[string]any
		if err := json.Unmarshal(signed, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}}
	var quads, withEndorsement, withLang int
	n := corpusSize()
	for i := range n {
		cred := g.credential(is.Controller())
		data, err := json.Marshal(cred)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `"endorsement"`) {
			withEndorsement++
		}
		if strings.Contains(string(data), `"@language"`) {
			withLang++
		}
		signed, err := is.IssueJSON(ctx, data)
		if err != nil {
			t.Fatalf("credential %d: issue: %v\n%s", i, err, data)
		}
		if r, err := v.Verify(ctx, signed); err != nil || !r.Verified {
			t.Fatalf("credential %d: Verify: %v %s\n%s", i, err, r.Summary(), signed)
		}

		// The slow path, from the signed bytes.
		var doc map[string]any
		if err := json.Unmarshal(signed, &doc); err != nil {
			t.Fatal(err)
		}
		proof := doc["proof"].(map[string]any)
		delete(doc, "proof")
		config := map[string]any{}
		for k, x := range proof {
			if k != "proofValue" {
				config[k] = x
			}
		}
		config["@context"] = doc["@context"]
		goldDoc, err := goldCanonical(gl, doc)
		if err != nil {
			t.Fatalf("credential %d: json-gold: %v", i, err)
		}
		goldConfig, err := goldCanonical(gl, config)
		if err != nil {
			t.Fatalf("credential %d: json-gold (proof configuration): %v", i, err)
		}
		unsigned, _ := json.Marshal(doc)
		ours, err := proc.Canonicalize(ctx, unsigned)
		if err != nil {
			t.Fatalf("credential %d: canonicalize: %v", i, err)
		}
		if string(ours) != goldDoc {
			t.Fatalf("credential %d: canonical N-Quads differ from json-gold's\nours:\n%s\njson-gold:\n%s\ndocument: %s", i, ours, goldDoc, unsigned)
		}
		oursConfig, err := proc.CanonicalizeValue(ctx, config)
		if err != nil || string(oursConfig) != goldConfig {
			t.Fatalf("credential %d: proof configuration differs (%v)\nours:\n%s\njson-gold:\n%s", i, err, oursConfig, goldConfig)
		}
		sig, err := dataintegrity.DecodeProofValue(proof["proofValue"].(string), ed25519.SignatureSize)
		if err != nil {
			t.Fatal(err)
		}
		hc, hd := sha256.Sum256([]byte(goldConfig)), sha256.Sum256([]byte(goldDoc))
		if !ed25519.Verify(pub, append(hc[:], hd[:]...), sig) {
			t.Fatalf("credential %d: the signature does not verify over json-gold's canonical form", i)
		}
		quads += strings.Count(goldDoc, "\n")
	}
	t.Logf("%d credentials (%d with endorsements, %d with language values), %d statements, all equal to json-gold and verified by both paths", n, withEndorsement, withLang, quads)
	if withEndorsement == 0 || withLang == 0 {
		t.Fatal("the generator did not cover endorsements and language values")
	}
}

// TestVectorsSignedAgainstJSONGold signs every JSON-LD document of the
// shared vectors (its proofs removed) with eddsa-rdfc-2022 through
// dataintegrity.Prover and our processor (the reference contexts), and
// checks the signature the slow way: json-gold's canonical form of the
// document and of the proof configuration equals ours, and crypto/ed25519
// verifies the signature over it. Documents our safe mode rejects are
// counted, not signed (jsonld's differential test checks that json-gold's
// safe mode rejects them too, or lists why not).
func TestVectorsSignedAgainstJSONGold(t *testing.T) {
	ref := testref.Reference(t)
	var cidx struct {
		Contexts map[string]struct {
			File string `json:"file"`
		} `json:"contexts"`
	}
	readJSON(t, filepath.Join(ref, "contexts", "INDEX.json"), &cidx)
	ctxDocs := map[string][]byte{}
	for url, c := range cidx.Contexts {
		b, err := os.ReadFile(filepath.Join(ref, "contexts", c.File))
		if err != nil {
			t.Fatal(err)
		}
		ctxDocs[url] = b
	}
	loader, err := jsonld.NewStaticLoader(ctxDocs)
	if err != nil {
		t.Fatal(err)
	}
	proc, err := jsonld.NewProcessor(jsonld.Config{Loader: loader})
	if err != nil {
		t.Fatal(err)
	}
	priv, _, vm := testKey(9)
	pub := priv.Public().(ed25519.PublicKey)
	prover, err := dataintegrity.NewProver(dataintegrity.ProverConfig{Suite: dataintegrity.SuiteEdDSARDFC2022, Key: priv, VerificationMethod: vm, Processor: proc, Now: fixedClock(testNow)})
	if err != nil {
		t.Fatal(err)
	}
	gl := &goldLoader{l: loader}
	var vidx struct {
		Files map[string]json.RawMessage `json:"files"`
	}
	readJSON(t, filepath.Join(ref, "vectors", "INDEX.json"), &vidx)
	names := make([]string, 0, len(vidx.Files))
	for name := range vidx.Files {
		if strings.HasSuffix(name, ".json") && !strings.HasPrefix(name, "rdf-canon/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	ctx := context.Background()
	var signed, rejected int
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(ref, "vectors", name))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if json.Unmarshal(b, &doc) != nil || doc["@context"] == nil {
			continue
		}
		delete(doc, "proof")
		proof, err := createProof(ctx, prover, doc)
		if err != nil {
			// The document's contexts do not define the proof terms (VCDM
			// 1.1, a bare profile): add the one that does, as Issuer does.
			if ctxs, ok := doc["@context"].([]any); ok {
				doc["@context"] = append(slices.Clone(ctxs), dataintegrity.ContextDataIntegrityV2)
			} else {
				doc["@context"] = []any{doc["@context"], dataintegrity.ContextDataIntegrityV2}
			}
			proof, err = createProof(ctx, prover, doc)
		}
		unsigned, _ := json.Marshal(doc)
		ours, cerr := proc.Canonicalize(ctx, unsigned)
		if cerr != nil || err != nil {
			if cerr == nil {
				t.Fatalf("%s: the document canonicalizes but cannot be signed: %v", name, err)
			}
			rejected++
			t.Logf("%s: not canonicalized (context not available offline, or refused in safe mode): %v", name, cerr)
			continue
		}
		goldDoc, err := goldCanonical(gl, doc)
		if err != nil {
			t.Fatalf("%s: json-gold: %v", name, err)
		}
		if string(ours) != goldDoc {
			t.Fatalf("%s: canonical N-Quads differ from json-gold's\nours:\n%s\njson-gold:\n%s", name, ours, goldDoc)
		}
		config := map[string]any{"@context": doc["@context"]}
		for k, x := range proof {
			if k != "proofValue" {
				config[k] = x
			}
		}
		goldConfig, err := goldCanonical(gl, config)
		if err != nil {
			t.Fatalf("%s: json-gold (proof configuration): %v", name, err)
		}
		sig, err := dataintegrity.DecodeProofValue(proof["proofValue"].(string), ed25519.SignatureSize)
		if err != nil {
			t.Fatal(err)
		}
		hc, hd := sha256.Sum256([]byte(goldConfig)), sha256.Sum256([]byte(goldDoc))
		if !ed25519.Verify(pub, append(hc[:], hd[:]...), sig) {
			t.Fatalf("%s: the signature does not verify over json-gold's canonical form", name)
		}
		signed++
	}
	t.Logf("%d vector documents signed and verified the slow way, %d not canonicalized", signed, rejected)
	if signed == 0 {
		t.Fatal("no vector signed")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("reference material: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// createProof returns the proof prover adds to doc.
func createProof(ctx context.Context, prover *dataintegrity.Prover, doc map[string]any) (map[string]any, error) {
	unsigned, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	signed, err := prover.AddProof(ctx, unsigned, dataintegrity.ProofOptions{})
	if err != nil {
		return nil, err
	}
	var out struct{ Proof map[string]any }
	err = json.Unmarshal(signed, &out)
	return out.Proof, err
}
