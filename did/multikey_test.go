package did

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/multiformats/go-multibase"
)

// The key pair of the W3C vc-di-eddsa test vectors
// (w3c/vc-di-eddsa TestVectors/keyPair.json).
const (
	w3cPublicKeyMultibase = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	w3cSecretKeyMultibase = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
)

func TestW3CKeyPair(t *testing.T) {
	priv, err := DecodeSecretKey(w3cSecretKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := DecodePublicKey(w3cPublicKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.(ed25519.PublicKey).Equal(priv.Public()) {
		t.Fatal("secret key does not match public key")
	}
	enc, err := encodeSecretKey(priv)
	if err != nil || enc != w3cSecretKeyMultibase {
		t.Fatalf("encodeSecretKey = %q, %v", enc, err)
	}
	encPub, err := EncodePublicKey(pub)
	if err != nil || encPub != w3cPublicKeyMultibase {
		t.Fatalf("EncodePublicKey = %q, %v", encPub, err)
	}
}

// TestW3CKeyPairFile reads the same vector from the shared reference copy,
// so that the constants above cannot drift from the published file.
func TestW3CKeyPairFile(t *testing.T) {
	ref := sharedReference(t)
	data, err := os.ReadFile(filepath.Join(ref, "vectors", "vc-di-eddsa", "TestVectors", "keyPair.json"))
	if err != nil {
		t.Skipf("keyPair.json: %v", err)
	}
	var kp struct{ PublicKeyMultibase, PrivateKeyMultibase string }
	if err := json.Unmarshal(data, &kp); err != nil {
		t.Fatal(err)
	}
	if kp.PublicKeyMultibase != w3cPublicKeyMultibase || kp.PrivateKeyMultibase != w3cSecretKeyMultibase {
		t.Fatalf("keyPair.json differs: %+v", kp)
	}
}

// TestImplGuideKey: the Open Badges / CLR implementation guide publishes an
// Ed25519 secret key as 0x8026 + seed‖public (64 bytes); values from
// 1EdTech/openbadges-specification ob_v3p0/impl/linked-data-proof-ob.html.
func TestImplGuideKey(t *testing.T) {
	priv, err := DecodeSecretKey("zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx")
	if err != nil {
		t.Fatal(err)
	}
	wantPub, _ := hex.DecodeString("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5")
	if !bytes.Equal(priv.Public().(ed25519.PublicKey), wantPub) {
		t.Fatal("public key mismatch")
	}
	mb, _ := EncodePublicKey(priv.Public())
	if mb != "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi" {
		t.Fatalf("public multibase %s", mb)
	}
	// The same 64 bytes with a wrong public half are rejected.
	bad := append([]byte{0x80, 0x26}, ed25519.NewKeyFromSeed(make([]byte, 32)).Seed()...)
	bad = append(bad, wantPub...)
	s, _ := multibase.Encode(multibase.Base58BTC, bad)
	_, err = DecodeSecretKey(s)
	wantErr(t, err, ErrInvalidKey)
}

// did:key test vectors for Ed25519 from w3c-ccg/did-method-key
// test-vectors/ed25519-x25519.json: seed (32 bytes) → DID and base58 key.
var didKeyEd25519Vectors = []struct {
	seed, did, publicKeyBase58 string
}{
	{"0000000000000000000000000000000000000000000000000000000000000000", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"},
	{"0000000000000000000000000000000000000000000000000000000000000001", "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG", "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt"},
	{"0000000000000000000000000000000000000000000000000000000000000002", "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf", "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH"},
	{"0000000000000000000000000000000000000000000000000000000000000003", "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ", "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2"},
	{"0000000000000000000000000000000000000000000000000000000000000004", "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL", "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x"},
}

func TestDIDKeyEd25519Vectors(t *testing.T) {
	for _, v := range didKeyEd25519Vectors {
		seed, _ := hex.DecodeString(v.seed)
		priv := ed25519.NewKeyFromSeed(seed)
		did, vmID, err := NewKeyDID(priv.Public())
		if err != nil || did != v.did || vmID != did+"#"+did[len("did:key:"):] {
			t.Fatalf("NewKeyDID = %q %q %v, want %q", did, vmID, err, v.did)
		}
		_, raw, _ := multibase.Decode("z" + v.publicKeyBase58)
		doc, err := KeyResolver{}.Resolve(context.Background(), v.did)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := doc.VerificationMethod(vmID, AssertionMethod)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := vm.PublicKey()
		if err != nil || !bytes.Equal(pub.(ed25519.PublicKey), raw) {
			t.Fatalf("key mismatch for %s: %v", v.did, err)
		}
	}
}

// NIST-curve did:key vectors from w3c-ccg/did-method-key
// test-vectors/nist-curves.json (DID and the JWK of the same key).
var didKeyNISTVectors = []struct{ did, crv, x, y, d string }{
	{"did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv", "P-256",
		"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns", "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM", "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"},
	{"did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "P-256",
		"fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI", "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU", "YjRs6vNvw4sYrzVVY8ipkEpDAD9PFqw1sUnvPRMA-WI"},
	{"did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9", "P-384",
		"lInTxl8fjLKp_UCrxI0WDklahi-7-_6JbtiHjiRvMvhedhKVdHBfi2HCY8t_QJyc", "y6N1IC-2mXxHreETBW7K3mBcw0qGr3CWHCs-yl09yCQRLcyfGv7XhqAngHOu51Zv", "hAyGZNj9031guBCdpAOaZkO-E5m-LKLYnMIq0-msrp8JLctseaOeNTHmP3uKVWwX"},
	{"did:key:z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54", "P-384",
		"CA-iNoHDg1lL8pvX3d1uvExzVfCz7Rn6tW781Ub8K5MrDf2IMPyL0RTDiaLHC1JT", "Kpnrn8DkXUD3ge4mFxi-DKr0DYO2KuJdwNBrhzLRtfMa3WFMZBiPKUPfJj8dYNl_", "Xe1HHeh-UsrJPRNLR_Y06VTrWpZYBXi7a7kiRqCgwnAOlJZPwE-xzL3DIIVMavAL"},
}

func TestDIDKeyNISTVectors(t *testing.T) {
	for _, v := range didKeyNISTVectors {
		doc, err := DefaultResolver().Resolve(context.Background(), v.did)
		if err != nil {
			t.Fatalf("%s: %v", v.did, err)
		}
		pub, err := doc.VerificationMethods[0].PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		j, err := JWKFromPublicKey(pub)
		if err != nil || j.Crv != v.crv || j.X != v.x || j.Y != v.y {
			t.Fatalf("%s: JWK %+v, %v", v.did, j, err)
		}
		// And back: the JWK gives the same DID.
		pub2, err := (&JWK{Kty: "EC", Crv: v.crv, X: v.x, Y: v.y}).PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		did, _, err := NewKeyDID(pub2)
		if err != nil || did != v.did {
			t.Fatalf("NewKeyDID = %q, %v", did, err)
		}
		// The private scalar round-trips through the Multikey secret form.
		c := elliptic.P256()
		if v.crv == "P-384" {
			c = elliptic.P384()
		}
		d, _ := b64.DecodeString(v.d)
		priv, err := ecdsa.ParseRawPrivateKey(c, d)
		if err != nil || !priv.PublicKey.Equal(pub) {
			t.Fatalf("private key mismatch: %v", err)
		}
		s, err := encodeSecretKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeSecretKey(s)
		if err != nil || !back.(*ecdsa.PrivateKey).Equal(priv) {
			t.Fatalf("secret round trip: %v", err)
		}
	}
}

func TestMultikeyRoundTrip(t *testing.T) {
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tc := range []struct {
		name string
		priv any
		pub  any
		pre  string
	}{
		{"ed25519", edPriv, edPriv.Public(), "z6Mk"},
		{"p256", p256, &p256.PublicKey, "zDn"},
		{"p384", p384, &p384.PublicKey, "z82"},
	} {
		s, err := EncodePublicKey(tc.pub)
		if err != nil || s[:len(tc.pre)] != tc.pre {
			t.Fatalf("%s: %q %v", tc.name, s, err)
		}
		back, err := DecodePublicKey(s)
		if err != nil || !back.(interface{ Equal(crypto.PublicKey) bool }).Equal(tc.pub) {
			t.Fatalf("%s: round trip %v", tc.name, err)
		}
		ss, err := encodeSecretKey(tc.priv)
		if err != nil {
			t.Fatal(err)
		}
		sk, err := DecodeSecretKey(ss)
		if err != nil || !sk.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(tc.pub) {
			t.Fatalf("%s: secret round trip %v", tc.name, err)
		}
	}
}

func mb(t *testing.T, header []byte, key []byte) string {
	t.Helper()
	s, err := multibase.Encode(multibase.Base58BTC, append(append([]byte(nil), header...), key...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// offCurveX returns an x coordinate with no point on c.
func offCurveX(c elliptic.Curve) []byte {
	size := (c.Params().BitSize + 7) / 8
	for i := int64(1); ; i++ {
		x := big.NewInt(i)
		enc := append([]byte{2}, x.FillBytes(make([]byte, size))...)
		if px, _ := elliptic.UnmarshalCompressed(c, enc); px == nil {
			return enc
		}
	}
}

func TestDecodePublicKeyRejects(t *testing.T) {
	key32 := ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	u, _ := p256.PublicKey.Bytes()
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrInvalidKey},
		{"not base58btc", "u7QE", ErrInvalidKey},
		{"base58 garbage", "z0OIl", ErrInvalidKey},
		{"too long", "z" + string(bytes.Repeat([]byte("1"), 300)), ErrInvalidKey},
		{"x25519", mb(t, []byte{0xec, 0x01}, key32), ErrKeyType},
		{"ed25519 private as public", mb(t, headerEd25519Priv, key32), ErrKeyType},
		{"non-minimal varint", mb(t, []byte{0xed, 0x81, 0x00}, key32), ErrKeyType},
		{"ed25519 31 bytes", mb(t, headerEd25519Pub, key32[:31]), ErrInvalidKey},
		{"ed25519 33 bytes", mb(t, headerEd25519Pub, append(bytes.Clone(key32), 0)), ErrInvalidKey},
		{"ed25519 identity", mb(t, headerEd25519Pub, append([]byte{1}, make([]byte, 31)...)), ErrInvalidKey},
		{"secp256k1 (catalogue 65)", "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", ErrKeyType},
		{"31-byte key (catalogue 35)", "z2DQVgKH8NoRsx74URviG72JDfT7jQo5xacBP7XJx7mmBnw", ErrInvalidKey},
		{"33-byte key (catalogue 35)", "zQebt6zPwbE4Vw5GFAjjARHrNXFALofERVv4q6Z4db8cnDRQT", ErrInvalidKey},
		{"p256 uncompressed", mb(t, headerP256Pub, u), ErrInvalidKey},
		{"p256 off curve", mb(t, headerP256Pub, offCurveX(elliptic.P256())), ErrInvalidKey},
		{"p384 off curve", mb(t, headerP384Pub, offCurveX(elliptic.P384())), ErrInvalidKey},
		{"p256 bad prefix", mb(t, headerP256Pub, append([]byte{5}, u[1:33]...)), ErrInvalidKey},
		{"unknown header", mb(t, []byte{0x01, 0x02}, key32), ErrKeyType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePublicKey(tc.in)
			wantErr(t, err, tc.want)
		})
	}
}

func TestDecodeSecretKeyRejects(t *testing.T) {
	for _, in := range []string{
		"", "z", w3cPublicKeyMultibase, // a public key is not a secret key
		mb(t, headerEd25519Priv, make([]byte, 31)),
		mb(t, headerEd25519Priv, make([]byte, 33)),
		mb(t, headerP256Priv, make([]byte, 32)),               // zero scalar
		mb(t, headerP256Priv, bytes.Repeat([]byte{0xff}, 32)), // ≥ n
		mb(t, headerP384Priv, make([]byte, 32)),               // wrong length
	} {
		if _, err := DecodeSecretKey(in); err == nil {
			t.Errorf("DecodeSecretKey(%q) succeeded", in)
		} else {
			wantErr(t, err)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	for _, k := range []any{nil, "x", []byte{1}, ed25519.PublicKey(make([]byte, 31)), &p224.PublicKey} {
		if _, err := EncodePublicKey(k); err == nil {
			t.Errorf("EncodePublicKey(%T) succeeded", k)
		}
	}
}

// TestW3CSignatureKnownAnswer resolves the verification method of the W3C
// eddsa-rdfc-2022 test vector (TestVectors/eddsa-rdfc-2022/signedDataInt.json)
// and checks the published signature (sigHexDataInt.txt) over the published
// hash data (combinedHashDataInt.txt) with the resolved key: the decoded key is
// the real one, not just a value that round-trips.
func TestW3CSignatureKnownAnswer(t *testing.T) {
	const (
		vmURL    = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
		hashData = "bea7b7acfbad0126b135104024a5f1733e705108f42d59668b05c0c50004c6b0517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
		sigHex   = "4d8e53c2d5b3f2a7891753eb16ca993325bdb0d3cfc5be1093d0a18426f5ef8578cadc0fd4b5f4dd0d1ce0aefd15ab120b7a894d0eb094ffda4e6553cd1ed50d"
	)
	vm, _, err := ResolveVerificationMethod(context.Background(), nil, vmURL, AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := hex.DecodeString(hashData)
	sig, _ := hex.DecodeString(sigHex)
	if !ed25519.Verify(pub.(ed25519.PublicKey), msg, sig) {
		t.Fatal("published signature does not verify with the resolved key")
	}
	// The W3C secret key reproduces the signature (Ed25519 is deterministic).
	priv, _ := DecodeSecretKey(w3cSecretKeyMultibase)
	if got := ed25519.Sign(priv.(ed25519.PrivateKey), msg); !bytes.Equal(got, sig) {
		t.Fatal("signature with the decoded secret key differs")
	}
}

// encodeSecretKey returns the Multikey encoding of a private key (the
// library only decodes them, from key files): for Ed25519
// the header 0x8026 and the 32-byte seed; for P-256 (0x8626) and P-384
// (0x8726) the big-endian scalar. priv may be an ed25519.PrivateKey or an
// *ecdsa.PrivateKey.
func encodeSecretKey(priv crypto.PrivateKey) (string, error) {
	var data []byte
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return "", newError(ErrInvalidKey, "", "Ed25519 private key has the wrong length")
		}
		data = append(append(data, headerEd25519Priv...), k.Seed()...)
	case *ecdsa.PrivateKey:
		b, err := k.Bytes()
		if err != nil {
			return "", wrapError(ErrKeyType, "", "unsupported ECDSA private key", err)
		}
		switch k.Curve {
		case elliptic.P256():
			data = append(append(data, headerP256Priv...), b...)
		case elliptic.P384():
			data = append(append(data, headerP384Priv...), b...)
		default:
			return "", newError(ErrKeyType, "", "unsupported ECDSA curve")
		}
	default:
		return "", newError(ErrKeyType, "", fmt.Sprintf("cannot encode %T as a Multikey secret key", priv))
	}
	return multibase.Encode(multibase.Base58BTC, data)
}
