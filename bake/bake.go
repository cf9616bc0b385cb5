package bake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Format is the kind of image that carries a baked credential.
type Format string

// The image formats that Open Badges 3.0 allows for baking.
const (
	FormatPNG Format = "png"
	FormatSVG Format = "svg"
)

// Keyword is the PNG iTXt keyword that marks an Open Badges 3.0 credential.
const Keyword = "openbadgecredential"

// Namespace is the XML namespace of the <openbadges:credential> element in a
// baked SVG.
const Namespace = "https://purl.imsglobal.org/ob/v3p0"

// legacyKeyword and legacyNamespace mark an Open Badges 2.0 baked assertion,
// which this package recognises only to say clearly that it is not OB 3.0.
const (
	legacyKeyword   = "openbadges"
	legacyNamespace = "http://openbadges.org"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them (usually inside an *Error that says where and why), so callers can
// branch with errors.Is.
var (
	// ErrUnsupportedFormat means the input is neither a PNG nor an SVG image.
	// A caller that accepts "a credential or a baked image" can fall back to
	// parsing the input as JSON or a JWS when it sees this error.
	ErrUnsupportedFormat = errors.New("bake: not a PNG or SVG image")
	// ErrNotBaked means the image is well formed but carries no Open Badges
	// 3.0 credential.
	ErrNotBaked = errors.New("bake: image has no Open Badges 3.0 credential")
	// ErrLegacyBadge means the image carries an Open Badges 2.0 assertion
	// (PNG keyword "openbadges", SVG <openbadges:assertion>) and no OB 3.0
	// credential.
	ErrLegacyBadge = errors.New("bake: image has an Open Badges 2.0 assertion, not an Open Badges 3.0 credential")
	// ErrMultipleCredentials means the image carries more than one
	// credential, which the specification forbids: displayers that take the
	// first and those that take the last would show different badges.
	ErrMultipleCredentials = errors.New("bake: image has more than one credential")
	// ErrCompressed means the credential chunk uses compression, which the
	// specification forbids (and which would open the door to zip bombs).
	ErrCompressed = errors.New("bake: credential chunk is compressed")
	// ErrBadCRC means a PNG chunk's CRC does not match its contents.
	ErrBadCRC = errors.New("bake: PNG chunk CRC mismatch")
	// ErrTruncated means the image ends in the middle of a structure.
	ErrTruncated = errors.New("bake: image is truncated")
	// ErrTooLarge means the input exceeds one of the Limits.
	ErrTooLarge = errors.New("bake: input exceeds a limit")
	// ErrMalformed means the image is not well formed.
	ErrMalformed = errors.New("bake: malformed image")
	// ErrUnsafeXML means the SVG declares a DTD internal subset or entities,
	// which this package refuses rather than expands (billion laughs, XXE).
	ErrUnsafeXML = errors.New("bake: SVG declares entities or a DTD internal subset")
	// ErrInvalidCredential means the credential is neither a JSON object nor
	// a compact JWS.
	ErrInvalidCredential = errors.New("bake: credential is neither a JSON object nor a compact JWS")
	// ErrInvalidLimits means a Limits field is negative.
	ErrInvalidLimits = errors.New("bake: invalid limits")
)

// Error says why an image or credential was rejected: which sentinel, where
// in the input, and the detail. errors.Is(err, ErrXxx) matches Err.
type Error struct {
	Format Format // FormatPNG, FormatSVG, or "" before the format is known
	Where  string // position in the input, e.g. `chunk 12 "iTXt" at byte 84000`, or ""
	Err    error  // one of the sentinel errors
	Detail string // the reason, in words
}

// Error returns the sentinel's text, then the format and position, then the
// detail, e.g. `bake: PNG chunk CRC mismatch: png chunk 3 "iTXt" at byte 120:
// stored CRC ..., computed ...`.
func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Format != "" || e.Where != "" {
		s += ": "
		if e.Format != "" {
			s += string(e.Format)
			if e.Where != "" {
				s += " "
			}
		}
		s += e.Where
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// Default limits. They are generous for real badges (a badge image is
// typically tens of kilobytes, a credential a few) and small enough that a
// hostile input costs little memory and time.
const (
	DefaultMaxImageSize      = 16 << 20
	DefaultMaxCredentialSize = 4 << 20
	DefaultMaxChunks         = 10000
	DefaultMaxSVGDepth       = 256
	DefaultMaxSVGTokens      = 1 << 20
)

// Limits bounds the work done on an untrusted image. The zero value means
// the defaults above; a zero field means that field's default. Negative
// values are rejected with ErrInvalidLimits.
type Limits struct {
	// MaxImageSize is the largest image accepted, and the largest image
	// that baking will produce.
	MaxImageSize int
	// MaxCredentialSize is the largest credential text accepted in an image
	// (PNG chunk data or SVG element content) or given to PNG and SVG.
	MaxCredentialSize int
	// MaxChunks is the largest number of PNG chunks accepted.
	MaxChunks int
	// MaxSVGDepth is the deepest SVG element nesting accepted.
	MaxSVGDepth int
	// MaxSVGTokens is the largest number of XML tokens (elements, text
	// runs, comments...) accepted in an SVG.
	MaxSVGTokens int
}

// resolve fills in defaults and checks for negative values.
func (l Limits) resolve() (Limits, error) {
	fields := []struct {
		name string
		v    *int
		def  int
	}{
		{"MaxImageSize", &l.MaxImageSize, DefaultMaxImageSize},
		{"MaxCredentialSize", &l.MaxCredentialSize, DefaultMaxCredentialSize},
		{"MaxChunks", &l.MaxChunks, DefaultMaxChunks},
		{"MaxSVGDepth", &l.MaxSVGDepth, DefaultMaxSVGDepth},
		{"MaxSVGTokens", &l.MaxSVGTokens, DefaultMaxSVGTokens},
	}
	for _, f := range fields {
		switch {
		case *f.v < 0:
			return l, &Error{Err: ErrInvalidLimits, Detail: fmt.Sprintf("%s is negative (%d)", f.name, *f.v)}
		case *f.v == 0:
			*f.v = f.def
		}
	}
	return l, nil
}

// Baked is a credential taken out of an image.
type Baked struct {
	// Format is the image format the credential came from.
	Format Format
	// Credential is the credential text with surrounding white space
	// (space, tab, CR, LF) removed: a JSON object (embedded proof) or a
	// compact JWS (VC-JWT). It has not been verified.
	Credential []byte
	// IsJWS reports whether Credential is a compact JWS rather than JSON.
	IsJWS bool
}

// PNG bakes credential into a PNG image using the default Limits. See
// Limits.PNG.
func PNG(img, credential []byte) ([]byte, error) { return Limits{}.PNG(img, credential) }

// SVG bakes credential into an SVG image using the default Limits. See
// Limits.SVG.
func SVG(img, credential []byte) ([]byte, error) { return Limits{}.SVG(img, credential) }

// Bake bakes credential into img, which may be a PNG or an SVG image, using
// the default Limits. See Limits.Bake.
func Bake(img, credential []byte) ([]byte, Format, error) { return Limits{}.Bake(img, credential) }

// Unbake takes the credential out of a baked PNG or SVG image using the
// default Limits. See Limits.Unbake.
func Unbake(img []byte) (*Baked, error) { return Limits{}.Unbake(img) }

// Bake bakes credential into img after detecting whether img is a PNG or an
// SVG image. It returns ErrUnsupportedFormat for anything else.
func (l Limits) Bake(img, credential []byte) ([]byte, Format, error) {
	switch Detect(img) {
	case FormatPNG:
		out, err := l.PNG(img, credential)
		return out, FormatPNG, err
	case FormatSVG:
		out, err := l.SVG(img, credential)
		return out, FormatSVG, err
	}
	return nil, "", &Error{Err: ErrUnsupportedFormat, Detail: "input starts with neither the PNG signature nor an <svg> element"}
}

// Unbake takes the credential out of a baked PNG or SVG image, detecting the
// format from the content (never from a file name). The whole image is
// checked: every PNG chunk's length and CRC, every SVG token. The image must
// carry exactly one Open Badges 3.0 credential, and it must be a JSON object
// or a compact JWS.
//
// Unbake returns ErrUnsupportedFormat when img is neither a PNG nor an SVG
// image, so that a caller can fall back to treating img as a bare
// credential.
func (l Limits) Unbake(img []byte) (*Baked, error) {
	switch Detect(img) {
	case FormatPNG:
		return l.UnbakePNG(img)
	case FormatSVG:
		return l.UnbakeSVG(img)
	}
	return nil, &Error{Err: ErrUnsupportedFormat, Detail: "input starts with neither the PNG signature nor an <svg> element"}
}

// IsImage reports whether data looks like a PNG or SVG image, judging only
// from its first bytes. It is cheap and never fails; Unbake does the real
// checks.
func IsImage(data []byte) bool { return Detect(data) != "" }

// Detect returns FormatPNG if data starts with the PNG signature, FormatSVG
// if its first element (after an optional byte order mark, XML declaration,
// comments and DOCTYPE) is <svg>, and "" otherwise.
func Detect(data []byte) Format {
	if bytes.HasPrefix(data, pngSignature) {
		return FormatPNG
	}
	if sniffSVG(data) {
		return FormatSVG
	}
	return ""
}

// classify checks that text is a JSON object or a compact JWS, after
// trimming white space, and returns the trimmed text.
func classify(text []byte) (cred []byte, isJWS bool, detail string) {
	// Only the white space JSON and XML agree on: a credential padded with,
	// say, U+00A0 is not what the issuer signed.
	t := bytes.Trim(text, " \t\r\n")
	if len(t) == 0 {
		return nil, false, "credential is empty"
	}
	if !utf8.Valid(t) {
		return nil, false, "credential is not valid UTF-8"
	}
	if t[0] == '{' {
		if !json.Valid(t) {
			return nil, false, "credential starts with '{' but is not valid JSON"
		}
		return t, false, ""
	}
	if d := checkCompactJWS(t); d != "" {
		return nil, false, d
	}
	return t, true, ""
}

// checkCompactJWS checks the shape of a compact JWS: three base64url
// segments without padding, a header that decodes to a JSON object, and a
// non-empty payload and signature. It does not verify anything.
func checkCompactJWS(t []byte) string {
	parts := bytes.Split(t, []byte{'.'})
	if len(parts) != 3 {
		return fmt.Sprintf("credential is not JSON, and not a compact JWS either (%d dot-separated segments, want 3)", len(parts))
	}
	names := [3]string{"header", "payload", "signature"}
	var header []byte
	for i, p := range parts {
		if len(p) == 0 {
			return "compact JWS has an empty " + names[i]
		}
		dec, err := base64.RawURLEncoding.DecodeString(string(p))
		if err != nil {
			return fmt.Sprintf("compact JWS %s is not unpadded base64url: %v", names[i], err)
		}
		if i == 0 {
			header = dec
		}
	}
	if len(header) == 0 || header[0] != '{' || !json.Valid(header) {
		return "compact JWS header is not a JSON object"
	}
	return ""
}

// checkCredential validates a credential given to PNG or SVG and returns it
// trimmed.
func checkCredential(l Limits, f Format, credential []byte) ([]byte, bool, error) {
	if len(credential) > l.MaxCredentialSize {
		return nil, false, &Error{Format: f, Err: ErrTooLarge, Detail: fmt.Sprintf("credential is %d bytes, limit %d", len(credential), l.MaxCredentialSize)}
	}
	cred, isJWS, d := classify(credential)
	if d != "" {
		return nil, false, &Error{Format: f, Err: ErrInvalidCredential, Detail: d}
	}
	return cred, isJWS, nil
}
