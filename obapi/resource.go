package obapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
)

// StatusInfo is the imsx_StatusInfo error body of the API.
type StatusInfo struct {
	CodeMajor   string     `json:"imsx_codeMajor"`
	Severity    string     `json:"imsx_severity"`
	Description string     `json:"imsx_description,omitempty"`
	CodeMinor   *CodeMinor `json:"imsx_codeMinor,omitempty"`
}

// CodeMinor carries the imsx code minor values.
type CodeMinor struct {
	Fields []CodeMinorField `json:"imsx_codeMinorField"`
}

// CodeMinorField is one code minor value.
type CodeMinorField struct {
	Name  string `json:"imsx_codeMinorFieldName"`
	Value string `json:"imsx_codeMinorFieldValue"`
}

// writeStatus writes an imsx_StatusInfo failure with its code minor.
func writeStatus(w http.ResponseWriter, code int, minor, description string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, code, StatusInfo{
		CodeMajor: "failure", Severity: "error", Description: description,
		CodeMinor: &CodeMinor{Fields: []CodeMinorField{{Name: "openbadges", Value: minor}}},
	})
}

// authorize checks the request's bearer token and that it carries scope.
// It answers 401 (no token, or not a live one) or 403 (the scope is
// missing) itself and returns ok false.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scope string) (g grant, ok bool) {
	auth := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="openbadges", scope="`+scope+`"`)
		writeStatus(w, http.StatusUnauthorized, "unauthorizedrequest", "an access token is required (Authorization: Bearer)")
		return g, false
	}
	g, err := s.accessGrant(r, strings.TrimSpace(token))
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			s.cfg.Logger.Error("obapi: checking a token", "err", err)
			writeStatus(w, http.StatusServiceUnavailable, "server_busy", "the token could not be checked now")
			return g, false
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="openbadges", error="invalid_token"`)
		writeStatus(w, http.StatusUnauthorized, "unauthorizedrequest", "the access token is not valid: expired, revoked or unknown")
		return g, false
	}
	if !slices.Contains(g.Scopes, scope) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="openbadges", error="insufficient_scope", scope="`+scope+`"`)
		writeStatus(w, http.StatusForbidden, "forbidden", "the access token lacks the scope "+scope)
		return g, false
	}
	return g, true
}

// accessGrant reads a bearer token: the library's encryption of the token
// id and subject, whose id must be a live access token of that subject.
func (s *Server) accessGrant(r *http.Request, token string) (grant, error) {
	plain, err := s.provider.Crypto().Decrypt(token)
	if err != nil {
		return grant{}, fmt.Errorf("%w: not a token of this server", ErrNotFound)
	}
	id, subject, ok := strings.Cut(plain, ":")
	if !ok {
		return grant{}, fmt.Errorf("%w: malformed token", ErrNotFound)
	}
	g, err := s.store.accessGrant(r.Context(), id)
	if err != nil {
		return grant{}, err
	}
	if g.UserID != subject {
		return grant{}, fmt.Errorf("%w: token subject mismatch", ErrNotFound)
	}
	return g, nil
}

// notAllowed answers the API's paths with methods it does not serve.
func (s *Server) notAllowed(w http.ResponseWriter, r *http.Request) {
	switch strings.TrimPrefix(r.URL.Path, APIPath) {
	case "/credentials", "/profile", "/discovery":
		writeStatus(w, http.StatusMethodNotAllowed, "not_allowed", r.Method+" is not allowed here")
	default:
		writeStatus(w, http.StatusNotFound, "not_found", "no such endpoint")
	}
}

// credentialsResponse is GetOpenBadgeCredentialsResponse.
type credentialsResponse struct {
	Credential       []json.RawMessage `json:"credential,omitempty"`
	CompactJwsString []string          `json:"compactJwsString,omitempty"`
}

// getCredentials is getCredentials: the learner's credentials, paged.
func (s *Server) getCredentials(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authorize(w, r, ScopeCredentialReadonly)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, offset := DefaultPageSize, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeStatus(w, http.StatusBadRequest, "invalid_query_parameter", "limit: a whole number of at least 1")
			return
		}
		limit = min(n, MaxPageSize)
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeStatus(w, http.StatusBadRequest, "invalid_query_parameter", "offset: a whole number of at least 0")
			return
		}
		offset = n
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := parseSince(v)
		if err != nil {
			writeStatus(w, http.StatusBadRequest, "invalid_query_parameter", "since: an ISO 8601 date-time (2024-01-31T12:00:00Z)")
			return
		}
		since = t
	}
	page, err := s.store.Credentials(r.Context(), g.UserID, since, offset, limit)
	if err != nil {
		s.cfg.Logger.Error("obapi: listing credentials", "err", err)
		writeStatus(w, http.StatusServiceUnavailable, "server_busy", "the credentials could not be read now")
		return
	}
	var resp credentialsResponse
	for _, c := range page.Credentials {
		if c.Format == FormatJWS {
			resp.CompactJwsString = append(resp.CompactJwsString, string(c.Body))
		} else {
			resp.Credential = append(resp.Credential, json.RawMessage(c.Body))
		}
	}
	h := w.Header()
	h.Set("X-Total-Count", strconv.Itoa(page.Total))
	if links := s.pageLinks(q, page.Total, offset, limit); links != "" {
		h.Set("Link", links)
	}
	h.Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

// parseSince reads an RFC 3339 date-time, or one without a time zone
// (the OpenAPI's YYYY-MM-DDThh:mm:ss), taken as UTC.
func parseSince(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05", v)
}

// pageLinks returns the RFC 8288 Link header of a page: first, last, and
// prev and next where they exist.
func (s *Server) pageLinks(q url.Values, total, offset, limit int) string {
	link := func(rel string, off int) string {
		v := url.Values{}
		if since := q.Get("since"); since != "" {
			v.Set("since", since)
		}
		v.Set("limit", strconv.Itoa(limit))
		v.Set("offset", strconv.Itoa(off))
		return "<" + s.base.String() + APIPath + "/credentials?" + v.Encode() + `>; rel="` + rel + `"`
	}
	last := 0
	if total > 0 {
		last = (total - 1) / limit * limit
	}
	links := []string{link("first", 0), link("last", last)}
	if offset > 0 {
		links = append(links, link("prev", max(0, offset-limit)))
	}
	if offset+limit < total {
		links = append(links, link("next", offset+limit))
	}
	return strings.Join(links, ", ")
}

// readBody reads a request body of at most limit bytes; too large gives
// 413, answered here.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "invalid_data", "the request body could not be read")
		return nil, false
	}
	if int64(len(body)) > limit {
		writeStatus(w, http.StatusRequestEntityTooLarge, "invalid_data", fmt.Sprintf("the request body is larger than %d bytes", limit))
		return nil, false
	}
	return body, true
}

// upsertCredential is upsertCredential: the credential (JSON, or a
// compact JWS as text/plain) is verified, then stored for the learner,
// replacing the one with the same issuer and id: 201 when new, 200 when
// replaced, with the credential as received.
func (s *Server) upsertCredential(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authorize(w, r, ScopeCredentialUpsert)
	if !ok {
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	format := FormatJSON
	switch mt {
	case "application/json", "application/vc+ld+json", "application/ld+json":
	case "text/plain", "application/vc+jwt", "application/jwt":
		format = FormatJWS
	default:
		writeStatus(w, http.StatusBadRequest, "invalid_data", "Content-Type: application/json (a credential) or text/plain (a compact JWS)")
		return
	}
	body, ok := readBody(w, r, s.cfg.MaxCredentialBytes)
	if !ok {
		return
	}
	if format == FormatJWS {
		body = bytes.TrimSpace(body)
	}
	if (format == FormatJSON) != (len(body) > 0 && body[0] == '{') {
		writeStatus(w, http.StatusBadRequest, "invalid_data", "the body does not match its Content-Type: a JSON object for application/json, a compact JWS for text/plain")
		return
	}
	res, err := s.cfg.Verifier.Verify(r.Context(), body)
	if err != nil {
		writeStatus(w, http.StatusBadRequest, "invalid_data", "the credential could not be verified: "+err.Error())
		return
	}
	if !res.Verified || res.Credential == nil {
		reason := "it did not verify"
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			reason = strings.TrimSpace(e.Title + ": " + e.Detail)
		}
		writeStatus(w, http.StatusBadRequest, "invalid_data", "the credential is refused: "+reason)
		return
	}
	c := res.Credential
	if !slices.ContainsFunc(c.Type.Items, func(t string) bool { return t == "OpenBadgeCredential" || t == "AchievementCredential" }) {
		writeStatus(w, http.StatusBadRequest, "invalid_data", "type: an OpenBadgeCredential (AchievementCredential) is expected")
		return
	}
	issued := c.ValidFrom
	if issued == "" {
		issued = c.IssuanceDate
	}
	issuedAt, _ := time.Parse(time.RFC3339Nano, string(issued))
	if c.ID == "" {
		writeStatus(w, http.StatusBadRequest, "invalid_data", "id: a credential without an id cannot be stored (it is how an update finds it)")
		return
	}
	created, err := s.store.PutCredential(r.Context(), g.UserID, StoredCredential{
		IssuerID: c.Issuer.ID(), ID: c.ID, Format: format, Body: body, IssuedAt: issuedAt,
	})
	if err != nil {
		s.cfg.Logger.Error("obapi: storing a credential", "err", err)
		writeStatus(w, http.StatusServiceUnavailable, "server_busy", "the credential could not be stored now")
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	if format == FormatJWS {
		w.Header().Set("Content-Type", "text/plain")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(code)
	w.Write(body)
}

// defaultProfile is the profile of a learner who has stored none.
func defaultProfile(userID, name string) json.RawMessage {
	p := map[string]any{"id": "urn:uuid:" + userID, "type": []string{"Profile"}}
	if name != "" {
		p["name"] = name
	}
	b, _ := json.Marshal(p)
	return b
}

// getProfile is getProfile.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authorize(w, r, ScopeProfileReadonly)
	if !ok {
		return
	}
	body, found, err := s.store.Profile(r.Context(), g.UserID)
	if err != nil {
		s.cfg.Logger.Error("obapi: reading a profile", "err", err)
		writeStatus(w, http.StatusServiceUnavailable, "server_busy", "the profile could not be read now")
		return
	}
	if !found {
		name := ""
		if a, err := s.store.AccountByID(r.Context(), g.UserID); err == nil {
			name = a.Username
		}
		body = defaultProfile(g.UserID, name)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// putProfile is putProfile: a JSON Profile (id and type with "Profile"
// required), stored as given.
func (s *Server) putProfile(w http.ResponseWriter, r *http.Request) {
	g, ok := s.authorize(w, r, ScopeProfileUpdate)
	if !ok {
		return
	}
	body, ok := readBody(w, r, s.cfg.MaxProfileBytes)
	if !ok {
		return
	}
	if err := checkProfile(body); err != nil {
		writeStatus(w, http.StatusBadRequest, "invalid_data", err.Error())
		return
	}
	if err := s.store.PutProfile(r.Context(), g.UserID, body); err != nil {
		s.cfg.Logger.Error("obapi: storing a profile", "err", err)
		writeStatus(w, http.StatusServiceUnavailable, "server_busy", "the profile could not be stored now")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// checkProfile reads a profile strictly (no duplicate members, bounded
// depth) and checks the members the OB Profile class requires.
func checkProfile(body []byte) error {
	v, err := strictjson.Decode(body, strictjson.Options{MaxBytes: len(body) + 1})
	if err != nil {
		return fmt.Errorf("the profile is not valid JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return errors.New("the profile must be a JSON object")
	}
	if id, _ := m["id"].(string); id == "" {
		return errors.New("id: required (a URI)")
	} else if u, err := url.Parse(id); err != nil || u.Scheme == "" {
		return errors.New("id: must be a URI")
	}
	types, _ := m["type"].([]any)
	if !slices.Contains(types, any("Profile")) {
		return errors.New(`type: an array containing "Profile"`)
	}
	return nil
}
