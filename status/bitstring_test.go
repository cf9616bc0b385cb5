package status_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/microcred/openbadges/status"
)

// specExampleList is the encodedList of Bitstring Status List v1.0 (W3C
// Recommendation), §2.2 Example 3: an empty list of 131,072 entries.
const specExampleList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

func TestDecodeListSpecExample(t *testing.T) {
	bs, err := status.DecodeList(specExampleList, 0)
	if err != nil {
		t.Fatal(err)
	}
	if bs.Len() != status.MinEntries {
		t.Fatalf("length %d bits, want %d", bs.Len(), status.MinEntries)
	}
	if !bytes.Equal(bs.Bytes(), make([]byte, status.MinEntries/8)) {
		t.Fatal("the spec's example list is not all zeros")
	}
	if err := bs.CheckLength(1); err != nil {
		t.Fatal(err)
	}
	// With 2-bit entries the same list holds only 65,536: too short.
	if err := bs.CheckLength(2); !errors.Is(err, status.ErrListLength) {
		t.Fatalf("CheckLength(2) = %v, want ErrListLength", err)
	}
}

// The 1EdTech validator's bit-string-list/testlist has exactly bit 23 set,
// the index its credential-status-revoked.json fixtures use.
func TestDecodeList1EdTechTestlist(t *testing.T) {
	doc := decode(t, readShared(t, "vectors/1edtech-validator/ob30/bit-string-list/testlist"))
	enc := doc["credentialSubject"].(map[string]any)["encodedList"].(string)
	bs, err := status.DecodeList(enc, 0)
	if err != nil {
		t.Fatal(err)
	}
	var set []int
	for i := range bs.Len() {
		if v, _ := bs.Get(uint64(i), 1); v == 1 {
			set = append(set, i)
		}
	}
	if len(set) != 1 || set[0] != 23 {
		t.Fatalf("set bits %v, want [23]", set)
	}
}

func TestBitOrder(t *testing.T) {
	bs, err := status.NewBitstring(status.MinEntries, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Index 0 is the left-most (most significant) bit of the first byte.
	must(t, bs.Set(0, 1, 1))
	must(t, bs.Set(9, 1, 1))
	if got := bs.Bytes()[:2]; got[0] != 0x80 || got[1] != 0x40 {
		t.Fatalf("bytes % x, want 80 40", got)
	}
	must(t, bs.Set(0, 1, 0))
	if bs.Bytes()[0] != 0 {
		t.Fatal("clearing bit 0 failed")
	}
}

func TestMultiBitEntries(t *testing.T) {
	for size := 1; size <= status.MaxStatusSize; size++ {
		bs, err := status.NewBitstring(status.MinEntries, size)
		if err != nil {
			t.Fatal(err)
		}
		max := uint64(1)<<size - 1
		for _, idx := range []uint64{0, 1, 7, 12345, status.MinEntries - 1} {
			v := (idx*2654435761 + 1) & max
			must(t, bs.Set(idx, size, v))
			got, err := bs.Get(idx, size)
			if err != nil || got != v {
				t.Fatalf("size %d index %d: Get = %d, %v; want %d", size, idx, got, err, v)
			}
		}
		// Most significant bit first: value 1 of entry 0 is bit size-1.
		bs2, _ := status.NewBitstring(status.MinEntries, size)
		must(t, bs2.Set(0, size, 1))
		if v, _ := bs2.Get(uint64(size-1), 1); v != 1 {
			t.Fatalf("size %d: value 1 is not in the last bit of the entry", size)
		}
		if err := bs.Set(0, size, max+1); !errors.Is(err, status.ErrRange) {
			t.Fatalf("size %d: oversized value: %v", size, err)
		}
		if _, err := bs.Get(status.MinEntries, size); !errors.Is(err, status.ErrRange) {
			t.Fatalf("size %d: index past the end: %v", size, err)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	bs, _ := status.NewBitstring(status.MinEntries*2, 1)
	for _, i := range []uint64{0, 5, 99999, 2*status.MinEntries - 1} {
		must(t, bs.Set(i, 1, 1))
	}
	enc := bs.Encode()
	if !strings.HasPrefix(enc, "uH4sI") || strings.ContainsAny(enc, "=+/") {
		t.Fatalf("encoding %.20q… is not multibase base64url of GZIP without padding", enc)
	}
	got, err := status.DecodeList(enc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), bs.Bytes()) {
		t.Fatal("round trip changed the bits")
	}
	got21, err := status.DecodeStatusList2021(bs.EncodeStatusList2021(), 0)
	if err != nil || !bytes.Equal(got21.Bytes(), bs.Bytes()) {
		t.Fatalf("StatusList2021 round trip: %v", err)
	}
}

func gz(p []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

func TestDecodeListRejects(t *testing.T) {
	good := gz(make([]byte, 16384))
	b64 := base64.RawURLEncoding.EncodeToString(good)
	// A list whose base64url text has '-' or '_', so that the standard
	// alphabet differs.
	stdAlphabet := base64.RawURLEncoding.EncodeToString(gz(bytes.Repeat([]byte{0xfb, 0xff, 0x3e}, 6000)))
	if !strings.ContainsAny(stdAlphabet, "-_") || len(b64)%4 == 0 {
		t.Fatal("test inputs do not exercise the alphabet and padding cases")
	}
	bomb := "u" + base64.RawURLEncoding.EncodeToString(gz(make([]byte, 4<<20)))
	cases := []struct {
		name, enc string
		max       int
		want      error
	}{
		{"no multibase prefix", b64, 0, status.ErrMalformed},
		{"base58btc prefix", "z" + b64, 0, status.ErrMalformed},
		{"padding", "u" + b64 + strings.Repeat("=", 4-len(b64)%4), 0, status.ErrMalformed},
		{"standard alphabet", "u" + strings.NewReplacer("-", "+", "_", "/").Replace(stdAlphabet), 0, status.ErrMalformed},
		{"not gzip", "u" + base64.RawURLEncoding.EncodeToString([]byte("plain bytes, not compressed")), 0, status.ErrMalformed},
		{"truncated gzip", "u" + base64.RawURLEncoding.EncodeToString(good[:len(good)-4]), 0, status.ErrMalformed},
		{"trailing data", "u" + base64.RawURLEncoding.EncodeToString(append(append([]byte{}, good...), 0)), 0, status.ErrMalformed},
		{"second gzip member", "u" + base64.RawURLEncoding.EncodeToString(append(append([]byte{}, good...), good...)), 0, status.ErrMalformed},
		{"gzip bomb", bomb, 1 << 20, status.ErrTooLarge},
		{"empty", "", 0, status.ErrMalformed},
		{"only prefix", "u", 0, status.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := status.DecodeList(c.enc, c.max)
			if !errors.Is(err, c.want) {
				t.Fatalf("DecodeList = %v, want %v", err, c.want)
			}
		})
	}
	// Exactly at the bound is accepted.
	if _, err := status.DecodeList(bomb, 4<<20); err != nil {
		t.Fatalf("list of exactly MaxListBytes: %v", err)
	}
}

func TestDecodeStatusList2021Variants(t *testing.T) {
	raw := gz(bytes.Repeat([]byte{0xfb, 0xef}, 8192))
	for name, enc := range map[string]string{
		"base64url":        base64.RawURLEncoding.EncodeToString(raw),
		"base64url padded": base64.URLEncoding.EncodeToString(raw),
		"base64 standard":  base64.StdEncoding.EncodeToString(raw),
		"multibase":        "u" + base64.RawURLEncoding.EncodeToString(raw),
	} {
		bs, err := status.DecodeStatusList2021(enc, 0)
		if err != nil || bs.Len() != 131072 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := status.DecodeStatusList2021("!!!", 0); !errors.Is(err, status.ErrMalformed) {
		t.Errorf("garbage: %v", err)
	}
}

func TestNewBitstringLimits(t *testing.T) {
	for _, c := range []struct{ entries, size int }{
		{status.MinEntries - 8, 1}, {status.MinEntries, 0}, {status.MinEntries, 9}, {status.MinEntries + 1, 1},
	} {
		if _, err := status.NewBitstring(c.entries, c.size); !errors.Is(err, status.ErrConfig) {
			t.Errorf("NewBitstring(%d, %d) = %v, want ErrConfig", c.entries, c.size, err)
		}
	}
}

// FuzzDecodeList checks that decoding arbitrary input never panics, stays
// within its bound (gzip bombs), and that what decodes re-encodes to a list
// that decodes to the same bits.
func FuzzDecodeList(f *testing.F) {
	f.Add(specExampleList)
	f.Add("u" + base64.RawURLEncoding.EncodeToString(gz([]byte{1, 2, 3})))
	f.Add("u" + base64.RawURLEncoding.EncodeToString(gz(make([]byte, 1<<17))))
	f.Add("uH4sI")
	f.Add("")
	f.Add("u====")
	const max = 1 << 16
	f.Fuzz(func(t *testing.T, enc string) {
		bs, err := status.DecodeList(enc, max)
		bs21, err21 := status.DecodeStatusList2021(enc, max)
		if err21 == nil && len(bs21.Bytes()) > max {
			t.Fatalf("StatusList2021 decoded %d bytes past the bound", len(bs21.Bytes()))
		}
		if err != nil {
			var fe *status.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			return
		}
		if len(bs.Bytes()) > max {
			t.Fatalf("decoded %d bytes past the bound", len(bs.Bytes()))
		}
		again, err := status.DecodeList(bs.Encode(), max)
		if err != nil || !bytes.Equal(again.Bytes(), bs.Bytes()) {
			t.Fatalf("re-encoding does not round trip: %v", err)
		}
		_ = bs.CheckLength(1)
		_, _ = bs.Get(uint64(len(enc)), 3)
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The encodedList of the StatusList2021 report's example list credential
// (w3c-ccg/vc-status-list-2021): base64url without a multibase prefix, an
// empty 16 KiB list.
func TestDecodeStatusList2021Example(t *testing.T) {
	bs, err := status.DecodeStatusList2021("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", 0)
	if err != nil {
		t.Fatal(err)
	}
	if bs.Len() != status.MinEntries || !bytes.Equal(bs.Bytes(), make([]byte, status.MinEntries/8)) {
		t.Fatalf("%d bits, want %d zero bits", bs.Len(), status.MinEntries)
	}
	// Without its multibase prefix, the same text is not a Bitstring Status List encodedList.
	if _, err := status.DecodeList("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", 0); !errors.Is(err, status.ErrMalformed) {
		t.Fatalf("DecodeList without prefix: %v", err)
	}
}
