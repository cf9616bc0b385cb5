package vcjwt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/credential"
)

// The RS256 VC-JWTs of the 1EdTech validator's test resources
// (1EdTech/digital-credentials-public-validator@38254719,
// inspector-vc/src/test/resources/ob30), described with the expected
// outcomes in ../shared/reference/vectors/INDEX.json.

func readVector(t *testing.T, name string) []byte {
	t.Helper()
	ref := sharedReference(t)
	data, err := os.ReadFile(filepath.Join(ref, "vectors", "1edtech-validator", "ob30", name))
	if err != nil {
		t.Skipf("vector %s: %v", name, err)
	}
	if strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".svg") {
		b, err := bake.Unbake(data)
		if err != nil {
			t.Fatalf("unbake %s: %v", name, err)
		}
		if !b.IsJWS {
			t.Fatalf("%s does not hold a JWS", name)
		}
		return b.Credential
	}
	return data
}

// The baked tokens are valid (the validator's testSimplePNGJWTValid etc.):
// RS256 with the key in the jwk header, and no sub claim, which our rule
// tolerates with a warning.
func TestVectorsBakedValid(t *testing.T) {
	for _, tc := range []struct {
		file, model, issuer string
	}{
		{"simple-jwt.png", VCDM20, "https://1edtech.edu/issuers/565049"},
		{"simple-jwt.svg", VCDM20, "https://1edtech.edu/issuers/565049"},
		{"simple-jwt_v1.png", VCDM11, "https://example.edu/issuers/565049"},
		{"simple-jwt_v1.svg", VCDM11, "https://example.edu/issuers/565049"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			token := readVector(t, tc.file)
			if !IsCompactJWS(token) {
				t.Fatal("IsCompactJWS false")
			}
			o := opts()
			o.Algorithms = []Algorithm{RS256}
			v, err := Verify(bg, token, o)
			if err != nil {
				t.Fatal(err)
			}
			if v.DataModel != tc.model || v.Header.Algorithm != RS256 || v.Header.JWK == nil || v.KeyProven {
				t.Errorf("result %+v", v)
			}
			var codes []string
			for _, w := range v.Warnings {
				codes = append(codes, w.Code)
			}
			slices.Sort(codes)
			if want := []string{WarnUnprovenKey, WarnMissingSubject}; !slices.Equal(codes, want) {
				t.Errorf("warnings %v, want %v", codes, want)
			}
			if v.Claims.Issuer != tc.issuer || v.Claims.Subject != "" || len(v.Claims.Audience) != 1 || v.Claims.IssuedAt == nil {
				t.Errorf("claims %+v", v.Claims)
			}
			// The credential is the credential, and the same as the payload
			// minus the JWT claims (2.0) or the vc claim (1.1).
			c, err := credential.Parse(v.Credential)
			if err != nil {
				t.Fatal(err)
			}
			if c.Validate().HasErrors() {
				t.Logf("problems (not ours to judge): %v", c.Validate())
			}
			var got map[string]any
			if err := json.Unmarshal(v.Credential, &got); err != nil {
				t.Fatal(err)
			}
			for _, claim := range registeredClaims {
				if _, ok := got[claim]; ok {
					t.Errorf("credential still has the claim %s", claim)
				}
			}
			if got["id"] == nil || got["issuer"] == nil || got["credentialSubject"] == nil {
				t.Errorf("credential %s", v.Credential)
			}

			// Stricter options reject them, with the reason.
			o.InsecureAcceptMissingSubject = false
			_, err = Verify(bg, token, o)
			wantErr(t, err, ErrClaimMismatch)
			o.InsecureAcceptMissingSubject = true
			o.InsecureAcceptUnprovenJWK = false
			_, err = Verify(bg, token, o)
			wantErr(t, err, ErrUnprovenKey)

			// Pinning the issuer's key set proves the key.
			ks, err := NewStaticKeySets(map[string][]byte{tc.issuer: []byte(`{"keys":[` + jwkJSON(t, v.PublicKey) + `]}`)})
			if err != nil {
				t.Fatal(err)
			}
			o.IssuerKeys = ks
			if v, err = Verify(bg, token, o); err != nil || !v.KeyProven {
				t.Fatalf("pinned key set: %v", err)
			}

			// Only ES256 allowed: refused.
			o = opts()
			o.Algorithms = []Algorithm{ES256}
			_, err = Verify(bg, token, o)
			wantErr(t, err, ErrAlgorithmNotAllowed)

			// Any change to the payload breaks the signature.
			parts := strings.Split(string(token), ".")
			p, _ := b64.DecodeString(parts[1])
			p = []byte(strings.Replace(string(p), `"name":"`, `"name":"Fake `, 1))
			parts[1] = b64.EncodeToString(p)
			_, err = Verify(bg, []byte(strings.Join(parts, ".")), opts())
			wantErr(t, err, ErrInvalidSignature)
		})
	}
}

// simple.jwt has neither kid nor jwk: no key, no verification.
func TestVectorSimpleJWTNoKey(t *testing.T) {
	_, err := Verify(bg, readVector(t, "simple.jwt"), opts())
	wantErr(t, err, ErrKeyNotFound)
}

// velocity.jwt is signed with a did:velocity key for a did:web issuer: the key
// is not the issuer's, which is decided before anything is resolved.
func TestVectorVelocityKeyNotIssuer(t *testing.T) {
	_, err := Verify(bg, readVector(t, "velocity.jwt"), opts())
	wantErr(t, err, ErrKeyNotIssuer)
}
