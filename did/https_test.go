package did

import (
	"context"
	"testing"
)

func TestHTTPSResolver(t *testing.T) {
	ctx := context.Background()
	w := newWebServer(t)
	jwk := `{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik"}`
	w.set("/keys/1", route{body: jwk, header: map[string]string{"Content-Type": "application/jwk+json"}})
	w.set("/keys/private", route{body: `{"kty":"OKP","crv":"Ed25519","x":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`})
	w.set("/keys/weak", route{body: `{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`})
	w.set("/issuer", route{body: `{"@context":"https://www.w3.org/ns/cid/v1","id":"https://example.com/issuer",
	  "verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"https://example.com/issuer",
	  "publicKeyMultibase":"` + w3cPublicKeyMultibase + `"}],"assertionMethod":["#key-1"]}`})
	w.set("/liar", route{body: `{"id":"https://example.com/issuer"}`})
	w.set("/notjson", route{body: `<html>`})

	hr, err := NewHTTPSResolver(w.config(true))
	if err != nil {
		t.Fatal(err)
	}
	m := Methods{"https": hr}

	vm, doc, err := ResolveVerificationMethod(ctx, m, "https://example.com/keys/1", AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Type != TypeJSONWebKey || doc.ID != "https://example.com/keys/1" || vm.Controller != doc.ID {
		t.Fatalf("%+v", vm)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}
	vm, _, err = ResolveVerificationMethod(ctx, m, "https://example.com/issuer#key-1", AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		url  string
		want error
	}{
		{"https://example.com/keys/private", ErrInvalidKey},
		{"https://example.com/keys/weak", ErrInvalidKey},
		{"https://example.com/liar#key-1", ErrInvalidDocument},
		{"https://example.com/notjson", ErrInvalidDocument},
		{"https://example.com/missing", ErrNotFound},
		{"https://example.com/issuer", ErrNotFound},      // a document is not a method
		{"https://example.com/keys/1#0", ErrNotFound},    // a JWK has no fragments
		{"https://user:pw@example.com/k", ErrInvalidDID}, // credentials in the URL
		{"https://example.com/issuer#key-1", nil},
	} {
		_, _, err := ResolveVerificationMethod(ctx, m, tc.url, AssertionMethod)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.url, err)
			}
			continue
		}
		wantErr(t, err, tc.want)
	}
	for _, u := range []string{"http://example.com/k", "https://example.com/k#f", "https://", "https:opaque"} {
		_, err := hr.Resolve(ctx, u)
		wantErr(t, err, ErrInvalidDID)
	}

	// The private-address guard applies here too.
	guarded, err := NewHTTPSResolver(w.config(false))
	if err != nil {
		t.Fatal(err)
	}
	_, err = guarded.Resolve(ctx, "https://example.com/keys/1")
	wantErr(t, err, ErrForbiddenAddress)
}
