package safehttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestAllowed(t *testing.T) {
	forbidden := []string{
		"127.0.0.1", "127.255.255.254", "::1", "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"169.254.169.254", "fe80::1", "fc00::1", "fd12:3456::1", "0.0.0.0", "::", "0.1.2.3",
		"100.64.0.1", "100.127.255.255", "224.0.0.1", "239.255.255.250", "ff02::1", "ff05::2",
		"255.255.255.255", "240.0.0.1", "192.0.0.8", "198.18.0.1", "192.0.2.1", "2001:db8::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
		"2002:a9fe:a9fe::", "fec0::1",
	}
	for _, s := range forbidden {
		if Allowed(netip.MustParseAddr(s)) {
			t.Errorf("%s allowed", s)
		}
	}
	allowed := []string{"93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "172.32.0.1", "100.128.0.1"}
	for _, s := range allowed {
		if !Allowed(netip.MustParseAddr(s)) {
			t.Errorf("%s refused", s)
		}
	}
	if Allowed(netip.Addr{}) {
		t.Error("zero address allowed")
	}
	if Allowed(netip.MustParseAddr("fe80::1%eth0")) {
		t.Error("zoned address allowed")
	}
}

// TestAllowedEmbeddedIPv4: IPv6 forms that carry an IPv4 address are judged
// by that address, so that a DNS answer cannot reach an inside IPv4 host
// through a translator or tunnel; forms whose IPv4 address cannot be read
// reliably are refused outright.
func TestAllowedEmbeddedIPv4(t *testing.T) {
	tests := []struct {
		form, addr string
		allowed    bool
	}{
		{"IPv4-mapped", "::ffff:127.0.0.1", false},
		{"IPv4-mapped", "::ffff:10.0.0.1", false},
		{"IPv4-mapped", "::ffff:169.254.169.254", false},
		{"IPv4-mapped", "::ffff:8.8.8.8", true},

		{"NAT64 well-known", "64:ff9b::127.0.0.1", false},
		{"NAT64 well-known", "64:ff9b::10.0.0.1", false},
		{"NAT64 well-known", "64:ff9b::169.254.169.254", false},
		{"NAT64 well-known", "64:ff9b::8.8.8.8", true},

		// Where the IPv4 address sits depends on the prefix length the
		// operator chose (RFC 6052 §2.2), so none is read.
		{"NAT64 local-use", "64:ff9b:1::127.0.0.1", false},
		{"NAT64 local-use", "64:ff9b:1::10.0.0.1", false},
		{"NAT64 local-use", "64:ff9b:1::169.254.169.254", false},
		{"NAT64 local-use /48 layout", "64:ff9b:1:a00:1:808:808:0", false},
		{"NAT64 local-use", "64:ff9b:1::8.8.8.8", false},
		{"NAT64 local-use", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", false},

		{"IPv4-compatible", "::127.0.0.1", false},
		{"IPv4-compatible", "::10.0.0.1", false},
		{"IPv4-compatible", "::169.254.169.254", false},
		{"IPv4-compatible", "::8.8.8.8", true},

		{"SIIT IPv4-translated", "::ffff:0:127.0.0.1", false},
		{"SIIT IPv4-translated", "::ffff:0:10.0.0.1", false},
		{"SIIT IPv4-translated", "::ffff:0:169.254.169.254", false},
		{"SIIT IPv4-translated", "::ffff:0:8.8.8.8", true},

		{"6to4", "2002:7f00:1::1", false},
		{"6to4", "2002:a00:1::1", false},
		{"6to4", "2002:a9fe:a9fe::", false},
		{"6to4", "2002:c058:6301::1", false}, // the relay anycast address
		{"6to4", "2002:808:808::1", true},

		// The client's IPv4 address is obfuscated: refused whatever it is.
		{"Teredo", "2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
		{"Teredo", "2001:0:a00:1:0:0:80ff:fffe", false},
		{"Teredo", "2001:0:808:808::f7f7:f7f7", false},
		{"Teredo", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", false},

		{"6to4 relay anycast", "192.88.99.1", false},
		{"6to4 relay anycast", "192.88.99.255", false},
		{"6to4 relay anycast, mapped", "::ffff:192.88.99.1", false},
		{"6to4 relay anycast, NAT64", "64:ff9b::192.88.99.1", false},

		{"zoned NAT64", "64:ff9b::8.8.8.8%eth0", false},

		// Global addresses next to those prefixes are not caught by them.
		{"next to Teredo", "2001:4860:4860::8888", true},
		{"next to 6to4", "2003:e0::1", true},
		{"next to the relay anycast", "192.88.98.1", true},
	}
	for _, tc := range tests {
		ip := netip.MustParseAddr(tc.addr)
		if got := Allowed(ip); got != tc.allowed {
			t.Errorf("%s %s: Allowed = %v, want %v", tc.form, tc.addr, got, tc.allowed)
		}
		// The check that runs at dial time says the same.
		err := controlAddress(context.Background(), "tcp", netip.AddrPortFrom(ip, 443).String(), nil)
		if tc.allowed != (err == nil) || (err != nil && !errors.Is(err, ErrForbiddenAddress)) {
			t.Errorf("%s %s: dial check: %v", tc.form, tc.addr, err)
		}
	}
}

func TestGet(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "Application/JSON; charset=utf-8")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	ctx := context.Background()

	c, err := New(Config{Client: srv.Client(), InsecureAllowPrivateNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(ctx, srv.URL+"/x", "application/json")
	if err != nil || string(resp.Body) != `{"ok":true}` || resp.ContentType != "application/json" {
		t.Fatalf("%+v %v", resp, err)
	}
	for _, u := range []string{"http://example.com/", "ftp://x/", "https://u:p@example.com/", "https:///x", "::"} {
		if _, err := c.Get(ctx, u, ""); !errors.Is(err, ErrScheme) {
			t.Errorf("%s: %v", u, err)
		}
	}
	// The guard on the server's own client (which has no dialer of its own).
	g, err := New(Config{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, srv.URL, ""); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("got %v", err)
	}
	// The guard on a caller-provided dialer.
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	g, err = New(Config{Client: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, srv.URL, ""); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("got %v", err)
	}
	// The deprecated hooks are refused rather than silently bypassing it.
	old := srv.Client().Transport.(*http.Transport).Clone()
	old.Dial = net.Dial //lint:ignore SA1019 testing the refusal
	if _, err := New(Config{Client: &http.Client{Transport: old}}); !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v", err)
	}
	tr = srv.Client().Transport.(*http.Transport).Clone()
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	g, err = New(Config{Client: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Get(ctx, srv.URL, ""); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("got %v", err)
	}
	var se *StatusError
	c2, _ := New(Config{Client: srv.Client(), InsecureAllowPrivateNetworks: true, MaxRedirects: -1})
	srv.Config.Handler = http.RedirectHandler("/other", http.StatusFound)
	if _, err := c2.Get(ctx, srv.URL, ""); !errors.Is(err, ErrRedirect) {
		t.Fatalf("got %v", err)
	}
	srv.Config.Handler = http.NotFoundHandler()
	if _, err := c2.Get(ctx, srv.URL, ""); !errors.As(err, &se) || se.Code != 404 || !errors.Is(err, ErrStatus) {
		t.Fatalf("got %v", err)
	}
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "999999")
		w.WriteHeader(200)
	})
	c3, _ := New(Config{Client: srv.Client(), InsecureAllowPrivateNetworks: true, MaxBytes: 10})
	if _, err := c3.Get(ctx, srv.URL, ""); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}
