package bake_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/microcred/openbadges/bake"
)

// fuzzLimits keeps each fuzz iteration small and fast.
var fuzzLimits = bake.Limits{MaxImageSize: 1 << 16, MaxCredentialSize: 1 << 14, MaxChunks: 64, MaxSVGDepth: 32, MaxSVGTokens: 2048}

// checkUnbake is the property both fuzz targets check: un-baking never
// panics, fails only with one of the package's sentinels, and whatever it
// accepts can be baked again into the same image and read back unchanged.
func checkUnbake(t *testing.T, img []byte, unbake func([]byte) (*bake.Baked, error), rebake func(img, cred []byte) ([]byte, error)) {
	b, err := unbake(img)
	if err != nil {
		if !isSentinel(err) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		return
	}
	if len(b.Credential) == 0 || len(b.Credential) > fuzzLimits.MaxCredentialSize {
		t.Fatalf("credential of %d bytes accepted", len(b.Credential))
	}
	if b.IsJWS != (b.Credential[0] != '{') || b.IsJWS && bytes.Count(b.Credential, []byte(".")) != 2 {
		t.Fatalf("IsJWS %v for %q", b.IsJWS, b.Credential)
	}
	out, err := rebake(img, b.Credential)
	if err != nil {
		if errors.Is(err, bake.ErrTooLarge) {
			return // the baked image grew past the limit
		}
		t.Fatalf("re-baking an accepted image: %v", err)
	}
	b2, err := unbake(out)
	if err != nil || !bytes.Equal(b2.Credential, b.Credential) || b2.IsJWS != b.IsJWS {
		t.Fatalf("re-baked image un-bakes to %+v, %v; want %q", b2, err, b.Credential)
	}
}

func isSentinel(err error) bool {
	for _, s := range []error{bake.ErrUnsupportedFormat, bake.ErrNotBaked, bake.ErrLegacyBadge,
		bake.ErrMultipleCredentials, bake.ErrCompressed, bake.ErrBadCRC, bake.ErrTruncated,
		bake.ErrTooLarge, bake.ErrMalformed, bake.ErrUnsafeXML, bake.ErrInvalidCredential} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func FuzzUnbakePNG(f *testing.F) {
	plain := smallPNG(f, 2, 2)
	f.Add(plain)
	for _, cred := range []string{testJSON, testJWS} {
		baked, err := bake.PNG(plain, []byte(cred))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(baked)
		f.Add(baked[:len(baked)-5])
	}
	f.Add(pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, "{}"), "IEND", ""))
	f.Add(pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 1, "{}"), "IEND", ""))
	f.Add(pngChunks("IHDR", ihdr, "iTXt", itxt("openbadges", 0, "{}"), "IEND", ""))
	f.Add(pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, "{}"), "iTXt", itxt("openbadgecredential", 0, "{}"), "IEND", ""))
	f.Add(pngChunks("IHDR", ihdr, "tEXt", "openbadgecredential\x00{}", "IEND", ""))
	f.Fuzz(func(t *testing.T, img []byte) {
		checkUnbake(t, img, fuzzLimits.UnbakePNG, fuzzLimits.PNG)
	})
}

func FuzzUnbakeSVG(f *testing.F) {
	for _, img := range []string{plainSVG, `<svg/>`, `<svg><g><g/></g></svg>`} {
		f.Add([]byte(img))
		for _, cred := range []string{testJSON, testJWS, `{"a":"]]>"}`} {
			baked, err := bake.SVG([]byte(img), []byte(cred))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(baked)
		}
	}
	const ns = `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
	f.Add([]byte(`<!DOCTYPE svg [<!ENTITY a "b">]><svg ` + ns + `><openbadges:credential>{"a":"&a;"}</openbadges:credential></svg>`))
	f.Add([]byte(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg ` + ns + `><openbadges:credential verify="a.b.c"/></svg>`))
	f.Add([]byte(`<svg ` + ns + `><openbadges:credential>{"a":"&amp;&#65;"}</openbadges:credential></svg>`))
	f.Add([]byte(`<svg ` + ns + `><openbadges:credential verify="x"><![CDATA[{}]]></openbadges:credential><openbadges:credential/></svg>`))
	f.Add([]byte("\xef\xbb\xbf<svg xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"x\"/></svg>"))
	f.Fuzz(func(t *testing.T, img []byte) {
		checkUnbake(t, img, fuzzLimits.UnbakeSVG, fuzzLimits.SVG)
	})
}
