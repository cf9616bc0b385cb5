package bake_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/internal/testref"
)

// referenceDir returns <module root>/../shared/reference, or skips the test
// when it is absent.
func referenceDir(t testing.TB) string {
	t.Helper()
	return testref.Reference(t)
}

// indexEntry is the part of vectors/INDEX.json these tests use.
type indexEntry struct {
	SHA256      string `json:"sha256"`
	Description string `json:"description"`
	Expected    string `json:"expected"`
}

func readIndex(t *testing.T, ref string) map[string]indexEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ref, "vectors", "INDEX.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Files map[string]indexEntry `json:"files"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx.Files
}

// TestFixtures un-bakes the 1EdTech validator's baked PNG and SVG fixtures
// (1EdTech/digital-credentials-public-validator, inspector-vc test
// resources, as listed in vectors/INDEX.json). The validator's own tests
// expect all six to yield a credential; INDEX.json says which are JSON and
// which are VC-JWTs, and that each SVG carries the same credential as the
// PNG of the same name.
func TestFixtures(t *testing.T) {
	ref := referenceDir(t)
	idx := readIndex(t, ref)
	cases := []struct {
		file  string
		jws   bool
		shape string // for JWS: "payload" (VCDM 2.0, credential is the payload) or "vc" (VCDM 1.1 vc claim)
	}{
		{"simple-json.png", false, ""},
		{"simple-json.svg", false, ""},
		{"simple-jwt.png", true, "payload"},
		{"simple-jwt.svg", true, "payload"},
		{"simple-jwt_v1.png", true, "vc"},
		{"simple-jwt_v1.svg", true, "vc"},
	}
	got := map[string]*bake.Baked{}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			key := "1edtech-validator/ob30/" + c.file
			entry, ok := idx[key]
			if !ok {
				t.Fatalf("%s not in INDEX.json", key)
			}
			img, err := os.ReadFile(filepath.Join(ref, "vectors", filepath.FromSlash(key)))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(img)
			if hex.EncodeToString(sum[:]) != entry.SHA256 {
				t.Fatalf("fixture sha256 %x differs from INDEX.json %s", sum, entry.SHA256)
			}
			wantFormat := bake.FormatPNG
			if strings.HasSuffix(c.file, ".svg") {
				wantFormat = bake.FormatSVG
			}
			if f := bake.Detect(img); f != wantFormat {
				t.Errorf("Detect = %q, want %q", f, wantFormat)
			}
			b, err := bake.Unbake(img)
			if err != nil {
				t.Fatalf("Unbake: %v (INDEX.json expects %q)", err, entry.Expected)
			}
			if b.Format != wantFormat || b.IsJWS != c.jws {
				t.Fatalf("Format %q IsJWS %v, want %q %v", b.Format, b.IsJWS, wantFormat, c.jws)
			}
			if c.jws {
				payload := jwsPayload(t, b.Credential)
				if c.shape == "vc" {
					if _, ok := payload["vc"].(map[string]any); !ok {
						t.Errorf("VCDM 1.1 JWT payload has no vc object: keys %v", keys(payload))
					}
				} else if payload["id"] != payload["jti"] || payload["credentialSubject"] == nil {
					t.Errorf("VCDM 2.0 JWT payload should be the credential with jti == id: keys %v", keys(payload))
				}
			} else {
				var cred map[string]any
				if err := json.Unmarshal(b.Credential, &cred); err != nil {
					t.Fatalf("credential is not a JSON object: %v", err)
				}
				if cred["id"] != "http://example.com/credentials/3527" || cred["proof"] == nil {
					t.Errorf("unexpected credential: id %v, proof %v", cred["id"], cred["proof"])
				}
			}
			got[c.file] = b

			// Re-baking the fixture's own credential must give an image
			// that un-bakes to the same thing. For these PNGs, whose
			// credential chunk already sits just before IEND, it gives the
			// fixture back byte for byte.
			again, f, err := bake.Bake(img, b.Credential)
			if err != nil || f != wantFormat {
				t.Fatalf("re-bake: %v, %q", err, f)
			}
			if wantFormat == bake.FormatPNG && !bytes.Equal(again, img) {
				t.Errorf("re-baked PNG differs from the fixture")
			}
			b2, err := bake.Unbake(again)
			if err != nil || !bytes.Equal(b2.Credential, b.Credential) {
				t.Errorf("re-baked image un-bakes to %v, %v", b2, err)
			}
		})
	}
	// INDEX.json: simple-json.svg holds the same credential as the PNG
	// (the JWT pairs are signed separately, so their bytes differ).
	if p, s := got["simple-json.png"], got["simple-json.svg"]; p != nil && s != nil {
		var a, b any
		if json.Unmarshal(p.Credential, &a) != nil || json.Unmarshal(s.Credential, &b) != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("simple-json: PNG and SVG JSON credentials differ")
		}
	}
}

func jwsPayload(t *testing.T, jws []byte) map[string]any {
	t.Helper()
	parts := strings.Split(string(jws), ".")
	if len(parts) != 3 {
		t.Fatalf("JWS has %d segments", len(parts))
	}
	var header, payload map[string]any
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
	}
	if header["alg"] != "RS256" || header["jwk"] == nil {
		t.Errorf("header %v, want alg RS256 with a jwk (INDEX.json)", header)
	}
	return payload
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
