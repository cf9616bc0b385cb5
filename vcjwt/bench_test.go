package vcjwt

import "testing"

// BenchmarkVerify measures a whole verification (parse, resolve did:key,
// signature, claims) for each algorithm.
func BenchmarkVerify(b *testing.B) {
	keys(b)
	for _, tc := range []struct {
		name string
		tok  func() string
	}{
		{"EdDSA", func() string { return benchToken(b, "ed") }},
		{"ES256", func() string { return benchToken(b, "p256") }},
		{"RS256", func() string { return benchToken(b, "rsa") }},
	} {
		tok := []byte(tc.tok())
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Verify(bg, tok, opts()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSign measures Sign with an Ed25519 key and a did:key kid.
func BenchmarkSign(b *testing.B) {
	issuer, kid := keyDID(b, edKey.Public())
	cred := credV2(issuer)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(bg, cred, edKey, SignOptions{KeyID: kid}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchToken(b *testing.B, which string) string {
	switch which {
	case "ed":
		issuer, kid := keyDID(b, edKey.Public())
		tok, err := Sign(bg, credV2(issuer), edKey, SignOptions{KeyID: kid})
		if err != nil {
			b.Fatal(err)
		}
		return tok
	case "p256":
		issuer, kid := keyDID(b, p256Key.Public())
		tok, err := Sign(bg, credV2(issuer), p256Key, SignOptions{KeyID: kid})
		if err != nil {
			b.Fatal(err)
		}
		return tok
	default:
		issuer, kid := jwkDID(b, rsaKey.Public())
		tok, err := Sign(bg, credV2(issuer), rsaKey, SignOptions{KeyID: kid})
		if err != nil {
			b.Fatal(err)
		}
		return tok
	}
}
