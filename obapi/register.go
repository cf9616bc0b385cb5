package obapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"unicode/utf8"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// Limits of a registration request.
const (
	MaxRegistrationBytes = 16 << 10
	MaxRedirectURIs      = 10
	MaxURIBytes          = 2048
	MaxNameBytes         = 256
	MaxContacts          = 10
)

// RegistrationError is an RFC 7591 error: Code is invalid_redirect_uri or
// invalid_client_metadata, Description names the field and the reason.
type RegistrationError struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func (e *RegistrationError) Error() string { return "obapi: " + e.Code + ": " + e.Description }

func metadataError(format string, a ...any) *RegistrationError {
	return &RegistrationError{Code: "invalid_client_metadata", Description: fmt.Sprintf(format, a...)}
}

// ValidateClientMetadata checks a registration request as the Open Badges
// API profiles RFC 7591 and fills in the defaults: client_name,
// client_uri, software_id, software_version, redirect_uris and scope are
// required; redirect URIs are https or http on a loopback address, without
// a fragment; the client authenticates with client_secret_basic (the
// default) or client_secret_post and uses the authorization code and
// refresh token grants only.
func ValidateClientMetadata(md *ClientMetadata) error {
	if len(md.RedirectURIs) == 0 {
		return &RegistrationError{Code: "invalid_redirect_uri", Description: "redirect_uris: required"}
	}
	if len(md.RedirectURIs) > MaxRedirectURIs {
		return &RegistrationError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect_uris: at most %d", MaxRedirectURIs)}
	}
	for i, u := range md.RedirectURIs {
		if err := checkClientURI(u); err != nil {
			return &RegistrationError{Code: "invalid_redirect_uri", Description: fmt.Sprintf("redirect_uris[%d]: %v", i, err)}
		}
	}
	for _, f := range []struct {
		name, v  string
		required bool
		uri      bool
	}{
		{"client_name", md.ClientName, true, false},
		{"client_uri", md.ClientURI, true, true},
		{"logo_uri", md.LogoURI, false, true},
		{"tos_uri", md.TOSURI, false, true},
		{"policy_uri", md.PolicyURI, false, true},
		{"software_id", md.SoftwareID, true, false},
		{"software_version", md.SoftwareVersion, true, false},
	} {
		switch {
		case f.v == "" && f.required:
			return metadataError("%s: required", f.name)
		case f.v == "":
		case !utf8.ValidString(f.v):
			return metadataError("%s: not UTF-8", f.name)
		case f.uri:
			if err := checkClientURI(f.v); err != nil {
				return metadataError("%s: %v", f.name, err)
			}
		case len(f.v) > MaxNameBytes:
			return metadataError("%s: longer than %d bytes", f.name, MaxNameBytes)
		}
	}
	if len(md.Contacts) > MaxContacts {
		return metadataError("contacts: at most %d", MaxContacts)
	}
	for i, c := range md.Contacts {
		if len(c) > MaxNameBytes || !utf8.ValidString(c) {
			return metadataError("contacts[%d]: longer than %d bytes or not UTF-8", i, MaxNameBytes)
		}
	}
	switch md.TokenEndpointAuthMethod {
	case "":
		md.TokenEndpointAuthMethod = string(oidc.AuthMethodBasic)
	case string(oidc.AuthMethodBasic), string(oidc.AuthMethodPost):
	default:
		return metadataError("token_endpoint_auth_method: %q is not client_secret_basic or client_secret_post", md.TokenEndpointAuthMethod)
	}
	if len(md.GrantTypes) == 0 {
		md.GrantTypes = []string{string(oidc.GrantTypeCode), string(oidc.GrantTypeRefreshToken)}
	}
	for _, g := range md.GrantTypes {
		if g != string(oidc.GrantTypeCode) && g != string(oidc.GrantTypeRefreshToken) {
			return metadataError("grant_types: %q is not authorization_code or refresh_token", g)
		}
	}
	if !slices.Contains(md.GrantTypes, string(oidc.GrantTypeCode)) {
		return metadataError("grant_types: authorization_code is required")
	}
	if len(md.ResponseTypes) == 0 {
		md.ResponseTypes = []string{string(oidc.ResponseTypeCode)}
	}
	for _, r := range md.ResponseTypes {
		if r != string(oidc.ResponseTypeCode) {
			return metadataError("response_types: %q is not code", r)
		}
	}
	scopes := splitScope(md.Scope)
	if len(scopes) == 0 {
		return metadataError("scope: required (the Open Badges scopes the client will ask for)")
	}
	for _, sc := range scopes {
		if _, ok := Scopes[sc]; !ok {
			return metadataError("scope: %q is not an Open Badges API scope", sc)
		}
	}
	return nil
}

// checkClientURI accepts an absolute https URL, or http on a loopback
// host, without user info or fragment.
func checkClientURI(s string) error {
	if len(s) > MaxURIBytes {
		return fmt.Errorf("longer than %d bytes", MaxURIBytes)
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return errors.New("not an absolute URL")
	}
	switch {
	case u.User != nil:
		return errors.New("must not carry user information")
	case u.Fragment != "" || u.RawFragment != "":
		return errors.New("must not have a fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return errors.New("must be https (or http on a loopback address)")
	}
	return nil
}

// registrationResponse is RFC 7591's client information response.
type registrationResponse struct {
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	ClientIDIssuedAt      int64  `json:"client_id_issued_at"`
	ClientSecretExpiresAt int64  `json:"client_secret_expires_at"`
	ClientMetadata
}

// register is the dynamic client registration endpoint (RFC 7591).
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRegistrationBytes+1))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, metadataError("the request body could not be read"))
		return
	}
	if len(body) > MaxRegistrationBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, metadataError("the request is larger than %d bytes", MaxRegistrationBytes))
		return
	}
	var md ClientMetadata
	if err := json.Unmarshal(body, &md); err != nil {
		writeJSON(w, http.StatusBadRequest, metadataError("not a JSON object of client metadata: %v", err))
		return
	}
	if err := ValidateClientMetadata(&md); err != nil {
		writeJSON(w, http.StatusBadRequest, err)
		return
	}
	c, secret, err := s.store.RegisterClient(r.Context(), md)
	if err != nil {
		s.cfg.Logger.Error("obapi: registering a client", "err", err)
		writeJSON(w, http.StatusInternalServerError, &RegistrationError{Code: "server_error", Description: "the client could not be stored"})
		return
	}
	writeJSON(w, http.StatusCreated, registrationResponse{
		ClientID: c.ID, ClientSecret: secret, ClientIDIssuedAt: c.IssuedAt.Unix(), ClientMetadata: c.Metadata,
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(b)
}
