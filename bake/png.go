package bake

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// pngSignature starts every PNG datastream (PNG §5.2).
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// maxChunkLength is the largest chunk length PNG allows (PNG §5.3: 2^31-1).
const maxChunkLength = 1<<31 - 1

// chunk is one PNG chunk, pointing into the original image.
type chunk struct {
	index int    // 0-based position in the stream
	start int    // byte offset of the length field
	end   int    // byte offset just past the CRC
	typ   string // four ASCII letters
	data  []byte
}

func (c chunk) where() string {
	return fmt.Sprintf("chunk %d %q at byte %d", c.index, c.typ, c.start)
}

// parsePNG splits img into chunks, checking the signature, every length and
// CRC, the limits, that IHDR comes first and that IEND comes last with
// nothing after it. It never decodes pixel data.
func parsePNG(l Limits, img []byte) ([]chunk, error) {
	fail := func(sentinel error, where, format string, a ...any) error {
		return &Error{Format: FormatPNG, Where: where, Err: sentinel, Detail: fmt.Sprintf(format, a...)}
	}
	if len(img) > l.MaxImageSize {
		return nil, fail(ErrTooLarge, "", "image is %d bytes, limit %d", len(img), l.MaxImageSize)
	}
	if !bytes.HasPrefix(img, pngSignature) {
		return nil, fail(ErrUnsupportedFormat, "", "missing PNG signature")
	}
	var chunks []chunk
	off := len(pngSignature)
	for {
		if len(chunks) >= l.MaxChunks {
			return nil, fail(ErrTooLarge, fmt.Sprintf("byte %d", off), "more than %d chunks", l.MaxChunks)
		}
		if off == len(img) {
			return nil, fail(ErrTruncated, fmt.Sprintf("byte %d", off), "image ends without an IEND chunk")
		}
		if len(img)-off < 12 {
			return nil, fail(ErrTruncated, fmt.Sprintf("byte %d", off), "%d bytes left, a chunk needs at least 12", len(img)-off)
		}
		n := binary.BigEndian.Uint32(img[off:])
		c := chunk{index: len(chunks), start: off, typ: string(img[off+4 : off+8])}
		if !isChunkType(img[off+4 : off+8]) {
			return nil, fail(ErrMalformed, fmt.Sprintf("chunk %d at byte %d", c.index, off), "chunk type %q is not four ASCII letters", c.typ)
		}
		if n > maxChunkLength {
			return nil, fail(ErrMalformed, c.where(), "length %d exceeds the PNG maximum of 2^31-1", n)
		}
		if uint64(n) > uint64(len(img)-off-12) {
			return nil, fail(ErrTruncated, c.where(), "length %d but only %d bytes left", n, len(img)-off-12)
		}
		c.data = img[off+8 : off+8+int(n)]
		c.end = off + 12 + int(n)
		stored := binary.BigEndian.Uint32(img[c.end-4:])
		if got := crc32.ChecksumIEEE(img[off+4 : c.end-4]); got != stored {
			return nil, fail(ErrBadCRC, c.where(), "stored CRC %#08x, computed %#08x", stored, got)
		}
		switch {
		case c.index == 0 && c.typ != "IHDR":
			return nil, fail(ErrMalformed, c.where(), "first chunk must be IHDR")
		case c.index == 0 && n != 13:
			return nil, fail(ErrMalformed, c.where(), "IHDR length is %d, want 13", n)
		case c.index > 0 && c.typ == "IHDR":
			return nil, fail(ErrMalformed, c.where(), "second IHDR chunk")
		}
		chunks = append(chunks, c)
		off = c.end
		if c.typ == "IEND" {
			if n != 0 {
				return nil, fail(ErrMalformed, c.where(), "IEND has %d bytes of data, want 0", n)
			}
			if off != len(img) {
				// Data after IEND is invisible to decoders and to this
				// package; refusing it leaves no place to hide a second
				// credential.
				return nil, fail(ErrMalformed, fmt.Sprintf("byte %d", off), "%d bytes after IEND", len(img)-off)
			}
			return chunks, nil
		}
	}
}

func isChunkType(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// textKeyword returns the keyword of a tEXt, zTXt or iTXt chunk: the bytes
// before the first NUL (PNG §11.3.4). ok is false for other chunks and for
// text chunks without a NUL.
func textKeyword(c chunk) (kw string, rest []byte, ok bool) {
	if c.typ != "tEXt" && c.typ != "zTXt" && c.typ != "iTXt" {
		return "", nil, false
	}
	i := bytes.IndexByte(c.data, 0)
	if i < 0 {
		return "", nil, false
	}
	return string(c.data[:i]), c.data[i+1:], true
}

// isCredentialChunk reports whether c is a text chunk of any kind whose
// keyword marks an OB 3.0 credential.
func isCredentialChunk(c chunk) bool {
	kw, _, ok := textKeyword(c)
	return ok && kw == Keyword
}

// itxtText parses the body of an iTXt chunk after its keyword (PNG §11.3.4.5):
// compression flag, compression method, language tag, NUL, translated
// keyword, NUL, text.
func itxtText(c chunk, rest []byte) ([]byte, error) {
	fail := func(sentinel error, format string, a ...any) error {
		return &Error{Format: FormatPNG, Where: c.where(), Err: sentinel, Detail: fmt.Sprintf(format, a...)}
	}
	if len(rest) < 2 {
		return nil, fail(ErrMalformed, "iTXt chunk ends before its compression flag and method")
	}
	flag, method := rest[0], rest[1]
	switch {
	case flag == 1:
		return nil, fail(ErrCompressed, "compression flag is 1; Open Badges forbids compression")
	case flag != 0:
		return nil, fail(ErrMalformed, "compression flag is %d, want 0", flag)
	case method != 0:
		return nil, fail(ErrMalformed, "compression method is %d, want 0", method)
	}
	rest = rest[2:]
	for _, field := range []string{"language tag", "translated keyword"} {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, fail(ErrMalformed, "iTXt %s is not NUL-terminated", field)
		}
		rest = rest[i+1:]
	}
	return rest, nil
}

// UnbakePNG takes the credential out of a baked PNG image. See Unbake.
func (l Limits) UnbakePNG(img []byte) (*Baked, error) {
	l, err := l.resolve()
	if err != nil {
		return nil, err
	}
	chunks, err := parsePNG(l, img)
	if err != nil {
		return nil, err
	}
	var found *chunk
	var text []byte
	legacy := false
	for i := range chunks {
		c := chunks[i]
		kw, rest, ok := textKeyword(c)
		if !ok {
			continue
		}
		switch {
		case kw == legacyKeyword && c.typ == "iTXt":
			legacy = true
			continue
		case kw != Keyword:
			continue
		case c.typ != "iTXt":
			return nil, &Error{Format: FormatPNG, Where: c.where(), Err: ErrMalformed,
				Detail: fmt.Sprintf("keyword %q in a %s chunk; Open Badges requires an uncompressed iTXt chunk", Keyword, c.typ)}
		case found != nil:
			return nil, &Error{Format: FormatPNG, Where: c.where(), Err: ErrMultipleCredentials,
				Detail: fmt.Sprintf("second iTXt %q chunk (the first is %s)", Keyword, found.where())}
		}
		if text, err = itxtText(c, rest); err != nil {
			return nil, err
		}
		if len(text) > l.MaxCredentialSize {
			return nil, &Error{Format: FormatPNG, Where: c.where(), Err: ErrTooLarge,
				Detail: fmt.Sprintf("credential is %d bytes, limit %d", len(text), l.MaxCredentialSize)}
		}
		found = &chunks[i]
	}
	if found == nil {
		if legacy {
			return nil, &Error{Format: FormatPNG, Err: ErrLegacyBadge, Detail: fmt.Sprintf("iTXt keyword %q found, %q absent", legacyKeyword, Keyword)}
		}
		return nil, &Error{Format: FormatPNG, Err: ErrNotBaked, Detail: fmt.Sprintf("no iTXt chunk with keyword %q", Keyword)}
	}
	cred, isJWS, d := classify(text)
	if d != "" {
		return nil, &Error{Format: FormatPNG, Where: found.where(), Err: ErrInvalidCredential, Detail: d}
	}
	// Copy, so that the result does not alias (and pin) the caller's image.
	return &Baked{Format: FormatPNG, Credential: bytes.Clone(cred), IsJWS: isJWS}, nil
}

// PNG bakes credential (a JSON object or a compact JWS; surrounding white
// space is dropped) into a PNG image. It checks the whole image as
// UnbakePNG does, removes any text chunk with keyword "openbadgecredential"
// (baking replaces an existing credential), and inserts one uncompressed
// iTXt chunk just before IEND. Other chunks, including pixel data, are
// copied unchanged. The result is checked by un-baking it.
func (l Limits) PNG(img, credential []byte) ([]byte, error) {
	l, err := l.resolve()
	if err != nil {
		return nil, err
	}
	cred, _, err := checkCredential(l, FormatPNG, credential)
	if err != nil {
		return nil, err
	}
	chunks, err := parsePNG(l, img)
	if err != nil {
		return nil, err
	}
	// keyword NUL, compression flag 0, method 0, empty language tag NUL,
	// empty translated keyword NUL, text.
	body := make([]byte, 0, len(Keyword)+5+len(cred))
	body = append(body, Keyword...)
	body = append(body, 0, 0, 0, 0, 0)
	body = append(body, cred...)

	out := make([]byte, 0, len(img)+len(body)+12)
	out = append(out, pngSignature...)
	for _, c := range chunks {
		if isCredentialChunk(c) {
			continue
		}
		if c.typ == "IEND" {
			out = appendChunk(out, "iTXt", body)
		}
		out = append(out, img[c.start:c.end]...)
	}
	if len(out) > l.MaxImageSize {
		return nil, &Error{Format: FormatPNG, Err: ErrTooLarge, Detail: fmt.Sprintf("baked image would be %d bytes, limit %d", len(out), l.MaxImageSize)}
	}
	if err := selfCheck(cred)(l.UnbakePNG(out)); err != nil {
		return nil, err
	}
	return out, nil
}

func appendChunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// selfCheck returns a function that turns a failure to un-bake exactly cred
// from what was just baked into an error. That would be a bug in this
// package, but a wrong image must never be returned.
func selfCheck(cred []byte) func(*Baked, error) error {
	return func(b *Baked, err error) error {
		if err != nil {
			return fmt.Errorf("bake: internal error, baked image does not un-bake: %w", err)
		}
		if !bytes.Equal(b.Credential, cred) {
			return &Error{Format: b.Format, Err: ErrMalformed, Detail: "internal error: baked image un-bakes to a different credential"}
		}
		return nil
	}
}
