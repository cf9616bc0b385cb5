package vcapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/microcred/openbadges/status"
)

// list finds the status list served at /status/{name}: an issuer's first
// list of a purpose, or a later list of its series (name-2, name-3, …),
// opened when the one before filled, possibly by another server sharing
// the store.
func (s *Server) list(ctx context.Context, name string) (*statusList, bool) {
	if sl, ok := s.lists[name]; ok {
		return sl, true
	}
	if v, ok := s.rotated.Load(name); ok {
		return v.(*statusList), true
	}
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return nil, false
	}
	first, ok := s.lists[name[:i]]
	if !ok {
		return nil, false
	}
	id := s.baseURL + "/status/" + name
	if _, ok := first.owner.series[first.purpose].Seq(id); !ok {
		return nil, false
	}
	if _, err := s.store.Load(ctx, id); err != nil {
		return nil, false
	}
	sl := &statusList{name: name, id: id, purpose: first.purpose, owner: first.owner}
	v, _ := s.rotated.LoadOrStore(name, sl)
	return v.(*statusList), true
}

// listByID finds the issuer's list whose URL is id, of any purpose.
func (s *Server) listByID(ctx context.Context, is *issuerState, id string) (*statusList, bool) {
	name, ok := strings.CutPrefix(id, s.baseURL+"/status/")
	if !ok {
		return nil, false
	}
	sl, ok := s.list(ctx, name)
	if !ok || sl.owner != is {
		return nil, false
	}
	return sl, true
}

// publication is a signed status list as served, with its entity tag.
type publication struct {
	signed   []byte
	etag     string
	version  string // the store's version of the list, or a hash of its bits
	expires  time.Time
	signedAt time.Time
}

// publications caches the signed lists: a list is signed again only when
// its bits have changed (or its validUntil draws near), not on every GET.
type publications struct {
	mu sync.Mutex
	m  map[string]*publication // by list id
}

// listVersion tells what the bits of a list are at: the store's counter
// of changes when it keeps one (a database store), else a hash of the
// bits. n is the counter (0 without one).
func (s *Server) listVersion(ctx context.Context, id string) (version string, n uint64, st *status.ListState, err error) {
	if v, ok := s.store.(status.Versioner); ok {
		n, err := v.Version(ctx, id)
		if err != nil {
			return "", 0, nil, err
		}
		return "v" + strconv.FormatUint(n, 10), n, nil, nil
	}
	st, err = s.store.Load(ctx, id)
	if err != nil {
		return "", 0, nil, err
	}
	h := sha256.Sum256(st.Bits)
	return "h" + hex.EncodeToString(h[:16]), 0, st, nil
}

// newPublication is the signed list as served: its ETag is a hash of the
// bytes, so that servers serving the same bytes give the same ETag.
func newPublication(signed []byte, version string, signedAt time.Time, validFor time.Duration) *publication {
	h := sha256.Sum256(signed)
	p := &publication{signed: signed, etag: `"` + hex.EncodeToString(h[:16]) + `"`, version: version, signedAt: signedAt}
	if validFor > 0 {
		// Sign again halfway through the validity period, so that what is
		// served never expires in a client's hands within max-age.
		p.expires = signedAt.Add(validFor / 2)
	}
	return p
}

// publish returns the list signed as it stands, from the cache when its
// bits have not changed since it was signed. When the store keeps the
// publications (status.Publisher: a database shared by several servers),
// a version is signed by the first server that needs it and the others
// serve the same bytes, hence the same ETag.
func (s *Server) publish(ctx context.Context, sl *statusList) (*publication, error) {
	version, n, st, err := s.listVersion(ctx, sl.id)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	s.pubs.mu.Lock()
	p := s.pubs.m[sl.id]
	s.pubs.mu.Unlock()
	if p != nil && p.version == version && (p.expires.IsZero() || now.Before(p.expires)) {
		return p, nil
	}
	if st == nil {
		if st, err = s.store.Load(ctx, sl.id); err != nil {
			return nil, err
		}
	}
	shared, _ := s.store.(status.Publisher)
	var stored *status.Publication
	if shared != nil {
		if stored, err = shared.Publication(ctx, sl.id); err != nil {
			return nil, err
		}
	}
	fresh := func(sp *status.Publication) bool {
		return sp != nil && sp.Version >= n && (st.ValidFor <= 0 || now.Before(sp.SignedAt.Add(st.ValidFor/2)))
	}
	if !fresh(stored) {
		signed, err := sl.owner.lists.Publish(ctx, sl.id)
		if err != nil {
			return nil, err
		}
		if shared == nil {
			p = newPublication(signed, version, now, st.ValidFor)
		} else {
			var staleBefore time.Time
			if stored != nil && st.ValidFor > 0 {
				staleBefore = now.Add(-st.ValidFor / 2)
			}
			// What is stored after the call may be another server's
			// signature of this version (or a later one): serve that.
			if stored, err = shared.SavePublication(ctx, status.Publication{List: sl.id, Version: n, Credential: signed, SignedAt: now}, staleBefore); err != nil {
				return nil, err
			}
		}
	}
	if shared != nil {
		p = newPublication(stored.Credential, "v"+strconv.FormatUint(stored.Version, 10), stored.SignedAt, st.ValidFor)
	}
	s.pubs.mu.Lock()
	if s.pubs.m == nil {
		s.pubs.m = map[string]*publication{}
	}
	s.pubs.m[sl.id] = p
	s.pubs.mu.Unlock()
	return p, nil
}

// etagMatch tells whether an If-None-Match header matches etag (weak
// comparison, RFC 9110 §13.1.2).
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// storeProblem answers a request the status store failed: 503 when the
// store is unavailable (down, full, read only) or the request was cut
// short, so the client may retry; the cause goes to the log, never to the
// client.
func (s *Server) storeProblem(r *http.Request, what string, err error) *problem {
	if s.log != nil {
		s.log.ErrorContext(r.Context(), what+" failed", "path", r.URL.Path, "err", err)
	}
	code := http.StatusServiceUnavailable
	if !errors.Is(err, status.ErrUnavailable) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		code = http.StatusInternalServerError
	}
	return &problem{Status: code, Detail: what + " is not possible now; try again later"}
}

// requestID is the request's X-Request-Id when it is a short printable
// token, else a new random one: recorded with what the request issued or
// changed.
func requestID(r *http.Request) string {
	if id, ok := r.Context().Value(requestIDKey{}).(string); ok {
		return id
	}
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= 128 && !strings.ContainsFunc(id, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
		return id
	}
	// A random prefix per process and a counter: unique across replicas
	// and restarts, and cheaper than reading 12 random bytes per request.
	var b [12]byte
	copy(b[:], requestIDPrefix[:])
	binary.BigEndian.PutUint32(b[8:], requestIDCounter.Add(1))
	var h [24]byte
	hex.Encode(h[:], b[:])
	return string(h[:])
}

var (
	requestIDPrefix  = func() (p [8]byte) { randRead(p[:]); return p }()
	requestIDCounter atomic.Uint32
)

var randRead = rand.Read
