package jsoncheck

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		in   string
		err  error
		path string
	}{
		{`{"a":1,"b":[1,{"c":2}]}`, nil, ""},
		{`{"a":1,"a":2}`, ErrDuplicateKey, "$.a"},
		{`{"a":{"b":1,"b":1}}`, ErrDuplicateKey, "$.a.b"},
		{`[{"x":1},{"x":1,"x":2}]`, ErrDuplicateKey, "$[1].x"},
		{"{\"a\":\"\xff\"}", ErrInvalidUTF8, "$"},
		{`{"a":1`, ErrSyntax, "$"},
		{`{"a":1} {}`, ErrSyntax, "$"},
		{strings.Repeat("[", 65) + strings.Repeat("]", 65), ErrTooDeep, ""},
	} {
		err := Check([]byte(tc.in), 0)
		if tc.err == nil {
			assert.NoError(t, err, tc.in)
			continue
		}
		require.ErrorIs(t, err, tc.err, tc.in)
		if tc.path != "" {
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.path, e.Path, tc.in)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":null}]}`))
	f.Add([]byte(`{"a":1,"a":1}`))
	f.Fuzz(func(t *testing.T, b []byte) { _ = Check(b, 8) })
}
