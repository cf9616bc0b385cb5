package vcapi

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/verifier"
)

// encodingJSON is what writeJSON would write for v, without its newline.
func encodingJSON(t testing.TB, v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// assertSameAsEncodingJSON checks appendResult against encoding/json.
func assertSameAsEncodingJSON(t testing.TB, res *verifier.Result, name string) {
	got, ok := appendResult([]byte("prefix"), res)
	require.True(t, ok, name)
	require.Equal(t, string(encodingJSON(t, res)), strings.TrimPrefix(string(got), "prefix"), name)
}

// trickyStrings are the strings whose encoding differs between encoders:
// escapes, HTML characters (not escaped here), control characters,
// invalid UTF-8, the JavaScript line separators, non-ASCII.
var trickyStrings = []string{
	"", "plain", `say "x" \ y`, "<a href='x'>&amp;</a>", "tab\tnl\nret\rbs\bff\f", "\x00\x01\x1f\x7f",
	"bad \xff utf-8 \xc3", "line\u2028para\u2029", "naïve 日本語 🎓", `\u0041`,
}

func TestAppendResult(t *testing.T) {
	// Results of hand: every field, every tricky string.
	for i, s := range trickyStrings {
		res := &verifier.Result{
			Verified: i%2 == 0, Authentic: i%3 == 0, Conformant: i%2 == 1,
			Checks: []verifier.Check{{Name: s, Path: s, Outcome: verifier.Outcome(s), Detail: s}, {Name: "parse", Outcome: verifier.Passed}},
			Errors: []verifier.ProblemDetail{{Type: s, Code: -i, Title: s, Detail: s, Check: s, Path: s, Conformance: s, Relaxed: i%2 == 0}},
			Proofs: []verifier.ProofSigner{{Path: s, VerificationMethod: s, Controller: s, Purpose: s, Issuer: i%2 == 0, Verified: i%3 == 0}},
		}
		assertSameAsEncodingJSON(t, res, s)
	}
	// Nil and empty lists.
	assertSameAsEncodingJSON(t, &verifier.Result{}, "zero")
	assertSameAsEncodingJSON(t, &verifier.Result{Checks: []verifier.Check{}, Errors: []verifier.ProblemDetail{}, Warnings: []verifier.ProblemDetail{}, Proofs: []verifier.ProofSigner{}}, "empty")

	// Results of the verifier: the credentials of testdata/realworld
	// (without their pins most fail, which is the point: many shapes),
	// and some that are not credentials.
	v, err := verifier.New(verifier.Config{Suites: DefaultSuites})
	require.NoError(t, err)
	inputs := [][]byte{[]byte(`{`), []byte(`[]`), []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"]}`), []byte("\x89PNG")}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "realworld", "credentials", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		inputs = append(inputs, b)
	}
	compared := 0
	for i, in := range inputs {
		for _, lenient := range []bool{false, true} {
			v := v
			if lenient {
				v, err = verifier.New(verifier.Config{Suites: DefaultSuites, Lenient: true})
				require.NoError(t, err)
			}
			res, err := v.Verify(context.Background(), in)
			require.NoError(t, err)
			if _, ok := appendResult(nil, res); !ok {
				assert.True(t, len(res.Endorsements)+len(res.Credentials) > 0, "only results with embedded results are left to encoding/json")
				continue
			}
			assertSameAsEncodingJSON(t, res, filepath.Base(append(files, "")[max(0, i-4)]))
			compared++
		}
	}
	t.Logf("%d results of the verifier compared", compared)
	assert.Greater(t, compared, 4)
}

// TestAppendResultFields fails when a type that appendResult writes gains,
// loses or renames a JSON member: appendResult must then be changed too.
func TestAppendResultFields(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{verifier.Result{}, "verified authentic conformant checks errors warnings endorsements,omitempty credentials,omitempty proofs,omitempty -"},
		{verifier.Check{}, "check path,omitempty outcome detail,omitempty"},
		{verifier.ProblemDetail{}, "type code,omitempty title detail check,omitempty path,omitempty conformance,omitempty relaxed,omitempty -"},
		{verifier.ProofSigner{}, "path verificationMethod controller proofPurpose issuer verified"},
	} {
		typ := reflect.TypeOf(tc.v)
		var tags []string
		for i := range typ.NumField() {
			tags = append(tags, typ.Field(i).Tag.Get("json"))
		}
		assert.Equal(t, tc.want, strings.Join(tags, " "), typ.Name())
	}
	_, hasMarshaler := reflect.TypeOf(&verifier.Result{}).MethodByName("MarshalJSON")
	assert.False(t, hasMarshaler, "verifier.Result has a MarshalJSON of its own: appendResult must follow it")
}

func FuzzAppendResult(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s, s, -64, true)
	}
	f.Fuzz(func(t *testing.T, a, b string, code int, flag bool) {
		res := &verifier.Result{
			Verified: flag, Authentic: !flag, Conformant: flag,
			Checks:   []verifier.Check{{Name: a, Path: b, Outcome: verifier.Outcome(a), Detail: b}},
			Errors:   []verifier.ProblemDetail{{Type: a, Code: code, Title: b, Detail: a, Check: b, Path: a, Conformance: b, Relaxed: flag}},
			Warnings: []verifier.ProblemDetail{{Type: b, Title: a}},
			Proofs:   []verifier.ProofSigner{{Path: a, VerificationMethod: b, Controller: a, Purpose: b, Issuer: flag, Verified: !flag}},
		}
		assertSameAsEncodingJSON(t, res, "fuzz")
	})
}
