package status_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/microcred/openbadges/status"
)

// Lists secured as JWTs (VC-JOSE-COSE, and VC 1.1 JWTs with a "vc" claim)
// are verified by the ListVerifier and then read like embedded-proof lists.
func TestJWTSecuredLists(t *testing.T) {
	ctx := context.Background()
	k := newTestKey(t, 5)
	const url = "https://issuer.example/status/jwt"
	l := newLists(t, status.NewMemoryStore(), nil)
	must(t, l.Create(ctx, status.ListConfig{ID: url, Issuer: k.did}))
	e, _ := l.Allocate(ctx, url)
	must(t, l.Revoke(ctx, url, e.Index))
	unsigned, err := l.ListCredential(ctx, url)
	must(t, err)

	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: k.priv},
		(&jose.SignerOptions{}).WithType("vc+jwt"))
	must(t, err)
	sign := func(payload []byte) []byte {
		jws, err := signer.Sign(payload)
		must(t, err)
		s, err := jws.CompactSerialize()
		must(t, err)
		return []byte(s)
	}
	verify := func(ctx context.Context, data []byte) error {
		jws, err := jose.ParseSignedCompact(string(data), []jose.SignatureAlgorithm{jose.EdDSA})
		if err != nil {
			return err
		}
		_, err = jws.Verify(k.priv.Public().(ed25519.PublicKey))
		return err
	}
	doc := map[string]any{"issuer": k.did, "credentialStatus": entryMap(e)}
	check := func(list []byte) status.Result {
		t.Helper()
		c := newChecker(t, status.NewStaticFetcher(map[string][]byte{url: list}), verify)
		return checkOne(t, c, doc)
	}

	// VC-JOSE-COSE: the payload is the credential.
	if r := check(sign(unsigned)); r.Status != status.StatusRevoked {
		t.Fatalf("vc+jwt list: %+v", r)
	}
	// VC 1.1 JWT: the "vc" claim, "iss" the issuer, "exp" the expiry.
	var vc map[string]any
	must(t, json.Unmarshal(unsigned, &vc))
	delete(vc, "issuer")
	claims := func(exp time.Time) []byte {
		b, _ := json.Marshal(map[string]any{"iss": k.did, "nbf": fixedNow.Add(-time.Hour).Unix(), "exp": exp.Unix(), "vc": vc})
		return b
	}
	if r := check(sign(claims(fixedNow.Add(time.Hour)))); r.Status != status.StatusRevoked {
		t.Fatalf("VC 1.1 JWT list: %+v", r)
	}
	if r := check(sign(claims(fixedNow.Add(-time.Minute)))); r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) {
		t.Fatalf("expired JWT list: %+v", r)
	}
	// A JWS signed by another key is refused before anything is read.
	other := newTestKey(t, 6)
	otherSigner, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: other.priv}, nil)
	jws, _ := otherSigner.Sign(unsigned)
	forged, _ := jws.CompactSerialize()
	if r := check([]byte(forged)); r.Status != status.StatusError || !errors.Is(r.Err, status.ErrVerification) {
		t.Fatalf("forged JWT list: %+v", r)
	}
	// A three-part string whose payload is not base64url.
	if r := check([]byte("a.!!!.b")); r.Status != status.StatusError || !errors.Is(r.Err, status.ErrRetrieval) {
		t.Fatalf("garbage JWS: %+v", r)
	}
}
