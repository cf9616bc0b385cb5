package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/issuer"
	"github.com/stretchr/testify/require"
)

// The recipient of the fixtures' hashed identifier.
const (
	learnerEmail = "ada@example.org"
	learnerSalt  = "pepper-42"
)

// badgeTemplate is an Open Badges 3.0 credential shaped like
// ../shared/bench/ob3-sample.json, with a hashed e-mail identifier.
const badgeTemplate = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "urn:uuid:ID",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "NAME",
  "issuer": {"id": "ISSUER", "type": ["Profile"], "name": "Example University", "url": "https://www.example.edu"},
  "validFrom": "VALID_FROM"VALID_UNTIL,
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "identityHash": "HASH", "salt": "SALT"}],
    "creditsEarned": 5,
    "achievement": {
      "id": "https://example.edu/achievements/ID",
      "type": ["Achievement"],
      "achievementType": "Course",
      "name": "NAME",
      "description": "DESCRIPTION",
      "criteria": {"narrative": "Complete all four modules and pass the final assessment with at least 70%."},
      "creditsAvailable": 5,
      "alignment": [{"type": ["Alignment"], "targetName": "Analyse data", "targetUrl": "https://example.org/frameworks/skills/analyse-data", "targetFramework": "Example Skills Framework", "targetType": "CFItem"}],
      "resultDescription": [{"id": "urn:uuid:RD-ID", "type": ["ResultDescription"], "name": "Final assessment", "resultType": "Percent"}]
    },
    "result": [{"type": ["Result"], "resultDescription": "urn:uuid:RD-ID", "value": "86"}]
  }
}`

// fixtures signs badges with a fresh did:key.
type fixtures struct {
	t      *testing.T
	did    string
	di     *issuer.Issuer
	jwt    *issuer.Issuer
	serial int
}

func newFixtures(t *testing.T) *fixtures {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	d, vm, err := did.NewKeyDID(key.Public())
	require.NoError(t, err)
	di, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm})
	require.NoError(t, err)
	jw, err := issuer.New(issuer.Config{Signer: key, VerificationMethod: vm, Format: issuer.FormatJWT})
	require.NoError(t, err)
	return &fixtures{t: t, did: d, di: di, jwt: jw}
}

// badgeOpts vary a fixture.
type badgeOpts struct {
	name, description, validFrom, validUntil string
	jwt                                      bool
	// endorse gives the endorsements embedded in the achievement, given
	// its id.
	endorse func(achievementID string) []any
}

func (f *fixtures) badge(o badgeOpts) []byte {
	f.t.Helper()
	f.serial++
	if o.name == "" {
		o.name = "Data Analysis Fundamentals"
	}
	if o.description == "" {
		o.description = "Learners clean, explore and summarise tabular data and communicate findings."
	}
	if o.validFrom == "" {
		o.validFrom = "2025-01-01T00:00:00Z"
	}
	until := ""
	if o.validUntil != "" {
		until = `, "validUntil": "` + o.validUntil + `"`
	}
	h := sha256.Sum256([]byte(learnerEmail + learnerSalt))
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", f.serial)
	s := strings.NewReplacer(
		"urn:uuid:ID", "urn:uuid:"+id, "achievements/ID", "achievements/"+id, "NAME", jsonText(o.name), "DESCRIPTION", jsonText(o.description),
		"ISSUER", f.did, "VALID_FROM", o.validFrom, "VALID_UNTIL", until,
		"HASH", "sha256$"+hex.EncodeToString(h[:]), "SALT", learnerSalt,
	).Replace(badgeTemplate)
	if o.endorse != nil {
		var m map[string]any
		require.NoError(f.t, json.Unmarshal([]byte(s), &m))
		ach := m["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
		ach["endorsement"] = o.endorse(ach["id"].(string))
		b, err := json.Marshal(m)
		require.NoError(f.t, err)
		s = string(b)
	}
	is := f.di
	if o.jwt {
		is = f.jwt
	}
	out, err := is.IssueJSON(context.Background(), []byte(s))
	require.NoError(f.t, err)
	return out
}

// jsonText escapes s for a JSON string.
func jsonText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return r.Replace(s)
}

// tamper changes the badge's name after signing.
func tamper(t *testing.T, signed []byte) []byte {
	out := bytes.Replace(signed, []byte(`"Data Analysis Fundamentals"`), []byte(`"Data Analysis Mastery"`), -1)
	require.NotEqual(t, signed, out)
	return out
}

// picture is a small PNG: a blue disc.
func picture(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			if (x-32)*(x-32)+(y-32)*(y-32) < 30*30 {
				img.Set(x, y, color.RGBA{20, 90, 200, 255})
			}
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// bakedPNG bakes cred into picture.
func bakedPNG(t *testing.T, cred []byte) []byte {
	out, err := bake.PNG(picture(t), cred)
	require.NoError(t, err)
	return out
}

// twiceBaked is a PNG carrying two credential chunks, which bake refuses
// to make: the second is added by hand.
func twiceBaked(t *testing.T, a, b []byte) []byte {
	img := bakedPNG(t, a)
	data := append([]byte(bake.Keyword+"\x00\x00\x00\x00\x00"), b...)
	var chunk bytes.Buffer
	binary.Write(&chunk, binary.BigEndian, uint32(len(data)))
	chunk.WriteString("iTXt")
	chunk.Write(data)
	binary.Write(&chunk, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("iTXt"), data...)))
	iend := len(img) - 12 // the IEND chunk
	return append(append(append([]byte{}, img[:iend]...), chunk.Bytes()...), img[iend:]...)
}
