package main

import (
	"net/http"
	"strconv"
	"strings"
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
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		method, path = "", route
	}
	m.requests.WithLabelValues(method, path, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(method, path).Observe(d.Seconds())
}

// Verification implements vcapi.Metrics.
func (m *serveMetrics) Verification(kind, outcome string) {
	m.verifications.WithLabelValues(kind, outcome).Inc()
}

// Issued implements vcapi.Metrics.
func (m *serveMetrics) Issued(issuer string) { m.issued.WithLabelValues(issuer).Inc() }

// StatusChanged implements vcapi.Metrics.
func (m *serveMetrics) StatusChanged(issuer, purpose, state string) {
	m.statusChanges.WithLabelValues(issuer, purpose, state).Inc()
}
