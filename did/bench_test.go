package did

import (
	"context"
	"crypto/ed25519"
	"testing"
)

func BenchmarkResolveVerificationMethodDIDKey(b *testing.B) {
	ctx := context.Background()
	r := DefaultResolver()
	u := "did:key:" + w3cPublicKeyMultibase + "#" + w3cPublicKeyMultibase
	for b.Loop() {
		vm, _, err := ResolveVerificationMethod(ctx, r, u, AssertionMethod)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vm.PublicKey(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveVerificationMethodDIDJWK(b *testing.B) {
	ctx := context.Background()
	r := DefaultResolver()
	for b.Loop() {
		vm, _, err := ResolveVerificationMethod(ctx, r, specJWKP256+"#0", AssertionMethod)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vm.PublicKey(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDocument(b *testing.B) {
	data := []byte(webDoc)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseDocument(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckEd25519PublicKey(b *testing.B) {
	k, _ := DecodePublicKey(w3cPublicKeyMultibase)
	for b.Loop() {
		if err := CheckEd25519PublicKey(k.(ed25519.PublicKey)); err != nil {
			b.Fatal(err)
		}
	}
}
