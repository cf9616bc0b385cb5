// Package bake puts an Open Badges 3.0 credential into a PNG or SVG image
// ("baking") and takes it out again ("un-baking"), as the "Baked Badge"
// section of the Open Badges 3.0 specification (Open Badges Document
// Formats) describes.
//
// A baked PNG carries the credential in one uncompressed iTXt chunk with the
// keyword "openbadgecredential". A baked SVG declares the namespace
// https://purl.imsglobal.org/ob/v3p0 (prefix openbadges) on its root element
// and holds one <openbadges:credential> element: a VC-JWT compact JWS in its
// verify attribute, or the JSON credential (embedded proof) in a CDATA
// section.
//
//	baked, err := bake.PNG(img, credential)  // or bake.SVG, or bake.Bake to detect
//	b, err := bake.Unbake(baked)            // b.Format, b.Credential, b.IsJWS
//
// Un-baking does not verify the credential; pass b.Credential to the
// verifier. A caller that accepts either a credential or a baked image can
// call Unbake and fall back to the raw input when the error is
// ErrUnsupportedFormat, or test first with IsImage.
//
// # Security model
//
// Images come from anyone, so every image is treated as hostile:
//
//   - Everything is bounded by Limits, whose zero value is safe: image size,
//     credential size, number of PNG chunks, SVG nesting depth and number of
//     XML tokens. Work is linear in the input size.
//   - PNG: the whole chunk stream is checked (signature, every length
//     against the remaining bytes and the PNG maximum, every CRC, IHDR first,
//     IEND last, nothing after it). Pixel data is never decompressed or
//     decoded. A compressed credential chunk is refused (ErrCompressed)
//     rather than inflated, and so is a credential keyword in a tEXt or zTXt
//     chunk.
//   - SVG: parsed with encoding/xml in strict mode, which expands only the
//     five predefined entities and never loads a DTD, an external entity or
//     any other resource. A DOCTYPE with an internal subset or entity
//     declarations is refused (ErrUnsafeXML) rather than ignored, so that a
//     later, less careful tool never sees a "valid" billion-laughs badge. A
//     DOCTYPE that only names an external DTD (as the common SVG 1.1 DOCTYPE
//     does) is allowed and never fetched. Only UTF-8 is accepted.
//   - Exactly one credential: two credential chunks or elements are refused
//     (ErrMultipleCredentials) instead of taking the first, because
//     displayers that take the last one would show a different badge. For
//     the same reason the SVG verify attribute and element content may not
//     both be present.
//   - The credential must be a JSON object or a compact JWS (three base64url
//     segments whose header is a JSON object); anything else is refused with
//     ErrInvalidCredential. An Open Badges 2.0 assertion alone is reported as
//     ErrLegacyBadge, not accepted.
//   - Baking copies the rest of the image byte for byte and un-bakes its own
//     output before returning it.
//
// Every error wraps one sentinel (test with errors.Is) and is usually an
// *Error saying where in the image and why.
package bake
