package did

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const webDoc = `{
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
  "id": "did:web:issuer.example",
  "controller": "did:web:issuer.example",
  "verificationMethod": [{
    "id": "#key-1",
    "type": "Multikey",
    "controller": "did:web:issuer.example",
    "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
  }, {
    "id": "did:web:issuer.example#auth",
    "type": "JsonWebKey",
    "controller": "did:web:issuer.example",
    "publicKeyJwk": {"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}
  }],
  "assertionMethod": ["#key-1", {
    "id": "did:web:issuer.example#embedded",
    "type": "Ed25519VerificationKey2020",
    "controller": "did:web:issuer.example",
    "publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
  }],
  "authentication": ["did:web:issuer.example#auth"],
  "service": [{"id": "#s", "type": "LinkedDomains", "serviceEndpoint": "https://issuer.example"}],
  "ID": "did:web:evil.example",
  "unknownMember": {"ignored": true}
}`

func TestParseDocument(t *testing.T) {
	d, err := ParseDocument([]byte(webDoc))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "did:web:issuer.example" || len(d.Controller) != 1 {
		t.Fatalf("id %q controller %v", d.ID, d.Controller)
	}
	// Relative ids are resolved against the document id.
	if d.VerificationMethods[0].ID != "did:web:issuer.example#key-1" || d.AssertionMethod[0].ID != "did:web:issuer.example#key-1" {
		t.Fatalf("relative ids not resolved: %+v", d.VerificationMethods[0])
	}
	for _, id := range []string{"#key-1", "did:web:issuer.example#key-1", "did:web:issuer.example#embedded"} {
		vm, err := d.VerificationMethod(id, AssertionMethod)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if _, err := vm.PublicKey(); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	// Item 28: listed only under authentication, not usable for assertions.
	_, err = d.VerificationMethod("#auth", AssertionMethod)
	wantErr(t, err, ErrRelationship)
	if _, err := d.VerificationMethod("#auth", Authentication); err != nil {
		t.Fatal(err)
	}
	_, err = d.VerificationMethod("#nope", AssertionMethod)
	wantErr(t, err, ErrNotFound)
	_, err = d.VerificationMethod("#key-1", "")
	wantErr(t, err, ErrRelationship)
	_, err = d.VerificationMethod("#key-1", "assertionmethod")
	wantErr(t, err, ErrRelationship)
	// The service's "#s" is not a verification method.
	_, err = d.Method("#s")
	wantErr(t, err, ErrNotFound)

	// Round trip through JSON.
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := ParseDocument(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := json.Marshal(d2)
	if string(out) != string(out2) {
		t.Fatalf("round trip differs:\n%s\n%s", out, out2)
	}
	// Unmarshal goes through the same checks.
	var d3 Document
	if err := json.Unmarshal([]byte(webDoc), &d3); err != nil || d3.ID != d.ID {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"id":1}`), &d3); err == nil {
		t.Fatal("Unmarshal accepted a bad document")
	}
}

// TestCachePoisoning is SECURITY-CATALOGUE item 29: a document that contains
// a method claiming another DID's id or controller must not lend it
// authority.
func TestCachePoisoning(t *testing.T) {
	evil := `{"id":"did:web:evil.test","verificationMethod":[{"id":"did:web:victim.example#key-1",
	 "type":"Multikey","controller":"did:web:victim.example","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
	 "assertionMethod":["did:web:victim.example#key-1"]}`
	d, err := ParseDocument([]byte(evil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.VerificationMethod("did:web:victim.example#key-1", AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)

	// Same id, foreign controller.
	evil2 := `{"id":"did:web:evil.test","verificationMethod":[{"id":"#key-1",
	 "type":"Multikey","controller":"did:web:victim.example","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
	 "assertionMethod":["#key-1"]}`
	d, err = ParseDocument([]byte(evil2))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.VerificationMethod("#key-1", AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)

	// And through a resolver that serves a document under the wrong DID.
	s, _ := NewStaticResolver(d)
	liar := resolverFunc(func(ctx context.Context, did string) (*Document, error) { return s.Resolve(ctx, "did:web:evil.test") })
	_, _, err = ResolveVerificationMethod(context.Background(), liar, "did:web:victim.example#key-1", AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)
}

type resolverFunc func(ctx context.Context, did string) (*Document, error)

func (f resolverFunc) Resolve(ctx context.Context, did string) (*Document, error) { return f(ctx, did) }

func TestParseDocumentRejects(t *testing.T) {
	const vm = `{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}`
	tests := []struct {
		name, doc string
		want      error
	}{
		{"empty", ``, ErrInvalidDocument},
		{"not an object", `[]`, ErrInvalidDocument},
		{"null", `null`, ErrInvalidDocument},
		{"no id", `{}`, ErrInvalidDocument},
		{"id not a string", `{"id":["did:web:a.example"]}`, ErrInvalidDocument},
		{"id null", `{"id":null}`, ErrInvalidDocument},
		{"id relative", `{"id":"#a"}`, ErrInvalidDocument},
		{"id http", `{"id":"http://a.example/"}`, ErrInvalidDocument},
		{"id with fragment", `{"id":"did:web:a.example#x"}`, ErrInvalidDocument},
		{"id bad DID", `{"id":"did:Web:a"}`, ErrInvalidDocument},
		{"duplicate id member", `{"id":"did:web:a.example","id":"did:web:b.example"}`, ErrInvalidDocument},
		{"nested duplicate", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","id":"#j","type":"Multikey","controller":"did:web:a.example"}]}`, ErrInvalidDocument},
		{"trailing garbage", `{"id":"did:web:a.example"} GARBAGE`, ErrInvalidDocument},
		{"two values", `{"id":"did:web:a.example"}{}`, ErrInvalidDocument},
		{"invalid UTF-8", "{\"id\":\"did:web:a.example\",\"x\":\"\xfe\"}", ErrInvalidDocument},
		{"lone surrogate", `{"id":"did:web:a.example","x":"\ud800"}`, ErrInvalidDocument},
		{"too deep", `{"id":"did:web:a.example","x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, ErrInvalidDocument},
		{"too large", `{"id":"did:web:a.example","x":"` + strings.Repeat("a", MaxDocumentSize) + `"}`, ErrInvalidDocument},
		{"controller number", `{"id":"did:web:a.example","controller":1}`, ErrInvalidDocument},
		{"verificationMethod object", `{"id":"did:web:a.example","verificationMethod":` + vm + `}`, ErrInvalidDocument},
		{"vm not object", `{"id":"did:web:a.example","verificationMethod":["#k"]}`, ErrInvalidDocument},
		{"vm without type", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","controller":"did:web:a.example"}]}`, ErrInvalidDocument},
		{"vm without controller", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey"}]}`, ErrInvalidDocument},
		{"vm relative path id", `{"id":"did:web:a.example","verificationMethod":[{"id":"k","type":"Multikey","controller":"did:web:a.example"}]}`, ErrInvalidDocument},
		{"vm empty fragment", `{"id":"did:web:a.example","verificationMethod":[{"id":"#","type":"Multikey","controller":"did:web:a.example"}]}`, ErrInvalidDocument},
		{"both key forms", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":"z6Mk","publicKeyJwk":{"kty":"OKP"}}]}`, ErrInvalidDocument},
		{"private multibase", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:a.example","secretKeyMultibase":"z3u2"}]}`, ErrInvalidKey},
		{"private jwk member", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"JsonWebKey","controller":"did:web:a.example","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}}]}`, ErrInvalidKey},
		{"jwk not object", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"JsonWebKey","controller":"did:web:a.example","publicKeyJwk":"x"}]}`, ErrInvalidDocument},
		{"relationship not array", `{"id":"did:web:a.example","assertionMethod":"#k"}`, ErrInvalidDocument},
		{"relationship entry number", `{"id":"did:web:a.example","assertionMethod":[1]}`, ErrInvalidDocument},
		{"relationship relative path", `{"id":"did:web:a.example","assertionMethod":["k"]}`, ErrInvalidDocument},
		{"multibase not a string", `{"id":"did:web:a.example","verificationMethod":[{"id":"#k","type":"Multikey","controller":"did:web:a.example","publicKeyMultibase":7}]}`, ErrInvalidDocument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDocument([]byte(tc.doc))
			wantErr(t, err, tc.want)
		})
	}
}

func TestPublicKeyTypeChecks(t *testing.T) {
	const p256 = "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
	tests := []struct {
		name string
		vm   VerificationMethod
		want error
	}{
		{"unknown type", VerificationMethod{Type: "Ed25519VerificationKey2018", PublicKeyMultibase: w3cPublicKeyMultibase}, ErrKeyType},
		{"2020 with P-256", VerificationMethod{Type: TypeEd25519VerificationKey2020, PublicKeyMultibase: p256}, ErrKeyType},
		{"Multikey without key", VerificationMethod{Type: TypeMultikey}, ErrInvalidDocument},
		{"Multikey with JWK", VerificationMethod{Type: TypeMultikey, PublicKeyJWK: &JWK{Kty: "OKP"}}, ErrInvalidDocument},
		{"JsonWebKey with multibase", VerificationMethod{Type: TypeJSONWebKey, PublicKeyMultibase: p256}, ErrInvalidDocument},
		{"JsonWebKey2020 without key", VerificationMethod{Type: TypeJSONWebKey2020}, ErrInvalidDocument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.vm.ID = "did:example:a#k"
			_, err := tc.vm.PublicKey()
			wantErr(t, err, tc.want)
			if !strings.Contains(err.Error(), "did:example:a#k") {
				t.Errorf("error %q does not name the method", err)
			}
		})
	}
	var nilVM *VerificationMethod
	_, err := nilVM.PublicKey()
	wantErr(t, err, ErrNotFound)
	k, err := (&VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: p256}).PublicKey()
	if err != nil || k == nil {
		t.Fatal(err)
	}
}

func TestClone(t *testing.T) {
	d, err := ParseDocument([]byte(webDoc))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(d)
	c := d.Clone()
	c.VerificationMethods[0].PublicKeyMultibase = "changed"
	c.VerificationMethods[1].PublicKeyJWK.X = "changed"
	c.AssertionMethod[1].Method.Controller = "changed"
	c.Controller[0] = "changed"
	c.Context[0] = ' '
	after, _ := json.Marshal(d)
	if string(before) != string(after) {
		t.Fatal("Clone shares memory with the original")
	}
	var nilDoc *Document
	if nilDoc.Clone() != nil {
		t.Fatal("nil clone")
	}
}

func TestKeyFormat2020(t *testing.T) {
	did := "did:key:" + w3cPublicKeyMultibase
	r := Methods{"key": KeyResolver{Format: FormatEd25519VerificationKey2020}}
	vm, doc, err := ResolveVerificationMethod(context.Background(), r, did+"#"+w3cPublicKeyMultibase, AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Type != TypeEd25519VerificationKey2020 || !strings.Contains(string(doc.Context), "ed25519-2020") {
		t.Fatalf("type %s context %s", vm.Type, doc.Context)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}
	// P-256 keys stay Multikey.
	doc, err = r.Resolve(context.Background(), "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv")
	if err != nil || doc.VerificationMethods[0].Type != TypeMultikey {
		t.Fatalf("%v %+v", err, doc)
	}
}

func TestFindKey(t *testing.T) {
	d, err := ParseDocument([]byte(webDoc))
	if err != nil {
		t.Fatal(err)
	}
	w3c, _ := DecodePublicKey(w3cPublicKeyMultibase)
	vm, err := d.FindKey(w3c, AssertionMethod)
	if err != nil || vm.ID != "did:web:issuer.example#key-1" {
		t.Fatalf("%v %v", vm, err)
	}
	// The authentication-only key is not an assertion key.
	authKey, _ := d.VerificationMethods[1].PublicKey()
	_, err = d.FindKey(authKey, AssertionMethod)
	wantErr(t, err, ErrNotFound)
	if _, err := d.FindKey(authKey, Authentication); err != nil {
		t.Fatal(err)
	}
	_, err = d.FindKey(nil, AssertionMethod)
	wantErr(t, err, ErrKeyType)
	_, err = d.FindKey(w3c, "")
	wantErr(t, err, ErrRelationship)
}

// TestRepeatedMethods: real did:web documents define a method in
// verificationMethod and embed the same object under assertionMethod. An
// identical repeat is one method; a repeat that differs makes only that id
// unusable, not the document.
func TestRepeatedMethods(t *testing.T) {
	ctx := context.Background()
	const (
		id    = "did:web:a.example"
		other = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	)
	method := func(fragment, key string) string {
		return `{"id":"` + fragment + `","type":"Multikey","controller":"` + id + `","publicKeyMultibase":"` + key + `"}`
	}
	k := method("#k", w3cPublicKeyMultibase)
	// The same value: members in another order, the id written absolute, a
	// string with an escape.
	kReordered := `{"publicKeyMultibase":"` + w3cPublicKeyMultibase + `","controller":"` + id + `","type":"Multi\u006bey","id":"` + id + `#k"}`
	j := method("#j", other)
	doc := func(vms, am string) string {
		return `{"id":"` + id + `","verificationMethod":[` + vms + `],"assertionMethod":[` + am + `]}`
	}

	usable := []struct{ name, doc string }{
		{"embedded and listed", doc(k, k)},
		{"embedded and listed, other member order", doc(k, kReordered)},
		{"listed twice", doc(k+","+kReordered, `"#k"`)},
		{"embedded twice", doc(j, k+","+kReordered)},
		{"equal numbers in an unknown member", doc(strings.Replace(k, "{", `{"n":1,`, 1), strings.Replace(k, "{", `{"n":1.0,`, 1))},
	}
	for _, tc := range usable {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDocument([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			vm, err := d.VerificationMethod("#k", AssertionMethod)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := vm.PublicKey(); err != nil {
				t.Fatal(err)
			}
			s, _ := NewStaticResolver(d)
			if _, _, err := ResolveVerificationMethod(ctx, s, id+"#k", AssertionMethod); err != nil {
				t.Fatal(err)
			}
			w3c, _ := DecodePublicKey(w3cPublicKeyMultibase)
			if vm, err := d.FindKey(w3c, AssertionMethod); err != nil || vm.ID != id+"#k" {
				t.Fatalf("FindKey: %v %v", vm, err)
			}
		})
	}

	conflicting := []struct{ name, doc string }{
		{"other key embedded", doc(k+","+j, method("#k", other)+`,"#j"`)},
		{"other key listed twice", doc(k+","+method("#k", other)+","+j, `"#k","#j"`)},
		{"other type", doc(k+","+j, strings.Replace(k, "Multikey", "Ed25519VerificationKey2020", 1)+`,"#j"`)},
		{"an extra member", doc(k+","+j, strings.Replace(k, "{", `{"revoked":"2024-01-01T00:00:00Z",`, 1)+`,"#j"`)},
		{"other number", doc(k+","+j, strings.Replace(k, "{", `{"n":1,`, 1)+`,"#j"`)},
	}
	for _, tc := range conflicting {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDocument([]byte(tc.doc))
			if err != nil {
				t.Fatalf("the whole document is refused: %v", err)
			}
			for _, lookup := range []func() error{
				func() error { _, err := d.Method("#k"); return err },
				func() error { _, err := d.VerificationMethod("#k", AssertionMethod); return err },
				func() error {
					s, _ := NewStaticResolver(d)
					_, _, err := ResolveVerificationMethod(ctx, s, id+"#k", AssertionMethod)
					return err
				},
			} {
				err := lookup()
				wantErr(t, err, ErrInvalidDocument)
				if !strings.Contains(err.Error(), id+"#k") || !strings.Contains(err.Error(), "conflict") {
					t.Fatalf("error %q does not name the method and the conflict", err)
				}
			}
			// The other method of the same document is still usable.
			vm, err := d.VerificationMethod("#j", AssertionMethod)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := vm.PublicKey(); err != nil {
				t.Fatal(err)
			}
			w3c, _ := DecodePublicKey(w3cPublicKeyMultibase)
			_, err = d.FindKey(w3c, AssertionMethod)
			wantErr(t, err, ErrNotFound)
			// A copy is just as unusable.
			_, err = d.Clone().Method("#k")
			wantErr(t, err, ErrInvalidDocument)
		})
	}

	// Conflicting key material survives a JSON round trip as a conflict.
	d, err := ParseDocument([]byte(conflicting[0].doc))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	d2, err := ParseDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d2.VerificationMethod("#k", AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)

	// A key URL without fragment that is defined twice, differently, is
	// reported as the conflict it is, not as missing.
	const keyURL = "https://a.example/keys/1"
	jwkMethod := func(x string) string {
		return `{"id":"` + keyURL + `","type":"JsonWebKey","controller":"` + keyURL + `","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}}`
	}
	d, err = ParseDocument([]byte(`{"id":"` + keyURL + `","verificationMethod":[` + jwkMethod("O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik") +
		`],"assertionMethod":[` + jwkMethod("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := NewStaticResolver(d)
	_, _, err = ResolveVerificationMethod(ctx, Methods{"https": s}, keyURL, AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)

	// So does a document built in code.
	built := &Document{
		ID:                  id,
		VerificationMethods: []VerificationMethod{{ID: id + "#k", Type: TypeMultikey, Controller: id, PublicKeyMultibase: w3cPublicKeyMultibase}},
		AssertionMethod:     []MethodRef{{ID: id + "#k", Method: &VerificationMethod{ID: id + "#k", Type: TypeMultikey, Controller: id, PublicKeyMultibase: other}}},
	}
	_, err = built.VerificationMethod("#k", AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)
	built.AssertionMethod[0].Method.PublicKeyMultibase = w3cPublicKeyMultibase
	if _, err := built.VerificationMethod("#k", AssertionMethod); err != nil {
		t.Fatal(err)
	}
}
