package vcjwt

import (
	"crypto"
	"errors"
	"io"
	"testing"
)

// opaqueSigner hides the concrete key type, as an HSM or KMS signer does.
type opaqueSigner struct{ s crypto.Signer }

func (o opaqueSigner) Public() crypto.PublicKey { return o.s.Public() }
func (o opaqueSigner) Sign(r io.Reader, d []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.s.Sign(r, d, opts)
}

// badSigner returns a fixed signature or error.
type badSigner struct {
	pub crypto.PublicKey
	sig []byte
	err error
}

func (b badSigner) Public() crypto.PublicKey { return b.pub }
func (b badSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return b.sig, b.err
}

func TestSignOpaqueSigners(t *testing.T) {
	keys(t)
	for _, s := range []crypto.Signer{rsaKey, p256Key, p384Key, edKey} {
		issuer, kid := jwkDID(t, s.Public())
		tok, err := Sign(bg, credV2(issuer), opaqueSigner{s}, SignOptions{KeyID: kid})
		if err != nil {
			t.Fatal(err)
		}
		v, err := Verify(bg, []byte(tok), opts())
		if err != nil {
			t.Fatal(err)
		}
		alg, _ := AlgorithmFor(s.Public())
		if v.Header.Algorithm != alg {
			t.Errorf("alg %s, want %s", v.Header.Algorithm, alg)
		}
	}
}

func TestSignBadSigner(t *testing.T) {
	keys(t)
	issuer := "https://example.edu/issuers/1"
	for name, s := range map[string]badSigner{
		"error":         {pub: p256Key.Public(), err: errors.New("HSM offline")},
		"not DER":       {pub: p256Key.Public(), sig: make([]byte, 64)},
		"DER trailing":  {pub: p256Key.Public(), sig: []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00}},
		"DER zero r":    {pub: p256Key.Public(), sig: []byte{0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01}},
		"wrong DER sig": {pub: p256Key.Public(), sig: []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}},
		"short ed25519": {pub: edKey.Public(), sig: make([]byte, 10)},
		"wrong ed25519": {pub: edKey.Public(), sig: make([]byte, 64)},
		"wrong rsa":     {pub: rsaKey.Public(), sig: make([]byte, 256)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Sign(bg, credV2(issuer), s, SignOptions{EmbedJWK: true})
			wantErr(t, err, ErrSigner)
		})
	}
}

func TestIsCompactJWS(t *testing.T) {
	f := newFixture(t)
	for in, want := range map[string]bool{
		f.token:                         true,
		"eyJhbGciOiJub25lIn0.e30.":      true, // unsecured: Verify says why it is refused
		"eyJhbGciOiJub25lIn0..sig":      false,
		`{"@context":[]}`:               false,
		"":                              false,
		"a.b.c":                         false, // header is not JSON
		"W10.e30.c2ln":                  false, // header is an array
		f.token + "\n":                  false,
		f.token + ".x":                  false,
		"eyJhbGciOiJub25lIn0=.e30.c2ln": false,
		"\x89PNG\r\n\x1a\n":             false,
	} {
		if got := IsCompactJWS([]byte(in)); got != want {
			t.Errorf("IsCompactJWS(%.40q) = %v", in, got)
		}
	}
}
