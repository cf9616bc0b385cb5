package rdfc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseNQuadsValid(t *testing.T) {
	lit := func(v, dt, lang string) Term { return Term{Kind: Literal, Value: v, Datatype: dt, Language: lang} }
	tests := []struct {
		name, in string
		want     []Quad
	}{
		{"triple", "<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n",
			[]Quad{{iri("http://a.example/s"), iri("http://a.example/p"), iri("http://a.example/o"), dg()}}},
		{"quad with IRI graph", "<urn:s> <urn:p> <urn:o> <urn:g> .",
			[]Quad{{iri("urn:s"), iri("urn:p"), iri("urn:o"), iri("urn:g")}}},
		{"blank nodes everywhere", "_:s <urn:p> _:o _:g .",
			[]Quad{{bnode("s"), iri("urn:p"), bnode("o"), bnode("g")}}},
		{"no whitespace between tokens", "<urn:s><urn:p>\"x\"@en<urn:g>.",
			[]Quad{{iri("urn:s"), iri("urn:p"), lit("x", RDFLangString, "en"), iri("urn:g")}}},
		{"tabs, comments, blank lines, CRLF", "# header\r\n\r\n\t<urn:s>\t<urn:p> <urn:o> . # trailing\r\n\n",
			[]Quad{triple(iri("urn:s"), iri("urn:p"), iri("urn:o"))}},
		{"plain literal", `<urn:s> <urn:p> "hello" .`,
			[]Quad{triple(iri("urn:s"), iri("urn:p"), plain("hello"))}},
		{"explicit xsd:string equals plain", `<urn:s> <urn:p> "hello"^^<http://www.w3.org/2001/XMLSchema#string> .`,
			[]Quad{triple(iri("urn:s"), iri("urn:p"), plain("hello"))}},
		{"typed literal", `<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`,
			[]Quad{triple(iri("urn:s"), iri("urn:p"), lit("1", "http://www.w3.org/2001/XMLSchema#integer", ""))}},
		{"language tag with subtags", `<urn:s> <urn:p> "colour"@en-GB-x-1 .`,
			[]Quad{triple(iri("urn:s"), iri("urn:p"), lit("colour", RDFLangString, "en-GB-x-1"))}},
		{"string escapes", `<urn:s> <urn:p> "\t\b\n\r\f\"\'\\\u00e9\U0001F303" .`,
			[]Quad{triple(iri("urn:s"), iri("urn:p"), plain("\t\b\n\r\f\"'\\é🌃"))}},
		{"raw control and non-ASCII characters in strings", "<urn:s> <urn:p> \"\x00\x7f\té∞\" .",
			[]Quad{triple(iri("urn:s"), iri("urn:p"), plain("\x00\x7f\té∞"))}},
		{"IRI escapes", `<urn:ex:\u0065\U00000078\u221e> <urn:p> <urn:o> .`,
			[]Quad{triple(iri("urn:ex:ex∞"), iri("urn:p"), iri("urn:o"))}},
		// The grammar allows any character as UCHAR; canonical N-Quads
		// writes characters IRIREF excludes that way.
		{"IRI escapes of excluded characters", `<urn:o\u0020\u003E> <urn:p> <urn:o> .`,
			[]Quad{triple(iri("urn:o >"), iri("urn:p"), iri("urn:o"))}},
		{"blank node label forms", "_:a.b-c_d <urn:p> _:0é· .\n_:x <urn:p> _:y.",
			[]Quad{
				triple(bnode("a.b-c_d"), iri("urn:p"), bnode("0é·")),
				triple(bnode("x"), iri("urn:p"), bnode("y")),
			}},
		{"empty document", "", nil},
		{"only comments", "# nothing\n#more", nil},
		{"no final newline", "<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o2> .",
			[]Quad{triple(iri("urn:s"), iri("urn:p"), iri("urn:o")), triple(iri("urn:s"), iri("urn:p"), iri("urn:o2"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNQuads([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseNQuads: %v", err)
			}
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
			for i, q := range got {
				if err := q.Validate(); err != nil {
					t.Errorf("parsed quad %d does not validate: %v", i, err)
				}
			}
		})
	}
}

func TestParseNQuadsInvalid(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int    // 0: not checked
		reason    string // substring of the reason
	}{
		{"relative IRI", "<s> <urn:p> <urn:o> .", 1, 1, "relative IRI"},
		{"relative datatype", `<urn:s> <urn:p> "x"^^<int> .`, 1, 22, "relative IRI"},
		{"missing dot", "<urn:s> <urn:p> <urn:o>\n", 1, 24, `expected "."`},
		{"missing dot at EOF", "<urn:s> <urn:p> <urn:o>", 1, 24, `expected "."`},
		{"two statements on a line", "<urn:s> <urn:p> <urn:o> . <urn:s> <urn:p> <urn:o> .", 1, 27, "end of line"},
		{"extra term", "<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .", 1, 33, `expected "."`},
		{"literal subject", `"s" <urn:p> <urn:o> .`, 1, 1, "subject"},
		{"blank predicate", "<urn:s> _:p <urn:o> .", 1, 9, "predicate"},
		{"literal graph", `<urn:s> <urn:p> <urn:o> "g" .`, 1, 25, `expected "."`},
		{"missing object", "<urn:s> <urn:p> .", 1, 17, "object"},
		{"unterminated IRI", "<urn:s> <urn:p> <urn:o", 1, 17, "unterminated IRI"},
		{"IRI ended by space", "<urn:s> <urn:p> <urn:o .", 1, 23, "not allowed in IRI"},
		{"blank label followed by dot", "_:x. <urn:p> <urn:o> .", 1, 4, "predicate"},
		{"IRI across lines", "<urn:s> <urn:p> <urn:o\n> .", 1, 17, "unterminated IRI"},
		{"space in IRI", "<urn:s> <urn:p> <urn:o x> .", 1, 23, "not allowed in IRI"},
		{"brace in IRI", "<urn:s> <urn:p> <urn:o{x}> .", 1, 23, "not allowed in IRI"},
		{"ECHAR in IRI", `<urn:s> <urn:p> <urn:o\n> .`, 1, 23, "invalid escape"},
		{"unterminated string", `<urn:s> <urn:p> "abc .`, 1, 17, "unterminated string"},
		{"newline in string", "<urn:s> <urn:p> \"a\nb\" .", 1, 17, "unterminated string"},
		{"bad escape", `<urn:s> <urn:p> "a\x" .`, 1, 19, "invalid escape"},
		{"bad hex", `<urn:s> <urn:p> "\u00ZZ" .`, 1, 18, "invalid escape"},
		{"short escape at EOF", `<urn:s> <urn:p> "\u00`, 1, 18, "incomplete escape"},
		{"surrogate escape", `<urn:s> <urn:p> "\uD800" .`, 1, 18, "not a Unicode scalar value"},
		{"escape beyond Unicode", `<urn:s> <urn:p> "\U00110000" .`, 1, 18, "not a Unicode scalar value"},
		{"invalid UTF-8", "<urn:s> <urn:p> \"a\xffb\" .", 1, 19, "invalid UTF-8"},
		{"invalid UTF-8 on line 2", "<urn:s> <urn:p> \"é\" .\n<urn:s> <urn:p> \"\xc3\" .", 2, 18, "invalid UTF-8"},
		{"empty language", `<urn:s> <urn:p> "a"@ .`, 1, 20, "empty language tag"},
		{"digit language", `<urn:s> <urn:p> "a"@1a .`, 1, 20, "empty language tag"},
		{"dangling subtag", `<urn:s> <urn:p> "a"@en- .`, 1, 23, "invalid language tag"},
		{"single caret", `<urn:s> <urn:p> "a"^<urn:t> .`, 1, 20, `expected "^^"`},
		{"datatype not an IRI", `<urn:s> <urn:p> "a"^^"t" .`, 1, 22, "datatype"},
		{"langString without language", `<urn:s> <urn:p> "a"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, 1, 22, "langString"},
		{"language and datatype", `<urn:s> <urn:p> "a"@en^^<urn:t> .`, 1, 23, `expected "."`},
		{"empty blank label", "_: <urn:p> <urn:o> .", 1, 3, "blank node label"},
		{"blank label starting with dash", "_:-a <urn:p> <urn:o> .", 1, 3, "blank node label"},
		{"blank label starting with dot", "_:.a <urn:p> <urn:o> .", 1, 3, "blank node label"},
		{"underscore without colon", "_a <urn:p> <urn:o> .", 1, 1, `expected "_:"`},
		{"column counts code points", "<urn:s> <urn:p> \"ééé\" <urn:g> x", 1, 31, `expected "."`},
		{"error on third line", "<urn:s> <urn:p> <urn:o> .\r\n# c\r\n<urn:s> <urn:p> .", 3, 17, "object"},
		{"garbage", "\x00", 1, 1, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseNQuads([]byte(tt.in))
			if err == nil {
				t.Fatalf("ParseNQuads accepted %q: %#v", tt.in, qs)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("errors.Is(err, ErrSyntax) is false for %v", err)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if tt.line != 0 && (se.Line != tt.line || se.Column != tt.col) {
				t.Errorf("position %d:%d, want %d:%d (%v)", se.Line, se.Column, tt.line, tt.col, err)
			}
			if !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("reason %q does not mention %q", se.Reason, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), "rdfc: ") {
				t.Errorf("error text %q lacks the package prefix", err)
			}
		})
	}
}

// TestParseRoundTrip checks that serialising parsed quads and parsing the
// result again gives the same quads.
func TestParseRoundTrip(t *testing.T) {
	in := `<urn:s> <urn:p> "\u0000\u0001\b\t\n\u000B\f\r\"\\\u007F\u0080é🌃" .
_:b0 <urn:p> "x"@en-GB _:g .
<urn:s> <urn:p> "1"^^<urn:ex:\u221e> <urn:g> .
<urn:ex:\U0001F303> <urn:p> _:b0 .
<urn:a\u0020\u007C> <urn:p> "x"^^<urn:t\u005C> .
`
	qs, err := ParseNQuads([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, q := range qs {
		out = AppendNQuad(out, q)
	}
	again, err := ParseNQuads(out)
	if err != nil {
		t.Fatalf("reparse of %q: %v", out, err)
	}
	if !reflect.DeepEqual(qs, again) {
		t.Errorf("round trip changed the quads:\n%#v\n%#v", qs, again)
	}
}
