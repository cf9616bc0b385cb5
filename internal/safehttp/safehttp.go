// Package safehttp fetches small documents over HTTPS for resolvers that
// dereference identifiers taken from untrusted input (did:web, key URLs,
// status lists, contexts).
//
// The client it builds refuses plain HTTP, refuses to connect to loopback,
// private, link-local, CGNAT, multicast and other non-public addresses, and
// to IPv6 addresses that carry such an IPv4 address for a translator or
// tunnel (checked on the address actually dialed, so DNS rebinding cannot get
// round it), follows redirects only within the same origin and at most a few
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
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast (RFC 7526): a tunnel into unknown networks
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001::/32"),       // Teredo: its client IPv4 address is obfuscated, so it is not judged
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64 (RFC 8215): where its IPv4 address sits is the operator's choice
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// IPv6 prefixes whose addresses carry an IPv4 address, which a translator
// or tunnel on the path may connect to: such an address is judged by the
// IPv4 address it carries, at byte offset at.
var embeddingPrefixes = []struct {
	prefix netip.Prefix
	at     int
}{
	{netip.MustParsePrefix("64:ff9b::/96"), 12},    // NAT64 well-known prefix (RFC 6052)
	{netip.MustParsePrefix("::ffff:0:0:0/96"), 12}, // SIIT IPv4-translated (RFC 2765)
	{netip.MustParsePrefix("::/96"), 12},           // IPv4-compatible, deprecated (RFC 4291); includes :: and ::1
	{netip.MustParsePrefix("2002::/16"), 2},        // 6to4 (RFC 3056)
}

// Allowed reports whether ip is a public unicast address that the client may
// connect to. IPv4-mapped, IPv4-compatible, SIIT IPv4-translated
// (::ffff:0:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are
// judged by the IPv4 address they embed. Local-use NAT64 (64:ff9b:1::/48) and
// Teredo (2001::/32) addresses, whose IPv4 address cannot be read reliably,
// and the 6to4 relay anycast prefix (192.88.99.0/24) are refused.
func Allowed(ip netip.Addr) bool {
	if !ip.IsValid() || ip.Zone() != "" {
		return false
	}
	ip = ip.Unmap()
	if ip.Is6() {
		for _, e := range embeddingPrefixes {
			if e.prefix.Contains(ip) {
				b := ip.As16()
				return Allowed(netip.AddrFrom4([4]byte(b[e.at : e.at+4])))
			}
		}
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() {
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
	if err := ctx.Err(); err != nil {
		// Cancelled or timed out while the response arrived: the body may
		// be cut short (a server that gave up too answers 200 with
		// nothing), so the caller is told why, not handed what was read.
		return nil, err
	}
	if int64(len(body)) > c.maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.maxBytes)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &Response{Body: body, ContentType: mt, URL: resp.Request.URL.String()}, nil
}
