// Package related checks the digests of a credential's relatedResource
// entries (VC Data Model 2.0, section 5.3) against a resource's bytes. The
// verifier and the issuer share it: the verifier checks the resources it
// loads, the issuer refuses to sign a digest that does not match a resource
// it can resolve offline.
package related

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/multiformats/go-multibase"
)

var (
	// ErrMismatch: a digest does not match the resource's bytes.
	ErrMismatch = errors.New("relatedResource digest mismatch")
	// ErrMalformed: a digest cannot be read.
	ErrMalformed = errors.New("relatedResource digest malformed")
)

// MismatchError is a digest that does not match the resource: which
// resource, which member (digestSRI or digestMultibase), the digest given
// and the one computed from the resource's bytes, in the same encoding.
type MismatchError struct {
	ID       string
	Member   string
	Given    string
	Computed string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: %s: %v: given %s, computed %s", e.ID, e.Member, ErrMismatch, e.Given, e.Computed)
}

// Unwrap returns ErrMismatch.
func (e *MismatchError) Unwrap() error { return ErrMismatch }

// Check compares every digest given for rr with data. A digest that does
// not match is a *MismatchError; one that cannot be read wraps
// ErrMalformed.
func Check[S string | []byte](rr credential.RelatedResource, data S) error {
	if rr.DigestSRI != "" {
		if computed, err := checkSRI(rr.DigestSRI, data); err != nil {
			if errors.Is(err, ErrMismatch) {
				return &MismatchError{ID: rr.ID, Member: "digestSRI", Given: rr.DigestSRI, Computed: computed}
			}
			return fmt.Errorf("%s: digestSRI: %w", rr.ID, err)
		}
	}
	if rr.DigestMultibase != "" {
		if computed, err := checkMultibase(rr.DigestMultibase, data); err != nil {
			if errors.Is(err, ErrMismatch) {
				return &MismatchError{ID: rr.ID, Member: "digestMultibase", Given: rr.DigestMultibase, Computed: computed}
			}
			return fmt.Errorf("%s: digestMultibase: %w", rr.ID, err)
		}
	}
	return nil
}

// checkSRI checks a Subresource Integrity value: "sha256-", "sha384-" or
// "sha512-" and the base64 digest. Several space-separated values are
// allowed, as in SRI; the strongest algorithm given must match. On a
// mismatch it returns the computed value, in SRI form.
func checkSRI[S string | []byte](sri string, data S) (string, error) {
	best, bestRank, bestAlg := []string(nil), 0, ""
	for _, tok := range strings.Fields(sri) {
		alg, val, ok := strings.Cut(tok, "-")
		if !ok {
			return "", fmt.Errorf("%w: %q", ErrMalformed, tok)
		}
		if i := strings.IndexByte(val, '?'); i >= 0 { // SRI options
			val = val[:i]
		}
		rank := map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}[alg]
		if rank == 0 {
			return "", fmt.Errorf("%w: unsupported algorithm %q", ErrMalformed, alg)
		}
		switch {
		case rank > bestRank:
			best, bestRank, bestAlg = []string{val}, rank, alg
		case rank == bestRank:
			best = append(best, val)
		}
	}
	if bestRank == 0 {
		return "", fmt.Errorf("%w: empty", ErrMalformed)
	}
	h := [...]func() hash.Hash{nil, sha256.New, sha512.New384, sha512.New}[bestRank]()
	write(h, data)
	sum := h.Sum(nil)
	for _, val := range best {
		want, err := base64.StdEncoding.DecodeString(val)
		if err != nil {
			return "", fmt.Errorf("%w: not base64: %q", ErrMalformed, val)
		}
		if subtle.ConstantTimeCompare(want, sum) == 1 {
			return "", nil
		}
	}
	return bestAlg + "-" + base64.StdEncoding.EncodeToString(sum), ErrMismatch
}

// checkMultibase checks a multibase-encoded multihash (sha2-256, sha2-384
// or sha2-512). On a mismatch it returns the computed multihash, in the
// given value's base.
func checkMultibase[S string | []byte](mb string, data S) (string, error) {
	enc, raw, err := multibase.Decode(mb)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(raw) < 2 {
		return "", fmt.Errorf("%w: too short", ErrMalformed)
	}
	var h hash.Hash
	switch raw[0] {
	case 0x12:
		h = sha256.New()
	case 0x20:
		h = sha512.New384()
	case 0x13:
		h = sha512.New()
	default:
		return "", fmt.Errorf("%w: unsupported multihash code 0x%x", ErrMalformed, raw[0])
	}
	if int(raw[1]) != h.Size() || len(raw) != 2+h.Size() {
		return "", fmt.Errorf("%w: wrong digest length", ErrMalformed)
	}
	write(h, data)
	sum := h.Sum(nil)
	if subtle.ConstantTimeCompare(raw[2:], sum) != 1 {
		computed, err := multibase.Encode(enc, append([]byte{raw[0], raw[1]}, sum...))
		if err != nil {
			computed = fmt.Sprintf("%x", sum)
		}
		return computed, ErrMismatch
	}
	return "", nil
}

// Contexts returns every context URL used anywhere in doc (top-level and
// embedded @context values, such as those of endorsements).
func Contexts(doc strictjson.Value) map[string]bool {
	out := map[string]bool{}
	collectContexts(doc, out, 0)
	return out
}

func collectContexts(v strictjson.Value, out map[string]bool, depth int) {
	if depth > 64 {
		return
	}
	switch v.Kind() {
	case strictjson.Object:
		for k, val := range v.Members() {
			if k == "@context" {
				addContexts(val, out)
				continue
			}
			collectContexts(val, out, depth+1)
		}
	case strictjson.Array:
		for _, e := range v.Elements() {
			collectContexts(e, out, depth+1)
		}
	}
}

func addContexts(v strictjson.Value, out map[string]bool) {
	switch v.Kind() {
	case strictjson.String:
		out[v.Str()] = true
	case strictjson.Array:
		for _, e := range v.Elements() {
			if e.Kind() == strictjson.String {
				out[e.Str()] = true
			}
		}
	}
}

// write writes data to h, a string without copying it whole.
func write[S string | []byte](h hash.Hash, data S) {
	if b, ok := any(data).([]byte); ok {
		h.Write(b)
		return
	}
	var buf [1024]byte
	for len(data) > 0 {
		n := copy(buf[:], data)
		h.Write(buf[:n])
		data = data[n:]
	}
}
