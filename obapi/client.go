package obapi

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// The client side of the API: what `badge ob` uses to talk to any host.

// ErrStateMismatch: the redirect to the client carried another state than
// the one the client sent (a forged or crossed authorization response).
var ErrStateMismatch = errors.New("obapi: the authorization response's state does not match the request's")

// ErrAuthorization: the host answered the authorization request with an
// error (the learner denied access, or the request was refused).
var ErrAuthorization = errors.New("obapi: authorization refused")

// maxClientResponse bounds what the client reads from a host.
const maxClientResponse = 16 << 20

// Service is what a host's service description says.
type Service struct {
	APIURL           string // the base of /credentials and /profile
	AuthorizationURL string
	TokenURL         string
	RegistrationURL  string
}

// Discover reads the service description of the host at hostURL (its
// origin, or the URL of its discovery endpoint).
func Discover(ctx context.Context, hc *http.Client, hostURL string) (*Service, error) {
	u := strings.TrimSuffix(hostURL, "/")
	if !strings.HasSuffix(u, "/discovery") {
		u += APIPath + "/discovery"
	}
	var sdd struct {
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Components struct {
			SecuritySchemes struct {
				OAuth2ACG struct {
					RegistrationURL string `json:"x-imssf-registrationUrl"`
					Flows           struct {
						AuthorizationCode struct {
							AuthorizationURL string `json:"authorizationUrl"`
							TokenURL         string `json:"tokenUrl"`
						} `json:"authorizationCode"`
					} `json:"flows"`
				} `json:"OAuth2ACG"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := getJSON(ctx, hc, u, &sdd); err != nil {
		return nil, fmt.Errorf("obapi: service description: %w", err)
	}
	scheme := sdd.Components.SecuritySchemes.OAuth2ACG
	s := &Service{
		AuthorizationURL: scheme.Flows.AuthorizationCode.AuthorizationURL,
		TokenURL:         scheme.Flows.AuthorizationCode.TokenURL,
		RegistrationURL:  scheme.RegistrationURL,
		APIURL:           strings.TrimSuffix(u, "/discovery"),
	}
	if len(sdd.Servers) > 0 && sdd.Servers[0].URL != "" {
		s.APIURL = strings.TrimSuffix(sdd.Servers[0].URL, "/")
	}
	for name, v := range map[string]string{"authorizationUrl": s.AuthorizationURL, "tokenUrl": s.TokenURL,
		"x-imssf-registrationUrl": s.RegistrationURL, "servers[0].url": s.APIURL} {
		if err := checkClientURI(v); err != nil {
			return nil, fmt.Errorf("obapi: service description: %s %q: %w", name, v, err)
		}
	}
	return s, nil
}

func getJSON(ctx context.Context, hc *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxClientResponse))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", u, resp.Status, bytes.TrimSpace(body))
	}
	return json.Unmarshal(body, v)
}

// Registration is a client's registration with a host.
type Registration struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// Register registers a client with the host (RFC 7591).
func (s *Service) Register(ctx context.Context, hc *http.Client, md ClientMetadata) (*Registration, error) {
	b, err := json.Marshal(md)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.RegistrationURL, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("obapi: registering: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxClientResponse))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("obapi: registering: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	var r Registration
	if err := json.Unmarshal(body, &r); err != nil || r.ClientID == "" {
		return nil, fmt.Errorf("obapi: registering: no client_id in the answer: %s", bytes.TrimSpace(body))
	}
	return &r, nil
}

// OAuth returns the OAuth 2.0 configuration of a registered client.
func (s *Service) OAuth(r *Registration, redirectURL string, scopes []string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: r.ClientID, ClientSecret: r.ClientSecret, RedirectURL: redirectURL, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: s.AuthorizationURL, TokenURL: s.TokenURL, AuthStyle: oauth2.AuthStyleInHeader},
	}
}

// ReceiveCode serves the client's loopback redirect URI on ln until one
// authorization response arrives at path, and returns its code. The
// response's state must equal state (ErrStateMismatch otherwise: a
// response to another request, or a forged one, is never used); an error
// response gives ErrAuthorization with the host's error code. The
// listener is closed on return.
func ReceiveCode(ctx context.Context, ln net.Listener, path, state string) (string, error) {
	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
			res.err = ErrStateMismatch
		case q.Get("error") != "":
			res.err = fmt.Errorf("%w: %s: %s", ErrAuthorization, q.Get("error"), q.Get("error_description"))
		case q.Get("code") == "":
			res.err = fmt.Errorf("%w: no code in the response", ErrAuthorization)
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if res.err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<!doctype html><title>Not connected</title><p>%s</p>", html.EscapeString(res.err.Error()))
		} else {
			fmt.Fprint(w, "<!doctype html><title>Connected</title><p>Done: you can close this page and return to the terminal.</p>")
		}
		select {
		case done <- res:
		default:
		}
	})}
	go srv.Serve(ln)
	// Shutdown, not Close: the handler has handed over its result before
	// its response has gone out, and Close would cut the browser off.
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	select {
	case res := <-done:
		return res.code, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// APIClient calls a host's API with a token source.
type APIClient struct {
	// HTTP sends the requests with the learner's token
	// (oauth2.Config.Client).
	HTTP *http.Client
	// APIURL is Service.APIURL.
	APIURL string
}

// Upsert stores a credential (JSON, or a compact JWS) for the learner;
// created reports a 201.
func (c *APIClient) Upsert(ctx context.Context, credential []byte) (created bool, err error) {
	credential = bytes.TrimSpace(credential)
	ct := "text/plain"
	if len(credential) > 0 && credential[0] == '{' {
		ct = "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.APIURL+"/credentials", bytes.NewReader(credential))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", ct)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxClientResponse))
	switch resp.StatusCode {
	case http.StatusCreated:
		return true, nil
	case http.StatusOK:
		return false, nil
	}
	return false, apiError(resp, body)
}

// apiError reads an imsx_StatusInfo error.
func apiError(resp *http.Response, body []byte) error {
	var si StatusInfo
	if json.Unmarshal(body, &si) == nil && si.Description != "" {
		return fmt.Errorf("obapi: %s: %s", resp.Status, si.Description)
	}
	return fmt.Errorf("obapi: %s: %s", resp.Status, bytes.TrimSpace(body))
}

// Credentials returns every credential of the learner (JSON ones, then
// compact JWSs, page by page), following the pages of limit.
func (c *APIClient) Credentials(ctx context.Context, limit int) (jsonCreds []json.RawMessage, jws []string, err error) {
	for offset := 0; ; {
		u := c.APIURL + "/credentials?" + url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, nil, err
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return nil, nil, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxClientResponse))
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, nil, apiError(resp, body)
		}
		var page credentialsResponse
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, nil, fmt.Errorf("obapi: a page of credentials: %w", err)
		}
		jsonCreds = append(jsonCreds, page.Credential...)
		jws = append(jws, page.CompactJwsString...)
		n := len(page.Credential) + len(page.CompactJwsString)
		total, err := strconv.Atoi(resp.Header.Get("X-Total-Count"))
		offset += n
		if n == 0 || err != nil || offset >= total {
			return jsonCreds, jws, nil
		}
	}
}
