package jsonld

import "strings"

// keywords of JSON-LD 1.1.
var keywords = map[string]bool{
	"@base": true, "@container": true, "@context": true, "@default": true, "@direction": true,
	"@embed": true, "@explicit": true, "@graph": true, "@id": true, "@import": true,
	"@included": true, "@index": true, "@json": true, "@language": true, "@list": true,
	"@nest": true, "@none": true, "@omitDefault": true, "@prefix": true, "@preserve": true,
	"@propagate": true, "@protected": true, "@requireAll": true, "@reverse": true, "@set": true,
	"@type": true, "@value": true, "@version": true, "@vocab": true,
}

func isKeyword(s string) bool {
	return len(s) > 1 && s[0] == '@' && keywords[s]
}

// hasKeywordForm reports whether s looks like a keyword: "@" followed by one
// or more ALPHA (such strings are reserved and ignored by JSON-LD 1.1).
func hasKeywordForm(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// isAbsoluteIRI is jsonld.js's test: a scheme (or "_") followed by ":" and
// no white space. Blank node identifiers count as absolute here.
func isAbsoluteIRI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 {
		return false
	}
	if !(colon == 1 && s[0] == '_') {
		if !isSchemeAlpha(s[0]) {
			return false
		}
		for i := 1; i < colon; i++ {
			c := s[i]
			if !(isSchemeAlpha(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
				return false
			}
		}
	}
	return !hasSpace(s[colon+1:])
}

func isSchemeAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hasSpace reports white space as JavaScript's \s sees it.
func hasSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := byteClass[s[i]]; c&(classSpace|classHigh) != 0 {
			if c&classSpace != 0 {
				return true
			}
			return hasSpaceRunes(s[i:])
		}
	}
	return false
}

// hasSpaceRunes is hasSpace for the rest of a string from its first
// non-ASCII byte.
func hasSpaceRunes(s string) bool {
	for _, r := range s {
		switch r {
		case 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		if r >= 0x2000 && r <= 0x200a {
			return true
		}
		if r == ' ' || r >= '\t' && r <= '\r' {
			return true
		}
	}
	return false
}

// Byte classes for hasSpace and validIRIChars, one table lookup per byte.
const (
	classSpace    = 1 << iota // ASCII white space (JavaScript \s)
	classHigh                 // non-ASCII
	classNotInIRI             // not allowed unescaped in an N-Quads IRI
)

var byteClass = func() (t [256]uint8) {
	for c := range t {
		if c == ' ' || c >= '\t' && c <= '\r' {
			t[c] |= classSpace
		}
		if c >= 0x80 {
			t[c] |= classHigh
		}
		if c <= 0x20 || strings.IndexByte(`<>"{}|^`+"`\\", byte(c)) >= 0 {
			t[c] |= classNotInIRI
		}
	}
	return t
}()

func isBlank(s string) bool { return strings.HasPrefix(s, "_:") }

// validIRIChars reports whether an absolute IRI can be written in N-Quads
// without escaping (no controls, space or <>"{}|^`\).
func validIRIChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if byteClass[s[i]]&classNotInIRI != 0 {
			return false
		}
	}
	return true
}

// validLanguage is jsonld.js's BCP 47 test: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*.
func validLanguage(s string) bool {
	i := 0
	for i < len(s) && isSchemeAlpha(s[i]) {
		i++
	}
	if i == 0 || i > 8 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for i < len(s) && (isSchemeAlpha(s[i]) || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		if i == j || i-j > 8 {
			return false
		}
	}
	return true
}

// resolveIRI resolves ref against base per RFC 3986 section 5.2. base must
// be absolute.
func resolveIRI(base, ref string) string {
	if ref == "" {
		if i := strings.IndexByte(base, '#'); i >= 0 {
			return base[:i]
		}
		return base
	}
	// ref has a scheme: it is absolute already.
	if hasScheme(ref) {
		s, rest := splitScheme(ref)
		return s + ":" + removeDotsInRef(rest)
	}
	bScheme, bRest := splitScheme(base)
	bAuth, bPath, bQuery := splitRest(bRest)
	if strings.HasPrefix(ref, "//") {
		a, p, q, f := splitRef(ref)
		return bScheme + ":" + a + removeDotSegments(p) + q + f
	}
	_, rPath, rQuery, rFrag := splitRef(ref)
	var path, query string
	if rPath == "" {
		path = bPath
		if rQuery != "" {
			query = rQuery
		} else {
			query = bQuery
		}
	} else {
		if strings.HasPrefix(rPath, "/") {
			path = removeDotSegments(rPath)
		} else {
			// merge
			var merged string
			if bAuth != "" && bPath == "" {
				merged = "/" + rPath
			} else if i := strings.LastIndexByte(bPath, '/'); i >= 0 {
				merged = bPath[:i+1] + rPath
			} else {
				merged = rPath
			}
			path = removeDotSegments(merged)
		}
		query = rQuery
	}
	return bScheme + ":" + bAuth + path + query + rFrag
}

func hasScheme(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !isSchemeAlpha(s[0]) {
		return false
	}
	for i := 1; i < colon; i++ {
		c := s[i]
		if !(isSchemeAlpha(c) || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func splitScheme(s string) (string, string) {
	i := strings.IndexByte(s, ':')
	return s[:i], s[i+1:]
}

// splitRest splits "//auth/path?query#frag" (after the scheme) into the
// authority (with its "//"), the path and the query (with its "?").
func splitRest(s string) (auth, path, query string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		query = s[i:]
		s = s[:i]
	}
	if strings.HasPrefix(s, "//") {
		j := strings.IndexByte(s[2:], '/')
		if j < 0 {
			return s, "", query
		}
		return s[:2+j], s[2+j:], query
	}
	return "", s, query
}

func splitRef(s string) (auth, path, query, frag string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		frag = s[i:]
		s = s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		query = s[i:]
		s = s[:i]
	}
	if strings.HasPrefix(s, "//") {
		j := strings.IndexByte(s[2:], '/')
		if j < 0 {
			return s, "", query, frag
		}
		return s[:2+j], s[2+j:], query, frag
	}
	return "", s, query, frag
}

func removeDotsInRef(rest string) string {
	a, p, q, f := splitRef(rest)
	return a + removeDotSegments(p) + q + f
}

// removeDotSegments is RFC 3986 section 5.2.4.
func removeDotSegments(in string) string {
	if !strings.Contains(in, ".") {
		return in
	}
	var out []string
	abs := strings.HasPrefix(in, "/")
	segs := strings.Split(in, "/")
	if abs {
		segs = segs[1:]
	}
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if abs {
		return "/" + r
	}
	return r
}
