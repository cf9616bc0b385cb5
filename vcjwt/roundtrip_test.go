package vcjwt

import (
	"bytes"
	"crypto"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

type signCase struct {
	name    string
	signer  crypto.Signer
	alg     Algorithm
	didKind string // "key", "jwk" or "" (https issuer, jwk header only)
}

func signCases(t *testing.T) []signCase {
	keys(t)
	var cs []signCase
	for _, k := range []struct {
		name   string
		signer crypto.Signer
		alg    Algorithm
		didKey bool
	}{
		{"RS256", rsaKey, RS256, false},
		{"ES256", p256Key, ES256, true},
		{"ES384", p384Key, ES384, true},
		{"EdDSA", edKey, EdDSA, true},
	} {
		if k.didKey {
			cs = append(cs, signCase{k.name + "/did:key", k.signer, k.alg, "key"})
		}
		cs = append(cs, signCase{k.name + "/did:jwk", k.signer, k.alg, "jwk"})
		cs = append(cs, signCase{k.name + "/https+jwk", k.signer, k.alg, ""})
	}
	return cs
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range signCases(t) {
		for _, model := range []string{VCDM20, VCDM11} {
			for _, embed := range []bool{false, true} {
				if tc.didKind == "" && !embed {
					continue // an https kid needs a controller document: TestHTTPSKid
				}
				name := tc.name + "/" + model
				if embed {
					name += "/jwk"
				} else {
					name += "/kid"
				}
				t.Run(name, func(t *testing.T) {
					issuer, kid := "https://example.edu/issuers/565049", ""
					switch tc.didKind {
					case "key":
						issuer, kid = keyDID(t, tc.signer.Public())
					case "jwk":
						issuer, kid = jwkDID(t, tc.signer.Public())
					}
					cred := credV2(issuer)
					if model == VCDM11 {
						cred = credV1(issuer)
					}
					so := SignOptions{EmbedJWK: embed}
					if !embed {
						so.KeyID = kid
					}
					token, err := Sign(bg, cred, tc.signer, so)
					if err != nil {
						t.Fatal(err)
					}
					if !IsCompactJWS([]byte(token)) {
						t.Fatal("IsCompactJWS is false for Sign's output")
					}
					hdr := decodePart(t, token, 0)
					wantHdr := []string{"alg", "typ"}
					if embed {
						wantHdr = append(wantHdr, "jwk")
					} else {
						wantHdr = append(wantHdr, "kid")
					}
					var gotHdr []string
					for k := range hdr {
						gotHdr = append(gotHdr, k)
					}
					slices.Sort(gotHdr)
					slices.Sort(wantHdr)
					if !slices.Equal(gotHdr, wantHdr) || hdr["alg"] != string(tc.alg) || hdr["typ"] != "JWT" {
						t.Fatalf("header %v", hdr)
					}
					if jwk, ok := hdr["jwk"].(map[string]any); ok {
						for _, p := range []string{"d", "p", "q", "dp", "dq", "qi"} {
							if _, ok := jwk[p]; ok {
								t.Fatalf("jwk header has private member %s", p)
							}
						}
					}

					v, err := Verify(bg, []byte(token), opts())
					if err != nil {
						t.Fatal(err)
					}
					var compact bytes.Buffer
					if err := json.Compact(&compact, cred); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(v.Credential, compact.Bytes()) {
						t.Errorf("credential changed:\n got %s\nwant %s", v.Credential, compact.Bytes())
					}
					if v.DataModel != model || v.Header.Algorithm != tc.alg || !v.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(tc.signer.Public()) {
						t.Errorf("result %+v", v)
					}
					c := v.Claims
					if c.Issuer != issuer || c.Subject != "did:example:ebfeb1f712ebc6f1c276e12ec21" || c.ID == "" || c.NotBefore == nil {
						t.Errorf("claims %+v", c)
					}
					if model == VCDM20 {
						if want := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC); c.Expires == nil || !c.Expires.Equal(want) {
							t.Errorf("exp %v, want %v (fraction dropped)", c.Expires, want)
						}
						if _, ok := decodePart(t, token, 1)["vc"]; ok {
							t.Error("a VCDM 2.0 payload has a vc claim")
						}
					} else if _, ok := decodePart(t, token, 1)["vc"]; !ok {
						t.Error("a VCDM 1.1 payload has no vc claim")
					}
					// A DID issuer proves its jwk through its DID document;
					// an https issuer without key set cannot.
					wantProven := tc.didKind != ""
					if v.KeyProven != wantProven {
						t.Errorf("KeyProven %v, want %v (warnings %v)", v.KeyProven, wantProven, v.Warnings)
					}
					hasWarn := slices.ContainsFunc(v.Warnings, func(w Warning) bool { return w.Code == WarnUnprovenKey })
					if hasWarn == wantProven {
						t.Errorf("warnings %v", v.Warnings)
					}
					if !embed && v.VerificationMethod == nil {
						t.Error("no verification method for a kid")
					}
					if !embed && v.VerificationMethod.ID != kid {
						t.Errorf("verification method %s, want %s", v.VerificationMethod.ID, kid)
					}
					// The strict option accepts only proven keys.
					o := opts()
					o.InsecureAcceptUnprovenJWK = false
					_, err = Verify(bg, []byte(token), o)
					if wantProven && err != nil {
						t.Errorf("strict: %v", err)
					}
					if !wantProven {
						wantErr(t, err, ErrUnprovenKey)
					}
				})
			}
		}
	}
}

func TestSignDeterministicEdDSA(t *testing.T) {
	issuer, kid := keyDID(t, edKey.Public())
	a, err := Sign(bg, credV2(issuer), edKey, SignOptions{KeyID: kid})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(bg, credV2(issuer), edKey, SignOptions{KeyID: kid})
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatal("EdDSA signing is not deterministic")
	}
	// The payload is the credential's members in order, then the claims.
	payload, err := b64.DecodeString(strings.Split(a, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, credV2(issuer)); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(compact.String(), "}") + `,"iss":"` + issuer +
		`","jti":"urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58","sub":"did:example:ebfeb1f712ebc6f1c276e12ec21","nbf":1735689600,"exp":1893456000}`
	if string(payload) != want {
		t.Errorf("payload\n got %s\nwant %s", payload, want)
	}
	if hdr, _ := b64.DecodeString(strings.Split(a, ".")[0]); string(hdr) != `{"alg":"EdDSA","typ":"JWT","kid":"`+kid+`"}` {
		t.Errorf("header %s", hdr)
	}
}
