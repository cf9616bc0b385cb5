package obapi

import (
	"net/http"
)

// ServiceDescription returns the service description document of the API
// (getServiceDescription): an OpenAPI 3.0 document naming this server's
// endpoints, its OAuth 2.0 authorization code flow (authorization, token
// and refresh URLs) and its registration URL (x-imssf-registrationUrl),
// as the Open Badges 3.0 specification describes.
func (s *Server) ServiceDescription() map[string]any {
	base := s.base.String()
	security := func(scope string) []any { return []any{map[string]any{"OAuth2ACG": []string{scope}}} }
	op := func(id, summary, scope string) map[string]any {
		return map[string]any{"operationId": id, "summary": summary, "tags": []string{"OpenBadgeCredentials"}, "security": security(scope),
			"responses": map[string]any{"default": map[string]any{"description": "See the Open Badges 3.0 specification."}}}
	}
	info := map[string]any{
		"title":                    s.cfg.Title,
		"version":                  "3.0",
		"description":              "Open Badges 3.0 API",
		"termsOfService":           orDefault(s.cfg.TermsOfServiceURL, base+"/"),
		"x-imssf-privacyPolicyUrl": orDefault(s.cfg.PrivacyPolicyURL, base+"/"),
	}
	if s.cfg.ImageURL != "" {
		info["x-imssf-image"] = s.cfg.ImageURL
	}
	scopes := map[string]string{}
	for sc, text := range Scopes {
		scopes[sc] = "Permission to " + text + "."
	}
	return map[string]any{
		"openapi": "3.0.1",
		"info":    info,
		"servers": []any{map[string]any{"url": base + APIPath, "description": s.cfg.Title}},
		"tags":    []any{map[string]any{"name": "OpenBadgeCredentials"}, map[string]any{"name": "Discovery"}},
		"paths": map[string]any{
			"/credentials": map[string]any{
				"get":  op("getCredentials", "The learner's credentials, paged (limit, offset, since).", ScopeCredentialReadonly),
				"post": op("upsertCredential", "Create or replace a credential (verified before it is stored).", ScopeCredentialUpsert),
			},
			"/profile": map[string]any{
				"get": op("getProfile", "The learner's profile.", ScopeProfileReadonly),
				"put": op("putProfile", "Replace the learner's profile.", ScopeProfileUpdate),
			},
			"/discovery": map[string]any{
				"get": map[string]any{"operationId": "getServiceDescription", "tags": []string{"Discovery"},
					"responses": map[string]any{"200": map[string]any{"description": "This document."}}},
			},
		},
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"OAuth2ACG": map[string]any{
					"type":                    "oauth2",
					"description":             "OAuth 2.0 Authorization Code Grant with PKCE (S256) and dynamic client registration",
					"x-imssf-registrationUrl": base + RegistrationPath,
					"flows": map[string]any{
						"authorizationCode": map[string]any{
							"authorizationUrl": base + AuthorizePath,
							"tokenUrl":         base + TokenPath,
							"refreshUrl":       base + TokenPath,
							"scopes":           scopes,
						},
					},
				},
			},
		},
	}
}

func orDefault(v, d string) string {
	if v != "" {
		return v
	}
	return d
}

// discovery is getServiceDescription.
func (s *Server) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.ServiceDescription())
}
