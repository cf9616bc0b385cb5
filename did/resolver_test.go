package did

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

func TestResolveVerificationMethodDIDKey(t *testing.T) {
	ctx := context.Background()
	did := "did:key:" + w3cPublicKeyMultibase
	for _, u := range []string{did + "#" + w3cPublicKeyMultibase, did} {
		vm, doc, err := ResolveVerificationMethod(ctx, nil, u, AssertionMethod)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if doc.ID != did || vm.Controller != did || vm.Type != TypeMultikey {
			t.Fatalf("%s: %+v", u, vm)
		}
		pub, err := vm.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := pub.(ed25519.PublicKey); !ok {
			t.Fatalf("%T", pub)
		}
	}
	for _, rel := range []Relationship{Authentication, CapabilityInvocation, CapabilityDelegation} {
		if _, _, err := ResolveVerificationMethod(ctx, nil, did+"#"+w3cPublicKeyMultibase, rel); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	_, _, err := ResolveVerificationMethod(ctx, nil, did+"#"+w3cPublicKeyMultibase, KeyAgreement)
	wantErr(t, err, ErrRelationship)
}

// TestDIDKeyRejects covers SECURITY-CATALOGUE items 34, 35 and 65.
func TestDIDKeyRejects(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"did:key:z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj", ErrInvalidKey},  // identity point
		{"did:key:z6LSeoSo7cnMZoT2JxZ8xk8qUPNkjmHgB3G51ZbXtTa5pnnh", ErrKeyType},     // X25519
		{"did:key:z3u2UM5R9RyeifTDLyNkkiVrpviEuyX6sp3aKMwrqRwxsmjs", ErrKeyType},     // ed25519-priv
		{"did:key:zQhVUVXSmSM8gos5gM8aSmYECB3TdQ52uz6jJZTK7Ctxr9zgV", ErrKeyType},    // non-minimal varint
		{"did:key:z2DQVgKH8NoRsx74URviG72JDfT7jQo5xacBP7XJx7mmBnw", ErrInvalidKey},   // 31 bytes
		{"did:key:zQebt6zPwbE4Vw5GFAjjARHrNXFALofERVv4q6Z4db8cnDRQT", ErrInvalidKey}, // 33 bytes
		{"did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", ErrKeyType},    // secp256k1
		{"did:key:u7QFmtz", ErrInvalidDID},
		{"did:key:1:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", ErrInvalidDID},
		{"did:key:", ErrInvalidDID},
		{"did:key", ErrInvalidDID},
		{"did:key:z6Mk%20", ErrInvalidDID},
		{"did:key:" + strings.Repeat("z", 5000), ErrInvalidDID},
	}
	for _, tc := range tests {
		_, err := KeyResolver{}.Resolve(context.Background(), tc.in)
		wantErr(t, err, tc.want)
		if len(tc.in) < 200 && !strings.Contains(err.Error(), tc.in) {
			t.Errorf("error %q does not name the DID", err)
		}
	}
	// VM id fragment ≠ the multibase value.
	other := "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	_, _, err := ResolveVerificationMethod(context.Background(), nil, "did:key:"+w3cPublicKeyMultibase+"#"+other, AssertionMethod)
	wantErr(t, err, ErrNotFound)
}

func TestResolveVerificationMethodRejects(t *testing.T) {
	ctx := context.Background()
	did := "did:key:" + w3cPublicKeyMultibase
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrInvalidDID},
		{"z6Mk", ErrInvalidDID},
		{"http://example.com/key", ErrInvalidDID},
		{did + "#", ErrInvalidDID},
		{did + "/path#x", ErrInvalidDID},
		{did + "?versionId=1#x", ErrInvalidDID},
		{did + "#a#b", ErrInvalidDID},
		{"did:web:example.com#key-1", ErrUnsupportedMethod},
		{"did:example:123#k", ErrUnsupportedMethod},
		{"https://example.com/keys/1", ErrUnsupportedMethod},
		{"https://example.com/keys/1#", ErrInvalidDID},
		{"did:" + strings.Repeat("a", 5000), ErrInvalidDID},
	}
	for _, tc := range tests {
		_, _, err := ResolveVerificationMethod(ctx, nil, tc.in, AssertionMethod)
		wantErr(t, err, tc.want)
	}
	// A canceled context is reported as such.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err := ResolveVerificationMethod(cctx, nil, did, AssertionMethod)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	// A panicking resolver becomes an error.
	boom := resolverFunc(func(context.Context, string) (*Document, error) { panic("boom") })
	_, _, err = ResolveVerificationMethod(ctx, boom, did, AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)
	// A resolver returning nil, nil.
	nothing := resolverFunc(func(context.Context, string) (*Document, error) { return nil, nil })
	_, _, err = ResolveVerificationMethod(ctx, nothing, did, AssertionMethod)
	wantErr(t, err, ErrInvalidDocument)
}

func TestStaticResolver(t *testing.T) {
	ctx := context.Background()
	issuer, err := ParseDocument([]byte(`{"id":"https://example.edu/issuers/565049",
	  "verificationMethod":[{"id":"https://example.edu/issuers/565049#key-1","type":"Multikey",
	  "controller":"https://example.edu/issuers/565049","publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}],
	  "assertionMethod":["#key-1"]}`))
	if err != nil {
		t.Fatal(err)
	}
	web, err := ParseDocument([]byte(webDoc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStaticResolver(issuer, web)
	if err != nil {
		t.Fatal(err)
	}
	r := Methods{"https": s, "web": s, "key": KeyResolver{}}
	if _, _, err := ResolveVerificationMethod(ctx, r, "https://example.edu/issuers/565049#key-1", AssertionMethod); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ResolveVerificationMethod(ctx, r, "did:web:issuer.example#key-1", AssertionMethod); err != nil {
		t.Fatal(err)
	}
	// A bare did:web is not a verification method, even with one key.
	_, _, err = ResolveVerificationMethod(ctx, r, "did:web:issuer.example", AssertionMethod)
	wantErr(t, err, ErrNotFound)
	_, _, err = ResolveVerificationMethod(ctx, r, "did:web:other.example#k", AssertionMethod)
	wantErr(t, err, ErrNotFound)
	_, _, err = ResolveVerificationMethod(ctx, r, "did:jwk:e30#0", AssertionMethod)
	wantErr(t, err, ErrUnsupportedMethod)
	// Documents are copied in and out.
	d1, _ := s.Resolve(ctx, web.ID)
	d1.VerificationMethods[0].PublicKeyMultibase = "x"
	web.VerificationMethods[0].PublicKeyMultibase = "y"
	d2, _ := s.Resolve(ctx, web.ID)
	if d2.VerificationMethods[0].PublicKeyMultibase != w3cPublicKeyMultibase {
		t.Fatal("static documents are shared")
	}
	if _, err := NewStaticResolver(web, web); err == nil {
		t.Fatal("duplicate accepted")
	}
	if _, err := NewStaticResolver(nil); err == nil {
		t.Fatal("nil accepted")
	}
	if _, err := NewStaticResolver(&Document{ID: "nope"}); err == nil {
		t.Fatal("bad id accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Resolve(cctx, web.ID); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

func TestMethodName(t *testing.T) {
	for in, want := range map[string]string{"did:key:z6Mk": "key", "did:web:a.example#k": "web", "did:jwk:e30": "jwk"} {
		if got, err := Method(in); err != nil || got != want {
			t.Errorf("Method(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"did:", "did::x", "did:KEY:x", "did:key", "x:key:y", "did:key:a b", "did:key:%zz", "did:key:a:"} {
		_, err := Method(in)
		wantErr(t, err, ErrInvalidDID)
	}
}

// TestNetworkRequired: an offline resolver asked for a did:web or https key
// says that the key cannot be had offline and names the two ways out (in
// words, not Go names), and
// the error matches ErrNetworkRequired (and, as before, ErrUnsupportedMethod
// or ErrNotFound).
func TestNetworkRequired(t *testing.T) {
	ctx := context.Background()
	pinned, err := ParseDocument([]byte(docFor(t, "did:web:pinned.example")))
	if err != nil {
		t.Fatal(err)
	}
	static, err := NewStaticResolver(pinned)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, vm string
		r        Resolver
		want     error
		network  string // the resolver constructor the error must not name
	}{
		{"did:web, default", "did:web:issuer.example#key-1", DefaultResolver(), ErrUnsupportedMethod, "NewWebResolver"},
		{"did:web, nil", "did:web:issuer.example:issuers:1#key-1", nil, ErrUnsupportedMethod, "NewWebResolver"},
		{"https, default", "https://issuer.example/keys/1", DefaultResolver(), ErrUnsupportedMethod, "NewHTTPSResolver"},
		{"https with fragment, offline methods", "https://issuer.example/issuer#key-1", Methods{"key": KeyResolver{}}, ErrUnsupportedMethod, "NewHTTPSResolver"},
		{"did:web, static without it", "did:web:issuer.example#key-1", static, ErrNotFound, "NewWebResolver"},
		{"did:web, static under web", "did:web:issuer.example#key-1", Methods{"web": static}, ErrNotFound, "NewWebResolver"},
		{"https, static without it", "https://issuer.example/keys/1", Methods{"https": static}, ErrNotFound, "NewHTTPSResolver"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ResolveVerificationMethod(ctx, tc.r, tc.vm, AssertionMethod)
			wantErr(t, err, ErrNetworkRequired, tc.want)
			base, _, _ := strings.Cut(tc.vm, "#")
			for _, s := range []string{base, "cannot be had offline", "network look-ups must be allowed", "supplied"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			// Programs show it to people who cannot set Go fields: it
			// names no Go API (ErrNetworkRequired's documentation does).
			for _, s := range []string{tc.network, "NewStaticResolver", "Methods["} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q names %q", err, s)
				}
			}
		})
	}
	// Only the network can give these: other failures do not claim it.
	for _, tc := range []struct {
		vm   string
		r    Resolver
		want error
	}{
		{"did:example:123#k", DefaultResolver(), ErrUnsupportedMethod},
		{"did:key:" + w3cPublicKeyMultibase, static, ErrNotFound},
		{"did:web:pinned.example#key-2", static, ErrNotFound},
	} {
		_, _, err := ResolveVerificationMethod(ctx, tc.r, tc.vm, AssertionMethod)
		wantErr(t, err, tc.want)
		if errors.Is(err, ErrNetworkRequired) {
			t.Errorf("%s: %v matches ErrNetworkRequired", tc.vm, err)
		}
	}
	// With the document supplied, the same key resolves offline.
	if _, _, err := ResolveVerificationMethod(ctx, static, "did:web:pinned.example#key-1", AssertionMethod); err != nil {
		t.Fatal(err)
	}
}
