package did

import (
	"fmt"
	"strings"
)

// maxDIDLength bounds any DID or DID URL this package processes. The longest
// legitimate one here is a did:jwk of an 8192-bit RSA key (about 2.4 KB).
const maxDIDLength = 4096

// parseDID checks DID syntax (DID Core §3.1) and returns the method name and
// method-specific id. Paths, queries and fragments are not part of a DID.
func parseDID(s string) (method, msid string, err error) {
	if len(s) > maxDIDLength {
		return "", "", newError(ErrInvalidDID, s, "too long")
	}
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return "", "", newError(ErrInvalidDID, s, `does not start with "did:"`)
	}
	method, msid, ok = strings.Cut(rest, ":")
	if !ok || method == "" {
		return "", "", newError(ErrInvalidDID, s, "no method name")
	}
	for i := 0; i < len(method); i++ {
		c := method[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return "", "", newError(ErrInvalidDID, s, "method name must be lowercase letters and digits")
		}
	}
	if msid == "" || strings.HasSuffix(msid, ":") {
		return "", "", newError(ErrInvalidDID, s, "empty method-specific id")
	}
	for i := 0; i < len(msid); i++ {
		c := msid[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '-', c == '_', c == ':':
		case c == '%':
			if i+2 >= len(msid) || !isHex(msid[i+1]) || !isHex(msid[i+2]) {
				return "", "", newError(ErrInvalidDID, s, "bad percent-encoding")
			}
			i += 2
		default:
			return "", "", newError(ErrInvalidDID, s, fmt.Sprintf("character %q not allowed in a DID", c))
		}
	}
	return method, msid, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// splitDIDURL splits a DID URL into the DID and the fragment (without '#').
// Paths and queries are not supported: no method used here defines them.
func splitDIDURL(s string) (did, fragment string, err error) {
	did, fragment, hasFrag := strings.Cut(s, "#")
	if strings.ContainsAny(did, "/?") {
		return "", "", newError(ErrInvalidDID, s, "DID URL paths and queries are not supported")
	}
	if _, _, err := parseDID(did); err != nil {
		return "", "", err
	}
	if hasFrag && (fragment == "" || strings.ContainsAny(fragment, "#/? \t\r\n")) {
		return "", "", newError(ErrInvalidDID, s, "invalid fragment")
	}
	return did, fragment, nil
}

// Method returns the method name of a DID or DID URL ("key" for
// "did:key:z6Mk…"), or an error matching ErrInvalidDID.
func Method(didOrURL string) (string, error) {
	d, _, _ := strings.Cut(didOrURL, "#")
	m, _, err := parseDID(d)
	return m, err
}
