package issuer_test

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/jsonld"
)

// plainVC returns a VC 2.0 credential with the given contexts and
// relatedResource (JSON).
func plainVC(t *testing.T, contexts []string, related string) []byte {
	t.Helper()
	ctxs, err := json.Marshal(contexts)
	require.NoError(t, err)
	return []byte(`{
		"@context": ` + string(ctxs) + `,
		"type": ["VerifiableCredential"],
		"credentialSubject": {"id": "did:example:subject"},
		"relatedResource": ` + related + `
	}`)
}

func digests(data []byte) (sri, mb string) {
	s384 := sha512.Sum384(data)
	s256 := sha256.Sum256(data)
	mb, _ = multibase.Encode(multibase.Base64url, append([]byte{0x12, 0x20}, s256[:]...))
	return "sha384-" + base64.StdEncoding.EncodeToString(s384[:]), mb
}

// TestIssueRelatedResource: the issuer checks the digest of every
// relatedResource it resolves offline (embedded contexts and those of its
// loader), refuses a mismatch with both digests, signs unresolvable ones as
// given with a warning, and refuses malformed digests.
func TestIssueRelatedResource(t *testing.T) {
	ctx := context.Background()
	rd, err := jsonld.Embedded().LoadDocument(ctx, credential.ContextV2)
	require.NoError(t, err)
	sri, mb := digests([]byte(rd.Document))
	v2 := []string{credential.ContextV2}
	is := newIssuer(t, 1, "")

	t.Run("matching digests", func(t *testing.T) {
		out, warnings, err := is.IssueJSONReport(ctx, plainVC(t, v2,
			`[{"id": "`+credential.ContextV2+`", "digestSRI": "`+sri+`"}, {"id": "https://example.com/other", "digestMultibase": "`+mb+`"}]`))
		require.NoError(t, err)
		mustVerify(t, out)
		require.Len(t, warnings, 1, "the resource it cannot resolve")
		assert.Equal(t, "$.relatedResource[1]", warnings[0].Path)
		assert.Contains(t, warnings[0].Detail, "https://example.com/other")

		out, warnings, err = is.IssueJSONReport(ctx, plainVC(t, v2, `{"id": "`+credential.ContextV2+`", "digestMultibase": "`+mb+`"}`))
		require.NoError(t, err)
		assert.Empty(t, warnings)
		mustVerify(t, out)
	})

	t.Run("wrong digestMultibase", func(t *testing.T) {
		wrong, _ := multibase.Encode(multibase.Base64url, append([]byte{0x12, 0x20}, make([]byte, 32)...))
		_, err := is.IssueJSON(ctx, plainVC(t, v2, `[{"id": "`+credential.ContextV2+`", "digestMultibase": "`+wrong+`"}]`))
		require.ErrorIs(t, err, issuer.ErrDigestMismatch)
		require.ErrorIs(t, err, issuer.ErrInvalidInput)
		var dm *issuer.DigestMismatchError
		require.ErrorAs(t, err, &dm)
		assert.Equal(t, "$.relatedResource[0]", dm.Path)
		assert.Equal(t, credential.ContextV2, dm.ID)
		assert.Equal(t, "digestMultibase", dm.Member)
		assert.Equal(t, wrong, dm.Given)
		assert.Equal(t, mb, dm.Computed)

		// The W3C vc2.0 suite's wrong digest is a bare SHA-256, not a
		// multihash: refused too.
		_, err = is.IssueJSON(ctx, plainVC(t, v2, `[{"id": "`+credential.ContextV2+`", "digestMultibase": "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"}]`))
		require.ErrorIs(t, err, issuer.ErrInvalidInput)
	})

	t.Run("wrong digestSRI of an embedded context the credential does not use", func(t *testing.T) {
		wrong := "sha384-" + base64.StdEncoding.EncodeToString(make([]byte, 48))
		_, err := is.IssueJSON(ctx, plainVC(t, v2, `{"id": "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "digestSRI": "`+wrong+`"}`))
		var dm *issuer.DigestMismatchError
		require.ErrorAs(t, err, &dm)
		assert.Equal(t, "$.relatedResource", dm.Path)
		assert.Equal(t, wrong, dm.Given)
		assert.Contains(t, dm.Computed, "sha384-")
	})

	t.Run("a context of the issuer's loader", func(t *testing.T) {
		const url = "https://example.com/contexts/mine.jsonld"
		doc := []byte(`{"@context": {"mine": "https://example.com/vocab#mine"}}`)
		static, err := jsonld.NewStaticLoader(map[string][]byte{url: doc})
		require.NoError(t, err)
		priv, _, vm := testKey(1)
		withLoader, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Now: fixedClock(testNow),
			Loader: jsonld.Chain(jsonld.Embedded(), static)})
		require.NoError(t, err)
		_, mine := digests(doc)
		_, err = withLoader.IssueJSON(ctx, plainVC(t, []string{credential.ContextV2, url}, `{"id": "`+url+`", "digestMultibase": "`+mb+`"}`))
		var dm *issuer.DigestMismatchError
		require.ErrorAs(t, err, &dm)
		assert.Equal(t, mine, dm.Computed)
		_, warnings, err := withLoader.IssueJSONReport(ctx, plainVC(t, []string{credential.ContextV2, url}, `{"id": "`+url+`", "digestMultibase": "`+mine+`"}`))
		require.NoError(t, err)
		assert.Empty(t, warnings)
	})

	t.Run("malformed digests", func(t *testing.T) {
		// Refused by validation, as before.
		_, err := is.IssueJSON(ctx, plainVC(t, v2, `{"id": "`+credential.ContextV2+`", "digestSRI": "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"}`))
		var ve *issuer.ValidationError
		require.ErrorAs(t, err, &ve)
		// Readable in form, but an unsupported multihash.
		bad, _ := multibase.Encode(multibase.Base64url, append([]byte{0x11, 0x14}, make([]byte, 20)...))
		_, err = is.IssueJSON(ctx, plainVC(t, v2, `{"id": "`+credential.ContextV2+`", "digestMultibase": "`+bad+`"}`))
		require.ErrorIs(t, err, issuer.ErrInvalidDigest)
		require.ErrorIs(t, err, issuer.ErrInvalidInput)
	})
}
