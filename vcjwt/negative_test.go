package vcjwt

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/microcred/openbadges/did"
)

// fixture is a valid EdDSA token for a did:key issuer, in parts.
type fixture struct {
	issuer, kid     string
	header, payload string // JSON text as signed
	token           string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	issuer, kid := keyDID(t, edKey.Public())
	token, err := Sign(bg, credV2(issuer), edKey, SignOptions{KeyID: kid})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	h, _ := b64.DecodeString(parts[0])
	p, _ := b64.DecodeString(parts[1])
	return fixture{issuer: issuer, kid: kid, header: string(h), payload: string(p), token: token}
}

// with re-signs the fixture with edits to header and payload.
func (f fixture) with(t *testing.T, header, payload string) string {
	t.Helper()
	if header == "" {
		header = f.header
	}
	if payload == "" {
		payload = f.payload
	}
	return craft(t, header, payload, edKey, EdDSA)
}

func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in %s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

func TestFixtureVerifies(t *testing.T) {
	f := newFixture(t)
	if _, err := Verify(bg, []byte(f.token), opts()); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(bg, []byte(f.with(t, "", "")), opts()); err != nil {
		t.Fatal(err)
	}
}

func TestRejectAlgorithm(t *testing.T) {
	f := newFixture(t)
	keys(t)
	enc := func(s string) string { return b64.EncodeToString([]byte(s)) }
	p := enc(f.payload)

	// alg none, without and with a signature segment.
	for _, tok := range []string{
		enc(`{"alg":"none","typ":"JWT"}`) + "." + p + ".",
		enc(`{"alg":"none","typ":"JWT"}`) + "." + p + "." + enc("x"),
		enc(`{"alg":"None","kid":"`+f.kid+`"}`) + "." + p + ".",
	} {
		if !IsCompactJWS([]byte(tok)) {
			t.Error("an unsecured token is not recognised as a JWS")
		}
		o := opts()
		o.Algorithms = append(o.Algorithms, "none")
		_, err := Verify(bg, []byte(tok), o)
		wantErr(t, err, ErrAlgorithmNotAllowed)
	}

	// HS256 "signed" with the public key as the HMAC secret (the classic
	// key-confusion attack), with every encoding of the key an attacker
	// might guess, even though the caller listed HS256.
	pub := edKey.Public().(ed25519.PublicKey)
	for _, secret := range [][]byte{pub, []byte(jwkJSON(t, pub)), []byte(f.kid)} {
		hdr := enc(`{"alg":"HS256","typ":"JWT","kid":"` + f.kid + `"}`)
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(hdr + "." + p))
		tok := hdr + "." + p + "." + b64.EncodeToString(mac.Sum(nil))
		o := opts()
		o.Algorithms = []Algorithm{"HS256", EdDSA}
		_, err := Verify(bg, []byte(tok), o)
		wantErr(t, err, ErrAlgorithmNotAllowed)
	}
	// The same with an RSA key in the jwk header, the secret being its DER
	// or PEM encoding.
	der, err := x509.MarshalPKIXPublicKey(rsaKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	for _, secret := range [][]byte{der, pemKey, []byte(jwkJSON(t, rsaKey.Public()))} {
		hdr := enc(`{"alg":"HS256","jwk":` + jwkJSON(t, rsaKey.Public()) + `}`)
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(hdr + "." + p))
		tok := hdr + "." + p + "." + b64.EncodeToString(mac.Sum(nil))
		o := opts()
		o.Algorithms = []Algorithm{"HS256", RS256}
		_, err := Verify(bg, []byte(tok), o)
		wantErr(t, err, ErrAlgorithmNotAllowed)
	}
	for _, alg := range []string{"HS384", "HS512", "hs256", "PS256", "RS512", "ES512", "ES256K", "Ed25519", ""} {
		tok := enc(`{"alg":"`+alg+`","kid":"`+f.kid+`"}`) + "." + p + "." + enc("sig")
		_, err := Verify(bg, []byte(tok), opts())
		wantErr(t, err, ErrAlgorithmNotAllowed)
	}
	// alg missing or not a string.
	_, err = Verify(bg, []byte(enc(`{"kid":"`+f.kid+`"}`)+"."+p+"."+enc("sig")), opts())
	wantErr(t, err, ErrAlgorithmNotAllowed)
	_, err = Verify(bg, []byte(enc(`{"alg":256}`)+"."+p+"."+enc("sig")), opts())
	wantErr(t, err, ErrMalformed)

	// Not in the allow-list.
	o := opts()
	o.Algorithms = []Algorithm{RS256, ES256}
	_, err = Verify(bg, []byte(f.token), o)
	wantErr(t, err, ErrAlgorithmNotAllowed)
}

func TestRejectHeaders(t *testing.T) {
	f := newFixture(t)
	for name, hdr := range map[string]string{
		"crit":      `{"alg":"EdDSA","typ":"JWT","kid":"` + f.kid + `","crit":["exp"],"exp":1}`,
		"crit-only": `{"alg":"EdDSA","kid":"` + f.kid + `","crit":[]}`,
		"jku":       `{"alg":"EdDSA","kid":"` + f.kid + `","jku":"https://attacker.example/jwks.json"}`,
		"x5u":       `{"alg":"EdDSA","kid":"` + f.kid + `","x5u":"https://attacker.example/cert.pem"}`,
		"x5c":       `{"alg":"EdDSA","kid":"` + f.kid + `","x5c":["MIIB"]}`,
		"x5t":       `{"alg":"EdDSA","kid":"` + f.kid + `","x5t":"abc"}`,
		"b64":       `{"alg":"EdDSA","kid":"` + f.kid + `","b64":false}`,
		"zip":       `{"alg":"EdDSA","kid":"` + f.kid + `","zip":"DEF"}`,
		"unknown":   `{"alg":"EdDSA","kid":"` + f.kid + `","foo":"bar"}`,
		"case":      `{"alg":"EdDSA","kid":"` + f.kid + `","KID":"x"}`,
		"typ":       `{"alg":"EdDSA","typ":"at+jwt","kid":"` + f.kid + `"}`,
		"cty":       `{"alg":"EdDSA","cty":"JWT","kid":"` + f.kid + `"}`,
		"kid-form":  `{"alg":"EdDSA","kid":"http://example.edu/key"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(f.with(t, hdr, "")), opts())
			wantErr(t, err, ErrUnsupportedHeader)
		})
	}
	// Accepted variants of typ and cty.
	for _, hdr := range []string{
		`{"alg":"EdDSA","kid":"` + f.kid + `"}`,
		`{"alg":"EdDSA","typ":"jwt","kid":"` + f.kid + `"}`,
		`{"kid":"` + f.kid + `","typ":"application/vc+jwt","alg":"EdDSA","cty":"vc"}`,
	} {
		if _, err := Verify(bg, []byte(f.with(t, hdr, "")), opts()); err != nil {
			t.Errorf("%s: %v", hdr, err)
		}
	}
	// Wrong member types.
	for _, hdr := range []string{
		`{"alg":"EdDSA","kid":7}`,
		`{"alg":"EdDSA","kid":""}`,
		`{"alg":"EdDSA","typ":null,"kid":"` + f.kid + `"}`,
		`{"alg":"EdDSA","jwk":"key"}`,
		`["alg","EdDSA"]`,
	} {
		_, err := Verify(bg, []byte(f.with(t, hdr, "")), opts())
		wantErr(t, err, ErrMalformed)
	}
}

func TestRejectJWK(t *testing.T) {
	f := newFixture(t)
	keys(t)
	pubJWK := jwkJSON(t, edKey.Public())
	d := base64.RawURLEncoding.EncodeToString(edKey.Seed())
	for name, jwk := range map[string]string{
		"d":   strings.TrimSuffix(pubJWK, "}") + `,"d":"` + d + `"}`,
		"k":   `{"kty":"oct","k":"c2VjcmV0"}`,
		"rsa": strings.TrimSuffix(jwkJSON(t, rsaKey.Public()), "}") + `,"p":"AQAB","q":"AQAB"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","jwk":`+jwk+`}`, "")), opts())
			wantErr(t, err, ErrPrivateKeyInJWK)
		})
	}
	// Keys that are not usable for alg.
	small := jwkJSON(t, p256Key.Public())
	for name, tc := range map[string]struct{ alg, jwk string }{
		"rsa-1024":        {"RS256", rsaJWK1024(t)},
		"es256-rsa-key":   {"ES256", jwkJSON(t, rsaKey.Public())},
		"es256-p384-key":  {"ES256", jwkJSON(t, p384Key.Public())},
		"eddsa-p256-key":  {"EdDSA", small},
		"eddsa-small-ord": {"EdDSA", `{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`},
		"malformed":       {"EdDSA", `{"kty":"OKP","crv":"Ed25519","x":"AQ"}`},
		"oct":             {"EdDSA", `{"kty":"oct"}`},
	} {
		t.Run(name, func(t *testing.T) {
			tok := craft(t, `{"alg":"`+tc.alg+`","jwk":`+tc.jwk+`}`, f.payload, edKey, EdDSA)
			_, err := Verify(bg, []byte(tok), opts())
			wantErr(t, err, ErrInvalidKey)
		})
	}
	// A jwk that is not the signer's key.
	_, err := Verify(bg, []byte(f.with(t, `{"alg":"ES256","jwk":`+small+`}`, "")), opts())
	wantErr(t, err, ErrInvalidSignature)
	// kid and jwk naming different keys.
	other := ed25519.NewKeyFromSeed(sha256Sum("other")).Public()
	_, err = Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"`+f.kid+`","jwk":`+jwkJSON(t, other)+`}`, "")), opts())
	wantErr(t, err, ErrUnsupportedHeader)
	// ... and the same key: fine.
	if _, err := Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"`+f.kid+`","jwk":`+pubJWK+`}`, "")), opts()); err != nil {
		t.Error(err)
	}
}

// rsaJWK1024 returns the JWK of a 1024-bit RSA key.
func rsaJWK1024(t *testing.T) string {
	keys(t)
	k := rsaSmallKey.PublicKey
	return `{"kty":"RSA","n":"` + base64.RawURLEncoding.EncodeToString(k.N.Bytes()) + `","e":"AQAB"}`
}

func TestRejectSmallRSASignature(t *testing.T) {
	keys(t)
	issuer := "https://example.edu/issuers/565049"
	hdr := `{"alg":"RS256","jwk":` + rsaJWK1024(t) + `}`
	f := newFixture(t)
	payload := strings.ReplaceAll(f.payload, f.issuer, issuer)
	_, err := Verify(bg, []byte(craft(t, hdr, payload, rsaSmallKey, RS256)), opts())
	wantErr(t, err, ErrInvalidKey)
	_, err = Sign(bg, credV2(issuer), rsaSmallKey, SignOptions{EmbedJWK: true})
	wantErr(t, err, ErrInvalidKey)
}

func TestRejectEncoding(t *testing.T) {
	f := newFixture(t)
	parts := strings.Split(f.token, ".")
	padded := base64.URLEncoding.EncodeToString([]byte(f.header))
	if !strings.HasSuffix(padded, "=") {
		padded = base64.URLEncoding.EncodeToString([]byte(f.header + " "))
	}
	for name, tok := range map[string]string{
		"trailing dot":       f.token + ".",
		"extra segment":      f.token + ".e30",
		"two segments":       parts[0] + "." + parts[1],
		"one segment":        parts[0],
		"empty":              "",
		"dots":               "..",
		"empty header":       "." + parts[1] + "." + parts[2],
		"empty payload":      parts[0] + ".." + parts[2],
		"trailing newline":   f.token + "\n",
		"leading space":      " " + f.token,
		"inner space":        parts[0] + ". " + parts[1] + "." + parts[2],
		"inner newline":      parts[0][:10] + "\n" + parts[0][10:] + "." + parts[1] + "." + parts[2],
		"padding":            padded + "." + parts[1] + "." + parts[2],
		"padding signature":  parts[0] + "." + parts[1] + "." + parts[2] + "==",
		"std alphabet":       strings.NewReplacer("-", "+", "_", "/").Replace(f.token),
		"trailing bits":      parts[0] + "." + parts[1] + "." + nonCanonical(parts[2]),
		"bad length":         parts[0] + "." + parts[1] + "." + parts[2] + "AAA",
		"json serialization": `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`,
		"nul":                f.token + "\x00",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(tok), opts())
			wantErr(t, err, ErrMalformed)
		})
	}
}

// nonCanonical changes the unused low bits of the last base64url character.
func nonCanonical(seg string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[last^1])
}

func TestRejectDuplicateKeys(t *testing.T) {
	f := newFixture(t)
	for name, tc := range map[string][2]string{
		"header alg":     {`{"alg":"EdDSA","alg":"RS256","kid":"` + f.kid + `"}`, ""},
		"header kid":     {`{"alg":"EdDSA","kid":"` + f.kid + `","kid":"did:key:other"}`, ""},
		"jwk member":     {`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","crv":"Ed448","x":"AA"}}`, ""},
		"payload iss":    {"", replace(t, f.payload, `"iss":`, `"iss":"https://evil.example","iss":`)},
		"payload id":     {"", replace(t, f.payload, `"id":`, `"id":"urn:x","id":`)},
		"nested":         {"", replace(t, f.payload, `"name":"Teamwork"`, `"name":"Teamwork","name":"Other"`)},
		"escaped":        {"", replace(t, f.payload, `"iss":`, `"i\u0073s":"https://evil.example","iss":`)},
		"bad utf8":       {"", replace(t, f.payload, `Teamwork Badge`, "Teamwork \xff Badge")},
		"lone surrogate": {"", replace(t, f.payload, `Teamwork Badge`, `Teamwork \ud800 Badge`)},
		"trailing json":  {"", f.payload + " {}"},
		"not object":     {"", `["` + f.issuer + `"]`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(f.with(t, tc[0], tc[1])), opts())
			wantErr(t, err, ErrMalformed)
		})
	}
}

func TestRejectSize(t *testing.T) {
	f := newFixture(t)
	// The limit applies before anything is parsed: 2 MiB of junk is "too
	// large", not "malformed".
	junk := strings.Repeat("A", 2<<20)
	_, err := Verify(bg, []byte(junk), opts())
	wantErr(t, err, ErrTokenTooLarge)
	o := opts()
	o.MaxTokenSize = len(f.token) - 1
	_, err = Verify(bg, []byte(f.token), o)
	wantErr(t, err, ErrTokenTooLarge)
	o.MaxTokenSize = len(f.token)
	if _, err := Verify(bg, []byte(f.token), o); err != nil {
		t.Fatal(err)
	}
	// A header beyond 16 KiB is refused whatever the token limit.
	big := `{"alg":"EdDSA","kid":"` + f.kid + `","typ":"JWT` + strings.Repeat(" ", 17<<10) + `"}`
	_, err = Verify(bg, []byte(f.with(t, big, "")), opts())
	wantErr(t, err, ErrMalformed)
	// Deep nesting in the payload.
	deep := replace(t, f.payload, `"name":"Teamwork Badge"`, `"x":`+strings.Repeat("[", 100)+strings.Repeat("]", 100))
	_, err = Verify(bg, []byte(f.with(t, "", deep)), opts())
	wantErr(t, err, ErrMalformed)
}

func TestRejectSignature(t *testing.T) {
	f := newFixture(t)
	parts := strings.Split(f.token, ".")
	sig, _ := b64.DecodeString(parts[2])
	sig[0] ^= 1
	_, err := Verify(bg, []byte(parts[0]+"."+parts[1]+"."+b64.EncodeToString(sig)), opts())
	wantErr(t, err, ErrInvalidSignature)
	// Signed by another key.
	other := ed25519.NewKeyFromSeed(sha256Sum("other"))
	_, err = Verify(bg, []byte(craft(t, f.header, f.payload, other, EdDSA)), opts())
	wantErr(t, err, ErrInvalidSignature)
	// A signature of the wrong length.
	_, err = Verify(bg, []byte(parts[0]+"."+parts[1]+"."+b64.EncodeToString(sig[:32])), opts())
	wantErr(t, err, ErrInvalidSignature)
}

func TestRejectKeyBinding(t *testing.T) {
	f := newFixture(t)
	keys(t)
	// The kid is another DID's key (the attacker's), for this issuer.
	_, attackerKid := keyDID(t, p256Key.Public())
	tok := craft(t, `{"alg":"ES256","kid":"`+attackerKid+`"}`, f.payload, p256Key, ES256)
	_, err := Verify(bg, []byte(tok), opts())
	wantErr(t, err, ErrKeyNotIssuer)
	// An https kid for a DID issuer.
	_, err = Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"https://example.edu/keys/1"}`, "")), opts())
	wantErr(t, err, ErrKeyNotIssuer)
	// The right DID, a fragment that is not a method.
	_, err = Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"`+f.issuer+`#key-2"}`, "")), opts())
	wantErr(t, err, ErrKeyNotFound, did.ErrNotFound)
	// A DID the resolver cannot resolve (did:web needs an opted-in resolver).
	webIssuer := "did:web:example.edu"
	payload := strings.ReplaceAll(f.payload, f.issuer, webIssuer)
	_, err = Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"did:web:example.edu#key-1"}`, payload)), opts())
	wantErr(t, err, ErrKeyNotFound, did.ErrUnsupportedMethod)
	// The bare DID of a did:key stands for its key.
	if _, err := Verify(bg, []byte(f.with(t, `{"alg":"EdDSA","kid":"`+f.issuer+`"}`, "")), opts()); err != nil {
		t.Error(err)
	}
}

// An https kid must be a method of the issuer's controller document.
func TestHTTPSKid(t *testing.T) {
	keys(t)
	issuer := "https://example.edu/issuers/565049"
	mb, err := did.EncodePublicKey(p256Key.Public())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := did.ParseDocument([]byte(`{"@context":["https://www.w3.org/ns/did/v1"],"id":"` + issuer + `",
		"verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"` + issuer + `","publicKeyMultibase":"` + mb + `"},
		                      {"id":"#key-2","type":"Multikey","controller":"` + issuer + `","publicKeyMultibase":"` + mb + `"}],
		"assertionMethod":["#key-1"], "authentication":["#key-2"]}`))
	if err != nil {
		t.Fatal(err)
	}
	static, err := did.NewStaticResolver(doc)
	if err != nil {
		t.Fatal(err)
	}
	token, err := Sign(bg, credV2(issuer), p256Key, SignOptions{KeyID: issuer + "#key-1"})
	if err != nil {
		t.Fatal(err)
	}
	o := opts()
	o.Resolver = static
	v, err := Verify(bg, []byte(token), o)
	if err != nil {
		t.Fatal(err)
	}
	if !v.KeyProven || v.VerificationMethod.ID != issuer+"#key-1" || len(v.Warnings) != 0 {
		t.Errorf("result %+v", v)
	}
	// Not without the resolver (offline default).
	_, err = Verify(bg, []byte(token), opts())
	wantErr(t, err, ErrKeyNotFound)
	// A method not listed under assertionMethod.
	token, err = Sign(bg, credV2(issuer), p256Key, SignOptions{KeyID: issuer + "#key-2"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Verify(bg, []byte(token), o)
	wantErr(t, err, ErrKeyNotFound, did.ErrRelationship)
}

func TestRejectClaims(t *testing.T) {
	f := newFixture(t)
	p := f.payload
	for name, payload := range map[string]string{
		"iss differs":      replace(t, p, `"iss":"`+f.issuer, `"iss":"`+f.issuer+`x`),
		"iss missing":      replace(t, p, `"iss":"`+f.issuer+`",`, ``),
		"iss number":       replace(t, p, `"iss":"`+f.issuer+`"`, `"iss":1`),
		"issuer differs":   replace(t, p, `"id":"`+f.issuer+`"`, `"id":"did:example:other"`),
		"jti differs":      replace(t, p, `"jti":"urn:uuid:a63a`, `"jti":"urn:uuid:b63a`),
		"jti missing":      replace(t, p, `"jti":"urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",`, ``),
		"id missing":       replace(t, p, `"id":"urn:uuid:a63a60be-f4af-491c-87fc-2c8fd3007a58",`, ``),
		"sub differs":      replace(t, p, `"sub":"did:example:ebfeb1f712ebc6f1c276e12ec21"`, `"sub":"did:example:someone-else"`),
		"sub empty":        replace(t, p, `"sub":"did:example:ebfeb1f712ebc6f1c276e12ec21"`, `"sub":""`),
		"subject no id":    replace(t, p, `"credentialSubject":{"id":"did:example:ebfeb1f712ebc6f1c276e12ec21",`, `"credentialSubject":{`),
		"nbf differs":      replace(t, p, `"nbf":1735689600`, `"nbf":1735689601`),
		"nbf missing":      replace(t, p, `,"nbf":1735689600`, ``),
		"nbf string":       replace(t, p, `"nbf":1735689600`, `"nbf":"1735689600"`),
		"nbf negative":     replace(t, p, `"nbf":1735689600`, `"nbf":-1`),
		"nbf huge":         replace(t, p, `"nbf":1735689600`, `"nbf":1e300`),
		"validFrom absent": replace(t, p, `"validFrom":"2025-01-01T00:00:00Z",`, ``),
		"exp differs":      replace(t, p, `"exp":1893456000`, `"exp":1893456001`),
		"exp missing":      replace(t, p, `,"exp":1893456000`, ``),
		"until absent":     replace(t, p, `"validUntil":"2030-01-01T00:00:00.500Z",`, ``),
		"validFrom bad":    replace(t, p, `"validFrom":"2025-01-01T00:00:00Z"`, `"validFrom":"2025-01-01"`),
		"aud number":       replace(t, p, `"iss":`, `"aud":5,"iss":`),
		"aud array number": replace(t, p, `"iss":`, `"aud":["a",5],"iss":`),
		"two subjects":     replace(t, p, `"credentialSubject":{`, `"credentialSubject":[{"id":"did:example:x"},{`) + "",
	} {
		t.Run(name, func(t *testing.T) {
			if name == "two subjects" {
				payload = replace(t, payload, `}}},"iss"`, `}}}],"iss"`)
			}
			_, err := Verify(bg, []byte(f.with(t, "", payload)), opts())
			wantErr(t, err, ErrClaimMismatch)
		})
	}
	// sub may be absent with InsecureAcceptMissingSubject (a warning), and
	// is required without it; within a second nbf matches a validFrom with
	// a fraction.
	noSub := replace(t, p, `,"sub":"did:example:ebfeb1f712ebc6f1c276e12ec21"`, ``)
	v, err := Verify(bg, []byte(f.with(t, "", noSub)), opts())
	if err != nil || len(v.Warnings) != 1 || v.Warnings[0].Code != WarnMissingSubject {
		t.Errorf("no sub: %v %+v", err, v)
	}
	_, err = Verify(bg, []byte(f.with(t, "", noSub)), VerifyOptions{Algorithms: SupportedAlgorithms(), Now: fixedClock})
	wantErr(t, err, ErrClaimMismatch)
	frac := replace(t, p, `"validFrom":"2025-01-01T00:00:00Z"`, `"validFrom":"2025-01-01T00:00:00.999Z"`)
	if _, err := Verify(bg, []byte(f.with(t, "", frac)), opts()); err != nil {
		t.Error(err)
	}
	// Audience.
	aud := replace(t, p, `"iss":`, `"aud":["did:example:verifier"],"iss":`)
	o := opts()
	o.Audience = "did:example:verifier"
	if _, err := Verify(bg, []byte(f.with(t, "", aud)), o); err != nil {
		t.Error(err)
	}
	o.Audience = "did:example:other"
	_, err = Verify(bg, []byte(f.with(t, "", aud)), o)
	wantErr(t, err, ErrClaimMismatch)
	_, err = Verify(bg, []byte(f.token), o)
	wantErr(t, err, ErrClaimMismatch)
}

func TestRejectDataModel(t *testing.T) {
	f := newFixture(t)
	v1 := `"@context":["https://www.w3.org/2018/credentials/v1"`
	v2 := `"@context":["https://www.w3.org/ns/credentials/v2"`
	for name, payload := range map[string]string{
		"v1 at top level":  replace(t, f.payload, v2, v1),
		"no context":       `{"iss":"` + f.issuer + `","type":["VerifiableCredential"]}`,
		"unknown context":  replace(t, f.payload, v2, `"@context":["https://example.com/ctx"`),
		"empty context":    replace(t, f.payload, v2+`,"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]`, `"@context":[]`),
		"vc with v2":       `{"vc":{` + v2 + `],"issuer":"` + f.issuer + `"},"iss":"` + f.issuer + `"}`,
		"vc and top level": `{"vc":{` + v1 + `],"issuer":"` + f.issuer + `"},` + v2 + `],"iss":"` + f.issuer + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(f.with(t, "", payload)), opts())
			wantErr(t, err, ErrDataModel)
		})
	}
	_, err := Verify(bg, []byte(f.with(t, "", `{"vc":"x","iss":"`+f.issuer+`"}`)), opts())
	wantErr(t, err, ErrMalformed)
}

// VC-JWT 1.1 lets the issuer leave to the claims what they repeat.
func TestV11ClaimsMapped(t *testing.T) {
	f := newFixture(t)
	payload := `{"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],` +
		`"credentialSubject":{"type":["AchievementSubject"]}},` +
		`"iss":"` + f.issuer + `","jti":"urn:uuid:1","sub":"did:example:s","nbf":1262304000,"exp":1893456000}`
	v, err := Verify(bg, []byte(f.with(t, "", payload)), opts())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],` +
		`"credentialSubject":{"id":"did:example:s","type":["AchievementSubject"]},"id":"urn:uuid:1","issuer":"` + f.issuer +
		`","issuanceDate":"2010-01-01T00:00:00Z","expirationDate":"2030-01-01T00:00:00Z"}`
	if string(v.Credential) != want || v.DataModel != VCDM11 {
		t.Errorf("credential\n got %s\nwant %s", v.Credential, want)
	}
	// Present members must agree.
	bad := strings.Replace(payload, `"type":["VerifiableCredential"],`, `"type":["VerifiableCredential"],"issuanceDate":"2011-01-01T00:00:00Z",`, 1)
	_, err = Verify(bg, []byte(f.with(t, "", bad)), opts())
	wantErr(t, err, ErrClaimMismatch)
	bad = strings.Replace(payload, `"type":["VerifiableCredential"],`, `"type":["VerifiableCredential"],"issuer":"did:example:other",`, 1)
	_, err = Verify(bg, []byte(f.with(t, "", bad)), opts())
	wantErr(t, err, ErrClaimMismatch)
	// Without a subject at all, sub becomes one.
	noSubj := strings.Replace(payload, `"credentialSubject":{"type":["AchievementSubject"]}`, `"name":"x"`, 1)
	if v, err = Verify(bg, []byte(f.with(t, "", noSubj)), opts()); err != nil || !strings.Contains(string(v.Credential), `"credentialSubject":{"id":"did:example:s"}`) {
		t.Errorf("%v %s", err, v.Credential)
	}
}

func TestValidityPeriod(t *testing.T) {
	f := newFixture(t)
	at := func(tm time.Time, skew time.Duration) (*Verified, error) {
		o := opts()
		o.Now = func() time.Time { return tm }
		o.ClockSkew = skew
		return Verify(bg, []byte(f.token), o)
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	v, err := at(from.Add(-time.Hour), 0)
	wantErr(t, err, ErrNotYetValid)
	if v == nil || v.Credential == nil {
		t.Error("no result with ErrNotYetValid")
	}
	v, err = at(until.Add(time.Hour), 0)
	wantErr(t, err, ErrExpired)
	if v == nil {
		t.Error("no result with ErrExpired")
	}
	_, err = at(until.Add(time.Nanosecond), time.Nanosecond)
	wantErr(t, err, ErrExpired)
	for _, tc := range []struct {
		now  time.Time
		skew time.Duration
	}{
		{from.Add(-4 * time.Minute), 0}, // default skew: 5 minutes
		{until.Add(4 * time.Minute), 0},
		{from.Add(-time.Hour), 2 * time.Hour},
		{until.Add(-time.Second), time.Nanosecond},
	} {
		if _, err := at(tc.now, tc.skew); err != nil {
			t.Errorf("at %v skew %v: %v", tc.now, tc.skew, err)
		}
	}
	// iat in the future: a warning only.
	iat := replace(t, f.payload, `"iss":`, `"iat":1893000000,"iss":`)
	v, err = Verify(bg, []byte(f.with(t, "", iat)), opts())
	if err != nil || len(v.Warnings) != 1 || v.Warnings[0].Code != WarnIssuedInFuture {
		t.Errorf("iat: %v %+v", err, v)
	}
}

func TestVerifyOptionsInvalid(t *testing.T) {
	f := newFixture(t)
	for name, o := range map[string]VerifyOptions{
		"no algorithms":  {},
		"only hmac":      {Algorithms: []Algorithm{"HS256", "none"}},
		"negative skew":  {Algorithms: SupportedAlgorithms(), ClockSkew: -1},
		"negative limit": {Algorithms: SupportedAlgorithms(), MaxTokenSize: -1},
		"unknown only":   {Algorithms: []Algorithm{"RS512"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Verify(bg, []byte(f.token), o)
			wantErr(t, err, ErrConfig)
		})
	}
}

func TestSignRejects(t *testing.T) {
	keys(t)
	issuer, kid := keyDID(t, edKey.Public())
	cred := credV2(issuer)
	_, err := Sign(bg, cred, edKey, SignOptions{})
	wantErr(t, err, ErrConfig)
	_, err = Sign(bg, cred, nil, SignOptions{KeyID: kid})
	wantErr(t, err, ErrConfig)
	_, err = Sign(bg, cred, edKey, SignOptions{KeyID: "key-1"})
	wantErr(t, err, ErrConfig)
	_, otherKid := keyDID(t, p256Key.Public())
	_, err = Sign(bg, cred, edKey, SignOptions{KeyID: otherKid})
	wantErr(t, err, ErrKeyNotIssuer)
	_, err = Sign(bg, cred, edKey, SignOptions{KeyID: kid, Algorithm: "HS256"})
	wantErr(t, err, ErrAlgorithmNotAllowed)
	_, err = Sign(bg, cred, edKey, SignOptions{KeyID: kid, Algorithm: ES256})
	wantErr(t, err, ErrInvalidKey)
	_, err = Sign(bg, cred, p256Key, SignOptions{EmbedJWK: true, Algorithm: ES384})
	wantErr(t, err, ErrInvalidKey)
	for name, c := range map[string]string{
		"iss member":    strings.Replace(string(cred), `"name": "Teamwork Badge",`, `"name": "Teamwork Badge", "iss": "x",`, 1),
		"vc member":     strings.Replace(string(cred), `"name": "Teamwork Badge",`, `"name": "Teamwork Badge", "vc": {},`, 1),
		"duplicate":     strings.Replace(string(cred), `"name": "Teamwork Badge",`, `"name": "Teamwork Badge", "name": "x",`, 1),
		"no issuer":     strings.Replace(string(cred), `"issuer": {"id": "`+issuer+`", `, `"issuer": {`, 1),
		"bad date":      strings.Replace(string(cred), `"2025-01-01T00:00:00Z"`, `"yesterday"`, 1),
		"no context":    strings.Replace(string(cred), `"https://www.w3.org/ns/credentials/v2", `, ``, 1),
		"not an object": `["x"]`,
		"not json":      `{"a":`,
	} {
		_, err := Sign(bg, []byte(c), edKey, SignOptions{KeyID: kid})
		if err == nil || !errors.Is(err, ErrInvalidCredential) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A signer whose Public is not its key.
	_, err = Sign(bg, cred, lyingSigner{edKey, p256Key}, SignOptions{EmbedJWK: true, Algorithm: EdDSA})
	wantErr(t, err, ErrInvalidKey)
	_, err = Sign(bg, credV2(issuer), lyingSigner{edKey, ed25519.NewKeyFromSeed(sha256Sum("x"))}, SignOptions{EmbedJWK: true})
	wantErr(t, err, ErrSigner)
	// A cancelled context.
	ctx, cancel := contextWithCancel()
	cancel()
	if _, err := Sign(ctx, cred, edKey, SignOptions{KeyID: kid}); err == nil {
		t.Error("signed with a cancelled context")
	}
}
