package vcapi

import (
	"fmt"
	"hash/maphash"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit bounds how often one client may call the public verify
// endpoints (POST /credentials/verify, /presentations/verify and
// /issuers/{name}/credentials/verify). A client over the limit gets 429
// with Retry-After. The zero value sets no limit.
type RateLimit struct {
	// PerSecond is the sustained rate allowed to each client, in requests
	// per second; zero means no limit.
	PerSecond float64
	// Burst is how many requests a client may make at once after being
	// idle; zero means twice PerSecond (at least 1).
	Burst int
	// ClientKey tells clients apart. Nil means by the IP address of the
	// connection (r.RemoteAddr): behind a reverse proxy, set it to read
	// the address the proxy reports, or all clients are the proxy.
	ClientKey func(*http.Request) string
}

// maxClients bounds the clients remembered; past it, those whose bucket
// has refilled (idle clients) are forgotten, and if none has, all are.
const maxClients = 1 << 16

// limiter is a token bucket per client.
type limiter struct {
	rate  float64 // tokens per second
	burst float64
	key   func(*http.Request) string
	now   func() time.Time
	seed  maphash.Seed
	// shards spread the clients over several locks, so that concurrent
	// requests of different clients seldom wait for each other.
	shards [16]limiterShard
}

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rl RateLimit, now func() time.Time) (*limiter, error) {
	if rl.PerSecond < 0 || math.IsNaN(rl.PerSecond) || math.IsInf(rl.PerSecond, 0) || rl.Burst < 0 {
		return nil, fmt.Errorf("%w: RateLimit must not be negative", ErrConfig)
	}
	if rl.PerSecond == 0 {
		return nil, nil
	}
	l := &limiter{rate: rl.PerSecond, burst: float64(rl.Burst), key: rl.ClientKey, now: now, seed: maphash.MakeSeed()}
	if l.burst == 0 {
		l.burst = math.Max(1, math.Ceil(2*rl.PerSecond))
	}
	if l.key == nil {
		l.key = remoteIP
	}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	return l, nil
}

// remoteIP is the IP address of the connection.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allow takes a token from the client's bucket. When there is none it
// returns false and how long until there is one.
func (l *limiter) allow(r *http.Request) (bool, time.Duration) {
	key := l.key(r)
	sh := &l.shards[maphash.String(l.seed, key)%uint64(len(l.shards))]
	now := l.now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b, ok := sh.buckets[key]
	if !ok {
		if len(sh.buckets) >= maxClients/len(l.shards) {
			sh.sweep(now, l)
		}
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(l.burst, b.tokens+el*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep forgets the clients whose bucket is full again, or every client
// if none is: a memory bound that, at worst, lets a client start afresh.
func (sh *limiterShard) sweep(now time.Time, l *limiter) {
	for k, b := range sh.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(sh.buckets, k)
		}
	}
	if len(sh.buckets) >= maxClients/len(l.shards) {
		clear(sh.buckets)
	}
}

// limited wraps a public endpoint with the rate limit, if there is one.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	if s.limit == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.limit.allow(r)
		if !ok {
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeProblem(w, &problem{Status: http.StatusTooManyRequests,
				Detail: fmt.Sprintf("more than %g requests per second from this client: retry after %d s", s.limit.rate, secs)})
			return
		}
		h(w, r)
	}
}

// ClientFromHeader returns a RateLimit.ClientKey that tells clients apart
// by the address a reverse proxy reports in the named header: the last
// one when the header lists several (X-Forwarded-For), which is the one
// the nearest proxy wrote; the others could be the client's invention. A
// request without the header is keyed by its connection's address. Use it
// only behind a proxy that sets the header, or clients choose their key.
func ClientFromHeader(name string) func(*http.Request) string {
	return func(r *http.Request) string {
		vs := r.Header.Values(name)
		if len(vs) == 0 {
			return remoteIP(r)
		}
		v := vs[len(vs)-1]
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		}
		if v = strings.TrimSpace(v); v == "" {
			return remoteIP(r)
		}
		return v
	}
}
