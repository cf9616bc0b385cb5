// Package safehttp fetches small documents over HTTPS for resolvers that
// dereference identifiers taken from untrusted input (did:web, key URLs,
// status lists, contexts).
//
// The client it builds refuses plain HTTP, refuses to connect to loopback,
// private, link-local, CGNAT, multicast and other non-public addresses
// (checked on the address actually dialed, so DNS rebinding cannot get round
// it), follows redirects only within the same origin and at most a few
// times, bounds the time and the response size, and ignores proxy settings
// from the environment. InsecureAllowPrivateNetworks turns the address check
// off (for tests and intranets).
package safehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBytes     = 256 << 10
	DefaultMaxRedirects = 3
)

// Errors returned (wrapped) by Client.Get.
var (
	ErrForbiddenAddress = errors.New("safehttp: address not allowed")
	ErrTooLarge         = errors.New("safehttp: response too large")
	ErrRedirect         = errors.New("safehttp: redirect not allowed")
	ErrScheme           = errors.New("safehttp: only https URLs are fetched")
	ErrStatus           = errors.New("safehttp: unexpected HTTP status")
	ErrConfig           = errors.New("safehttp: invalid configuration")
)

// StatusError reports a response status other than 200.
type StatusError struct{ Code int }

// Error returns "safehttp: HTTP status N".
func (e *StatusError) Error() string { return fmt.Sprintf("safehttp: HTTP status %d", e.Code) }

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Config configures a Client. The zero value is safe.
type Config struct {
	// Client, if set, supplies the transport (for example custom root CAs or
	// a test dialer). Its Transport must be nil or an *http.Transport, which
	// is cloned and wrapped: its dialers get the address check, and a
	// configured Proxy is an error unless InsecureAllowPrivateNetworks is set
	// (the check cannot see through a proxy). Its CheckRedirect and Jar are
	// not used; its Timeout applies if shorter than Timeout.
	Client *http.Client
	// Timeout bounds each Get, including redirects and reading the body.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds the response body. Zero means DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects bounds same-origin redirects; zero means
	// DefaultMaxRedirects, negative means none.
	MaxRedirects int
	// InsecureAllowPrivateNetworks allows connections to loopback, private
	// and link-local addresses. Only for tests and closed networks.
	InsecureAllowPrivateNetworks bool
}

// Client is a hardened HTTPS client. It is safe for concurrent use.
type Client struct {
	hc       *http.Client
	maxBytes int64
	timeout  time.Duration
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if cfg.Client != nil && cfg.Client.Timeout > 0 && cfg.Client.Timeout < timeout {
		timeout = cfg.Client.Timeout
	}
	maxBytes := cfg.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	maxRedirects := cfg.MaxRedirects
	if maxRedirects == 0 {
		maxRedirects = DefaultMaxRedirects
	} else if maxRedirects < 0 {
		maxRedirects = 0
	}
	var tr *http.Transport
	switch {
	case cfg.Client == nil || cfg.Client.Transport == nil:
		tr = &http.Transport{
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          16,
			IdleConnTimeout:       30 * time.Second,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
		}
	default:
		t, ok := cfg.Client.Transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("%w: Client.Transport must be an *http.Transport", ErrConfig)
		}
		tr = t.Clone()
		if usesDeprecatedDialers(tr) {
			return nil, fmt.Errorf("%w: set DialContext or DialTLSContext, not the deprecated Dial or DialTLS", ErrConfig)
		}
	}
	if !cfg.InsecureAllowPrivateNetworks {
		if tr.Proxy != nil {
			return nil, fmt.Errorf("%w: a proxy hides the dialed address from the private-network check", ErrConfig)
		}
		guard(tr, timeout)
	}
	hc := &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
			}
			first := via[0].URL
			if req.URL.Scheme != "https" || req.URL.Host != first.Host {
				return fmt.Errorf("%w: to another origin (%s)", ErrRedirect, req.URL.Redacted())
			}
			return nil
		},
	}
	return &Client{hc: hc, maxBytes: maxBytes, timeout: timeout}, nil
}

// guard installs the address check on every way tr can open a connection.
func guard(tr *http.Transport, timeout time.Duration) {
	if tr.DialContext == nil {
		// Our own dialer: check the address before connecting.
		d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, ControlContext: controlAddress}
		tr.DialContext = d.DialContext
	} else {
		tr.DialContext = checkedDial(tr.DialContext)
	}
	if tr.DialTLSContext != nil {
		tr.DialTLSContext = checkedDial(tr.DialTLSContext)
	}
}

// usesDeprecatedDialers reports whether tr sets Dial or DialTLS, which guard
// does not wrap.
func usesDeprecatedDialers(tr *http.Transport) bool {
	//lint:ignore SA1019 checking that the deprecated hooks are unset
	return tr.Dial != nil || tr.DialTLS != nil
}

// controlAddress runs after the socket is created and before it connects:
// address is the resolved IP, so a DNS answer pointing inside cannot pass.
func controlAddress(_ context.Context, _, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	if !Allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}

// checkedDial wraps a caller's dial function: the address check runs on the
// connection's remote address before anything is sent.
func checkedDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		var ip netip.Addr
		if ta, ok := c.RemoteAddr().(*net.TCPAddr); ok {
			ip, _ = netip.AddrFromSlice(ta.IP)
		} else if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
			ip = ap.Addr()
		}
		if !ip.IsValid() || !Allowed(ip) {
			c.Close()
			return nil, fmt.Errorf("%w: %s", ErrForbiddenAddress, c.RemoteAddr())
		}
		return c, nil
	}
}

var forbiddenPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT shared address space
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// Allowed reports whether ip is a public unicast address that the client may
// connect to. IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
// addresses are judged by the IPv4 address they embed.
func Allowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is6() {
		b := ip.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(ip):
			return Allowed(netip.AddrFrom4([4]byte(b[12:16])))
		case netip.MustParsePrefix("2002::/16").Contains(ip):
			return Allowed(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() || ip.Zone() != "" {
		return false
	}
	for _, p := range forbiddenPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Response is a fetched document.
type Response struct {
	Body        []byte
	ContentType string // media type without parameters, lower case
	URL         string // final URL after redirects
}

// Get fetches an https URL with the given Accept header. Any status other
// than 200 is a *StatusError.
func (c *Client) Get(ctx context.Context, rawURL, accept string) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: %q", ErrScheme, rawURL)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Code: resp.StatusCode}
	}
	if resp.ContentLength > c.maxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, resp.ContentLength, c.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > c.maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.maxBytes)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &Response{Body: body, ContentType: mt, URL: resp.Request.URL.String()}, nil
}
