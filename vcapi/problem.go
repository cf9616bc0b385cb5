package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/verifier"
)

// problem is an RFC 9457 problem details object. Extra holds extension
// members (the verification result of a credential that did not verify).
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Errors lists the individual problems, when there are several (the
	// validation problems of a refused credential).
	Errors any `json:"errors,omitempty"`
	Extra  map[string]any
}

// MarshalJSON writes the members, then the extension members.
func (p *problem) MarshalJSON() ([]byte, error) {
	m := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status}
	if p.Detail != "" {
		m["detail"] = p.Detail
	}
	if p.Errors != nil {
		m["errors"] = p.Errors
	}
	for k, v := range p.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

func writeProblem(w http.ResponseWriter, p *problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	writeJSON(w, p.Status, "application/problem+json", p)
}

// jsonBuffers recycle the buffers answers are encoded into: an answer is
// written and its buffer is free again.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer bounds the buffers kept for reuse: a rare huge answer is
// not kept alive.
const maxPooledBuffer = 64 << 10

func writeJSON(w http.ResponseWriter, code int, contentType string, v any) {
	b := jsonBuffers.Get().(*bytes.Buffer)
	b.Reset()
	defer func() {
		if b.Cap() <= maxPooledBuffer {
			jsonBuffers.Put(b)
		}
	}()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		code, contentType = http.StatusInternalServerError, "application/problem+json"
		b.Reset()
		b.WriteString(`{"type":"about:blank","title":"Internal Server Error","status":500}` + "\n")
	}
	writeBody(w, code, contentType, b.Bytes())
}

// writeBody writes a whole answer: its headers, with its Content-Length
// (so that net/http sends it as it is, without chunking or measuring it
// again), then body.
func writeBody(w http.ResponseWriter, code int, contentType string, body []byte) {
	h := w.Header()
	switch contentType {
	case "application/json":
		h["Content-Type"] = headerJSON
	case "application/problem+json":
		h["Content-Type"] = headerProblemJSON
	default:
		h.Set("Content-Type", contentType)
	}
	h["X-Content-Type-Options"] = headerNosniff
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(code)
	w.Write(body)
}

// The values of the headers every answer has, shared by all answers
// (net/http only reads them, and copies the header when it is written)
// rather than allocated for each.
var (
	headerJSON        = []string{"application/json"}
	headerProblemJSON = []string{"application/problem+json"}
	headerNosniff     = []string{"nosniff"}
)

// readBodyInto checks the content type and reads the body within the
// server's bound, into buf when it fits (its Content-Length is known and
// within cap(buf)). On failure it has written the problem and returns ok
// false.
func (s *Server) readBodyInto(w http.ResponseWriter, r *http.Request, buf []byte) (body []byte, ok bool) {
	ct := r.Header.Get("Content-Type")
	if ct != "application/json" && ct != "application/ld+json" {
		// Anything but the two plain forms (parameters, case, spaces)
		// is parsed.
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "application/ld+json") {
			writeProblem(w, &problem{Status: http.StatusUnsupportedMediaType, Type: verifier.ProblemParsing,
				Title:  "Unsupported Media Type",
				Detail: fmt.Sprintf("Content-Type %q: send application/json or application/ld+json", ct)})
			return nil, false
		}
	}
	var err error
	if n := r.ContentLength; n > 0 && n <= s.maxBody {
		// The size is announced and within the bound: one buffer of that
		// size, and a check that nothing follows (net/http's body never
		// gives more than its Content-Length, but a handler can be given
		// any body).
		if int64(cap(buf)) >= n {
			body = buf[:n]
		} else {
			body = make([]byte, n)
		}
		if _, err = io.ReadFull(r.Body, body); err == nil {
			var one [1]byte
			if k, _ := r.Body.Read(one[:]); k > 0 {
				err = errors.New("the body is longer than its Content-Length")
			}
		}
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, &problem{Status: http.StatusRequestEntityTooLarge, Type: verifier.ProblemParsing,
				Detail: fmt.Sprintf("the request body is larger than %d bytes", s.maxBody)})
			return nil, false
		}
		writeProblem(w, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing,
			Detail: "reading the request body: " + err.Error()})
		return nil, false
	}
	return body, true
}

// readRequest reads the request body (see readBodyInto) and decodes it into v
// (see decodeRequest): the start of every handler that takes a JSON
// request. When the body cannot be read it writes readBodyInto's problem; when
// it does not decode it calls malformed, which writes the handler's own
// problem for a malformed request. It returns whether v was decoded.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request, v any, malformed func(error)) bool {
	_, ok := s.readRequestInto(w, r, nil, v, malformed)
	return ok
}

// readRequestInto is readRequest reading the body into buf when it fits
// (see readBodyInto); it returns the body read.
func (s *Server) readRequestInto(w http.ResponseWriter, r *http.Request, buf []byte, v any, malformed func(error)) ([]byte, bool) {
	body, ok := s.readBodyInto(w, r, buf)
	if !ok {
		return body, false
	}
	if err := decodeRequest(body, v); err != nil {
		malformed(err)
		return body, false
	}
	return body, true
}

// decodeRequest reads the top-level request object into v. The request's
// own members are read strictly: a duplicate member anywhere in them is
// refused, and so is a case variant of a member the server reads, which
// encoding/json would otherwise take for it ("Credential" for
// "credential"): the last one would win. Values of the wrong JSON type are
// reported with the member's name. The credential or presentation a
// request carries (payloadMembers) is not decoded here: its bytes are
// handed to v (a payloadSetter) for its own parser, which reads it
// strictly, once.
func decodeRequest(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return errors.New("the request body must be a JSON object")
	}
	members, err := splitObject(trimmed)
	if err != nil {
		return fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	// The request's own members, as an object of their own: small, and
	// read strictly.
	own := make([]byte, 0, 64)
	own = append(own, '{')
	for i, m := range members {
		// A request has a few members: a scan finds a duplicate sooner
		// than a map is made.
		for _, earlier := range members[:i] {
			if earlier.name == m.name {
				return fmt.Errorf("the request body is not valid JSON: duplicate member %q", m.name)
			}
		}
		if payloadMembers[m.name] {
			continue
		}
		if len(own) > 1 {
			own = append(own, ',')
		}
		own = append(own, m.rawName...)
		own = append(own, ':')
		own = append(own, m.value...)
	}
	own = append(own, '}')
	if len(own) > 2 {
		// The body is already bounded (Config.MaxBody).
		doc, err := strictjson.Decode(own, strictjson.Options{MaxBytes: len(own), MaxDepth: strictjson.HardMaxDepth, MaxKeys: len(own)})
		if err != nil {
			return fmt.Errorf("the request body is not valid JSON: %v", err)
		}
		if err := checkWrapper(doc, "$", 0); err != nil {
			return err
		}
		if err := json.Unmarshal(own, v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return fmt.Errorf("member %q: a JSON %s where %s was expected", te.Field, te.Value, jsonKind(te.Type.Kind().String()))
			}
			return fmt.Errorf("the request body is not valid JSON: %v", err)
		}
	}
	if ps, ok := v.(payloadSetter); ok {
		for _, m := range members {
			if payloadMembers[m.name] {
				ps.setPayload(m.name, m.value)
			}
		}
	}
	return nil
}

// payloadSetter is a request that carries a credential or presentation:
// decodeRequest gives it the member's bytes.
type payloadSetter interface {
	setPayload(name string, raw json.RawMessage)
}

// member is one member of a JSON object: its name, the name as written
// (quoted, escapes and all), and its value's bytes.
type member struct {
	name    string
	rawName []byte
	value   []byte
}

// splitObject splits a JSON object into its members without decoding
// their values: it finds where each value ends (strings, and the nesting
// of objects and arrays, are followed; the values are checked by whoever
// reads them). Member names are decoded. Anything after the object, or an
// object that does not end, is an error.
func splitObject(b []byte) ([]member, error) {
	i := skipSpace(b, 1)
	var out []member
	if i < len(b) && b[i] == '}' {
		if skipSpace(b, i+1) != len(b) {
			return nil, errors.New("data after the object")
		}
		return out, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, fmt.Errorf("a member name expected at offset %d", i)
		}
		end, err := skipString(b, i)
		if err != nil {
			return nil, err
		}
		name, err := memberName(b[i:end])
		if err != nil {
			return nil, fmt.Errorf("member name at offset %d: %v", i, err)
		}
		m := member{name: name, rawName: b[i:end]}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, fmt.Errorf("':' expected at offset %d", i)
		}
		i = skipSpace(b, i+1)
		end, err = skipValue(b, i)
		if err != nil {
			return nil, err
		}
		m.value = b[i:end]
		out = append(out, m)
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, errors.New("the object does not end")
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
			continue
		case '}':
			if skipSpace(b, i+1) != len(b) {
				return nil, errors.New("data after the object")
			}
			return out, nil
		}
		return nil, fmt.Errorf("',' or '}' expected at offset %d", i)
	}
}

// memberName decodes a quoted member name: as written when it holds no
// escape, no control character and no invalid UTF-8 (every name a client
// sends), else by encoding/json.
func memberName(q []byte) (string, error) {
	plain := utf8.Valid(q)
	for _, c := range q[1 : len(q)-1] {
		if c == '\\' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain {
		return string(q[1 : len(q)-1]), nil
	}
	var name string
	err := json.Unmarshal(q, &name)
	return name, err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the string that starts at b[i]:
// after the next quote that an even number of backslashes precedes.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			break
		}
		j += k
		escaped := false
		for p := j - 1; p > i && b[p] == '\\'; p-- {
			escaped = !escaped
		}
		if !escaped {
			return j + 1, nil
		}
		j++
	}
	return 0, errors.New("a string does not end")
}

// skipValue returns the offset after the value that starts at b[i]:
// a string, an object or array (to its matching end), or a literal or
// number (to the next delimiter).
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("a value expected")
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			if !structural[b[j]] {
				continue
			}
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errors.New("an object or array does not end")
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\n\r", rune(b[j])) {
		j++
	}
	if j == i {
		return 0, fmt.Errorf("a value expected at offset %d", i)
	}
	return j, nil
}

// structural marks the bytes skipValue looks for inside an object or
// array: quotes and brackets.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// payloadMembers are the request members that carry a document read by its
// own strict parser (credential, verifier, presentation).
var payloadMembers = map[string]bool{"credential": true, "verifiableCredential": true, "verifiablePresentation": true}

// requestMembers are the names of the members of VC-API requests and their
// options that the server reads; a case variant of one is refused.
var requestMembers = []string{
	"credential", "verifiableCredential", "verifiablePresentation", "options",
	"credentialId", "credentialStatus", "status", "reason", "type", "statusPurpose",
	"cryptosuite", "checks", "expectedProofPurpose", "domain", "challenge", "lenient", "requireHolder",
}

// checkWrapper refuses, in the request's own members (not inside a
// payload), a case variant of a member name the server reads: with the
// exact duplicates the strict decoder refuses, no two members can then be
// taken for the same one.
func checkWrapper(v any, path string, depth int) error {
	if depth > 32 {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			for _, name := range requestMembers {
				if k != name && strings.EqualFold(k, name) {
					return fmt.Errorf("member %q of %s: the member is %q (names are case-sensitive)", k, path, name)
				}
			}
			if depth == 0 && payloadMembers[k] {
				continue
			}
			if err := checkWrapper(val, path+"."+k, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := checkWrapper(e, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice":
		return "an array"
	case "bool":
		return "a boolean"
	}
	return "another type"
}

// objectMember checks that a raw member is a JSON object, and says what it
// is otherwise.
func objectMember(name string, raw json.RawMessage) error {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return fmt.Errorf("%s is required", name)
	}
	switch t[0] {
	case '{':
		return nil
	case 'n':
		return fmt.Errorf("%s is null; it must be a JSON object", name)
	case '"':
		return fmt.Errorf("%s is a JSON string; it must be a JSON object", name)
	case '[':
		return fmt.Errorf("%s is an array; it must be a JSON object", name)
	}
	return fmt.Errorf("%s must be a JSON object", name)
}
