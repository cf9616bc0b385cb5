package bake_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/microcred/openbadges/bake"
)

const (
	testJSON = `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"]}`
	// testJWS is a compact JWS shape: header {"alg":"EdDSA"}, payload
	// {"id":"urn:uuid:1"}, an arbitrary signature. Nothing here verifies it.
	testJWS = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl"
)

// smallPNG encodes a w×h gradient with image/png, so that tests need no
// binary fixtures.
func smallPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 16), uint8(y * 16), 0x80, 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngChunks builds a PNG datastream from (type, data) pairs, with correct
// CRCs, after the signature.
func pngChunks(chunks ...string) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	for i := 0; i+1 < len(chunks); i += 2 {
		out = binary.BigEndian.AppendUint32(out, uint32(len(chunks[i+1])))
		start := len(out)
		out = append(out, chunks[i]...)
		out = append(out, chunks[i+1]...)
		out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	return out
}

// ihdr is a valid IHDR body for a 1×1 8-bit greyscale image.
const ihdr = "\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00"

func itxt(keyword string, compressed byte, text string) string {
	return keyword + "\x00" + string(compressed) + "\x00\x00\x00" + text
}

func TestPNGRoundTrip(t *testing.T) {
	orig := smallPNG(t, 8, 8)
	origImg, err := png.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	for _, cred := range []string{testJSON, testJWS, "\n  " + testJSON + "\n"} {
		baked, err := bake.PNG(orig, []byte(cred))
		if err != nil {
			t.Fatalf("PNG: %v", err)
		}
		// Image decoders still open it, with the same pixels.
		got, err := png.Decode(bytes.NewReader(baked))
		if err != nil {
			t.Fatalf("image/png cannot decode the baked image: %v", err)
		}
		if !got.Bounds().Eq(origImg.Bounds()) {
			t.Fatalf("bounds %v, want %v", got.Bounds(), origImg.Bounds())
		}
		for y := range 8 {
			for x := range 8 {
				if got.At(x, y) != origImg.At(x, y) {
					t.Fatalf("pixel (%d,%d) changed", x, y)
				}
			}
		}
		// The credential chunk sits just before IEND.
		want := []byte("iTXtopenbadgecredential\x00\x00\x00\x00\x00" + strings.TrimSpace(cred))
		if i := bytes.Index(baked, want); i < 0 || len(baked)-(i+len(want)) != 4+12 {
			t.Errorf("iTXt chunk not found just before IEND")
		}
		b, err := bake.Unbake(baked)
		if err != nil {
			t.Fatalf("Unbake: %v", err)
		}
		if b.Format != bake.FormatPNG || string(b.Credential) != strings.TrimSpace(cred) || b.IsJWS != (cred == testJWS) {
			t.Errorf("Unbake = %+v", b)
		}
	}
}

func TestPNGRebakeReplaces(t *testing.T) {
	orig := smallPNG(t, 4, 4)
	once, err := bake.PNG(orig, []byte(testJSON))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := bake.PNG(once, []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := bake.PNG(orig, []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(twice, direct) {
		t.Error("baking over a baked image differs from baking the original")
	}
	if n := bytes.Count(twice, []byte("iTXtopenbadgecredential")); n != 1 {
		t.Errorf("%d credential chunks after re-baking, want 1", n)
	}
	// A stray tEXt chunk with the credential keyword is also replaced.
	stray := pngChunks("IHDR", ihdr, "tEXt", "openbadgecredential\x00{}", "IEND", "")
	out, err := bake.PNG(stray, []byte(testJSON))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("tEXtopenbadgecredential")) {
		t.Error("tEXt credential chunk survived baking")
	}
}

func TestUnbakePNGRejects(t *testing.T) {
	good := pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, testJSON), "IEND", "")
	if _, err := bake.Unbake(good); err != nil {
		t.Fatalf("control image rejected: %v", err)
	}
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-13] ^= 1 // last byte of the iTXt CRC
	hugeLen := bytes.Clone(good)
	binary.BigEndian.PutUint32(hugeLen[8+25:], 0xfffffff0) // the iTXt length
	longLen := bytes.Clone(good)
	binary.BigEndian.PutUint32(longLen[8+25:], 1<<20)

	cases := []struct {
		name string
		img  []byte
		lim  bake.Limits
		want error
	}{
		{"bad CRC", badCRC, bake.Limits{}, bake.ErrBadCRC},
		{"length above 2^31-1", hugeLen, bake.Limits{}, bake.ErrMalformed},
		{"length beyond the end", longLen, bake.Limits{}, bake.ErrTruncated},
		{"no IEND", good[:len(good)-12], bake.Limits{}, bake.ErrTruncated},
		{"signature only", good[:8], bake.Limits{}, bake.ErrTruncated},
		{"data after IEND", append(bytes.Clone(good), 0), bake.Limits{}, bake.ErrMalformed},
		{"IEND with data", pngChunks("IHDR", ihdr, "IEND", "x"), bake.Limits{}, bake.ErrMalformed},
		{"IHDR not first", pngChunks("tEXt", "a\x00b", "IHDR", ihdr, "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"short IHDR", pngChunks("IHDR", "\x00", "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"two IHDR", pngChunks("IHDR", ihdr, "IHDR", ihdr, "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"bad chunk type", pngChunks("IHDR", ihdr, "i7Xt", "", "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"image too large", good, bake.Limits{MaxImageSize: len(good) - 1}, bake.ErrTooLarge},
		{"too many chunks", good, bake.Limits{MaxChunks: 2}, bake.ErrTooLarge},
		{"credential too large", good, bake.Limits{MaxCredentialSize: 40}, bake.ErrTooLarge},
		{"negative limit", good, bake.Limits{MaxChunks: -1}, bake.ErrInvalidLimits},
		{"not baked", pngChunks("IHDR", ihdr, "tEXt", "Comment\x00hi", "IEND", ""), bake.Limits{}, bake.ErrNotBaked},
		{"OB 2.0 only", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadges", 0, testJSON), "IEND", ""), bake.Limits{}, bake.ErrLegacyBadge},
		{"two credentials", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, testJSON),
			"iTXt", itxt("openbadgecredential", 0, testJWS), "IEND", ""), bake.Limits{}, bake.ErrMultipleCredentials},
		{"two identical credentials", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, testJSON),
			"iTXt", itxt("openbadgecredential", 0, testJSON), "IEND", ""), bake.Limits{}, bake.ErrMultipleCredentials},
		{"compressed", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 1, "x\x9c\x03\x00\x00\x00\x00\x01"), "IEND", ""), bake.Limits{}, bake.ErrCompressed},
		{"bad compression flag", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 2, testJSON), "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"bad compression method", pngChunks("IHDR", ihdr, "iTXt", "openbadgecredential\x00\x00\x01\x00\x00"+testJSON, "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"iTXt without language NUL", pngChunks("IHDR", ihdr, "iTXt", "openbadgecredential\x00\x00\x00en", "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"iTXt cut after keyword", pngChunks("IHDR", ihdr, "iTXt", "openbadgecredential\x00", "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"credential in tEXt", pngChunks("IHDR", ihdr, "tEXt", "openbadgecredential\x00"+testJSON, "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"credential in zTXt", pngChunks("IHDR", ihdr, "zTXt", "openbadgecredential\x00\x00x", "IEND", ""), bake.Limits{}, bake.ErrMalformed},
		{"empty credential", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, " "), "IEND", ""), bake.Limits{}, bake.ErrInvalidCredential},
		{"JSON array", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, "[1]"), "IEND", ""), bake.Limits{}, bake.ErrInvalidCredential},
		{"broken JSON", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, `{"a":`), "IEND", ""), bake.Limits{}, bake.ErrInvalidCredential},
		{"non-ASCII white space", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, "\u00a0{}"), "IEND", ""), bake.Limits{}, bake.ErrInvalidCredential},
		{"invalid UTF-8", pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 0, "{\"a\":\"\xff\"}"), "IEND", ""), bake.Limits{}, bake.ErrInvalidCredential},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.lim.Unbake(c.img)
			if !errors.Is(err, c.want) {
				t.Fatalf("Unbake = %+v, %v; want %v", b, err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "bake: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestUnbakePNGTruncated cuts a baked image at every length: each prefix
// must be rejected, never accepted and never panic.
func TestUnbakePNGTruncated(t *testing.T) {
	baked, err := bake.PNG(smallPNG(t, 3, 3), []byte(testJWS))
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(baked) {
		_, err := bake.Unbake(baked[:n])
		want := bake.ErrTruncated
		if n < 8 {
			want = bake.ErrUnsupportedFormat // not even the signature
		}
		if !errors.Is(err, want) {
			t.Fatalf("prefix of %d bytes: %v, want %v", n, err, want)
		}
	}
}

// TestUnbakePNGCorruptEveryByte flips each byte after the signature; the
// CRCs (or the structure checks) must catch every flip.
func TestUnbakePNGCorruptEveryByte(t *testing.T) {
	baked, err := bake.PNG(smallPNG(t, 2, 2), []byte(testJSON))
	if err != nil {
		t.Fatal(err)
	}
	for i := 8; i < len(baked); i++ {
		bad := bytes.Clone(baked)
		bad[i] ^= 0x20
		if b, err := bake.Unbake(bad); err == nil {
			t.Fatalf("flip at byte %d accepted: %q", i, b.Credential)
		}
	}
}

func TestBakePNGRejects(t *testing.T) {
	img := smallPNG(t, 2, 2)
	cases := []struct {
		name string
		img  []byte
		cred string
		lim  bake.Limits
		want error
	}{
		{"JSON array", img, `[{}]`, bake.Limits{}, bake.ErrInvalidCredential},
		{"JSON string", img, `"x"`, bake.Limits{}, bake.ErrInvalidCredential},
		{"JSON with trailing garbage", img, `{} x`, bake.Limits{}, bake.ErrInvalidCredential},
		{"two-segment JWS", img, "eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0", bake.Limits{}, bake.ErrInvalidCredential},
		{"JWS with empty signature", img, "eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0.", bake.Limits{}, bake.ErrInvalidCredential},
		{"JWS with padding", img, "eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0=.c2ln", bake.Limits{}, bake.ErrInvalidCredential},
		{"JWS header not JSON", img, "aGVsbG8.eyJpZCI6MX0.c2ln", bake.Limits{}, bake.ErrInvalidCredential},
		{"empty", img, "", bake.Limits{}, bake.ErrInvalidCredential},
		{"credential too large", img, testJSON, bake.Limits{MaxCredentialSize: 20}, bake.ErrTooLarge},
		{"result too large", img, testJSON, bake.Limits{MaxImageSize: len(img) + 10}, bake.ErrTooLarge},
		{"not a PNG", []byte("GIF89a"), testJSON, bake.Limits{}, bake.ErrUnsupportedFormat},
		{"corrupt PNG", img[:len(img)-1], testJSON, bake.Limits{}, bake.ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := c.lim.PNG(c.img, []byte(c.cred))
			if !errors.Is(err, c.want) || out != nil {
				t.Fatalf("PNG = %d bytes, %v; want %v", len(out), err, c.want)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	bad := pngChunks("IHDR", ihdr, "iTXt", itxt("openbadgecredential", 1, "x"), "IEND", "")
	_, err := bake.Unbake(bad)
	var e *bake.Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not *bake.Error", err)
	}
	want := `bake: credential chunk is compressed: png chunk 1 "iTXt" at byte 33: compression flag is 1; Open Badges forbids compression`
	if err.Error() != want {
		t.Errorf("error text\n got %s\nwant %s", err, want)
	}
	if e.Format != bake.FormatPNG || e.Err != bake.ErrCompressed {
		t.Errorf("Error fields %+v", e)
	}
}

func BenchmarkUnbakePNG(b *testing.B) {
	baked, err := bake.PNG(smallPNG(b, 256, 256), []byte(testJSON))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(baked)))
	for b.Loop() {
		if _, err := bake.Unbake(baked); err != nil {
			b.Fatal(err)
		}
	}
}
