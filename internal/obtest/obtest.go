// Package obtest plays the learner of the Open Badges API in tests: a
// browser that signs in and answers the consent page, so that a test (or a
// testscript) can run the whole authorization code flow without a person.
package obtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// Learner is a learner's browser: it keeps cookies and stops at every
// redirect, so that it never follows the final one to the client.
type Learner struct {
	Username, Password string
	// Deny answers the consent page with "Deny" instead of "Allow".
	Deny bool
	c    *http.Client
}

// NewLearner returns a learner with a browser of its own, using
// transport (nil: http.DefaultTransport).
func NewLearner(username, password string, transport http.RoundTripper) *Learner {
	jar, _ := cookiejar.New(nil)
	return &Learner{Username: username, Password: password, c: &http.Client{
		Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	idField   = regexp.MustCompile(`name="id" value="([0-9a-f]+)"`)
	action    = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

func field(re *regexp.Regexp, page string) (string, error) {
	m := re.FindStringSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("obtest: no %s in the page:\n%s", re, page)
	}
	return m[1], nil
}

// form reads the hidden id and CSRF token of the page's form and where it
// posts to.
func form(page string) (id, csrf, to string, err error) {
	if id, err = field(idField, page); err != nil {
		return "", "", "", err
	}
	if csrf, err = field(csrfField, page); err != nil {
		return "", "", "", err
	}
	to, err = field(action, page)
	return id, csrf, to, err
}

func (l *Learner) do(ctx context.Context, method, u string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := l.c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b), err
}

// Authorize opens authURL (the client's authorization request), signs in
// when asked, answers the consent page and returns where the server sends
// the browser at the end: the client's redirect URI with the code and
// state (or the error). It does not follow that last redirect.
func (l *Learner) Authorize(ctx context.Context, authURL string) (*url.URL, error) {
	start, err := url.Parse(authURL)
	if err != nil {
		return nil, err
	}
	// Any redirect off the server's origin goes to the client.
	toClient := func(next *url.URL) bool { return next.Scheme != start.Scheme || next.Host != start.Host }
	u := authURL
	var page string
	for range 10 {
		resp, body, err := l.do(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode/100 == 3 {
			next, err := resp.Location()
			if err != nil {
				return nil, err
			}
			if toClient(next) {
				return next, nil
			}
			u = next.String()
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("obtest: %s: %s\n%s", u, resp.Status, body)
		}
		page = body
		if !strings.Contains(page, `name="password"`) {
			break
		}
		// Sign in, then come back to the same page.
		id, csrf, to, err := form(page)
		if err != nil {
			return nil, err
		}
		resp, body, err = l.do(ctx, http.MethodPost, to, url.Values{"id": {id}, "csrf": {csrf}, "username": {l.Username}, "password": {l.Password}})
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("obtest: signing in as %s: %s\n%s", l.Username, resp.Status, body)
		}
		next, err := resp.Location()
		if err != nil {
			return nil, err
		}
		u = next.String()
	}
	if !strings.Contains(page, "Allow access?") {
		return nil, errors.New("obtest: no consent page")
	}
	id, csrf, to, err := form(page)
	if err != nil {
		return nil, err
	}
	decision := "approve"
	if l.Deny {
		decision = "deny"
	}
	resp, body, err := l.do(ctx, http.MethodPost, to, url.Values{"id": {id}, "csrf": {csrf}, "decision": {decision}})
	if err != nil {
		return nil, err
	}
	for range 5 {
		if resp.StatusCode/100 != 3 {
			return nil, fmt.Errorf("obtest: consent: %s\n%s", resp.Status, body)
		}
		next, err := resp.Location()
		if err != nil {
			return nil, err
		}
		if toClient(next) {
			return next, nil
		}
		if resp, body, err = l.do(ctx, http.MethodGet, next.String(), nil); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("obtest: too many redirects")
}
