package did

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/microcred/openbadges/internal/strictjson"
)

// maxJSONDepth bounds nesting in documents and JWKs: DID documents are
// shallow, and deep nesting only costs stack and time.
const maxJSONDepth = 32

// checkStrictJSON rejects input that encoding/json would accept but read
// ambiguously: invalid UTF-8 and escaped lone surrogates (silently replaced by
// U+FFFD, so different bytes would read the same), duplicate member names at
// any level (last one wins in Go, first one elsewhere), nesting deeper than
// maxJSONDepth, and trailing data after the value. Member names are compared
// exactly; this package reads members from maps by exact name, so case
// variants ("ID" beside "id") are ignored, never confused.
func checkStrictJSON(data []byte) error {
	_, err := strictjson.Decode(data, strictjson.Options{MaxBytes: MaxDocumentSize, MaxDepth: maxJSONDepth})
	return err
}

// decodeObject checks data strictly and decodes it as a JSON object whose
// members are kept raw, so that callers read members by exact name.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	if err := checkStrictJSON(data); err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// getString reads an optional string member. A member that is present but
// not a string is an error (never silently treated as absent).
func getString(m map[string]json.RawMessage, name string) (string, bool, error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || (len(raw) > 0 && raw[0] != '"') {
		return "", true, fmt.Errorf("member %q is not a string", name)
	}
	return s, true, nil
}
