package vcapi

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// ErrTokens is wrapped by every error ReadTokens returns for a token file
// it cannot use.
var ErrTokens = errors.New("vcapi: invalid token file")

// AnyIssuer is the Token.Issuer of a token that acts for every issuer.
const AnyIssuer = "*"

// tokenPrefix starts every secret NewToken makes, so that secret scanners
// and people recognise one.
const tokenPrefix = "obt_"

// maxTokenFile bounds a token file.
const maxTokenFile = 1 << 20

// Token is a bearer token of the endpoints that change state (issue,
// status updates, publish): the SHA-256 of its secret, never the secret,
// and the issuer it acts for. The secrets are random (NewToken), so a
// plain hash is enough: there is nothing to guess.
type Token struct {
	// Name tells the token apart in logs ("registrar", "ci").
	Name string `json:"name"`
	// Issuer is the name of the issuer the token acts for ("" for the
	// issuer at /credentials/issue), or AnyIssuer.
	Issuer string `json:"issuer"`
	// SHA256 is the hex SHA-256 of the secret.
	SHA256 string `json:"sha256"`

	hash [sha256.Size]byte
}

// NewToken makes a token for issuer: a random secret, to give to the
// client once, and the Token to keep in the token file.
func NewToken(name, issuer string) (secret string, t Token, err error) {
	if issuer != "" && issuer != AnyIssuer && !nameRE.MatchString(issuer) {
		return "", Token{}, fmt.Errorf("%w: issuer %q is not an issuer name", ErrTokens, issuer)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", Token{}, err
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(secret))
	return secret, Token{Name: name, Issuer: issuer, SHA256: hex.EncodeToString(h[:]), hash: h}, nil
}

// MarshalLine returns t as one line of a token file, newline included.
func (t Token) MarshalLine() []byte {
	b, _ := json.Marshal(struct {
		Name   string `json:"name"`
		Issuer string `json:"issuer"`
		SHA256 string `json:"sha256"`
	}{t.Name, t.Issuer, t.SHA256})
	return append(b, '\n')
}

// Tokens is a set of bearer tokens (see Token), read from a token file.
// Replace changes the set while a Server uses it.
type Tokens struct {
	list atomic.Pointer[[]Token]
}

// tokens returns the current list.
func (ts *Tokens) tokens() []Token {
	if p := ts.list.Load(); p != nil {
		return *p
	}
	return nil
}

// Replace makes ts hold the tokens of from (none when from is nil), for
// every request authenticated after it returns: a token file re-read
// revokes the tokens it no longer lists without a restart.
func (ts *Tokens) Replace(from *Tokens) {
	var l []Token
	if from != nil {
		l = from.tokens()
	}
	ts.list.Store(&l)
}

// ReadTokens reads a token file: one JSON object per line,
// {"name": …, "issuer": …, "sha256": …}, as "badge serve token add"
// writes them. Blank lines and lines starting with # are ignored.
// Unknown members are refused, so that a misspelt one is not ignored.
func ReadTokens(r io.Reader) (*Tokens, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxTokenFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTokenFile {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrTokens, maxTokenFile)
	}
	var list []Token
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxTokenFile)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		var t Token
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil || dec.More() {
			if err == nil {
				err = errors.New("data after the object")
			}
			return nil, fmt.Errorf("%w: line %d: %v", ErrTokens, n, err)
		}
		h, err := hex.DecodeString(t.SHA256)
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("%w: line %d: sha256 must be 64 hex digits", ErrTokens, n)
		}
		copy(t.hash[:], h)
		if t.Issuer != "" && t.Issuer != AnyIssuer && !nameRE.MatchString(t.Issuer) {
			return nil, fmt.Errorf("%w: line %d: issuer %q is not an issuer name", ErrTokens, n, t.Issuer)
		}
		list = append(list, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTokens, err)
	}
	ts := &Tokens{}
	ts.list.Store(&list)
	return ts, nil
}

// Len returns the number of tokens.
func (ts *Tokens) Len() int { return len(ts.tokens()) }

// match returns the token whose secret is given, comparing the secret's
// hash with every token's in constant time, so that the time taken says
// nothing of which, or how much of one, matched.
func (ts *Tokens) match(secret string) (Token, bool) {
	h := sha256.Sum256([]byte(secret))
	list := ts.tokens()
	found := -1
	for i := range list {
		if subtle.ConstantTimeCompare(h[:], list[i].hash[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return Token{}, false
	}
	return list[found], true
}

// authRealm is the realm of the WWW-Authenticate challenge.
const authRealm = "badge serve"

// authenticate checks the request's bearer token. It returns the token,
// or writes 401 (no token, or one that is not known) or 403 (the server
// accepts no tokens at all: state-changing endpoints are disabled) and
// returns ok false. With Config.InsecureNoAuth it lets everything through.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (tok Token, ok bool) {
	if s.noAuth {
		return Token{Issuer: AnyIssuer, Name: "insecure-no-auth"}, true
	}
	if s.tokens == nil {
		writeProblem(w, &problem{Status: http.StatusForbidden,
			Detail: "this endpoint changes the server's state and is disabled: the server has no bearer tokens (badge serve --auth-tokens FILE)"})
		return Token{}, false
	}
	scheme, secret, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+authRealm+`"`)
		writeProblem(w, &problem{Status: http.StatusUnauthorized,
			Detail: "this endpoint needs a bearer token: Authorization: Bearer TOKEN"})
		return Token{}, false
	}
	tok, ok = s.tokens.match(strings.TrimSpace(secret))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+authRealm+`", error="invalid_token"`)
		writeProblem(w, &problem{Status: http.StatusUnauthorized, Detail: "the bearer token is not valid"})
		return Token{}, false
	}
	return tok, true
}

// authorize checks that tok acts for the issuer named issuer, and writes
// 403 when it does not.
func authorize(w http.ResponseWriter, tok Token, issuer string) bool {
	if tok.Issuer == AnyIssuer || tok.Issuer == issuer {
		return true
	}
	writeProblem(w, &problem{Status: http.StatusForbidden,
		Detail: fmt.Sprintf("the bearer token %q does not act for this issuer", tok.Name)})
	return false
}

// forIssuer wraps a state-changing handler of the issuer named in the
// path ({name}, or "" for the default issuer): the request must carry a
// token that acts for that issuer.
func (s *Server) forIssuer(name func(*http.Request) string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := s.authenticate(w, r)
		if !ok || !authorize(w, tok, name(r)) {
			return
		}
		h(w, r)
	}
}
