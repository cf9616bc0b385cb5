package rdfc

import (
	"errors"
	"strings"
	"testing"
)

func TestAppendNQuadEscaping(t *testing.T) {
	tests := []struct{ value, want string }{
		{"", `""`},
		{"simple", `"simple"`},
		{`"`, `"\""`},
		{`\`, `"\\"`},
		{"\n\r", `"\n\r"`},
		{"'", `"'"`},
		// rdf-canon test060 (n-quads escaping), lines 024, 025 and 031.
		{"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f",
			`"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F"`},
		{"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
			`"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"`},
		{"pqrstuvwxyz{|}~\x7f", `"pqrstuvwxyz{|}~\u007F"`},
		// Non-ASCII, including C1 controls and astral characters, is raw UTF-8.
		{"\u0080\u009f\u00a0é∞\U0001F303", "\"\u0080\u009f\u00a0é∞\U0001F303\""},
		{" <>{}|^`", "\" <>{}|^`\""},
	}
	for _, tt := range tests {
		q := triple(iri("urn:s"), iri("urn:p"), plain(tt.value))
		got := string(AppendNQuad(nil, q))
		want := "<urn:s> <urn:p> " + tt.want + " .\n"
		if got != want {
			t.Errorf("value %q:\ngot  %s\nwant %s", tt.value, got, want)
		}
	}
}

func TestAppendNQuadForms(t *testing.T) {
	lit := func(v, dt, lang string) Term { return Term{Kind: Literal, Value: v, Datatype: dt, Language: lang} }
	tests := []struct {
		q    Quad
		want string
	}{
		{Quad{iri("urn:s"), iri("urn:p"), iri("urn:o"), dg()}, "<urn:s> <urn:p> <urn:o> .\n"},
		{Quad{bnode("b0"), iri("urn:p"), bnode("b1"), bnode("g")}, "_:b0 <urn:p> _:b1 _:g .\n"},
		{Quad{iri("urn:s"), iri("urn:p"), lit("x", XSDString, ""), iri("urn:g")}, "<urn:s> <urn:p> \"x\" <urn:g> .\n"},
		{Quad{iri("urn:s"), iri("urn:p"), lit("x", RDFLangString, "en-GB"), dg()}, "<urn:s> <urn:p> \"x\"@en-GB .\n"},
		{Quad{iri("urn:s"), iri("urn:p"), lit("1", "http://www.w3.org/2001/XMLSchema#integer", ""), dg()},
			"<urn:s> <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"},
		// IRIs are written verbatim, non-ASCII included.
		{Quad{iri("urn:ex:∞"), iri("urn:p"), iri("urn:ex:\U0001F303"), dg()}, "<urn:ex:∞> <urn:p> <urn:ex:\U0001F303> .\n"},
		// Except for characters IRIREF does not allow, escaped as
		// rdf-canonize does (JSON-LD processors let them through).
		{Quad{iri("urn:a b"), iri("urn:p|q"), lit("x", "urn:t{}", ""), iri("urn:g\x00\\\"<>^`")},
			`<urn:a\u0020b> <urn:p\u007Cq> "x"^^<urn:t\u007B\u007D> <urn:g\u0000\u005C\u0022\u003C\u003E\u005E\u0060> .` + "\n"},
	}
	for _, tt := range tests {
		if got := string(AppendNQuad([]byte("prefix:"), tt.q)); got != "prefix:"+tt.want {
			t.Errorf("got %q, want %q", got, "prefix:"+tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := triple(iri("urn:s"), iri("urn:p"), iri("urn:o"))
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid quad rejected: %v", err)
	}
	lit := func(v, dt, lang string) Term { return Term{Kind: Literal, Value: v, Datatype: dt, Language: lang} }
	tests := []struct {
		name     string
		q        Quad
		position string
		reason   string
	}{
		{"zero graph", Quad{iri("urn:s"), iri("urn:p"), iri("urn:o"), Term{}}, "graph", "kind not set"},
		{"unknown kind", Quad{Term{Kind: 9, Value: "x"}, iri("urn:p"), iri("urn:o"), dg()}, "subject", "unknown"},
		{"literal subject", triple(plain("s"), iri("urn:p"), iri("urn:o")), "subject", "literal"},
		{"blank predicate", triple(iri("urn:s"), bnode("p"), iri("urn:o")), "predicate", "blank node"},
		{"literal graph", Quad{iri("urn:s"), iri("urn:p"), iri("urn:o"), plain("g")}, "graph", "literal"},
		{"default graph as object", triple(iri("urn:s"), iri("urn:p"), dg()), "object", "default graph"},
		{"relative IRI", triple(iri("s"), iri("urn:p"), iri("urn:o")), "subject", "relative IRI"},
		{"empty IRI", triple(iri("urn:s"), iri(""), iri("urn:o")), "predicate", "empty IRI"},
		{"relative IRI with space", triple(iri("urn:s"), iri("a b:c"), iri("urn:o")), "predicate", "relative IRI"},
		{"IRI with invalid UTF-8", triple(iri("urn:s\xff"), iri("urn:p"), iri("urn:o")), "subject", "UTF-8"},
		{"literal with invalid UTF-8", triple(iri("urn:s"), iri("urn:p"), plain("\xff")), "object", "UTF-8"},
		{"literal without datatype", triple(iri("urn:s"), iri("urn:p"), lit("x", "", "")), "object", "without datatype"},
		{"relative datatype", triple(iri("urn:s"), iri("urn:p"), lit("x", "int", "")), "object", "datatype"},
		{"langString without language", triple(iri("urn:s"), iri("urn:p"), lit("x", RDFLangString, "")), "object", "without language"},
		{"language with other datatype", triple(iri("urn:s"), iri("urn:p"), lit("x", XSDString, "en")), "object", "not rdf:langString"},
		{"bad language tag", triple(iri("urn:s"), iri("urn:p"), lit("x", RDFLangString, "en US")), "object", "language tag"},
		{"IRI with datatype", triple(iri("urn:s"), iri("urn:p"), Term{Kind: IRI, Value: "urn:o", Datatype: XSDString}), "object", "IRI term"},
		{"blank node with language", triple(Term{Kind: BlankNode, Value: "b", Language: "en"}, iri("urn:p"), iri("urn:o")), "subject", "blank node term"},
		{"default graph with value", Quad{iri("urn:s"), iri("urn:p"), iri("urn:o"), Term{Kind: DefaultGraph, Value: "x"}}, "graph", "value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			var qe *QuadError
			if !errors.As(err, &qe) || !errors.Is(err, ErrInvalidQuad) {
				t.Fatalf("got %v, want a *QuadError wrapping ErrInvalidQuad", err)
			}
			if qe.Position != tt.position || !strings.Contains(qe.Reason, tt.reason) {
				t.Errorf("got %s: %q, want %s: …%s…", qe.Position, qe.Reason, tt.position, tt.reason)
			}
		})
	}
	// IRIs with characters N-Quads must escape are accepted (and escaped).
	if err := triple(iri("urn:s"), iri("urn:p"), iri("urn:o x>")).Validate(); err != nil {
		t.Errorf("IRI needing escapes rejected: %v", err)
	}
	// Blank node labels are not restricted: canonicalization replaces them.
	if err := triple(bnode("any label at all"), iri("urn:p"), bnode("")).Validate(); err != nil {
		t.Errorf("blank node labels rejected: %v", err)
	}
}

func TestStringers(t *testing.T) {
	q := Quad{bnode("b0"), iri("urn:p"), Term{Kind: Literal, Value: "a\"b", Datatype: RDFLangString, Language: "en"}, iri("urn:g")}
	if got, want := q.String(), `_:b0 <urn:p> "a\"b"@en <urn:g> .`; got != want {
		t.Errorf("Quad.String() = %s, want %s", got, want)
	}
	if got := dg().String(); got != "" {
		t.Errorf("default graph String() = %q", got)
	}
	if got := iri("urn:x").String(); got != "<urn:x>" {
		t.Errorf("IRI String() = %q", got)
	}
}
