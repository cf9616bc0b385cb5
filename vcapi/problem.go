package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

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

func writeJSON(w http.ResponseWriter, code int, contentType string, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		code, contentType = http.StatusInternalServerError, "application/problem+json"
		b.Reset()
		b.WriteString(`{"type":"about:blank","title":"Internal Server Error","status":500}` + "\n")
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// readBody checks the content type and reads the body within the server's
// bound. On failure it has written the problem and returns ok false.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && mt != "application/ld+json") {
		writeProblem(w, &problem{Status: http.StatusUnsupportedMediaType, Type: verifier.ProblemParsing,
			Title:  "Unsupported Media Type",
			Detail: fmt.Sprintf("Content-Type %q: send application/json or application/ld+json", ct)})
		return nil, false
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
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

// readRequest reads the request body (see readBody) and decodes it into v
// (see decodeRequest): the start of every handler that takes a JSON
// request. When the body cannot be read it writes readBody's problem; when
// it does not decode it calls malformed, which writes the handler's own
// problem for a malformed request. It returns whether v was decoded.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request, v any, malformed func(error)) bool {
	body, ok := s.readBody(w, r)
	if !ok {
		return false
	}
	if err := decodeRequest(body, v); err != nil {
		malformed(err)
		return false
	}
	return true
}

// decodeRequest reads the top-level request object into v. The body is
// read strictly first: a duplicate member anywhere is refused, and in the
// request's own members (all but the credential or presentation it
// carries, which their own parsers read strictly) so is a case variant of
// a member the server reads, which encoding/json would otherwise take for
// it ("Credential" for "credential"): the last one would win. Values of the wrong JSON type
// are reported with the member's name.
func decodeRequest(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return errors.New("the request body must be a JSON object")
	}
	// The body is already bounded (Config.MaxBody); depth and member
	// counts are the payload parsers' to judge.
	doc, err := strictjson.Decode(trimmed, strictjson.Options{MaxBytes: len(trimmed), MaxDepth: strictjson.HardMaxDepth, MaxKeys: len(trimmed)})
	if err != nil {
		return fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	if err := checkWrapper(doc, "$", 0); err != nil {
		return err
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("member %q: a JSON %s where %s was expected", te.Field, te.Value, jsonKind(te.Type.Kind().String()))
		}
		return fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	return nil
}

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
