package jcs

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingJSON is how encoding/json writes s, without its HTML escaping.
func encodingJSON(t *testing.T, s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

var stringSeeds = []string{
	"", "plain", `"quoted" and \backslash\`, "\b\f\n\r\t\x00\x1f\x7f",
	"line\u2028separator\u2029paragraph", "\xff invalid \xc3", "\xed\xa0\x80 lone surrogate",
	"é ü 中文 😀", "<&>",
}

// TestAppendJSONString checks that AppendJSONString writes what
// encoding/json writes, and that AppendString differs from it only where
// JCS does (U+2028, U+2029 as is; invalid UTF-8 refused).
func TestAppendJSONString(t *testing.T) {
	for _, s := range stringSeeds {
		assert.Equal(t, encodingJSON(t, s), string(AppendJSONString(nil, s)), "%q", s)
	}
	out, err := AppendString(nil, "a\u2028b")
	require.NoError(t, err)
	assert.Equal(t, "\"a\u2028b\"", string(out))
	_, err = AppendString(nil, "a\xffb")
	assert.ErrorIs(t, err, ErrInvalidString)
	assert.Equal(t, `x"\ufffd"`, string(AppendJSONString([]byte("x"), "\xff")), "appends to dst")
}

// FuzzAppendJSONString compares AppendJSONString with encoding/json, and
// AppendString with it on valid UTF-8 without U+2028 and U+2029.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := encodingJSON(t, s)
		require.Equal(t, want, string(AppendJSONString(nil, s)))
		out, err := AppendString(nil, s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidString)
			return
		}
		if !bytes.ContainsAny([]byte(s), "\u2028\u2029") {
			require.Equal(t, want, string(out))
		}
	})
}
