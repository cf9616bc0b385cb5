package main

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// serveMetrics implements vcapi.Metrics with Prometheus collectors, in a
// registry of their own (with the Go runtime's and the process's), served
// at /metrics.
type serveMetrics struct {
	registry      *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	verifications *prometheus.CounterVec
	issued        *prometheus.CounterVec
	statusChanges *prometheus.CounterVec

	// byRoute and byOutcome find the series of a request and of a
	// verification (see seriesMap); mu orders their additions.
	mu        sync.Mutex
	byRoute   atomic.Pointer[seriesMap[routeCode, routeSeries]]
	byOutcome atomic.Pointer[seriesMap[[2]string, prometheus.Counter]]
}

// latencyBuckets span a verification in memory to a slow database write.
var latencyBuckets = []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

func newServeMetrics() *serveMetrics {
	m := &serveMetrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "badge_http_requests_total", Help: "HTTP requests answered, by method, route and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "badge_http_request_duration_seconds", Help: "Time to answer an HTTP request, by method and route.",
			Buckets: latencyBuckets,
		}, []string{"method", "route"}),
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "badge_verifications_total", Help: "Verify requests, by what was verified (credential, presentation) and outcome.",
		}, []string{"kind", "outcome"}),
		issued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "badge_credentials_issued_total", Help: "Credentials issued, by issuer name (\"\" for the --key issuer).",
		}, []string{"issuer"}),
		statusChanges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "badge_status_changes_total", Help: "Credential status changes, by issuer, list purpose and new state.",
		}, []string{"issuer", "purpose", "state"}),
	}
	m.byRoute.Store(&seriesMap[routeCode, routeSeries]{})
	m.byOutcome.Store(&seriesMap[[2]string, prometheus.Counter]{})
	m.registry.MustRegister(m.requests, m.latency, m.verifications, m.issued, m.statusChanges,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry's metrics.
func (m *serveMetrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Request implements vcapi.Metrics. route is a ServeMux pattern ("POST
// /credentials/verify") or "unmatched".
func (m *serveMetrics) Request(route string, code int, d time.Duration) {
	k := routeCode{route, code}
	c, ok := m.byRoute.Load().m[k]
	if !ok {
		c = m.addRoute(k)
	}
	c.requests.Inc()
	c.latency.Observe(d.Seconds())
}

// routeCode is a route and a status code: a series of requests.
type routeCode struct {
	route string
	code  int
}

// routeSeries are the series that count the requests of one routeCode.
type routeSeries struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// seriesMap is an immutable map, replaced with a copy when a key is added:
// the few routes and codes are all seen early, and then every request
// finds its series without a lock or the hashing of its label values.
type seriesMap[K comparable, V any] struct{ m map[K]V }

func (m *serveMetrics) addRoute(k routeCode) routeSeries {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byRoute.Load().m
	if c, ok := old[k]; ok {
		return c
	}
	method, path, ok := strings.Cut(k.route, " ")
	if !ok {
		method, path = "", k.route
	}
	c := routeSeries{
		requests: m.requests.WithLabelValues(method, path, strconv.Itoa(k.code)),
		latency:  m.latency.WithLabelValues(method, path),
	}
	if len(old) < maxCachedSeries {
		next := make(map[routeCode]routeSeries, len(old)+1)
		for k, v := range old {
			next[k] = v
		}
		next[k] = c
		m.byRoute.Store(&seriesMap[routeCode, routeSeries]{next})
	}
	return c
}

// maxCachedSeries bounds the series remembered (routes are patterns and
// codes are few, but nothing is unbounded): past it, the others are found
// by their labels each time.
const maxCachedSeries = 256

// Verification implements vcapi.Metrics.
func (m *serveMetrics) Verification(kind, outcome string) {
	k := [2]string{kind, outcome}
	c, ok := m.byOutcome.Load().m[k]
	if !ok {
		m.mu.Lock()
		defer m.mu.Unlock()
		old := m.byOutcome.Load().m
		if c, ok = old[k]; !ok {
			c = m.verifications.WithLabelValues(kind, outcome)
			if len(old) < maxCachedSeries {
				next := make(map[[2]string]prometheus.Counter, len(old)+1)
				for k, v := range old {
					next[k] = v
				}
				next[k] = c
				m.byOutcome.Store(&seriesMap[[2]string, prometheus.Counter]{next})
			}
		}
	}
	c.Inc()
}

// Issued implements vcapi.Metrics.
func (m *serveMetrics) Issued(issuer string) { m.issued.WithLabelValues(issuer).Inc() }

// StatusChanged implements vcapi.Metrics.
func (m *serveMetrics) StatusChanged(issuer, purpose, state string) {
	m.statusChanges.WithLabelValues(issuer, purpose, state).Inc()
}
