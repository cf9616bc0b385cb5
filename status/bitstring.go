package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
)

// MinEntries is the smallest number of entries a status list may have
// (Bitstring Status List §3.2 step 2, "minimumNumberOfEntries"): 131,072,
// 16 KiB of bits at one bit per entry, so that an index says little about
// its holder (herd privacy). Lists are created at least this long; the
// Checker reports a shorter list with ErrListLength, as an error or, when
// the list says good standing, as StatusNonconformant.
const MinEntries = 131072

// DefaultMaxListBytes bounds the expanded bitstring when a Checker or
// DecodeList is given no bound: 16 MiB, 134 million one-bit entries.
// Anything that inflates beyond it is rejected as a gzip bomb.
const DefaultMaxListBytes = 16 << 20

// MaxStatusSize is the largest statusSize accepted (8 bits, 256 messages).
// The specification sets no upper bound; statusMessage must then have
// 2^statusSize entries, so large sizes are unusable anyway.
const MaxStatusSize = 8

// Bitstring is an uncompressed status list: entry i of a list with status
// size s occupies bits i·s … i·s+s−1, bit 0 being the left-most (most
// significant) bit of the first byte (Bitstring Status List §2.2, §7.1).
// The zero value is an empty list. A Bitstring is not safe for concurrent
// modification.
type Bitstring struct {
	bits []byte
}

// NewBitstring returns an all-zero bitstring of entries × size bits. It
// returns ErrConfig if entries is below MinEntries, size is not within
// 1…MaxStatusSize, or the bits do not fill whole bytes.
func NewBitstring(entries, size int) (*Bitstring, error) {
	if size < 1 || size > MaxStatusSize {
		return nil, fieldErr(ErrConfig, "statusSize", "must be 1 to %d, got %d", MaxStatusSize, size)
	}
	if entries < MinEntries {
		return nil, fieldErr(ErrConfig, "length", "at least %d entries are required, got %d", MinEntries, entries)
	}
	if entries > DefaultMaxListBytes*8/size {
		return nil, fieldErr(ErrConfig, "length", "at most %d entries of %d bits are supported", DefaultMaxListBytes*8/size, size)
	}
	if entries*size%8 != 0 {
		return nil, fieldErr(ErrConfig, "length", "entries × statusSize must be a multiple of 8")
	}
	return &Bitstring{bits: make([]byte, entries*size/8)}, nil
}

// BitstringFromBytes wraps b (not copied) as a bitstring.
func BitstringFromBytes(b []byte) *Bitstring { return &Bitstring{bits: b} }

// Bytes returns the bits, most significant bit first. The slice is shared.
func (b *Bitstring) Bytes() []byte { return b.bits }

// Len returns the length in bits.
func (b *Bitstring) Len() int { return len(b.bits) * 8 }

// Entries returns how many entries of size bits the bitstring holds.
func (b *Bitstring) Entries(size int) int {
	if size < 1 {
		return 0
	}
	return b.Len() / size
}

// Get returns the value of entry index of size bits (most significant bit
// first). It returns ErrRange if the entry lies outside the bitstring, and
// ErrMalformed if size is out of 1…MaxStatusSize.
func (b *Bitstring) Get(index uint64, size int) (uint64, error) {
	start, err := b.position(index, size)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := start; i < start+uint64(size); i++ {
		v = v<<1 | uint64(b.bits[i/8]>>(7-i%8)&1)
	}
	return v, nil
}

// Set sets entry index of size bits to value.
func (b *Bitstring) Set(index uint64, size int, value uint64) error {
	start, err := b.position(index, size)
	if err != nil {
		return err
	}
	if value >= 1<<size {
		return fieldErr(ErrRange, "value", "%d does not fit in %d bits", value, size)
	}
	for i := uint64(0); i < uint64(size); i++ {
		bit := start + i
		mask := byte(1) << (7 - bit%8)
		if value>>(uint64(size)-1-i)&1 == 1 {
			b.bits[bit/8] |= mask
		} else {
			b.bits[bit/8] &^= mask
		}
	}
	return nil
}

func (b *Bitstring) position(index uint64, size int) (uint64, error) {
	if size < 1 || size > MaxStatusSize {
		return 0, fieldErr(ErrMalformed, "statusSize", "must be 1 to %d, got %d", MaxStatusSize, size)
	}
	n := uint64(b.Len()) / uint64(size)
	if index >= n {
		return 0, fieldErr(ErrRange, "statusListIndex", "index %d is outside a list of %d entries", index, n)
	}
	return index * uint64(size), nil
}

// Encode returns the encodedList form of Bitstring Status List §3.3: GZIP,
// then multibase base64url without padding (the "u" prefix).
func (b *Bitstring) Encode() string {
	return "u" + base64.RawURLEncoding.EncodeToString(gzipBytes(b.bits))
}

// EncodeStatusList2021 returns the encodedList form of StatusList2021:
// GZIP, then base64url without padding and without a multibase prefix.
func (b *Bitstring) EncodeStatusList2021() string {
	return base64.RawURLEncoding.EncodeToString(gzipBytes(b.bits))
}

func gzipBytes(p []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(p)                                              // writes to a bytes.Buffer do not fail
	zw.Close()
	return buf.Bytes()
}

// DecodeList expands a Bitstring Status List encodedList (Bitstring
// Expansion Algorithm, §3.4): the "u" multibase prefix, base64url without
// padding, then one GZIP member, inflated to at most maxBytes (0 means
// DefaultMaxListBytes). It does not check the minimum length; see
// CheckLength.
func DecodeList(encoded string, maxBytes int) (*Bitstring, error) {
	const field = "encodedList"
	rest, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return nil, fieldErr(ErrMalformed, field, "must be multibase base64url (start with \"u\")")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil {
		return nil, &FieldError{Field: field, Kind: ErrMalformed, Reason: "not base64url without padding", Err: err}
	}
	return gunzip(raw, maxBytes, field)
}

// DecodeStatusList2021 expands a StatusList2021 encodedList: base64url
// (the 2021 report's examples; padding tolerated) of one GZIP member.
// Lists written with standard base64 or a multibase "u" prefix, both seen
// in the wild, are read too: the alphabets do not overlap ambiguously,
// and a "u" cannot begin the base64 of a GZIP header ("H4sI").
func DecodeStatusList2021(encoded string, maxBytes int) (*Bitstring, error) {
	const field = "encodedList"
	s := strings.TrimPrefix(encoded, "u")
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, &FieldError{Field: field, Kind: ErrMalformed, Reason: "not base64", Err: err}
	}
	return gunzip(raw, maxBytes, field)
}

func gunzip(raw []byte, maxBytes int, field string) (*Bitstring, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxListBytes
	}
	src := bytes.NewReader(raw)
	zr, err := gzip.NewReader(src)
	if err != nil {
		return nil, &FieldError{Field: field, Kind: ErrMalformed, Reason: "not GZIP", Err: err}
	}
	zr.Multistream(false)
	// Read one byte more than allowed to tell "exactly maxBytes" from
	// "more": the bound, not the input, decides how much is inflated.
	out, err := io.ReadAll(io.LimitReader(zr, int64(maxBytes)+1))
	if err != nil {
		return nil, &FieldError{Field: field, Kind: ErrMalformed, Reason: "corrupt GZIP data", Err: err}
	}
	if len(out) > maxBytes {
		return nil, fieldErr(ErrTooLarge, field, "expands beyond %d bytes", maxBytes)
	}
	if src.Len() != 0 {
		return nil, fieldErr(ErrMalformed, field, "data after the GZIP member")
	}
	return &Bitstring{bits: out}, nil
}

// CheckLength returns ErrListLength if b holds fewer than MinEntries entries
// of size bits (Bitstring Status List §3.2 step 9).
func (b *Bitstring) CheckLength(size int) error {
	if size < 1 {
		return fieldErr(ErrMalformed, "statusSize", "must be at least 1")
	}
	if n := b.Entries(size); n < MinEntries {
		return fieldErr(ErrListLength, "encodedList", "%d entries of %d bits, at least %d required", n, size, MinEntries)
	}
	return nil
}
