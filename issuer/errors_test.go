package issuer_test

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/issuer"
)

// failingSigner is an Ed25519 key whose signing fails, as an HSM that is
// unreachable would.
type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("hsm unreachable")
}

// TestErrorClasses: every refusal is in one class, the input's
// (ErrInvalidInput) or the issuer's (ErrSigning), never both, so that a
// server maps errors by class.
func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	is := newIssuer(t, 1, "")
	undefined := bytes.Replace(badge(""), []byte(`"name": "First Aid`), []byte(`"undefinedTerm": 1, "name": "First Aid`), 1)
	for name, tc := range map[string]struct {
		in   []byte
		want error
	}{
		"malformed":      {[]byte(`{"a":1,"a":2}`), issuer.ErrMalformed},
		"invalid":        {[]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}`), issuer.ErrInvalidCredential},
		"other issuer":   {badge(`"did:example:someone-else"`), issuer.ErrIssuerMismatch},
		"undefined term": {undefined, issuer.ErrUnsignable},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := is.IssueJSON(ctx, tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, issuer.ErrInvalidInput)
			assert.NotErrorIs(t, err, issuer.ErrSigning)
		})
	}
	assert.ErrorIs(t, func() error { _, err := is.IssueJSON(ctx, undefined); return err }(), dataintegrity.ErrTransformation)

	priv, _, vm := testKey(2)
	broken, err := issuer.New(issuer.Config{Signer: failingSigner{priv}, VerificationMethod: vm})
	require.NoError(t, err)
	_, err = broken.IssueJSON(ctx, badge(""))
	assert.ErrorIs(t, err, issuer.ErrSigning)
	assert.NotErrorIs(t, err, issuer.ErrInvalidInput)
}
