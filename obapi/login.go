package obapi

import (
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Cookie names; over https they get the __Host- prefix (Secure, Path=/,
// no Domain), which the browser enforces.
const (
	sessionCookie = "ob_session"
	csrfCookie    = "ob_csrf"
)

func (s *Server) cookieName(name string) string {
	if s.secure {
		return "__Host-" + name
	}
	return name
}

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure over https. Lax
// (not Strict) so that the session survives the top-level navigation
// from the client's site to the authorization endpoint; the forms are
// protected by their CSRF token.
func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(name), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) cookie(r *http.Request, name string) string {
	c, err := r.Cookie(s.cookieName(name))
	if err != nil {
		return ""
	}
	return c.Value
}

// csrfToken returns the browser's CSRF token, setting one if it has none
// (double-submit: the form must echo the cookie's random value, which a
// cross-site page can neither read nor set).
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if t := s.cookie(r, csrfCookie); len(t) == 64 {
		return t
	}
	t := randomToken()
	s.setCookie(w, csrfCookie, t, int(s.cfg.SessionLifetime.Seconds()))
	return t
}

// checkForm refuses a form post without the CSRF token or from another
// origin.
func (s *Server) checkForm(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" && o != s.base.String() {
		return false
	}
	if err := r.ParseForm(); err != nil {
		return false
	}
	c := s.cookie(r, csrfCookie)
	f := r.PostForm.Get("csrf")
	return len(c) == 64 && subtle.ConstantTimeCompare([]byte(c), []byte(f)) == 1
}

// pageHeaders keep the pages out of frames (clickjacking of the consent
// button) and caches.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
}

var pages = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title>
<style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}label{display:block;margin:.5em 0}</style></head>
<body><h1>Sign in</h1>
<p><strong>{{.Client.Metadata.ClientName}}</strong> asks for access to your badges. Sign in to continue.</p>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="id" value="{{.ID}}"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></body></html>
{{define "consent"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow access?</title>
<style>body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em}</style></head>
<body><h1>Allow access?</h1>
<p>Signed in as <strong>{{.Account}}</strong>.</p>
<p><strong>{{.Client.Metadata.ClientName}}</strong> ({{.ClientHost}}) wants to:</p>
<ul>{{range .Scopes}}<li>{{.Text}} <small>({{.Scope}})</small></li>{{end}}</ul>
<form method="post" action="{{.Action}}">
<input type="hidden" name="id" value="{{.ID}}"><input type="hidden" name="csrf" value="{{.CSRF}}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></body></html>{{end}}`))

type scopeText struct{ Scope, Text string }

type pageData struct {
	ID, CSRF, Action, Error, Account, ClientHost string
	Client                                       Client
	Scopes                                       []scopeText
}

// loginPage shows the sign-in form, or the consent page when the browser
// has a session.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, r.URL.Query().Get("id"), "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, id, errText string) {
	pageHeaders(w)
	ctx := r.Context()
	req, err := s.store.authRequestByID(ctx, id)
	if err != nil || req.State != requestPending {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte("<!doctype html><title>Request expired</title><p>This authorization request is unknown or has expired. Start again from the application.</p>"))
		return
	}
	client, err := s.store.ClientByID(ctx, req.Data.ClientID)
	if err != nil {
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	}
	d := pageData{ID: id, CSRF: s.csrfToken(w, r), Client: client, Error: errText}
	if user, err := s.store.sessionUser(ctx, s.cookie(r, sessionCookie)); err == nil {
		d.Action = s.base.String() + ConsentPath
		d.Account = user
		if a, err := s.store.AccountByID(ctx, user); err == nil {
			d.Account = a.Username
		}
		if u, err := url.Parse(client.Metadata.ClientURI); err == nil {
			d.ClientHost = u.Host
		}
		for _, sc := range req.Data.Scopes {
			if t, ok := Scopes[sc]; ok {
				d.Scopes = append(d.Scopes, scopeText{sc, t})
			}
		}
		if slices.Contains(req.Data.Scopes, oidc.ScopeOfflineAccess) {
			d.Scopes = append(d.Scopes, scopeText{oidc.ScopeOfflineAccess, "keep this access until you revoke it"})
		}
		pages.ExecuteTemplate(w, "consent", d)
		return
	}
	d.Action = s.base.String() + LoginPath
	if errText != "" {
		w.WriteHeader(http.StatusUnauthorized)
	}
	pages.ExecuteTemplate(w, "login", d)
}

// login checks the learner's password and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.checkForm(r) {
		pageHeaders(w)
		http.Error(w, "The form expired or came from another site: go back and try again.", http.StatusForbidden)
		return
	}
	id := r.PostForm.Get("id")
	a, err := s.auth.Authenticate(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		if !errors.Is(err, ErrBadCredentials) {
			s.cfg.Logger.Error("obapi: signing in", "err", err)
		}
		s.showLogin(w, r, id, "Wrong username or password.")
		return
	}
	sid, err := s.store.createSession(r.Context(), a.ID, s.cfg.SessionLifetime)
	if err != nil {
		s.cfg.Logger.Error("obapi: starting a session", "err", err)
		http.Error(w, "The session could not be started.", http.StatusServiceUnavailable)
		return
	}
	s.setCookie(w, sessionCookie, sid, int(s.cfg.SessionLifetime.Seconds()))
	// A new CSRF token for the signed-in session.
	s.setCookie(w, csrfCookie, randomToken(), int(s.cfg.SessionLifetime.Seconds()))
	http.Redirect(w, r, s.base.String()+LoginPath+"?id="+url.QueryEscape(id), http.StatusSeeOther)
}

// consent records the learner's answer and sends the browser on: to the
// library's callback, which issues the code, or back to the client with
// access_denied.
func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	if !s.checkForm(r) {
		pageHeaders(w)
		http.Error(w, "The form expired or came from another site: go back and try again.", http.StatusForbidden)
		return
	}
	ctx := r.Context()
	user, err := s.store.sessionUser(ctx, s.cookie(r, sessionCookie))
	if err != nil {
		http.Error(w, "Sign in first.", http.StatusUnauthorized)
		return
	}
	id := r.PostForm.Get("id")
	req, err := s.store.authRequestByID(ctx, id)
	if err != nil || req.State != requestPending {
		http.Error(w, "This authorization request is unknown or has expired.", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("decision") != "approve" {
		s.store.finishAuthRequest(ctx, id)
		u, err := op.AuthResponseURL(req.Data.RedirectURI, oidc.ResponseTypeCode, oidc.ResponseModeQuery,
			&oidc.Error{ErrorType: oidc.AccessDenied, Description: "the learner denied access", State: req.Data.State}, s.provider.Encoder())
		if err != nil {
			http.Error(w, "denied", http.StatusForbidden)
			return
		}
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	if err := s.store.approveAuthRequest(ctx, id, user); err != nil {
		http.Error(w, "This authorization request is unknown, expired or already answered.", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, s.issuer+"/authorize/callback?id="+url.QueryEscape(id), http.StatusSeeOther)
}
