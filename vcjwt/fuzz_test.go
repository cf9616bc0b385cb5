package vcjwt

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// fuzzSeeds returns valid tokens of both data models and both key forms, and
// a few hostile variants, signed with the deterministic Ed25519 key.
func fuzzSeeds(f *testing.F) []string {
	issuer, kid := keyDID(f, edKey.Public())
	var seeds []string
	for _, cred := range [][]byte{credV2(issuer), credV1(issuer), credV2("https://example.edu/issuers/1")} {
		for _, so := range []SignOptions{{KeyID: kid}, {EmbedJWK: true}} {
			if so.KeyID != "" && strings.Contains(string(cred), "https://example.edu") {
				continue
			}
			tok, err := Sign(bg, cred, edKey, so)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, tok)
		}
	}
	parts := strings.Split(seeds[0], ".")
	enc := func(s string) string { return b64.EncodeToString([]byte(s)) }
	seeds = append(seeds,
		enc(`{"alg":"none"}`)+"."+parts[1]+".",
		enc(`{"alg":"HS256","kid":"`+kid+`"}`)+"."+parts[1]+"."+parts[2],
		enc(`{"alg":"EdDSA","crit":["b64"],"b64":false}`)+"."+parts[1]+"."+parts[2],
		enc(`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AQ","d":"AQ"}}`)+"."+parts[1]+"."+parts[2],
		enc(`{"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}}`)+"."+enc(`{"vc":{}}`)+"."+parts[2],
		seeds[0]+".",
		"a.b.c",
		"..",
		"",
	)
	return seeds
}

// FuzzVerify checks that no token makes Verify panic or hang, that every
// error is one of the package's, and that what it accepts is consistent.
func FuzzVerify(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	o := opts()
	f.Fuzz(func(t *testing.T, token string) {
		v, err := Verify(bg, []byte(token), o)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "vcjwt: ") {
				t.Fatalf("error %q is not a *vcjwt.Error", err)
			}
			if v != nil && !errors.Is(err, ErrExpired) && !errors.Is(err, ErrNotYetValid) {
				t.Fatalf("result returned with %v", err)
			}
			if v == nil {
				return
			}
		}
		if !IsCompactJWS([]byte(token)) {
			t.Fatal("Verify accepted what IsCompactJWS refuses")
		}
		var cred map[string]any
		if err := json.Unmarshal(v.Credential, &cred); err != nil {
			t.Fatalf("credential is not a JSON object: %v", err)
		}
		for _, c := range registeredClaims {
			if _, ok := cred[c]; ok && v.DataModel == VCDM20 {
				t.Fatalf("claim %s left in a 2.0 credential", c)
			}
		}
		if v.PublicKey == nil || (v.Header.KeyID == "" && v.Header.JWK == nil) {
			t.Fatal("accepted without a key")
		}
	})
}

// FuzzParse exercises the parsing stages alone (no signature), which lets the
// fuzzer reach deeper into the header and payload checks.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		parts := strings.SplitN(s, ".", 3)
		h, _ := b64.DecodeString(parts[0])
		p, _ := b64.DecodeString(parts[min(1, len(parts)-1)])
		f.Add(s, string(h), string(p))
	}
	f.Fuzz(func(t *testing.T, token, header, payload string) {
		IsCompactJWS([]byte(token))
		if segs, err := split([]byte(token)); err == nil {
			for i := range segs {
				if _, err := decodeSegment(segs[i], "x"); err == nil && i < 2 && len(segs[i]) == 0 {
					t.Fatal("empty header or payload decoded")
				}
			}
		}
		if h, err := parseHeader([]byte(header), SupportedAlgorithms()); err == nil {
			if !supported(h.Algorithm) {
				t.Fatalf("header with alg %q accepted", h.Algorithm)
			}
		}
		if p, err := parsePayload([]byte(payload), DefaultMaxTokenSize); err == nil {
			if !json.Valid(p.credential) {
				t.Fatalf("credential %q is not JSON", p.credential)
			}
			if _, err := compareClaims(p.claims, p.facts, false); err == nil && p.claims.Issuer == "" {
				t.Fatal("claims accepted without iss")
			}
		}
	})
}

// FuzzSignVerify checks that whatever credential Sign accepts, Verify accepts
// the token it makes (up to the validity period): the two sides of the
// package read the credential and the claims the same way.
func FuzzSignVerify(f *testing.F) {
	issuer, kid := keyDID(f, edKey.Public())
	f.Add(string(credV2(issuer)), true)
	f.Add(string(credV1(issuer)), false)
	f.Add(`{"@context":"https://www.w3.org/ns/credentials/v2","issuer":"`+issuer+`","credentialSubject":[{"id":"a"},{"id":"b"}]}`, true)
	f.Add(`{"@context":["https://www.w3.org/2018/credentials/v1"],"issuer":"`+issuer+`","credentialSubject":{},"issuanceDate":"2010-01-01T00:00:00.5+02:00"}`, false)
	o := opts()
	f.Fuzz(func(t *testing.T, cred string, useKid bool) {
		so := SignOptions{EmbedJWK: !useKid}
		if useKid {
			so.KeyID = kid
		}
		tok, err := Sign(bg, []byte(cred), edKey, so)
		if err != nil {
			return
		}
		_, err = Verify(bg, []byte(tok), o)
		// Sign does not resolve the issuer: an embedded key that a DID
		// issuer's document does not list (the fuzzer changes the DID) is
		// refused by Verify, as it must be.
		if !useKid && errors.Is(err, ErrKeyNotIssuer) && !strings.Contains(cred, issuer) {
			return
		}
		if err != nil && !errors.Is(err, ErrExpired) && !errors.Is(err, ErrNotYetValid) {
			t.Fatalf("Sign made a token Verify refuses: %v\ncredential %s", err, cred)
		}
	})
}
