package related

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/multiformats/go-multibase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/credential"
)

// TestCheckStringAndBytes checks that a resource held in a string (as
// jsonld's loaders give it, hashed in pieces) and the same bytes in a slice
// get the same verdicts, for documents shorter and longer than the pieces.
func TestCheckStringAndBytes(t *testing.T) {
	for _, n := range []int{0, 10, 1024, 3000} {
		doc := strings.Repeat("x", n)
		s384 := sha512.Sum384([]byte(doc))
		s256 := sha256.Sum256([]byte(doc))
		mb, err := multibase.Encode(multibase.Base64url, append([]byte{0x12, 0x20}, s256[:]...))
		require.NoError(t, err)
		good := credential.RelatedResource{ID: "urn:x", DigestSRI: "sha384-" + base64.StdEncoding.EncodeToString(s384[:]), DigestMultibase: mb}
		assert.NoError(t, Check(good, doc), "string of %d bytes", n)
		assert.NoError(t, Check(good, []byte(doc)), "%d bytes", n)

		other := doc + "y"
		var me *MismatchError
		require.ErrorAs(t, Check(good, other), &me)
		assert.Equal(t, "digestSRI", me.Member)
		require.ErrorAs(t, Check(credential.RelatedResource{ID: "urn:x", DigestMultibase: mb}, []byte(other)), &me)
		assert.Equal(t, "digestMultibase", me.Member)
		errS, errB := Check(good, other), Check(good, []byte(other))
		assert.Equal(t, errB.Error(), errS.Error())
	}
}
