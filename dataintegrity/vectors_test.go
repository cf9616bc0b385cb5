package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"
)

// Known-answer tests on the W3C vc-di-eddsa test vectors
// (w3c/vc-di-eddsa TestVectors, copied under reference/vectors/vc-di-eddsa)
// and the OB 3.0 implementation guide vector
// (1EdTech/openbadges-specification ob_v3p0/impl/linked-data-proof-ob.html).

const vdi = "vectors/vc-di-eddsa/TestVectors"

func text(t testing.TB, path string) string {
	return strings.TrimSpace(string(readFile(t, path)))
}

// vectorKey returns the vc-di-eddsa keyPair.json key as a signer, its public
// key and its did:key verification method.
func vectorKey(t testing.TB, ref, file, name string) (crypto.Signer, crypto.PublicKey, string) {
	t.Helper()
	m := readJSON(t, filepath.Join(ref, vdi, file))
	if name != "" {
		m = m[name].(map[string]any)
	}
	signer, err := did.DecodeSecretKey(m["privateKeyMultibase"].(string))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := did.DecodePublicKey(m["publicKeyMultibase"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !pub.(ed25519.PublicKey).Equal(signer.Public()) {
		t.Fatal("key pair mismatch")
	}
	pkm := m["publicKeyMultibase"].(string)
	return signer, pub, "did:key:" + pkm + "#" + pkm
}

func proofOf(t testing.TB, doc map[string]any) map[string]any {
	t.Helper()
	if l, ok := doc["proof"].([]any); ok && len(l) == 1 {
		doc = with(doc, "proof", l[0])
	}
	p, ok := doc["proof"].(map[string]any)
	if !ok {
		t.Fatal("no single proof")
	}
	return p
}

func createdOf(t testing.TB, proof map[string]any) time.Time {
	t.Helper()
	c, err := time.Parse(time.RFC3339, proof["created"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// canonicalizers returns the canonicalizers to run a known-answer test
// with: the table of published canonical forms, and the real JSON-LD
// processor when it works.
func canonicalizers(t *testing.T, table *tableCanonicalizer) map[string]Canonicalizer {
	cs := map[string]Canonicalizer{"published-canonical-forms": table}
	t.Run("jsonld-probe", func(t *testing.T) {
		cs["jsonld.Processor"] = realProcessor(t)
	})
	return cs
}

type rdfcVector struct {
	name, dir, suffix   string
	unsigned, signed    string
	suite               SuiteName
	keyFile, keyName    string
	usesRealContextOnly bool // false: the document needs a context we do not embed
}

func TestRDFCVectors(t *testing.T) {
	ref := refDir(t)
	vectors := []rdfcVector{
		{name: "eddsa-rdfc-2022", dir: vdi + "/eddsa-rdfc-2022", suffix: "DataInt", unsigned: vdi + "/unsigned.json", signed: "signedDataInt.json", suite: SuiteEdDSARDFC2022, keyFile: "keyPair.json", usesRealContextOnly: true},
		{name: "eddsa-rdfc-2022/employ", dir: vdi + "/eddsa-rdfc-2022/employ", suffix: "DataInt", unsigned: vdi + "/employmentAuth.json", signed: "signedDataInt.json", suite: SuiteEdDSARDFC2022, keyFile: "keyPair.json"},
		{name: "Ed25519Signature2020", dir: vdi + "/Ed25519Signature2020", suffix: "EdSig", signed: "signedEdSig.json", suite: SuiteEd25519Signature2020, keyFile: "keyPair.json", usesRealContextOnly: true},
	}
	for _, vec := range vectors {
		t.Run(vec.name, func(t *testing.T) {
			dir := filepath.Join(ref, vec.dir)
			signed := readJSON(t, filepath.Join(dir, vec.signed))
			wantProof := proofOf(t, signed)
			var unsigned map[string]any
			if vec.unsigned != "" {
				unsigned = readJSON(t, filepath.Join(ref, vec.unsigned))
			} else {
				unsigned = without(signed, "proof")
			}
			proofConfig := readJSON(t, filepath.Join(dir, "proofConfig"+vec.suffix+".json"))
			canonDoc := readFile(t, filepath.Join(dir, "canonDoc"+vec.suffix+".txt"))
			canonProof := readFile(t, filepath.Join(dir, "proofCanon"+vec.suffix+".txt"))

			// Hashing and signing from the published canonical forms.
			hash := HashData(canonProof, canonDoc)
			if got, want := hex.EncodeToString(hash), text(t, filepath.Join(dir, "combinedHash"+vec.suffix+".txt")); got != want {
				t.Fatalf("hashData = %s, want %s", got, want)
			}
			signer, pub, vm := vectorKey(t, ref, vec.keyFile, vec.keyName)
			sig, err := signer.Sign(nil, hash, crypto.Hash(0))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := hex.EncodeToString(sig), text(t, filepath.Join(dir, "sigHex"+vec.suffix+".txt")); got != want {
				t.Fatalf("signature = %s, want %s", got, want)
			}
			if got, want := EncodeProofValue(sig), text(t, filepath.Join(dir, "sigBTC58"+vec.suffix+".txt")); got != want || got != wantProof["proofValue"] {
				t.Fatalf("proofValue = %s, want %s", got, want)
			}
			if vm != wantProof["verificationMethod"] {
				t.Fatalf("verificationMethod %v, key gives %s", wantProof["verificationMethod"], vm)
			}

			table := &tableCanonicalizer{}
			table.add(t, unsigned, canonDoc)
			table.add(t, proofConfig, canonProof)
			for cname, canon := range canonicalizers(t, table) {
				if cname != "published-canonical-forms" && !vec.usesRealContextOnly {
					continue
				}
				t.Run(cname, func(t *testing.T) {
					if canon, ok := canon.(interface {
						CanonicalizeValue(context.Context, any) ([]byte, error)
					}); ok && cname != "published-canonical-forms" {
						got, err := canon.CanonicalizeValue(context.Background(), unsigned)
						if err != nil || !bytes.Equal(got, canonDoc) {
							t.Fatalf("canonical document differs: %v\n%s", err, got)
						}
						got, err = canon.CanonicalizeValue(context.Background(), proofConfig)
						if err != nil || !bytes.Equal(got, canonProof) {
							t.Fatalf("canonical proof configuration differs: %v\n%s", err, got)
						}
					}
					// Sign: reproduces the proof byte for byte.
					prover, err := NewProver(ProverConfig{Suite: vec.suite, Key: signer, VerificationMethod: vm, Processor: canon})
					if err != nil {
						t.Fatal(err)
					}
					out, err := prover.addMap(context.Background(), unsigned, ProofOptions{Created: createdOf(t, wantProof)})
					if err != nil {
						t.Fatal(err)
					}
					gotJSON, _ := canonicalJSON(out["proof"])
					wantJSON, _ := canonicalJSON(wantProof)
					if string(gotJSON) != string(wantJSON) {
						t.Fatalf("proof\n got %s\nwant %s", gotJSON, wantJSON)
					}
					if _, ok := unsigned["proof"]; ok {
						t.Fatal("AddProof modified its input")
					}
					// Verify the published signed document.
					ver, err := NewVerifier(VerifierConfig{Suites: []SuiteName{vec.suite}, Processor: canon})
					if err != nil {
						t.Fatal(err)
					}
					res, err := ver.verifyMap(context.Background(), signed, StaticKeys(map[string]crypto.PublicKey{vm: pub}), VerifyOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if !res.Verified {
						t.Fatalf("not verified: %v", res.Err())
					}
				})
			}
		})
	}
}

func TestJCSVector(t *testing.T) {
	ref := refDir(t)
	dir := filepath.Join(ref, vdi, "eddsa-jcs-2022")
	unsigned := readJSON(t, filepath.Join(ref, vdi, "unsigned.json"))
	signed := readJSON(t, filepath.Join(dir, "signedJCS.json"))
	wantProof := proofOf(t, signed)
	signer, pub, vm := vectorKey(t, ref, "keyPair.json", "")

	canonDoc, err := canonicalJSON(unsigned)
	if err != nil {
		t.Fatal(err)
	}
	if want := readFile(t, filepath.Join(dir, "canonDocJCS.txt")); !bytes.Equal(canonDoc, want) {
		t.Fatalf("canonical document\n got %s\nwant %s", canonDoc, want)
	}
	canonProof, err := canonicalJSON(readJSON(t, filepath.Join(dir, "proofConfigJCS.json")))
	if err != nil {
		t.Fatal(err)
	}
	if want := readFile(t, filepath.Join(dir, "proofCanonJCS.txt")); !bytes.Equal(canonProof, want) {
		t.Fatalf("canonical proof configuration\n got %s\nwant %s", canonProof, want)
	}
	if got, want := hex.EncodeToString(HashData(canonProof, canonDoc)), text(t, filepath.Join(dir, "combinedHashJCS.txt")); got != want {
		t.Fatalf("hashData = %s, want %s", got, want)
	}

	prover, err := NewProver(ProverConfig{Suite: SuiteEdDSAJCS2022, Key: signer, VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	out, err := prover.addMap(context.Background(), unsigned, ProofOptions{Created: createdOf(t, wantProof)})
	if err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := canonicalJSON(out)
	wantJSON, _ := canonicalJSON(signed)
	if string(gotJSON) != string(wantJSON) {
		t.Fatalf("signed document\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if pv := out["proof"].(map[string]any)["proofValue"]; pv != text(t, filepath.Join(dir, "sigBTC58JCS.txt")) {
		t.Fatalf("proofValue %v", pv)
	}

	ver, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSAJCS2022}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ver.verifyMap(context.Background(), signed, Key(pub), VerifyOptions{})
	if err != nil || !res.Verified {
		t.Fatalf("not verified: %v %v", err, res.Err())
	}

	// The proof @context must be a prefix of the document's: appending a
	// context to the document keeps the proof valid (the spec canonicalizes
	// with the proof's @context), changing the first one does not.
	longer := with(signed, "@context", append(append([]any{}, signed["@context"].([]any)...), "https://w3id.org/security/data-integrity/v2"))
	if res, _ := ver.verifyMap(context.Background(), longer, Key(pub), VerifyOptions{}); !res.Verified {
		t.Errorf("document with an extra trailing context: %v", res.Err())
	}
	other := with(signed, "@context", []any{"https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/examples/v2"})
	if res, _ := ver.verifyMap(context.Background(), other, Key(pub), VerifyOptions{}); res.Verified || !errors.Is(res.Err(), ErrMalformedProof) {
		t.Errorf("changed context: verified=%v err=%v", res.Verified, res.Err())
	}
	// Without the proof's @context, the proof configuration changes.
	bare := with(signed, "proof", without(wantProof, "@context"))
	if res, _ := ver.verifyMap(context.Background(), bare, Key(pub), VerifyOptions{}); res.Verified || !errors.Is(res.Err(), ErrInvalidSignature) {
		t.Errorf("proof without @context: verified=%v err=%v", res.Verified, res.Err())
	}
}

// The OB 3.0 implementation guide vector: signing its unsigned credential
// with its published key reproduces its proofValue.
func TestOBImplementationGuideVector(t *testing.T) {
	ref := refDir(t)
	dir := filepath.Join(ref, "vectors/ob-spec/impl")
	var index struct {
		KeyMaterial map[string]any `json:"key_material"`
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(ref, "vectors/INDEX.json")), &index); err != nil {
		t.Fatal(err)
	}
	km, ok := index.KeyMaterial["OB/CLR implementation guide key"].(map[string]any)
	if !ok {
		t.Fatal("INDEX.json: no OB implementation guide key")
	}
	seedAndPub, err := hex.DecodeString(km["private_hex_seed_then_pub"].(string))
	if err != nil || len(seedAndPub) != 64 {
		t.Fatalf("seed: %v", err)
	}
	key := ed25519.NewKeyFromSeed(seedAndPub[:32])
	if hex.EncodeToString(key.Public().(ed25519.PublicKey)) != km["public_hex"] {
		t.Fatal("seed does not give the published public key")
	}
	// The CLR 2.0 vector signs a ClrCredential (embedding a signed
	// AchievementCredential) with the same key and proof options: same
	// proof hash, document hash 768d7015….
	for _, vec := range []struct{ name, docHash string }{
		{"obv3p0", "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"},
		{"clrv2p0", "768d7015ae69e0210e1c2a45194d9c1d15d7a6022e52b946574a2a27f6fa85fe"},
	} {
		t.Run(vec.name, func(t *testing.T) {
			unsigned := readJSON(t, filepath.Join(dir, "extracted", vec.name+"-credential-unsigned.json"))
			signed := readJSON(t, filepath.Join(dir, "extracted", vec.name+"-credential-signed.json"))
			wantProof := proofOf(t, signed)
			vm := wantProof["verificationMethod"].(string)
			canonDoc := readFile(t, filepath.Join(dir, "test-vectors", vec.name, "document-canon.txt"))
			canonProof := readFile(t, filepath.Join(dir, "test-vectors", vec.name, "proof-canon.txt"))
			const proofHash = "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
			if h := HashData(canonProof, canonDoc); hex.EncodeToString(h) != proofHash+vec.docHash {
				t.Fatalf("hashData = %x", h)
			}

			table := &tableCanonicalizer{}
			table.add(t, unsigned, canonDoc)
			cfg := with(without(wantProof, "proofValue"), "@context", unsigned["@context"])
			table.add(t, cfg, canonProof)
			for cname, canon := range canonicalizers(t, table) {
				t.Run(cname, func(t *testing.T) {
					prover, err := NewProver(ProverConfig{Suite: SuiteEdDSARDFC2022, Key: key, VerificationMethod: vm, Processor: canon})
					if err != nil {
						t.Fatal(err)
					}
					out, err := prover.addMap(context.Background(), unsigned, ProofOptions{Created: createdOf(t, wantProof)})
					if err != nil {
						t.Fatal(err)
					}
					if got := out["proof"].(map[string]any)["proofValue"]; got != wantProof["proofValue"] {
						t.Fatalf("proofValue %v, want %v", got, wantProof["proofValue"])
					}
					ver, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: canon})
					if err != nil {
						t.Fatal(err)
					}
					// The VM is an https URL that cannot be dereferenced; the
					// test maps it to the published key.
					res, err := ver.verifyMap(context.Background(), signed, StaticKeys(map[string]crypto.PublicKey{vm: key.Public()}), VerifyOptions{})
					if err != nil || !res.Verified {
						t.Fatalf("not verified: %v %v", err, res.Err())
					}
				})
			}
		})
	}
}

// Proof sets and chains need the real JSON-LD processor: the vectors give
// no canonical forms for them.
func TestProofSetChainVectors(t *testing.T) {
	ref := refDir(t)
	proc := realProcessor(t)
	dir := filepath.Join(ref, vdi, "proof-set-chain")
	keys := map[string]crypto.PublicKey{}
	signers := map[string]crypto.Signer{}
	for _, name := range []string{"keyPair1", "keyPair2", "keyPair3", "keyPair4"} {
		s, pub, vm := vectorKey(t, ref, "proof-set-chain/multiKeyPairs.json", name)
		keys[vm], signers[vm] = pub, s
	}
	ver, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: proc})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"} {
		t.Run(f, func(t *testing.T) {
			doc := readJSON(t, filepath.Join(dir, f))
			res, err := ver.verifyMap(context.Background(), doc, StaticKeys(keys), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Verified {
				t.Fatalf("not verified: %v", res.Err())
			}
			// A chained proof does not verify over the document without
			// proofs: the chain is signed.
			proofs, _ := proofList(tree(t, doc))
			for i, p := range proofs {
				pm := p.ToGo().(map[string]any)
				if _, chained := pm["previousProof"]; !chained {
					continue
				}
				suite := builtinSuites[0]
				err := suite.VerifyProof(context.Background(), &Env{doc: tree(t, without(doc, "proof")), rdf: proc}, p.AppendJSON(nil), keys[pm["verificationMethod"].(string)])
				if !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("proof %d verified over the document without proofs: %v", i, err)
				}
			}
		})
	}

	// Signing reproduces each proof of the set and of the chain.
	unsigned := readJSON(t, filepath.Join(dir, "unsigned.json"))
	sign := func(doc map[string]any, cfgFile string) map[string]any {
		cfg := readJSON(t, filepath.Join(dir, cfgFile))
		vm := cfg["verificationMethod"].(string)
		p, err := NewProver(ProverConfig{Suite: SuiteEdDSARDFC2022, Key: signers[vm], VerificationMethod: vm, Processor: proc})
		if err != nil {
			t.Fatal(err)
		}
		opts := ProofOptions{Created: createdOf(t, cfg)}
		if id, ok := cfg["id"].(string); ok {
			opts.ID = id
		}
		opts.PreviousProof, _ = stringSet(0, "previousProof", tree(t, cfg))
		out, err := p.addMap(context.Background(), doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	doc := sign(unsigned, "proofSetConfig1.json")
	doc = sign(doc, "proofSetConfig2.json")
	doc = sign(doc, "proofChainConfig1.json")
	doc = sign(doc, "proofChainConfig2.json")
	got, _ := canonicalJSON(doc)
	want, _ := canonicalJSON(readJSON(t, filepath.Join(dir, "signedProofChain2.json")))
	if string(got) != string(want) {
		t.Fatalf("signed chain\n got %s\nwant %s", got, want)
	}
}

// The proof-set vectors sign the same unsigned credential as the
// eddsa-rdfc-2022 vector (whose canonical form is published) under proof
// configurations that differ from the published one only by an id and the
// key; their canonical N-Quads follow from proofCanonDataInt.txt by
// replacing the blank node with the id and re-sorting. This reproduces the
// set's proofValues without a JSON-LD processor.
func TestProofSetVectorsFromPublishedForms(t *testing.T) {
	ref := refDir(t)
	dir := filepath.Join(ref, vdi, "proof-set-chain")
	unsigned := readJSON(t, filepath.Join(dir, "unsigned.json"))
	canonDoc := readFile(t, filepath.Join(ref, vdi, "eddsa-rdfc-2022/canonDocDataInt.txt"))
	table := &tableCanonicalizer{}
	table.add(t, unsigned, canonDoc)
	doc := unsigned
	for n, f := range []string{"proofSetConfig1.json", "proofSetConfig2.json"} {
		cfg := readJSON(t, filepath.Join(dir, f))
		var lines []string
		for _, l := range []string{
			`<ID> <http://purl.org/dc/terms/created> "CREATED"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
			`<ID> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .`,
			`<ID> <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> .`,
			`<ID> <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .`,
			`<ID> <https://w3id.org/security#verificationMethod> <VM> .`,
		} {
			l = strings.ReplaceAll(l, "ID", cfg["id"].(string))
			l = strings.ReplaceAll(l, "CREATED", cfg["created"].(string))
			l = strings.ReplaceAll(l, "VM", cfg["verificationMethod"].(string))
			lines = append(lines, l)
		}
		table.add(t, with(cfg, "@context", unsigned["@context"]), []byte(strings.Join(lines, "\n")+"\n"))

		signer, _, vm := vectorKey(t, ref, "proof-set-chain/multiKeyPairs.json", "keyPair"+string(rune('1'+n)))
		if vm != cfg["verificationMethod"] {
			t.Fatalf("%s: key %s", f, vm)
		}
		p, err := NewProver(ProverConfig{Suite: SuiteEdDSARDFC2022, Key: signer, VerificationMethod: vm, Processor: table})
		if err != nil {
			t.Fatal(err)
		}
		if doc, err = p.addMap(context.Background(), doc, ProofOptions{ID: cfg["id"].(string), Created: createdOf(t, cfg)}); err != nil {
			t.Fatal(err)
		}
		want := readJSON(t, filepath.Join(dir, "signedProofSet"+string(rune('1'+n))+".json"))
		got, _ := canonicalJSON(doc)
		wantJSON, _ := canonicalJSON(want)
		if string(got) != string(wantJSON) {
			t.Fatalf("%s:\n got %s\nwant %s", f, got, wantJSON)
		}
	}
	keys := map[string]crypto.PublicKey{}
	for _, name := range []string{"keyPair1", "keyPair2"} {
		_, pub, vm := vectorKey(t, ref, "proof-set-chain/multiKeyPairs.json", name)
		keys[vm] = pub
	}
	ver, err := NewVerifier(VerifierConfig{Suites: []SuiteName{SuiteEdDSARDFC2022}, Processor: table})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ver.verifyMap(context.Background(), doc, StaticKeys(keys), VerifyOptions{})
	if err != nil || !res.Verified {
		t.Fatalf("signedProofSet2 not verified: %v %v", err, res.Err())
	}
}
