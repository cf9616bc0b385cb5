package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/jsonld"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// referenceDir returns ../shared/reference next to the module root, or
// skips the test.
func referenceDir(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
}

// vectorIndex is the part of vectors/INDEX.json the tests read.
type vectorIndex struct {
	KeyMaterial    map[string]json.RawMessage `json:"key_material"`
	OfflineURLMaps struct {
		StatusLists map[string]string `json:"status_lists"`
	} `json:"offline_url_maps"`
	Files map[string]struct {
		Expected string `json:"expected"`
	} `json:"files"`
}

// The OB/CLR implementation-guide key (INDEX.json key_material), which
// most 1EdTech fixtures are signed with.
const implGuideKeyName = "OB/CLR implementation guide key"

// vectorResolver serves controller documents for the verification methods
// of the fixtures whose key is published in INDEX.json key_material. It
// does what a did:web or https resolver would do with the issuer's real
// document, offline; the key is never taken from the URL fragment.
func vectorResolver(t testing.TB, idx *vectorIndex) did.Resolver {
	t.Helper()
	var k struct {
		PublicKeyMultibase string `json:"publicKeyMultibase"`
	}
	if err := json.Unmarshal(idx.KeyMaterial[implGuideKeyName], &k); err != nil || k.PublicKeyMultibase == "" {
		t.Fatalf("INDEX.json key_material %q: %v", implGuideKeyName, err)
	}
	controllers := []string{
		"https://example.edu/issuers/565049",
		"https://example.com/issuers/876543",
		"https://1edtech.edu/issuers/565049",
		"did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c",
	}
	var docs []*did.Document
	for _, c := range controllers {
		docs = append(docs, controllerDoc(t, c, c+"#"+k.PublicKeyMultibase, k.PublicKeyMultibase))
	}
	static, err := did.NewStaticResolver(docs...)
	if err != nil {
		t.Fatal(err)
	}
	return did.Methods{"key": did.KeyResolver{}, "jwk": did.JWKResolver{}, "web": static, "https": static}
}

// controllerDoc builds a controller document with one Multikey method
// listed under assertionMethod.
func controllerDoc(t testing.TB, id, vmID, pub string) *did.Document {
	t.Helper()
	b, _ := json.Marshal(map[string]any{
		"@context": []string{did.ContextDIDv1, did.ContextMultikey},
		"id":       id,
		"verificationMethod": []map[string]string{{
			"id": vmID, "type": did.TypeMultikey, "controller": id, "publicKeyMultibase": pub,
		}},
		"assertionMethod": []string{vmID},
	})
	d, err := did.ParseDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// referenceLoader serves the reference contexts that are not embedded
// (the VC 2.0 examples context of the W3C vectors, CLR 2.0
// context-2.0.1.json), after the embedded ones, which take precedence.
func referenceLoader(t testing.TB, ref string) jsonld.DocumentLoader {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ref, "contexts", "INDEX.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Contexts map[string]struct {
			File string `json:"file"`
		} `json:"contexts"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{}
	for _, u := range []string{
		"https://www.w3.org/ns/credentials/examples/v2",
		"https://purl.imsglobal.org/spec/clr/v2p0/context.json",
		"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
	} {
		c, ok := idx.Contexts[u]
		if !ok {
			t.Fatalf("contexts/INDEX.json has no %s", u)
		}
		if docs[u], err = os.ReadFile(filepath.Join(ref, "contexts", c.File)); err != nil {
			t.Fatal(err)
		}
	}
	static, err := jsonld.NewStaticLoader(docs)
	if err != nil {
		t.Fatal(err)
	}
	return jsonld.Chain(jsonld.Embedded(), static)
}

// vectorClock is the verifier clock for the fixtures: INDEX.json says
// their dates are judged against it. complete_v1.json expired in 2020;
// everything else is valid then.
var vectorClock = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

// vectorCase says what this verifier concludes about one INDEX.json file.
type vectorCase struct {
	verified bool
	// errs are sentinels the result must match (errors.Is on Result.Err).
	errs []error
	// ignoreUnknown verifies with IgnoreUnknownSuites; suiteOnly with
	// InsecureSkipIssuerBinding (for suite vectors whose issuer is not the
	// key's controller).
	ignoreUnknown, suiteOnly bool
	// lenientWhy, when set, says why Config.Lenient changes the verdict
	// (to lenientVerified); otherwise lenient mode must agree with strict.
	lenientWhy      string
	lenientVerified bool
	// unprovenJWK verifies with InsecureAcceptUnprovenJWK (VC-JWTs whose
	// only key is their own jwk header); TestVectorsUnprovenJWKRefused
	// checks that the default refuses them.
	unprovenJWK bool
	// checkStatus verifies with a status.Checker that serves the status
	// lists of INDEX.json offline_url_maps.
	checkStatus bool
	// exception, when set, explains why the outcome differs from the
	// INDEX.json "expected" text.
	exception string
}

var vectorCases = map[string]vectorCase{
	// W3C vc-di-eddsa: suite vectors. The issuer (https://vc.example/...) is
	// not the did:key controller, so the issuer binding check is off.
	"vc-di-eddsa/TestVectors/eddsa-rdfc-2022/signedDataInt.json":        {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json":             {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/Ed25519Signature2020/signedEdSig.json":     {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/proof-set-chain/signedProofSet1.json":      {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/proof-set-chain/signedProofSet2.json":      {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/proof-set-chain/signedProofChain1.json":    {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/proof-set-chain/signedProofChain2.json":    {verified: true, suiteOnly: true},
	"vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/signedDataInt.json": {verified: false, suiteOnly: true, errs: []error{jsonld.ErrContextNotAllowed}, exception: "uses https://w3id.org/citizenship/v4rc1, which is neither embedded nor in the reference contexts: the loader fails closed"},

	// OB 3.0 / CLR 2.0 implementation guide (https key URLs, static documents).
	"ob-spec/impl/extracted/obv3p0-credential-signed.json":  {verified: true},
	"ob-spec/impl/extracted/clrv2p0-credential-signed.json": {verified: true},

	// Unsigned spec examples: no proof.
	"ob-spec/examples/extracted/basicOpenBadgeCredential.json":       {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/endorsement.json":                    {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/fullOpenBadge.json":                  {errs: []error{verifier.ErrNoProof, verifier.ErrEndorsement}},
	"ob-spec/examples/extracted/achievementAlignmentCase.json":       {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/achievementAlignmentCe.json":         {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/skillAssertionCase.json":             {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/skillAssertionCtdl.json":             {errs: []error{verifier.ErrNoProof}},
	"ob-spec/examples/extracted/docformat-sample-file-contents.json": {errs: []error{verifier.ErrNoProof}},

	// 1EdTech validator fixtures.
	"1edtech-validator/ob30/simple.json":                                                {verified: true},
	"1edtech-validator/ob30/simple.1ob":                                                 {verified: true},
	"1edtech-validator/ob30/simple_v1.json":                                             {errs: []error{did.ErrNotFound}, exception: "signed with z6MknNHH…, a key published nowhere but in the VM fragment; without the fragment shortcut it cannot be resolved offline"},
	"1edtech-validator/ob30/simple-noproof.json":                                        {errs: []error{verifier.ErrNoProof}},
	"1edtech-validator/ob30/simple-context-alias.json":                                  {verified: true},
	"1edtech-validator/ob30/simple-context-version.json":                                {verified: true},
	"1edtech-validator/ob30/simple-did-key-method.json":                                 {errs: []error{verifier.ErrIssuerMismatch}, exception: "issuer is urn:uuid:6f2e…, the key's controller is did:key:z6MkjZRZ…: the issuer binding check refuses it (the validator does not check it)"},
	"1edtech-validator/ob30/simple-did-web-method.json":                                 {verified: true},
	"1edtech-validator/ob30/simple-eddsa-2022.json":                                     {verified: true},
	"1edtech-validator/ob30/simple-multiple-proofs.json":                                {verified: true, ignoreUnknown: true},
	"1edtech-validator/ob30/complete.json":                                              {errs: []error{did.ErrNotFound, verifier.ErrEndorsement}},
	"1edtech-validator/ob30/complete_v1.json":                                           {errs: []error{verifier.ErrExpired, did.ErrNotFound}},
	"1edtech-validator/ob30/credential-status-revoked.json":                             {errs: []error{verifier.ErrStatus}, exception: "REVOKED needs the live 1EdTech revocation list; offline its status is unknown, which fails closed"},
	"1edtech-validator/ob30/endorsement-valid.json":                                     {errs: []error{did.ErrNotFound}, exception: "signed with z6MkoMGF…, a key published nowhere but in the VM fragment"},
	"1edtech-validator/ob30/endorsement-err-schema-status-refresh.json":                 {errs: []error{did.ErrNotFound}},
	"1edtech-validator/ob30/bit-string-list/credential-status-revoked.json":             {checkStatus: true, errs: []error{verifier.ErrStatus, status.ErrRevoked}},
	"1edtech-validator/ob30/bit-string-list/credential-status-revoked-blank-nodes.json": {checkStatus: true, errs: []error{verifier.ErrStatus, status.ErrRevoked}},
	"1edtech-validator/ob30/sd/derivedcredential.json":                                  {errs: []error{dataintegrity.ErrUnsupportedSuite}, exception: "ecdsa-sd-2023 is out of scope (as INDEX.json says): unsupported cryptosuite"},
	"1edtech-validator/ob30/simple.jwt":                                                 {errs: []error{vcjwt.ErrKeyNotFound}},
	"1edtech-validator/ob30/velocity.jwt":                                               {errs: []error{vcjwt.ErrKeyNotIssuer}},
	"1edtech-validator/ob30/simple-json.png":                                            {errs: []error{did.ErrNotFound}, exception: "un-baked fine, but signed with z6MkrvfzkM…, a key published nowhere but in the VM fragment"},
	"1edtech-validator/ob30/simple-json.svg":                                            {errs: []error{did.ErrNotFound}, exception: "un-baked fine, but signed with z6MkrvfzkM…, a key published nowhere but in the VM fragment"},
	"1edtech-validator/ob30/simple-jwt.png":                                             {verified: true, unprovenJWK: true, exception: "the 1EdTech validator trusts the jwk header key; by default a key the issuer has not published is refused (vcjwt.ErrUnprovenKey): verified here with InsecureAcceptUnprovenJWK"},
	"1edtech-validator/ob30/simple-jwt.svg":                                             {verified: true, unprovenJWK: true, exception: "the 1EdTech validator trusts the jwk header key; by default a key the issuer has not published is refused (vcjwt.ErrUnprovenKey): verified here with InsecureAcceptUnprovenJWK"},
	"1edtech-validator/ob30/simple-jwt_v1.png":                                          {verified: true, unprovenJWK: true, exception: "the 1EdTech validator trusts the jwk header key; by default a key the issuer has not published is refused (vcjwt.ErrUnprovenKey): verified here with InsecureAcceptUnprovenJWK"},
	"1edtech-validator/ob30/simple-jwt_v1.svg":                                          {verified: true, unprovenJWK: true, exception: "the 1EdTech validator trusts the jwk header key; by default a key the issuer has not published is refused (vcjwt.ErrUnprovenKey): verified here with InsecureAcceptUnprovenJWK"},
	"1edtech-validator/clr20/simple.json":                                               {errs: []error{verifier.ErrNestedCredential, did.ErrNotFound}, exception: "the CLR's own proof verifies; its embedded AchievementCredential is signed with z6MkvREV…, a key published nowhere but in the VM fragment", lenientVerified: true, lenientWhy: "the CLR itself verifies; lenient mode reports its embedded credential that fails and leaves it out of VerifiedCredentials"},
	"1edtech-validator/clr20/simple_v1.json":                                            {errs: []error{did.ErrInvalidDID}, exception: "verification method urn:uuid:4ca4…#z6MkjZRZ… is not a DID or https URL: nothing to resolve it with"},
	"1edtech-validator/clr20/complex.json":                                              {errs: []error{verifier.ErrIssuerMismatch}, exception: "issuer urn:uuid:4ca4… is not the did:key controller of the signing key"},
	"1edtech-validator/clr20/simple-noproof.json":                                       {errs: []error{verifier.ErrNoProof}},
	"1edtech-validator/clr20/simple_old_safesigned.json":                                {errs: []error{jsonld.ErrContextNotAllowed}},
	"1edtech-validator/clr20/simple.jwt":                                                {unprovenJWK: true, errs: []error{jsonld.ErrContextNotAllowed}, exception: "the RS256 signature verifies (key from the jwk header, accepted with InsecureAcceptUnprovenJWK), but the credential uses the draft context https://dc.imsglobal.org/draft/clr/v2p0/context, which is not available offline: the loader fails closed"},
	"1edtech-validator/ob30/bit-string-list/testlist":                                   {verified: true},
}

// notCredentials are INDEX.json entries with an expectation that are not
// credentials to verify.
var notCredentials = map[string]string{
	"rdf-canon/rdfc10/test074-in.nq":                              "N-Quads canonicalization test (rdfc package)",
	"ob-spec/examples/extracted/profile-getProfile-response.json": "a Profile, not a credential",
	"ob-spec/examples/extracted/profile-putProfile-request.json":  "a Profile, not a credential",
}

func TestVectors(t *testing.T) {
	ref := referenceDir(t)
	b, err := os.ReadFile(filepath.Join(ref, "vectors", "INDEX.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx vectorIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	resolver := vectorResolver(t, &idx)
	loader := referenceLoader(t, ref)
	lists := map[string][]byte{}
	for u, file := range idx.OfflineURLMaps.StatusLists {
		if lists[u], err = os.ReadFile(filepath.Join(ref, "vectors", file)); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(c vectorCase, lenient bool) *verifier.Verifier {
		cfg := verifier.Config{
			Lenient:                   lenient,
			Suites:                    []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSA2022, dataintegrity.SuiteEdDSAJCS2022, dataintegrity.SuiteEd25519Signature2020},
			Algorithms:                []vcjwt.Algorithm{vcjwt.RS256, vcjwt.ES256, vcjwt.EdDSA},
			Resolver:                  resolver,
			Loader:                    loader,
			Now:                       fixedClock(vectorClock),
			IgnoreUnknownSuites:       c.ignoreUnknown,
			InsecureSkipIssuerBinding: c.suiteOnly,
			InsecureAcceptUnprovenJWK: c.unprovenJWK,
		}
		if c.checkStatus {
			lv, err := verifier.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Status, err = status.NewChecker(status.CheckerConfig{
				Fetcher: status.NewStaticFetcher(lists),
				Now:     cfg.Now,
				VerifyList: func(ctx context.Context, list []byte) error {
					r, err := lv.Verify(ctx, list)
					if err != nil {
						return err
					}
					return r.Err()
				},
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		v, err := verifier.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var names []string
	for name, f := range idx.Files {
		if f.Expected != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if why, skip := notCredentials[name]; skip {
			t.Logf("%s: not verified here: %s", name, why)
			continue
		}
		c, ok := vectorCases[name]
		if !ok {
			t.Errorf("%s: no expectation in vectorCases (INDEX.json says %q)", name, idx.Files[name].Expected)
			continue
		}
		t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(ref, "vectors", name))
			if err != nil {
				t.Fatal(err)
			}
			r, err := mk(c, false).Verify(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verified != c.verified {
				t.Errorf("verified = %v, want %v: %s", r.Verified, c.verified, r.Summary())
			}
			lr, err := mk(c, true).Verify(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			wantLenient := c.verified
			if c.lenientWhy != "" {
				wantLenient = c.lenientVerified
			}
			if lr.Verified != wantLenient {
				t.Errorf("lenient: verified = %v, want %v: %s", lr.Verified, wantLenient, lr.Summary())
			}
			for _, e := range c.errs {
				if !errors.Is(r.Err(), e) {
					t.Errorf("result does not match %v: %s", e, r.Summary())
				}
			}
			if testing.Verbose() {
				t.Logf("%s", r.Summary())
			}
		})
	}
}

// TestVectorsUnprovenJWKRefused: the 1EdTech baked VC-JWTs carry their key
// only in the jwk header, and their https issuer publishes no key set here,
// so by default they are refused (catalogue #47).
func TestVectorsUnprovenJWKRefused(t *testing.T) {
	dir := referenceDir(t)
	v, err := verifier.New(verifier.Config{Algorithms: []vcjwt.Algorithm{vcjwt.RS256}, Now: fixedClock(vectorClock)})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range vectorCases {
		if !c.unprovenJWK {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "vectors", name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := v.Verify(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verified || !errors.Is(r.Err(), vcjwt.ErrUnprovenKey) {
			t.Errorf("%s: want ErrUnprovenKey, got %s", name, r.Summary())
		}
	}
}
