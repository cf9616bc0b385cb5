//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/microcred/openbadges/internal/cpumeter"
	"github.com/microcred/openbadges/internal/keys"
	"github.com/microcred/openbadges/internal/testref"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/vcapi"
	"github.com/microcred/openbadges/verifier"
)

// The load benchmarks compare POST /credentials/verify of a real badge
// serve (in this process, on loopback, with its JSON request log and
// Prometheus metrics on, and the default rate limit raised out of the
// way) with the library's Verify on the same cores. The clients are
// this process's goroutines: the load generator shares the cores with
// the server, as it would on one machine. See BENCHMARKS.md.

// benchClients is the number of concurrent clients (keep-alive
// connections, or goroutines in process) of the load benchmarks:
// $BADGE_BENCH_CLIENTS, default 8.
var benchClients = func() int {
	if n, err := strconv.Atoi(os.Getenv("BADGE_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 8
}()

// benchCredential signs ../shared/bench/ob3-sample.json with a new did:key.
func benchCredential(b *testing.B) []byte {
	sample, err := os.ReadFile(filepath.Join(testref.Shared(b), "bench", "ob3-sample.json"))
	if err != nil {
		b.Skipf("benchmark sample: %v", err)
	}
	k, err := keys.Generate("ed25519", rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	iss, err := issuer.New(issuer.Config{Signer: k.Signer, VerificationMethod: k.VerificationMethod})
	if err != nil {
		b.Fatal(err)
	}
	signed, err := iss.IssueJSON(context.Background(), bytes.ReplaceAll(sample, []byte("ISSUER_DID"), []byte(k.DID)))
	if err != nil {
		b.Fatal(err)
	}
	return signed
}

// discardAfterListening passes what badge serve writes to a buffer until
// it says where it listens, then drops it: the request log costs its
// formatting, not memory.
type discardAfterListening struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	done bool
}

func (d *discardAfterListening) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.done {
		d.buf.Write(p)
	}
	return len(p), nil
}

var benchListenRE = regexp.MustCompile(`listening on (http://\S+)`)

// startBenchServe runs badge serve with its request log in JSON, and
// returns its URL.
func startBenchServe(b *testing.B) string {
	dir := b.TempDir()
	k, err := keys.Generate("ed25519", rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	jwk, _ := k.MarshalJWK()
	if err := os.WriteFile(filepath.Join(dir, "issuer.jwk"), jwk, 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &discardAfterListening{}
	e := &env{args: []string{"serve", "--key", "issuer.jwk", "--addr", "127.0.0.1:0", "--log-format", "json", "--rate", "1000000/s"},
		stdin: bytes.NewReader(nil), stdout: io.Discard, stderr: out, dir: dir}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e) }()
	b.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		out.mu.Lock()
		m := benchListenRE.FindStringSubmatch(out.buf.String())
		if m != nil {
			out.done = true
		}
		out.mu.Unlock()
		if m != nil {
			warmUp(b, m[1])
			return m[1]
		}
	}
	b.Fatal("badge serve did not start")
	return ""
}

// warmUp asks for verifier.wasm compressed, which waits for the server's
// one-time compression of it: started with the server, it would otherwise
// take the cores during the first second of the measurement.
func warmUp(b *testing.B, base string) {
	req, _ := http.NewRequest(http.MethodGet, base+"/verifier.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// benchConn is one client: a keep-alive HTTP/1.1 connection that sends
// the same verify request again and again and reads each answer. It
// writes the request's bytes as prepared and reads only what it needs
// (status, Content-Length, the body's first bytes), so that the load
// generator takes as little of the shared cores as a client can.
type benchConn struct {
	conn net.Conn
	rd   *bufio.Reader
	req  []byte
	body []byte
}

func newBenchConn(b *testing.B, base string, vc []byte) *benchConn {
	body, _ := json.Marshal(map[string]json.RawMessage{"verifiableCredential": vc})
	host := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	req := fmt.Appendf(nil, "POST /credentials/verify HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", host, len(body))
	return &benchConn{conn: conn, rd: bufio.NewReaderSize(conn, 16<<10), req: append(req, body...)}
}

var verifiedPrefix = []byte(`{"verified":true,`)

// verify sends the request and reads the answer, which must be 200 and
// verified.
func (c *benchConn) verify() error {
	if _, err := c.conn.Write(c.req); err != nil {
		return err
	}
	status, err := c.rd.ReadSlice('\n')
	if err != nil {
		return err
	}
	ok := bytes.HasPrefix(status, []byte("HTTP/1.1 200 "))
	n := -1
	for {
		line, err := c.rd.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if v, found := bytes.CutPrefix(line, []byte("Content-Length: ")); found {
			n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if n < 0 {
		return errors.New("no Content-Length")
	}
	c.body = slices.Grow(c.body[:0], n)[:n]
	if _, err := io.ReadFull(c.rd, c.body); err != nil {
		return err
	}
	if !ok || !bytes.HasPrefix(c.body, verifiedPrefix) {
		return fmt.Errorf("%s %.200s", bytes.TrimSpace(status), c.body)
	}
	return nil
}

// BenchmarkVerifyInProcess is the reference: the library's Verify of the
// same credential from benchClients goroutines.
func BenchmarkVerifyInProcess(b *testing.B) {
	vc := benchCredential(b)
	v, err := verifier.New(verifier.Config{Suites: vcapi.DefaultSuites})
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(max(1, benchClients/max(1, runtime.GOMAXPROCS(0))))
	b.ResetTimer()
	cpu := cpumeter.Start()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := v.Verify(context.Background(), vc)
			if err != nil || !r.Verified {
				b.Error(err)
				return
			}
		}
	})
	cpu.Report(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}

// BenchmarkVerifyHTTP is the same from benchClients clients over HTTP,
// as fast as the server answers (closed loop).
func BenchmarkVerifyHTTP(b *testing.B) {
	vc := benchCredential(b)
	closedLoop(b, startBenchServe(b), vc)
}

// closedLoop runs b.N verify requests to the server at url from
// benchClients keep-alive connections, each sending its next request when
// the last is answered.
func closedLoop(b *testing.B, url string, vc []byte) {
	conns := make(chan *benchConn, benchClients)
	for range benchClients {
		c := newBenchConn(b, url, vc)
		if err := c.verify(); err != nil {
			b.Fatal(err)
		}
		conns <- c
	}
	b.SetParallelism(max(1, benchClients/max(1, runtime.GOMAXPROCS(0))))
	b.ResetTimer()
	cpu := cpumeter.Start()
	b.RunParallel(func(pb *testing.PB) {
		c := <-conns
		for pb.Next() {
			if err := c.verify(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	cpu.Report(b)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}

// BenchmarkVerifyLoopbackFloor is BenchmarkVerifyHTTP against the least
// server HTTP/1.1 allows, not badge serve: one goroutine per connection
// that reads the request line, the headers and Content-Length bytes, hands
// the credential to the library's Verify and writes the Result's JSON with
// a status line and Content-Length. No routing, no request log, no metrics,
// no net/http. It is not a server anyone should run; it measures what the
// loopback exchange itself (system calls on both sides, the load generator,
// the scheduler) costs on the same cores, the floor under any server.
func BenchmarkVerifyLoopbackFloor(b *testing.B) {
	vc := benchCredential(b)
	v, err := verifier.New(verifier.Config{Suites: vcapi.DefaultSuites})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveFloor(conn, v)
		}
	}()
	closedLoop(b, "http://"+ln.Addr().String(), vc)
}

// serveFloor answers BenchmarkVerifyLoopbackFloor's requests on conn.
func serveFloor(conn net.Conn, v *verifier.Verifier) {
	defer conn.Close()
	rd := bufio.NewReaderSize(conn, 16<<10)
	var body, out []byte
	prefix := []byte(`{"verifiableCredential":`)
	for {
		n := -1
		for {
			line, err := rd.ReadSlice('\n')
			if err != nil {
				return
			}
			if len(line) <= 2 {
				break
			}
			if v, found := bytes.CutPrefix(line, []byte("Content-Length: ")); found {
				n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
			}
		}
		body = slices.Grow(body[:0], n)[:n]
		if _, err := io.ReadFull(rd, body); err != nil {
			return
		}
		vc, ok := bytes.CutPrefix(body, prefix)
		if !ok || len(vc) == 0 {
			return
		}
		res, err := v.Verify(context.Background(), vc[:len(vc)-1])
		if err != nil {
			return
		}
		js, _ := json.Marshal(res)
		out = fmt.Appendf(out[:0], "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(js))
		if _, err := conn.Write(append(out, js...)); err != nil {
			return
		}
	}
}

// BenchmarkVerifyHTTPLatency sends verify requests at a fixed rate (open
// loop: a request leaves on schedule whether or not the earlier ones were
// answered), the rate in $BADGE_BENCH_RATE (requests/s, default 2000), and
// reports the latency percentiles.
func BenchmarkVerifyHTTPLatency(b *testing.B) {
	rate := 2000.0
	if s := os.Getenv("BADGE_BENCH_RATE"); s != "" {
		if err := json.Unmarshal([]byte(s), &rate); err != nil || rate <= 0 {
			b.Fatalf("BADGE_BENCH_RATE %q", s)
		}
	}
	vc := benchCredential(b)
	url := startBenchServe(b)
	const workers = 64
	conns := make(chan *benchConn, workers)
	for range workers {
		c := newBenchConn(b, url, vc)
		for range 4 {
			if err := c.verify(); err != nil {
				b.Fatal(err)
			}
		}
		conns <- c
	}
	b.ResetTimer()
	cpu := cpumeter.Start()
	lat := make([]time.Duration, b.N)
	interval := time.Duration(float64(time.Second) / rate)
	var wg sync.WaitGroup
	var failed atomic.Int64
	// A pool of workers takes the requests in turn; there are enough that
	// a slow answer does not hold the next request back. Request i is due
	// at start + i*interval.
	var next atomic.Int64
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := <-conns
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				// A request taken after its time waited for a free
				// worker, behind slow answers: its latency counts from
				// its time. A request taken early waits for its time
				// here, and Go's timers wake a sleeping process up to a
				// millisecond late (the network poller sleeps whole
				// milliseconds); that lateness is the load generator's,
				// so its latency counts from when it is sent.
				from := start.Add(time.Duration(i) * interval)
				if d := time.Until(from); d > 0 {
					time.Sleep(d)
					from = time.Now()
				}
				if err := c.verify(); err != nil {
					failed.Add(1)
				}
				lat[i] = time.Since(from)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	cpu.Report(b)
	if failed.Load() > 0 {
		b.Fatalf("%d requests failed", failed.Load())
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkVerifyHandler is POST /credentials/verify served in memory
// (no connection), bare and with what badge serve adds to each request:
// the JSON request log (formatted, then dropped) and the Prometheus
// metrics. The difference is their cost per request.
func BenchmarkVerifyHandler(b *testing.B) {
	vc := benchCredential(b)
	body, _ := json.Marshal(map[string]json.RawMessage{"verifiableCredential": vc})
	for _, tc := range []struct {
		name string
		cfg  func(*vcapi.Config)
	}{
		{"bare", func(*vcapi.Config) {}},
		{"log+metrics", func(c *vcapi.Config) {
			c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
			c.Metrics = newServeMetrics()
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := vcapi.Config{}
			tc.cfg(&cfg)
			s, err := vcapi.New(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpumeter.Start()
			b.RunParallel(func(pb *testing.PB) {
				// The request is made once (httptest.NewRequest parses
				// it, as a server would have) and copied for each call,
				// with a body of its own: the handler is measured, not
				// the making of requests.
				proto := httptest.NewRequest(http.MethodPost, "/credentials/verify", nil)
				proto.Header.Set("Content-Type", "application/json")
				proto.ContentLength = int64(len(body))
				rd := bytes.NewReader(body)
				for pb.Next() {
					req := *proto
					rd.Reset(body)
					req.Body = io.NopCloser(rd)
					w := httptest.NewRecorder()
					s.ServeHTTP(w, &req)
					if w.Code != 200 {
						b.Fatal(w.Code, w.Body.String())
					}
				}
			})
			cpu.Report(b)
		})
	}
}
