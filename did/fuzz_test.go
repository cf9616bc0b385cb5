package did

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// Every fuzz target checks the same contract: no panic, and every failure is
// an *Error matching one of the package's sentinels.
func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind == nil {
		t.Fatalf("untyped error %v", err)
	}
}

func FuzzKeyDID(f *testing.F) {
	for _, v := range didKeyEd25519Vectors {
		f.Add(v.did)
	}
	for _, v := range didKeyNISTVectors {
		f.Add(v.did)
	}
	for _, s := range []string{
		"did:key:" + w3cPublicKeyMultibase,
		"did:key:z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj",
		"did:key:z6LSeoSo7cnMZoT2JxZ8xk8qUPNkjmHgB3G51ZbXtTa5pnnh",
		"did:key:zQhVUVXSmSM8gos5gM8aSmYECB3TdQ52uz6jJZTK7Ctxr9zgV",
		"did:key:z2DQVgKH8NoRsx74URviG72JDfT7jQo5xacBP7XJx7mmBnw",
		"did:key:1:z6Mk", "did:key:", "did:key:z", "did:key:u7QE",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, did string) {
		doc, err := KeyResolver{}.Resolve(context.Background(), did)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		// A resolvable did:key is canonical: re-encoding its key gives it back.
		pub, err := doc.VerificationMethods[0].PublicKey()
		if err != nil {
			t.Fatalf("resolved %q but its key fails: %v", did, err)
		}
		again, vmID, err := NewKeyDID(pub)
		if err != nil || again != did {
			t.Fatalf("%q re-encodes as %q (%v)", did, again, err)
		}
		if _, _, err := ResolveVerificationMethod(context.Background(), nil, vmID, AssertionMethod); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzJWKDID(f *testing.F) {
	f.Add(specJWKP256)
	f.Add(specJWKX25519)
	for _, j := range []string{
		`{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}`,
		`{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik","use":"sig","alg":"EdDSA"}`,
		`{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik","d":"AA"}`,
		`{"kty":"EC","crv":"P-384","x":"lInTxl8fjLKp_UCrxI0WDklahi-7-_6JbtiHjiRvMvhedhKVdHBfi2HCY8t_QJyc","y":"y6N1IC-2mXxHreETBW7K3mBcw0qGr3CWHCs-yl09yCQRLcyfGv7XhqAngHOu51Zv"}`,
		`{"kty":"RSA","n":"AQAB","e":"AQAB"}`,
		`{"kty":"oct","k":"AA"}`, `{}`, `[]`, `null`,
	} {
		f.Add(jwkDID(j))
	}
	f.Fuzz(func(t *testing.T, did string) {
		doc, err := JWKResolver{}.Resolve(context.Background(), did)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		vm := doc.VerificationMethods[0]
		if vm.ID != did+"#0" || vm.Controller != did {
			t.Fatalf("bad method %+v", vm)
		}
		if doc.AssertionMethod != nil {
			if _, err := vm.PublicKey(); err != nil {
				t.Fatalf("assertion key of %q fails: %v", did, err)
			}
		}
		// The document survives a JSON round trip.
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseDocument(b); err != nil {
			t.Fatalf("re-parse: %v\n%s", err, b)
		}
	})
}

func FuzzDocument(f *testing.F) {
	f.Add([]byte(webDoc))
	f.Add([]byte(docFor(f, "did:web:example.com")))
	f.Add([]byte(`{"id":"https://example.edu/issuers/565049","verificationMethod":[{"id":"#k","type":"JsonWebKey2020","controller":"https://example.edu/issuers/565049","publicKeyJwk":{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}}],"authentication":["#k"],"assertionMethod":[{"id":"#e","type":"Multikey","controller":"https://example.edu/issuers/565049","publicKeyMultibase":"zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"}]}`))
	f.Add([]byte(`{"id":"did:web:a.example","controller":["did:web:b.example","did:web:c.example"]}`))
	// A method repeated identically (other member order), and one repeated
	// with other content.
	f.Add([]byte(`{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],"assertionMethod":[{"publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","controller":"#","type":"Multikey","id":"did:web:a.example#k","n":1.0}]}`))
	f.Add([]byte(`{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"},{"id":"#j","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}],"assertionMethod":["#j",{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","revoked":[1e999]}]}`))
	f.Add([]byte(`{"id":"did:web:a.example","id":"did:web:b.example"}`))
	f.Add([]byte(`{"id":"did:web:a.example"} x`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		for _, vm := range doc.VerificationMethods {
			if _, err := vm.PublicKey(); err != nil {
				checkFuzzErr(t, err)
			}
			if _, err := doc.VerificationMethod(vm.ID, AssertionMethod); err != nil {
				checkFuzzErr(t, err)
			}
		}
		for _, r := range doc.AssertionMethod {
			if _, err := doc.VerificationMethod(r.ID, AssertionMethod); err != nil {
				checkFuzzErr(t, err)
			}
		}
		// Marshal and re-parse give the same document.
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		doc2, err := ParseDocument(b)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(doc2)
		if string(b) != string(b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
	})
}
