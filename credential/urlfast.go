package credential

import "strings"

// urlSafe marks the ASCII bytes that fastURL accepts after the scheme:
// letters, digits and the RFC 3986 unreserved and sub-delimiter characters,
// ':', '@' and '/'. Not '%', '?', '#' (but for a fragment: see fastURL),
// spaces, controls or non-ASCII: those take the net/url path.
var urlSafe = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~!$&'()*+,;=:@/" {
		t[c] = true
	}
	return t
}()

// fastURL decides isURL without net/url for the shapes almost every
// identifier in a credential has: "scheme:opaque" (did:, urn:) and
// "scheme://host/path" with a plain host name. decided is false for
// anything else, which isURL then hands to url.Parse. For what it decides,
// the answer is url.Parse's (FuzzFastURL compares them).
func fastURL(s string) (ok, decided bool) {
	i := 0
	for i < len(s) && s[i] != ':' {
		c := s[i]
		switch {
		case c|0x20 >= 'a' && c|0x20 <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false, false
		}
		i++
	}
	if i == 0 || i == len(s) {
		return false, false
	}
	rest := s[i+1:]
	// A fragment made of safe characters (a DID URL's key id) is set
	// aside: url.Parse takes it off first and accepts it.
	if k := strings.IndexByte(rest, '#'); k >= 0 {
		for j := k + 1; j < len(rest); j++ {
			if !urlSafe[rest[j]] {
				return false, false
			}
		}
		rest = rest[:k]
	}
	if rest == "" {
		return false, false
	}
	for j := 0; j < len(rest); j++ {
		if !urlSafe[rest[j]] {
			return false, false
		}
	}
	if rest[0] != '/' {
		return true, true // opaque: url.Parse sets Opaque
	}
	if !strings.HasPrefix(rest, "//") {
		return false, false
	}
	host := rest[2:]
	if k := strings.IndexByte(host, '/'); k >= 0 {
		host = host[:k]
	}
	if host == "" {
		return false, false
	}
	for j := 0; j < len(host); j++ {
		c := host[j]
		if !(c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false, false
		}
	}
	return true, true
}
