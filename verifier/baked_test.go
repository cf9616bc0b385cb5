package verifier_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// TestVerifyBaked verifies credentials baked into PNG and SVG images, and
// a tampered baked one.
func TestVerifyBaked(t *testing.T) {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>`)
	signed := signSample(t, 1, dataintegrity.SuiteEdDSARDFC2022, nil)
	tampered := bytes.Replace(signed, []byte(`"91"`), []byte(`"99"`), 1)

	priv, _, vm := testKey(1)
	is, err := issuer.New(issuer.Config{Signer: priv, VerificationMethod: vm, Format: issuer.FormatJWT})
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := is.IssueJSON(t.Context(), sampleFor(t, is.Controller()))
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t, func(c *verifier.Config) { c.Algorithms = []vcjwt.Algorithm{vcjwt.EdDSA} })
	for _, tt := range []struct {
		name string
		bake func(img, cred []byte) ([]byte, error)
		img  []byte
	}{{"png", bake.PNG, img.Bytes()}, {"svg", bake.SVG, svg}} {
		for _, c := range []struct {
			name string
			cred []byte
			want bool
		}{{"signed", signed, true}, {"jwt", jwt, true}, {"tampered", tampered, false}} {
			baked, err := tt.bake(tt.img, c.cred)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.name, c.name, err)
			}
			r := verify(t, v, baked)
			if r.Verified != c.want {
				t.Errorf("%s %s: verified = %v: %s", tt.name, c.name, r.Verified, r.Summary())
			}
		}
	}
	// An image without a credential is a parse failure.
	r := verify(t, v, img.Bytes())
	wantFailure(t, r, bake.ErrNotBaked, "parse")
}
