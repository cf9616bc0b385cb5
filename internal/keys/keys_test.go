package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestGenerateRoundTrip(t *testing.T) {
	for _, typ := range []string{"", "ed25519", "p256", "p384", "rsa"} {
		if typ == "rsa" && testing.Short() {
			continue
		}
		k, err := Generate(typ, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		data, err := k.MarshalJWK()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", typ, err, data)
		}
		if back.DID != k.DID || back.VerificationMethod != k.VerificationMethod || back.Algorithm != k.Algorithm {
			t.Fatalf("%s: %+v != %+v", typ, back, k)
		}
		if !back.Public.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Public) {
			t.Fatalf("%s: public key differs", typ)
		}
		wantPrefix := "did:key:z"
		if typ == "rsa" {
			wantPrefix = "did:jwk:"
		}
		if !strings.HasPrefix(k.DID, wantPrefix) || !strings.HasPrefix(k.VerificationMethod, k.DID+"#") {
			t.Fatalf("%s: %s %s", typ, k.DID, k.VerificationMethod)
		}
		checkSigns(t, back)
	}
	if _, err := Generate("dsa", rand.Reader); !errors.Is(err, ErrUnsupported) {
		t.Fatal(err)
	}
}

func checkSigns(t *testing.T, k *Key) {
	t.Helper()
	msg := []byte("badge")
	h := sha256.Sum256(msg)
	switch pub := k.Public.(type) {
	case ed25519.PublicKey:
		sig, err := k.Signer.Sign(rand.Reader, msg, crypto.Hash(0))
		if err != nil || !ed25519.Verify(pub, msg, sig) {
			t.Fatal("ed25519 signature does not verify")
		}
	case *ecdsa.PublicKey:
		sig, err := k.Signer.Sign(rand.Reader, h[:], crypto.SHA256)
		if err != nil || !ecdsa.VerifyASN1(pub, h[:], sig) {
			t.Fatal("ecdsa signature does not verify")
		}
	case *rsa.PublicKey:
		sig, err := k.Signer.Sign(rand.Reader, h[:], crypto.SHA256)
		if err != nil || rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) != nil {
			t.Fatal("rsa signature does not verify")
		}
	}
}

// The W3C vc-di-eddsa key pair (TestVectors/keyPair.json), in the member
// names of that file.
const w3cKeyPair = `{
    "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "privateKeyMultibase": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
}`

func TestParseMultikey(t *testing.T) {
	k, err := Parse([]byte(w3cKeyPair))
	if err != nil {
		t.Fatal(err)
	}
	const did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	if k.DID != did || k.VerificationMethod != did+"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" || k.Algorithm != "EdDSA" {
		t.Fatalf("%+v", k)
	}
	checkSigns(t, k)

	withID := `{"id":"did:web:issuer.example#key-1","controller":"did:web:issuer.example","type":"Multikey",
	  "publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
	  "secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`
	k, err = Parse([]byte(withID))
	if err != nil || k.DID != "did:web:issuer.example" || k.VerificationMethod != "did:web:issuer.example#key-1" {
		t.Fatalf("%+v %v", k, err)
	}
	relative := strings.Replace(withID, `"did:web:issuer.example#key-1"`, `"#key-1"`, 1)
	k, err = Parse([]byte(relative))
	if err != nil || k.VerificationMethod != "did:web:issuer.example#key-1" {
		t.Fatalf("%+v %v", k, err)
	}
	noController := `{"id":"https://example.edu/issuers/565049#key-1","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`
	k, err = Parse([]byte(noController))
	if err != nil || k.DID != "https://example.edu/issuers/565049" {
		t.Fatalf("%+v %v", k, err)
	}
	// The 1EdTech implementation guide's 64-byte seed‖public form.
	k, err = Parse([]byte(`{"secretKeyMultibase":"zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"}`))
	if err != nil || k.DID != "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" {
		t.Fatalf("%+v %v", k, err)
	}
}

// The P-256 key of the did:key test vectors (w3c-ccg/did-method-key
// test-vectors/nist-curves.json) as a private JWK.
const p256JWK = `{"kty":"EC","crv":"P-256","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
  "y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM","d":"gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"}`

func TestParseJWK(t *testing.T) {
	k, err := Parse([]byte(p256JWK))
	if err != nil {
		t.Fatal(err)
	}
	if k.DID != "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv" || k.Algorithm != "ES256" {
		t.Fatalf("%+v", k)
	}
	checkSigns(t, k)
	// A kid naming this did:key is accepted; a did:web kid is taken as given.
	withKid := strings.Replace(p256JWK, `"kty"`, `"kid":"did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv#zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv","kty"`, 1)
	if _, err := Parse([]byte(withKid)); err != nil {
		t.Fatal(err)
	}
	webKid := strings.Replace(p256JWK, `"kty"`, `"kid":"did:web:issuer.example#k","kty"`, 1)
	k, err = Parse([]byte(webKid))
	if err != nil || k.DID != "did:web:issuer.example" || k.VerificationMethod != "did:web:issuer.example#k" {
		t.Fatalf("%+v %v", k, err)
	}
	// A thumbprint-style kid is not an identifier: derived ones are used.
	k, err = Parse([]byte(strings.Replace(p256JWK, `"kty"`, `"kid":"abc","kty"`, 1)))
	if err != nil || !strings.HasPrefix(k.DID, "did:key:") {
		t.Fatalf("%+v %v", k, err)
	}
}

func TestParseRejects(t *testing.T) {
	ed := `"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"`
	// RFC 8037 A.1 key: x matches d.
	if _, err := Parse([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in string
		want     error
	}{
		{"not JSON", `nope`, ErrInvalid},
		{"array", `[]`, ErrInvalid},
		{"empty object", `{}`, ErrInvalid},
		{"duplicate", `{"kty":"OKP","kty":"EC"}`, ErrInvalid},
		{"x does not match d", `{` + ed + `}`, ErrMismatch},
		{"public JWK", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, ErrInvalid},
		{"short d", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"AAAA"}`, ErrInvalid},
		{"padded d", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="}`, ErrInvalid},
		{"alg mismatch", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","alg":"HS256"}`, ErrInvalid},
		{"use enc", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","use":"enc"}`, ErrInvalid},
		{"kid names another key", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","kid":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}`, ErrMismatch},
		{"kid bad did:key", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","kid":"did:key:zzz"}`, ErrInvalid},
		{"x25519", `{"kty":"OKP","crv":"X25519","x":"AA","d":"AA"}`, ErrUnsupported},
		{"oct", `{"kty":"oct","k":"AA","d":"AA"}`, ErrUnsupported},
		{"EC mismatch", strings.Replace(p256JWK, "igrF", "igrE", 1), ErrMismatch},
		{"EC bad d", strings.Replace(p256JWK, `"d":"gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"`, `"d":"AAAA"`, 1), ErrInvalid},
		{"secp256k1", `{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA","d":"AA"}`, ErrUnsupported},
		{"kid not a string", strings.Replace(p256JWK, `"kty"`, `"kid":1,"kty"`, 1), ErrInvalid},
		{"multikey public mismatch", `{"publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`, ErrMismatch},
		{"multikey bad secret", `{"secretKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}`, ErrInvalid},
		{"multikey relative id alone", `{"id":"#k","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`, ErrInvalid},
		{"multikey controller alone", `{"controller":"did:web:x.example","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`, ErrInvalid},
		{"multikey id of another did:key", `{"id":"did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`, ErrMismatch},
		{"multikey relative path id", `{"id":"keys/1","secretKeyMultibase":"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}`, ErrInvalid},
		{"too large", `{"x":"` + strings.Repeat("a", MaxFileSize) + `"}`, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "keys: ") {
				t.Fatalf("error %q not prefixed", err)
			}
		})
	}
}

func TestParseRSA(t *testing.T) {
	if testing.Short() {
		t.Skip("RSA key generation")
	}
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, err := New(priv)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := k.MarshalJWK()
	var m map[string]any
	json.Unmarshal(data, &m)
	// Without CRT values it still loads; with wrong ones it does not.
	delete(m, "dp")
	delete(m, "dq")
	delete(m, "qi")
	b, _ := json.Marshal(m)
	if _, err := Parse(b); err != nil {
		t.Fatal(err)
	}
	m["qi"] = "AQ"
	b, _ = json.Marshal(m)
	if _, err := Parse(b); !errors.Is(err, ErrMismatch) {
		t.Fatal(err)
	}
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	if _, err := New(small); err == nil {
		t.Fatal("1024-bit RSA accepted")
	}
	if _, err := New(nil); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(w3cKeyPair))
	f.Add([]byte(p256JWK))
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","kid":"did:key:z6Mk#z6Mk"}`))
	f.Add([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ","p":"Aw","q":"BQ"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := Parse(data)
		if err != nil {
			return
		}
		if k.Signer == nil || k.Public == nil || k.DID == "" || k.VerificationMethod == "" || k.Algorithm == "" {
			t.Fatalf("incomplete key %+v", k)
		}
	})
}
