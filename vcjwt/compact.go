package vcjwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/microcred/openbadges/internal/strictjson"
)

// b64 is base64url without padding that also rejects non-zero trailing bits,
// so that each byte string has exactly one accepted encoding.
var b64 = base64.RawURLEncoding.Strict()

// Size limits. The header holds at most a JWK (an 8192-bit RSA key is about
// 1.5 KB) and a few short strings.
const (
	// DefaultMaxTokenSize bounds a token when VerifyOptions.MaxTokenSize is zero.
	DefaultMaxTokenSize = 1 << 20
	maxHeaderSize       = 16 << 10
)

// IsCompactJWS reports whether data looks like a JWS in compact serialization:
// three segments of the base64url alphabet separated by dots (only the last,
// the signature, may be empty, as in an unsecured token that Verify then
// refuses), with nothing else (no white space), whose first segment decodes
// to a JSON object.
// It does not verify anything and does no more work than reading data once;
// a verifier uses it to tell a VC-JWT from a JSON credential before calling
// Verify. Callers reading tokens from files should trim the white space
// around them first (bytes.TrimSpace): Verify accepts no white space.
func IsCompactJWS(data []byte) bool {
	if len(data) == 0 || !isB64(data[0]) {
		return false // JSON, at once: no error built for it
	}
	segs, err := split(data)
	if err != nil {
		return false
	}
	raw, err := b64.DecodeString(string(segs[0]))
	if err != nil {
		return false
	}
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{' && json.Valid(raw)
}

// split cuts a compact JWS into its three segments, checking the alphabet.
func split(data []byte) ([3][]byte, error) {
	var segs [3][]byte
	n, start := 0, 0
	for i := 0; i <= len(data); i++ {
		if i < len(data) {
			c := data[i]
			if isB64(c) {
				continue
			}
			if c != '.' {
				return segs, newError(ErrMalformed, "token", fmt.Sprintf("byte %#02x at offset %d is not base64url or '.'", c, i))
			}
		}
		if n == 3 {
			return segs, newError(ErrMalformed, "token", "more than three segments")
		}
		// An empty signature is left for the caller to refuse after reading
		// alg, so that an unsecured token ("alg":"none") is reported as such.
		if i == start && n != 2 {
			return segs, newError(ErrMalformed, "token", fmt.Sprintf("segment %d is empty", n+1))
		}
		segs[n] = data[start:i]
		n++
		start = i + 1
	}
	if n != 3 {
		return segs, newError(ErrMalformed, "token", fmt.Sprintf("%d segments, a compact JWS has 3", n))
	}
	return segs, nil
}

func isB64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// decodeSegment decodes one canonical base64url segment.
func decodeSegment(seg []byte, field string) ([]byte, error) {
	out := make([]byte, b64.DecodedLen(len(seg)))
	n, err := b64.Decode(out, seg)
	if err != nil {
		return nil, wrapError(ErrMalformed, field, "not canonical base64url", err)
	}
	return out[:n], nil
}

// decodeObject decodes a JSON object strictly (valid UTF-8, no duplicate
// members, bounded) and also returns each member's raw JSON, so that values
// can be passed on byte for byte.
func decodeObject(data []byte, field string, maxBytes int) (map[string]any, map[string]json.RawMessage, []string, error) {
	v, err := strictjson.Decode(data, strictjson.Options{MaxBytes: maxBytes})
	if err != nil {
		return nil, nil, nil, wrapError(ErrMalformed, field, "not strict JSON", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, nil, newError(ErrMalformed, field, "not a JSON object")
	}
	raw, order, err := rawMembers(data)
	if err != nil {
		return nil, nil, nil, wrapError(ErrMalformed, field, "not a JSON object", err)
	}
	return m, raw, order, nil
}

// rawMembers returns the members of a JSON object (already checked by
// strictjson, so without duplicates) as raw JSON, and their names in order.
func rawMembers(data []byte) (map[string]json.RawMessage, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("expected an object")
	}
	raw := make(map[string]json.RawMessage)
	var order []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, ok := t.(string)
		if !ok {
			return nil, nil, fmt.Errorf("expected a member name")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		raw[name] = v
		order = append(order, name)
	}
	return raw, order, nil
}

// buildObject writes a JSON object with the given members, in order.
func buildObject(names []string, raw map[string]json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := marshal(name)
		b.Write(k)
		b.WriteByte(':')
		b.Write(raw[name])
	}
	b.WriteByte('}')
	return b.Bytes()
}
