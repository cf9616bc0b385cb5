package credential

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// NewID returns a new "urn:uuid:" identifier (a random, version 4 UUID)
// drawing randomness from r, or from crypto/rand when r is nil.
func NewID(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var u [16]byte
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return "", fmt.Errorf("credential: generating an id: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(u[:])
	return "urn:uuid:" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// HashIdentity returns the OB 3.0 IdentityHash of an identity value with a
// salt: "sha256$" and the lower-case hex SHA-256 of value followed by salt.
// Use it for IdentityObject.IdentityHash with Hashed true and the same Salt.
func HashIdentity(value, salt string) string {
	sum := sha256.Sum256([]byte(value + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// HashedIdentity returns an IdentityObject for a recipient identity, hashed
// with salt.
func HashedIdentity(identityType IdentifierType, value, salt string) IdentityObject {
	hashed := true
	return IdentityObject{
		Type:         One("IdentityObject"),
		Hashed:       &hashed,
		IdentityHash: HashIdentity(value, salt),
		IdentityType: identityType,
		Salt:         salt,
	}
}

// MatchIdentity reports whether value is the identity the IdentityObject
// describes: when hashed, whether the md5 or sha256 hash of value and the
// salt equals identityHash (hex in either case); otherwise whether value
// equals identityHash. The identityType is not compared; see
// AchievementSubject.HasIdentity.
func MatchIdentity(o IdentityObject, value string) bool {
	if o.Hashed == nil || !*o.Hashed {
		return subtle.ConstantTimeCompare([]byte(o.IdentityHash), []byte(value)) == 1
	}
	alg, digest, ok := strings.Cut(o.IdentityHash, "$")
	if !ok {
		return false
	}
	want, err := hex.DecodeString(digest)
	if err != nil {
		return false
	}
	var got []byte
	switch strings.ToLower(alg) {
	case "sha256":
		s := sha256.Sum256([]byte(value + o.Salt))
		got = s[:]
	case "md5":
		s := md5.Sum([]byte(value + o.Salt))
		got = s[:]
	default:
		return false
	}
	return len(want) == len(got) && subtle.ConstantTimeCompare(want, got) == 1
}

// HasIdentity reports whether one of the subject's identifiers of the given
// identityType matches value (see MatchIdentity), as the OB 3.0
// verification procedure for a recipient identifier does.
func (s *AchievementSubject) HasIdentity(identityType IdentifierType, value string) bool {
	for _, o := range s.Identifier.Items {
		if o.IdentityType == identityType && MatchIdentity(o, value) {
			return true
		}
	}
	return false
}

// Same reports whether a and b are the same credential by the OB 3.0
// equality rule: their issuer ids and their ids are equal after
// percent-decoding and trimming leading and trailing white space. Of two
// such credentials, the one with the later validFrom is the more recent.
func Same(a, b *Credential) bool {
	return a.ID != "" && a.Issuer.ID() != "" &&
		equalIdentifier(a.ID, b.ID) && equalIdentifier(a.Issuer.ID(), b.Issuer.ID())
}

func equalIdentifier(x, y string) bool { return normalizeIdentifier(x) == normalizeIdentifier(y) }

func normalizeIdentifier(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return strings.TrimSpace(s)
}
