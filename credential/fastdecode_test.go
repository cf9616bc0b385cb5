package credential

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/microcred/openbadges/internal/strictjson"
)

// decoderSeeds exercise every branch of the generated decoders: each field
// kind in each accepted and refused JSON form, case variants at each depth,
// and errors inside sets and pointers.
var decoderSeeds = []string{
	baseBadge, plainVC, v11Badge,
	`{}`,
	`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":[{"id":"did:x"}]}`,
	`{"@context":["",{"a":"@id"},1],"type":["",1]}`,
	`{"@context":[],"type":[],"credentialSubject":[],"proof":[]}`,
	`{"@context":null,"type":null,"credentialSubject":null,"issuer":null,"image":null,"name":null}`,
	`{"@context":{"x":"y"},"type":"","credentialSubject":"x","issuer":"","image":"x","validFrom":1}`,
	`{"issuer":["did:x"],"validFrom":{"@value":"2010-01-01T00:00:00Z"},"proof":{"type":"X"},"name":{"@value":"n","@language":"en"}}`,
	`{"credentialSubject":{"achievement":"urn:a","result":{"type":"Result","status":"Completed"},"creditsEarned":1.50}}`,
	`{"credentialSubject":{"achievement":"","creditsEarned":"1","identifier":{"hashed":"true"}}}`,
	`{"credentialSubject":{"achievement":[],"creditsEarned":1e5,"identifier":[{"hashed":false,"salt":""}]}}`,
	`{"credentialSubject":{"identifier":[{"type":"IdentityObject","hashed":null}]}}`,
	`{"credentialSubject":{"achievement":{"creator":{"parentOrg":{"address":{"geo":{"latitude":1,"longitude":"2"}}}}}}}`,
	`{"credentialSubject":{"achievement":{"resultDescription":[{"rubricCriterionLevel":[{"alignment":[{"targetType":"CFItem"},2]}]}]}}}`,
	`{"credentialSubject":{"achievement":{"resultDescription":[{"rubricCriterionLevel":[{"alignment":[{"targetType":"CFItem"},{"TargetType":2}]}]}]}}}`,
	`{"credentialSubject":{"achievement":{"criteria":{"Narrative":"x"}}}}`,
	`{"credentialSubject":[{"id":"a"},{"achievement":{"image":{"Id":"x"}}}]}`,
	`{"endorsement":{"credentialSubject":{"endorsementComment":"c","EndorsementComment":"d"}}}`,
	`{"endorsement":[{"credentialSubject":{"endorsementComment":1}},{"issuer":{"endorsement":{"proof":[{"Proof":1}]}}}]}`,
	`{"evidence":[{"genre":"g"},{"audience":""}],"credentialStatus":{"statusListIndex":"1"},"credentialSchema":[{"id":"x"}]}`,
	`{"refreshService":{"ID":"x"}}`,
	`{"termsOfUse":[{"type":"t"},{"tYPE":"t"}]}`,
	`{"relatedResource":[{"digestSRI":"sha256-x"},"x"]}`,
	`{"proof":[{"domain":["a",""],"previousProof":"p"},{"domain":"d","previousProof":[]}]}`,
	`{"id":"","type":[],"evidence":[{"type":[""]}],"@id":"x","ValidUntil":"y"}`,
	`{"issuer":{"id":"urn:x","parentOrg":{"parentOrg":{"id":"urn:y","Type":"z"}}}}`,
	`{"issuer":{"otherIdentifier":[{"identifierType":"name"},{"IDENTIFIER":"x"}]}}`,
	`{"credentialSubject":{"achievement":{"related":[{"inLanguage":"en"}],"otherIdentifier":{"identifier":1}}}}`,
	`{"credentialSubject":{"source":{"endorsementJwt":["a.b.c",""],"dateOfBirth":"2000-01-01"}}}`,
	`{"credentialSubject":{"achievement":{"tag":"t","endorsementJwt":"x","alignment":{"targetUrl":""}}}}`,
	`{"credentialSubject":{"ſource":1,"\u212Achievement":2}}`,
	`{"credentialSubject":{"achievement":{"ſtatus":1,"İd":2}}}`,
	`{"renderMethod":{"id":"x"},"confidenceMethod":["y",{"type":"z"}],"@context":[{"w":"@nest"}],"type":"EnvelopedVerifiableCredential"}`,
	`{"credentialSubject":{"@context":[{"a":{"@id":"@id"}},1]}}`,
	`{"credentialSubject":{"image":"x","achievement":{"image":"","creator":{"image":["x"]}}},"issuer":{"image":"data:x"}}`,
	`{"a":1,"a":2}`,
	`[1]`,
}

// parseBoth parses data with the generated decoders and reflectively, and
// fails t when they disagree.
func parseBoth(t *testing.T, data []byte) {
	t.Helper()
	fast, fastErr := ParseWith(data, ParseOptions{})
	slow, slowErr := parseReflective(data)
	if (fastErr == nil) != (slowErr == nil) {
		t.Fatalf("generated decoders: %v; reflective: %v\n%s", fastErr, slowErr, data)
	}
	if fastErr != nil {
		// With several bad members, both report the first in name order
		// (firstCaseVariant), whatever order they visited them in.
		if fastErr.Error() != slowErr.Error() {
			t.Fatalf("generated decoders: %v; reflective: %v\n%s", fastErr, slowErr, data)
		}
		var fp, sp *ParseError
		if !errors.As(fastErr, &fp) || !errors.As(slowErr, &sp) || fp.Path != sp.Path || fp.Offset != sp.Offset {
			t.Fatalf("errors differ: %#v, %#v", fastErr, slowErr)
		}
		for _, sentinel := range []error{ErrMalformedJSON, ErrDuplicateKey, ErrCaseVariantKey, ErrInvalidUTF8, ErrTooLarge, ErrTooDeep, ErrNotObject, ErrShape} {
			if errors.Is(fastErr, sentinel) != errors.Is(slowErr, sentinel) {
				t.Fatalf("errors differ for %v: %v, %v", sentinel, fastErr, slowErr)
			}
		}
		return
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("generated decoders and reflective decoding differ:\n%+v\n%+v\n%s", fast, slow, data)
	}
}

// decodeEveryObject decodes every object in x into every model type, with
// the generated decoders and reflectively, and fails t when they disagree.
func decodeEveryObject(t *testing.T, x strictjson.Value) {
	t.Helper()
	switch x.Kind() {
	case strictjson.Array:
		for _, e := range x.Elements() {
			decodeEveryObject(t, e)
		}
	case strictjson.Object:
		m := treeToGo(x).(map[string]any)
		for _, typ := range modelTypes {
			fast := reflect.New(typ)
			fastErr := fast.Interface().(objectDecoder).decodeObject(newDecodeState(), x)
			slow := reflect.New(typ)
			slowErr := decodeReflective(slow.Elem(), m)
			if (fastErr == nil) != (slowErr == nil) || fastErr == nil && !reflect.DeepEqual(fast.Interface(), slow.Interface()) {
				t.Fatalf("%s: generated decoder (%v) and reflective decoding (%v) differ:\n%+v\n%+v", typ, fastErr, slowErr, fast, slow)
			}
		}
		for _, e := range x.Members() {
			decodeEveryObject(t, e)
		}
	}
}

// treeToGo converts a parsed document to the values strictjson.Decode
// gives, for the reflective decoder.
func treeToGo(v strictjson.Value) any {
	switch v.Kind() {
	case strictjson.Bool:
		return v.Bool()
	case strictjson.Number:
		return json.Number(v.NumberText())
	case strictjson.String:
		return v.Str()
	case strictjson.Array:
		out := make([]any, 0, v.Len())
		for _, e := range v.Elements() {
			out = append(out, treeToGo(e))
		}
		return out
	case strictjson.Object:
		out := make(map[string]any, v.Len())
		for k, x := range v.Members() {
			out[k] = treeToGo(x)
		}
		return out
	}
	return nil
}

// TestFastDecodeMatchesReflective compares the generated decoders with the
// reflective decoder on the vectors, the seeds above and the fuzz corpus,
// for Parse and for every model type on every object.
func TestFastDecodeMatchesReflective(t *testing.T) {
	inputs := map[string][]byte{}
	for i, s := range decoderSeeds {
		inputs["seed"+strconv.Itoa(i)] = []byte(s)
	}
	if files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*")); err == nil {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// go test fuzz v1 / []byte("…")
			_, lit, _ := strings.Cut(string(b), "[]byte(")
			if s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimSpace(lit), ")")); err == nil {
				inputs[f] = []byte(s)
			}
		}
	}
	if dir, names, ok := vectorCredentials(t); ok {
		for _, name := range names {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			inputs[name] = b
		}
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			parseBoth(t, data)
			if x, err := strictjson.Parse(string(data), strictjson.Options{}); err == nil {
				decodeEveryObject(t, x)
			}
		})
	}
}

// vectorCredentials is exampleCredentials without the skip: the comparison
// still runs on the seeds when the reference vectors are absent.
func vectorCredentials(t *testing.T) (dir string, names []string, ok bool) {
	ok = t.Run("vectors", func(t *testing.T) { dir, names = exampleCredentials(t) }) && len(names) > 0
	return dir, names, ok
}

// FuzzDecoders compares the generated decoders with the reflective decoder
// on arbitrary input.
func FuzzDecoders(f *testing.F) {
	for _, s := range decoderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parseBoth(t, data)
		if x, err := strictjson.Parse(string(data), strictjson.Options{MaxBytes: 1 << 16}); err == nil {
			decodeEveryObject(t, x)
		}
	})
}
