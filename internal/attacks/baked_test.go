package attacks

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
)

// pngChunk encodes one PNG chunk.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

// itxt is the body of an iTXt chunk with the Open Badges keyword.
func itxt(compressed byte, text []byte) []byte {
	b := []byte("openbadgecredential\x00")
	b = append(b, compressed, 0, 0, 0) // compression flag, method, empty language and translated keyword
	return append(b, text...)
}

// insertBeforeIEND adds chunks just before the IEND chunk of a PNG.
func insertBeforeIEND(t *testing.T, img []byte, chunks ...[]byte) []byte {
	t.Helper()
	i := bytes.LastIndex(img, []byte("IEND"))
	if i < 4 {
		t.Fatal("no IEND")
	}
	out := append([]byte{}, img[:i-4]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, img[i-4:]...)
}

func tinyPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAttack078_BakedBadges feeds hostile baked images to verifier.Verify
// (catalogue #78): two credential chunks (displayers would disagree on
// which one is the badge), a compressed chunk (a zip bomb), a credential in
// a tEXt chunk, an SVG with two credentials, and SVG entities. Each must
// fail at parsing with the bake sentinel, and a correctly baked badge must
// verify.
func TestAttack078_BakedBadges(t *testing.T) {
	f := newFixture(t)
	other := sign(t, 1, allSuites[0], func(m map[string]any) { m["name"] = "Other" })
	img := tinyPNG(t)
	goodPNG, err := bake.PNG(img, f.good)
	if err != nil {
		t.Fatal(err)
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>`
	goodSVG, err := bake.SVG([]byte(svg), f.good)
	if err != nil {
		t.Fatal(err)
	}
	ns := `xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
	credEl := func(b []byte) string {
		return `<openbadges:credential><![CDATA[` + string(b) + `]]></openbadges:credential>`
	}
	v := newVerifier(t, nil)
	for name, in := range map[string][]byte{"png": goodPNG, "svg": goodSVG} {
		r, err := v.Verify(context.Background(), in)
		if err != nil || !r.Verified {
			t.Fatalf("baked %s does not verify: %v %s", name, err, r.Summary())
		}
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"two iTXt credentials", insertBeforeIEND(t, goodPNG, pngChunk("iTXt", itxt(0, other))), bake.ErrMultipleCredentials},
		{"compressed iTXt", insertBeforeIEND(t, img, pngChunk("iTXt", itxt(1, []byte("x\x9c\x03\x00\x00\x00\x00\x01")))), bake.ErrCompressed},
		{"credential in tEXt", insertBeforeIEND(t, img, pngChunk("tEXt", append([]byte("openbadgecredential\x00"), f.good...))), nil},
		{"two SVG credentials", []byte(`<svg ` + ns + `>` + credEl(f.good) + credEl(other) + `</svg>`), bake.ErrMultipleCredentials},
		{"SVG entity", []byte(`<!DOCTYPE svg [<!ENTITY x "y">]><svg ` + ns + `>` + credEl(f.good) + `</svg>`), bake.ErrUnsafeXML},
		{"SVG external entity", []byte(`<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg ` + ns + `>` + credEl(f.good) + `&xxe;</svg>`), bake.ErrUnsafeXML},
		{"huge chunk length", insertBeforeIEND(t, img, []byte("\x7f\xff\xff\xf0iTXt")), nil},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			r, err := v.Verify(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verified {
				t.Fatalf("verified: %s", r.Summary())
			}
			if len(r.Errors) == 0 || r.Errors[0].Check != "parse" {
				t.Fatalf("want a parse error: %s", r.Summary())
			}
			if tc.want != nil && !errors.Is(r.Err(), tc.want) {
				t.Errorf("Err() = %v, want %v", r.Err(), tc.want)
			}
		})
	}
}
