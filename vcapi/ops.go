package vcapi

import (
	"context"
	"crypto"
	"log/slog"
	"net/http"
	"time"
)

// pagePaths are the paths of the verifier page (Config.Page).
var pagePaths = []string{"/{$}", "/index.html", "/app.js", "/style.css", "/wasm_exec.js", "/verifier.wasm"}

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// readyTimeout bounds the checks of GET /readyz.
const readyTimeout = 2 * time.Second

// ServeHTTP implements http.Handler. Every request gets a request id, the
// client's X-Request-ID when it is a short printable token or else a new
// one, echoed in the response's X-Request-ID and carried by every log line
// of the request; then a log line (Config.Logger) and its measurements
// (Config.Metrics) when it is answered.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := requestID(r)
	w.Header()["X-Request-Id"] = []string{id} // the canonical form of X-Request-ID
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	if s.log == nil && s.metrics == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	rw := &recorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rw, r)
	end := time.Now()
	d := end.Sub(start)
	if s.metrics != nil {
		// The pattern, not the path: a label per route, not per URL.
		route := r.Pattern
		if route == "" || route == "/" {
			route = "unmatched"
		}
		s.metrics.Request(route, rw.status, d)
	}
	if s.reqLog != nil && s.reqLog.Enabled(r.Context(), slog.LevelInfo) {
		// The record is made here, not by Logger.LogAttrs, which would
		// also look up its caller for a source that is always this line.
		// The request id is at hand: added as the last attribute, where
		// withRequestID's handler would add it from the context.
		rec := slog.NewRecord(end, slog.LevelInfo, "request", 0)
		rec.AddAttrs(
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rw.status),
			slog.Int64("bytes", rw.bytes),
			slog.Duration("duration", d),
			slog.String("remote", r.RemoteAddr),
			slog.String("request_id", id),
		)
		s.reqLog.Handler().Handle(r.Context(), rec)
	}
}

// recorder remembers the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// withRequestID makes every record logged with a request's context carry
// its request id.
func withRequestID(l *slog.Logger) *slog.Logger {
	if l == nil {
		return nil
	}
	return slog.New(requestIDHandler{l.Handler()})
}

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// healthz says the process is alive and serving: no dependency is asked,
// so that an orchestrator does not restart a server for a database's
// trouble (readyz is for that).
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}

// readyz says whether the server can do its work: every issuer's key
// signs, the status store answers, and Config.Ready agrees. 200 or 503,
// with each check's outcome; causes go to the log, not to the client.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	checks := map[string]string{}
	ready := true
	check := func(name string, err error) {
		if err == nil {
			checks[name] = "ok"
			return
		}
		ready = false
		checks[name] = "failing"
		if s.log != nil {
			s.log.ErrorContext(ctx, "readiness check failed", "check", name, "err", err)
		}
	}
	var keyErr error
	for _, is := range s.issuers {
		if _, err := is.cfg.Signer.Sign(nil, []byte("readyz"), crypto.Hash(0)); err != nil {
			keyErr = err
		}
	}
	check("keys", keyErr)
	if s.store != nil {
		// Reading a list is what every issuance and status check does.
		var err error
		for _, sl := range s.lists {
			if _, err = s.store.Load(ctx, sl.id); err != nil {
				break
			}
		}
		check("store", err)
	}
	if s.ready != nil {
		check("ready", s.ready(ctx))
	}
	code, st := http.StatusOK, "ready"
	if !ready {
		code, st = http.StatusServiceUnavailable, "not ready"
	}
	writeJSON(w, code, "application/json", map[string]any{"status": st, "checks": checks})
}
