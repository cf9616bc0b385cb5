package bake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

const svgNamespace = "http://www.w3.org/2000/svg"

// utf8BOM may precede an XML document.
var utf8BOM = []byte("\xef\xbb\xbf")

// maxSniffTokens bounds how many tokens Detect reads before the root element.
const maxSniffTokens = 64

// newXMLDecoder returns a decoder that expands only the five predefined
// entities and numeric character references, rejects undefined entities
// (Strict), and refuses any encoding other than UTF-8 (no CharsetReader). It
// never loads a DTD or anything else: encoding/xml has no such facility.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil
	d.CharsetReader = nil
	return d
}

func isSVGRoot(n xml.Name) bool {
	return n.Local == "svg" && (n.Space == "" || n.Space == svgNamespace)
}

// sniffSVG reports whether the first element of data is <svg>.
func sniffSVG(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return false
	}
	d := newXMLDecoder(data)
	for range maxSniffTokens {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return isSVGRoot(se.Name)
		}
	}
	return false
}

// svgCredential is one <openbadges:credential> element found in an SVG.
type svgCredential struct {
	start, end int // byte range of the whole element
	where      string
	verify     []byte // value of the verify attribute
	hasVerify  bool
	content    []byte // character data (text and CDATA) inside the element
}

// svgScan is what scanSVG learns about an SVG document.
type svgScan struct {
	rootStart, rootEnd int    // byte range of the root start tag
	rootRawName        string // root element name as written, e.g. "svg" or "svg:svg"
	rootSelfClosing    bool
	obPrefix           string // value of xmlns:openbadges on the root, if present
	hasOBPrefix        bool
	credentials        []svgCredential
	legacy             bool // an OB 2.0 <openbadges:assertion> was seen
}

// scanSVG reads a whole SVG document token by token, enforcing the limits
// and the XML safety rules, and records the root start tag and every
// credential element.
func scanSVG(l Limits, img []byte) (*svgScan, error) {
	if len(img) > l.MaxImageSize {
		return nil, &Error{Format: FormatSVG, Err: ErrTooLarge, Detail: fmt.Sprintf("image is %d bytes, limit %d", len(img), l.MaxImageSize)}
	}
	base := 0
	if bytes.HasPrefix(img, utf8BOM) {
		base = len(utf8BOM)
	}
	d := newXMLDecoder(img[base:])
	where := func() string {
		line, col := d.InputPos()
		return fmt.Sprintf("line %d column %d", line, col)
	}
	fail := func(sentinel error, format string, a ...any) error {
		return &Error{Format: FormatSVG, Where: where(), Err: sentinel, Detail: fmt.Sprintf(format, a...)}
	}

	s := &svgScan{rootStart: -1}
	var (
		depth    int
		tokens   int
		rootDone bool
		cur      *svgCredential // the credential element being read, if any
		curDepth int            // depth of cur's start tag
	)
	for {
		start := base + int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF") {
				return nil, &Error{Format: FormatSVG, Where: fmt.Sprintf("line %d", se.Line), Err: ErrTruncated, Detail: se.Msg}
			}
			return nil, fail(ErrMalformed, "%v", err)
		}
		if tokens++; tokens > l.MaxSVGTokens {
			return nil, fail(ErrTooLarge, "more than %d XML tokens", l.MaxSVGTokens)
		}
		end := base + int(d.InputOffset())

		switch t := tok.(type) {
		case xml.Directive:
			if err := checkDirective(t, s.rootStart >= 0); err != "" {
				return nil, fail(ErrUnsafeXML, "%s", err)
			}
		case xml.StartElement:
			if depth == 0 {
				if rootDone {
					return nil, fail(ErrMalformed, "second root element <%s>", t.Name.Local)
				}
				if !isSVGRoot(t.Name) {
					return nil, fail(ErrUnsupportedFormat, "root element is <%s>, not <svg>", t.Name.Local)
				}
				s.rootStart, s.rootEnd = start, end
				s.rootRawName = rawElementName(img[start:end])
				s.rootSelfClosing = bytes.HasSuffix(img[start:end], []byte("/>"))
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == "openbadges" {
						s.obPrefix, s.hasOBPrefix = a.Value, true
					}
				}
			}
			if depth++; depth > l.MaxSVGDepth {
				return nil, fail(ErrTooLarge, "elements nested deeper than %d", l.MaxSVGDepth)
			}
			if cur != nil {
				return nil, fail(ErrMalformed, "element <%s> inside <openbadges:credential>", t.Name.Local)
			}
			switch {
			case t.Name.Space == Namespace && t.Name.Local == "credential":
				c := svgCredential{start: start, where: where()}
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "verify" {
						if len(a.Value) > l.MaxCredentialSize {
							return nil, fail(ErrTooLarge, "verify attribute is %d bytes, limit %d", len(a.Value), l.MaxCredentialSize)
						}
						c.verify, c.hasVerify = []byte(a.Value), true
					}
				}
				s.credentials = append(s.credentials, c)
				cur, curDepth = &s.credentials[len(s.credentials)-1], depth
			case t.Name.Space == "openbadges" && t.Name.Local == "credential":
				// encoding/xml leaves an undeclared prefix in Space.
				return nil, fail(ErrMalformed, "<openbadges:credential> but the prefix openbadges is not declared (want xmlns:openbadges=%q)", Namespace)
			case t.Name.Space == legacyNamespace && t.Name.Local == "assertion":
				s.legacy = true
			}
		case xml.EndElement:
			if cur != nil && depth == curDepth {
				cur.end = end
				cur = nil
			}
			depth--
			if depth == 0 {
				rootDone = true
			}
		case xml.CharData:
			if cur != nil {
				if len(cur.content)+len(t) > l.MaxCredentialSize {
					return nil, fail(ErrTooLarge, "credential element content exceeds %d bytes", l.MaxCredentialSize)
				}
				cur.content = append(cur.content, t...)
			} else if depth == 0 && len(bytes.Trim(t, " \t\r\n")) > 0 {
				return nil, fail(ErrMalformed, "text outside the root element")
			}
		}
	}
	if s.rootStart < 0 {
		return nil, &Error{Format: FormatSVG, Err: ErrUnsupportedFormat, Detail: "no root element"}
	}
	return s, nil
}

// checkDirective allows only a DOCTYPE declaration, before the root element,
// naming at most an external DTD (which is never fetched), and rejects an
// internal subset, where entities (billion laughs, external entities) would
// be declared. The 1EdTech fixtures carry the usual SVG 1.1 DOCTYPE, so
// rejecting every DOCTYPE would reject real badges.
func checkDirective(dir xml.Directive, afterRoot bool) string {
	s := string(dir)
	switch {
	case !strings.HasPrefix(s, "DOCTYPE"):
		return fmt.Sprintf("markup declaration <!%.20s...> outside a DOCTYPE", s)
	case afterRoot:
		return "DOCTYPE after the root element"
	case strings.Contains(s, "["):
		return "DOCTYPE has an internal subset"
	case strings.Contains(s, "<!") || strings.Contains(s, "ENTITY"):
		return "DOCTYPE declares entities"
	}
	return ""
}

// rawElementName returns the element name from a start tag "<name ...>".
func rawElementName(tag []byte) string {
	tag = tag[1:]
	i := bytes.IndexAny(tag, " \t\r\n/>")
	if i < 0 {
		return string(tag)
	}
	return string(tag[:i])
}

// UnbakeSVG takes the credential out of a baked SVG image. See Unbake.
//
// The credential is the verify attribute of the <openbadges:credential>
// element (a compact JWS) or, without that attribute, the element's text
// (a JSON object, normally in a CDATA section).
func (l Limits) UnbakeSVG(img []byte) (*Baked, error) {
	l, err := l.resolve()
	if err != nil {
		return nil, err
	}
	s, err := scanSVG(l, img)
	if err != nil {
		return nil, err
	}
	switch {
	case len(s.credentials) > 1:
		return nil, &Error{Format: FormatSVG, Where: s.credentials[1].where, Err: ErrMultipleCredentials,
			Detail: fmt.Sprintf("second <openbadges:credential> element (the first is at %s)", s.credentials[0].where)}
	case len(s.credentials) == 0 && s.legacy:
		return nil, &Error{Format: FormatSVG, Err: ErrLegacyBadge, Detail: fmt.Sprintf("<assertion> in namespace %q found, <credential> in namespace %q absent", legacyNamespace, Namespace)}
	case len(s.credentials) == 0:
		return nil, &Error{Format: FormatSVG, Err: ErrNotBaked, Detail: fmt.Sprintf("no <credential> element in namespace %q", Namespace)}
	}
	c := s.credentials[0]
	text := c.content
	if c.hasVerify {
		if len(bytes.Trim(c.content, " \t\r\n")) > 0 {
			return nil, &Error{Format: FormatSVG, Where: c.where, Err: ErrMultipleCredentials,
				Detail: "<openbadges:credential> has both a verify attribute and content"}
		}
		text = c.verify
	}
	cred, isJWS, d := classify(text)
	if d == "" && c.hasVerify && !isJWS {
		d = "verify attribute holds JSON; it must hold a compact JWS (JSON goes in the element's CDATA)"
	}
	if d != "" {
		return nil, &Error{Format: FormatSVG, Where: c.where, Err: ErrInvalidCredential, Detail: d}
	}
	return &Baked{Format: FormatSVG, Credential: cred, IsJWS: isJWS}, nil
}

// SVG bakes credential (a JSON object or a compact JWS; surrounding white
// space is dropped) into an SVG image. It checks the whole image as
// UnbakeSVG does, removes any existing <openbadges:credential> elements
// (baking replaces an existing credential), declares
// xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" on the root element
// if needed, and inserts the credential element directly after the root
// start tag: a JWS in its verify attribute, JSON in a CDATA section. The
// rest of the document is copied byte for byte. The result is checked by
// un-baking it.
//
// Line ends in a JSON credential are normalised to "\n", as an XML parser
// would do when reading it back; JSON allows them only as white space.
func (l Limits) SVG(img, credential []byte) ([]byte, error) {
	l, err := l.resolve()
	if err != nil {
		return nil, err
	}
	cred, isJWS, err := checkCredential(l, FormatSVG, credential)
	if err != nil {
		return nil, err
	}
	if !isJWS {
		cred = bytes.ReplaceAll(cred, []byte("\r\n"), []byte("\n"))
		cred = bytes.ReplaceAll(cred, []byte("\r"), []byte("\n"))
		if r, ok := firstNonXMLChar(cred); ok {
			return nil, &Error{Format: FormatSVG, Err: ErrInvalidCredential,
				Detail: fmt.Sprintf("credential contains %U, which XML cannot carry; escape it in the JSON as \\u%04X", r, r)}
		}
	}
	s, err := scanSVG(l, img)
	if err != nil {
		return nil, err
	}
	if s.hasOBPrefix && s.obPrefix != Namespace {
		return nil, &Error{Format: FormatSVG, Err: ErrMalformed,
			Detail: fmt.Sprintf("root element binds the prefix openbadges to %q, not %q", s.obPrefix, Namespace)}
	}

	var elem bytes.Buffer
	elem.WriteString("\n<openbadges:credential")
	if isJWS {
		// base64url and dots need no escaping in an attribute.
		elem.WriteString(` verify="`)
		elem.Write(cred)
		elem.WriteString(`"></openbadges:credential>`)
	} else {
		elem.WriteString("><![CDATA[")
		// "]]>" cannot appear in a CDATA section; split it across two.
		elem.Write(bytes.ReplaceAll(cred, []byte("]]>"), []byte("]]]]><![CDATA[>")))
		elem.WriteString("]]></openbadges:credential>")
	}

	var edits []edit
	if !s.hasOBPrefix {
		at := s.rootStart + 1 + len(s.rootRawName)
		edits = append(edits, edit{at: at, insert: ` xmlns:openbadges="` + Namespace + `"`})
	}
	if s.rootSelfClosing {
		edits = append(edits, edit{at: s.rootEnd - 2, del: 2, insert: ">" + elem.String() + "\n</" + s.rootRawName + ">"})
	} else {
		edits = append(edits, edit{at: s.rootEnd, insert: elem.String()})
	}
	for _, c := range s.credentials {
		// Also remove the indentation and line end before the old element,
		// so that re-baking does not leave blank lines behind.
		from := c.start
		for from > s.rootEnd && (img[from-1] == ' ' || img[from-1] == '\t') {
			from--
		}
		if from > s.rootEnd && img[from-1] == '\n' {
			from--
			if from > s.rootEnd && img[from-1] == '\r' {
				from--
			}
		}
		edits = append(edits, edit{at: from, del: c.end - from})
	}
	out := applyEdits(img, edits)
	if len(out) > l.MaxImageSize {
		return nil, &Error{Format: FormatSVG, Err: ErrTooLarge, Detail: fmt.Sprintf("baked image would be %d bytes, limit %d", len(out), l.MaxImageSize)}
	}
	if err := selfCheck(cred)(l.UnbakeSVG(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// edit replaces img[at:at+del] with insert.
type edit struct {
	at, del int
	insert  string
}

// applyEdits applies non-overlapping edits; at equal offsets, insertions
// (del == 0) go first.
func applyEdits(img []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].at != edits[j].at {
			return edits[i].at < edits[j].at
		}
		return edits[i].del == 0 && edits[j].del != 0
	})
	var out bytes.Buffer
	out.Grow(len(img) + 256)
	pos := 0
	for _, e := range edits {
		out.Write(img[pos:e.at])
		out.WriteString(e.insert)
		pos = e.at + e.del
	}
	out.Write(img[pos:])
	return out.Bytes()
}

// firstNonXMLChar returns the first rune of b outside the XML 1.0 Char
// production (tab, line feed, carriage return, U+0020-U+D7FF,
// U+E000-U+FFFD, U+10000-U+10FFFF).
func firstNonXMLChar(b []byte) (rune, bool) {
	for _, r := range string(b) {
		ok := r == 0x09 || r == 0x0A || r == 0x0D ||
			r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if !ok {
			return r, true
		}
	}
	return 0, false
}
