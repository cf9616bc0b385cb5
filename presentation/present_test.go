package presentation_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/presentation"
)

func TestNewHolderErrors(t *testing.T) {
	priv, _, vm := testKey(holderSeed)
	for name, cfg := range map[string]presentation.HolderConfig{
		"no signer":     {VerificationMethod: vm},
		"no vm":         {Signer: priv},
		"suite":         {Signer: priv, VerificationMethod: vm, Suite: dataintegrity.SuiteEd25519Signature2020},
		"holder":        {Signer: priv, VerificationMethod: vm, Holder: "not a url"},
		"vm not a URL":  {Signer: priv, VerificationMethod: "#frag"},
		"unknown suite": {Signer: priv, VerificationMethod: vm, Suite: "x"},
	} {
		if _, err := presentation.NewHolder(cfg); !errors.Is(err, presentation.ErrCreate) {
			t.Errorf("%s: %v", name, err)
		}
	}
	h := newHolder(t, holderSeed, nil)
	if want, _, _ := strings.Cut(vm, "#"); h.ID() != want {
		t.Errorf("ID %q, want %q", h.ID(), want)
	}
}

func TestPresentErrors(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	jwt := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", holderDID(), "jwt")
	h := newHolder(t, holderSeed, nil)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		creds [][]byte
		opts  presentation.Options
	}{
		"no challenge":      {[][]byte{di}, presentation.Options{Domain: testDomain}},
		"not a credential":  {[][]byte{[]byte("hello")}, bindOpts},
		"bad JSON":          {[][]byte{[]byte(`{"a":1,"a":2}`)}, bindOpts},
		"JWS with bad char": {[][]byte{[]byte("eyJ.e+J.sig")}, bindOpts},
		"id not a URL":      {[][]byte{di}, presentation.Options{Challenge: "c", ID: "x"}},
		"version":           {[][]byte{di}, presentation.Options{Challenge: "c", Version: 7}},
		"1.1, rdfc, VC-JWT": {[][]byte{jwt}, presentation.Options{Challenge: "c", Version: presentation.V1}},
	} {
		_, err := h.Present(ctx, tc.creds, tc.opts)
		assert.ErrorIs(t, err, presentation.ErrCreate, name)
	}
	// No credentials at all is a valid (DID authentication) presentation.
	_, err := h.Present(ctx, nil, presentation.Options{Challenge: "c", Version: presentation.V1})
	assert.NoError(t, err, "empty 1.1 presentation")
}

// TestCompose: an unsigned presentation is the signed one without its proof,
// needs no challenge and refuses the proof's options and what Present refuses.
func TestCompose(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	jwt := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000002", holderDID(), "jwt")
	h := newHolder(t, holderSeed, func(c *presentation.HolderConfig) { c.Suite = dataintegrity.SuiteEdDSAJCS2022 })
	for _, ver := range []presentation.Version{presentation.V2, presentation.V1} {
		opts := presentation.Options{Version: ver, ID: "urn:uuid:7f0e2f5c-2f6e-4d8e-9a55-111111111111"}
		vp, err := presentation.Compose(h.ID(), [][]byte{di, jwt}, opts)
		require.NoError(t, err)
		assert.True(t, presentation.IsPresentation(vp))
		opts.Challenge = "c"
		signed := decode(t, present(t, h, opts, di, jwt))
		delete(signed, "proof")
		if ver == presentation.V1 {
			signed["@context"] = []any{credential.ContextV1}
		}
		assert.Equal(t, signed, decode(t, vp), "version %d", ver)
	}

	vp, err := presentation.Compose("", [][]byte{di}, presentation.Options{})
	require.NoError(t, err)
	assert.NotContains(t, decode(t, vp), "holder")

	for name, tc := range map[string]struct {
		holder string
		creds  [][]byte
		opts   presentation.Options
	}{
		"holder not a URL":      {"not a url", nil, presentation.Options{}},
		"id not a URL":          {"", nil, presentation.Options{ID: "x"}},
		"version":               {"", nil, presentation.Options{Version: 7}},
		"not a credential":      {"", [][]byte{[]byte("hello")}, presentation.Options{}},
		"challenge":             {"", [][]byte{di}, presentation.Options{Challenge: "c"}},
		"domain":                {"", [][]byte{di}, presentation.Options{Domain: testDomain}},
		"expires":               {"", [][]byte{di}, presentation.Options{Expires: testNow}},
		"insecure no challenge": {"", [][]byte{di}, presentation.Options{InsecureNoChallenge: true}},
	} {
		_, err := presentation.Compose(tc.holder, tc.creds, tc.opts)
		assert.ErrorIs(t, err, presentation.ErrCreate, name)
	}
}

func TestPresentSignerFailure(t *testing.T) {
	priv, _, vm := testKey(holderSeed)
	h, err := presentation.NewHolder(presentation.HolderConfig{Signer: hsm{priv}, VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Present(context.Background(), nil, bindOpts); !errors.Is(err, presentation.ErrCreate) {
		t.Errorf("signer failure: %v", err)
	}
}

// hsm is a crypto.Signer that fails, like an unreachable HSM.
type hsm struct{ key ed25519.PrivateKey }

func (h hsm) Public() crypto.PublicKey { return h.key.Public() }
func (hsm) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("hsm offline")
}

// TestPresentKeepsCredentialBytes: an embedded credential is written as the
// holder received it, whitespace aside, and the members are in reading order.
func TestPresentKeepsCredentialBytes(t *testing.T) {
	di := badge(t, "urn:uuid:00000000-0000-4000-8000-000000000001", holderDID(), dataintegrity.SuiteEdDSARDFC2022)
	vp := string(present(t, newHolder(t, holderSeed, nil), presentation.Options{Challenge: "c", ID: "urn:uuid:7f0e2f5c-2f6e-4d8e-9a55-111111111111"}, di))
	var compact bytes.Buffer
	if err := json.Compact(&compact, di); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(vp, `"verifiableCredential":[`+compact.String()+`]`) {
		t.Errorf("credential bytes not kept:\n%s", vp)
	}
	last := -1
	for _, k := range []string{`"@context"`, `"id"`, `"type"`, `"holder"`, `"verifiableCredential"`, `"proof"`} {
		i := strings.Index(vp, k)
		if i < last {
			t.Errorf("%s out of order in %s", k, vp)
		}
		last = i
	}
}
