package jsonld

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/microcred/openbadges/rdfc"
)

// Default limits. Each applies per document unless said otherwise.
const (
	DefaultMaxDocumentBytes  = 4 << 20 // 4 MiB of JSON
	DefaultMaxDepth          = 64      // nesting of JSON objects and arrays
	DefaultMaxContextSteps   = 1024    // context processing runs (cache misses) per document
	DefaultMaxRemoteContexts = 10      // nested remote context loads (as jsonld.js)
	DefaultMaxQuads          = 100_000 // RDF statements produced
	DefaultMaxCachedContexts = 4096    // processed contexts kept by one Processor
)

// Config configures a Processor. The zero value is safe: embedded contexts
// only, safe mode, RDFC-1.0 with SHA-256 and the default limits. Zero limits
// mean the defaults; negative limits are an error.
type Config struct {
	// Loader serves contexts. Nil means Embedded(): the pinned contexts only.
	// To opt in to the network, pass Chain(Embedded(), httpLoader).
	Loader DocumentLoader
	// MaxCanonicalizationWork bounds RDFC-1.0's work on one document (see
	// rdfc.Options.MaxWork). Zero means rdfc.DefaultMaxWork.
	MaxCanonicalizationWork int
	// MaxDocumentBytes bounds the size of a document given to Canonicalize
	// (and of each context document). Default DefaultMaxDocumentBytes.
	MaxDocumentBytes int
	// MaxDepth bounds the nesting of JSON arrays and objects, in documents
	// and contexts. Default DefaultMaxDepth.
	MaxDepth int
	// MaxContextSteps bounds the context processing a document can cause
	// (processed contexts not found in the cache, including scoped
	// contexts). Default DefaultMaxContextSteps.
	MaxContextSteps int
	// MaxRemoteContexts bounds how deeply remote contexts may reference
	// further remote contexts. Default DefaultMaxRemoteContexts.
	MaxRemoteContexts int
	// MaxQuads bounds the number of RDF statements one document may produce.
	// Default DefaultMaxQuads.
	MaxQuads int
	// MaxCachedContexts bounds the processed contexts (and context
	// compositions) one Processor keeps. Default DefaultMaxCachedContexts.
	MaxCachedContexts int
	// UnwrapNestedContexts reads an inline context whose only member is
	// "@context", an object, as that object, as jsonld.js does (it reads
	// {"@context": {"@context": {…}}} as {"@context": {…}}). The JSON-LD
	// 1.1 context processing algorithm calls it a keyword redefinition,
	// which is what the default answers. Only for callers that accept
	// inline contexts at all (verifier.Config.InsecureAllowInlineContexts).
	UnwrapNestedContexts bool
}

// Processor expands JSON-LD documents in safe mode and canonicalizes them.
// It caches processed contexts; one Processor is meant to be shared by many
// goroutines. Its methods are safe for concurrent use.
type Processor struct {
	loader         DocumentLoader
	maxWork        int
	maxBytes       int
	maxDepth       int
	maxContextOps  int
	maxRemoteDepth int
	maxQuads       int
	maxCache       int
	unwrapNested   bool

	// unsafe turns safe mode off and docBase sets the document's URL; tests
	// use them to run the W3C suites. Documents have no base IRI otherwise.
	unsafe  bool
	docBase string

	initial *activeContext

	mu        sync.RWMutex
	docs      map[string]*remoteContext // loaded, parsed context documents by URL
	comps     sync.Map                  // compKey → *activeContext: context compositions
	compCount atomic.Int64
}

// remoteContext is a loaded context document: the value of its @context.
type remoteContext struct {
	url string
	ctx jv
}

// compKey identifies "active context + local context → result". The local
// context is named by URL, by the term definition that holds it (scoped
// contexts), or by its canonical JSON text (inline contexts).
type compKey struct {
	parent *activeContext
	url    string
	def    *termDef
	flags  uint8
}

const (
	flagOverride uint8 = 1 << iota
	flagNoPropagate
	flagNoValidate
	flagInline
)

// NewProcessor returns a Processor for cfg.
func NewProcessor(cfg Config) (*Processor, error) {
	p := &Processor{
		loader:         cfg.Loader,
		maxWork:        cfg.MaxCanonicalizationWork,
		maxBytes:       orDefault(cfg.MaxDocumentBytes, DefaultMaxDocumentBytes),
		maxDepth:       orDefault(cfg.MaxDepth, DefaultMaxDepth),
		maxContextOps:  orDefault(cfg.MaxContextSteps, DefaultMaxContextSteps),
		maxRemoteDepth: orDefault(cfg.MaxRemoteContexts, DefaultMaxRemoteContexts),
		maxQuads:       orDefault(cfg.MaxQuads, DefaultMaxQuads),
		maxCache:       orDefault(cfg.MaxCachedContexts, DefaultMaxCachedContexts),
		unwrapNested:   cfg.UnwrapNestedContexts,
		initial:        &activeContext{terms: map[string]*termDef{}},
		docs:           map[string]*remoteContext{},
	}
	for name, v := range map[string]int{
		"MaxCanonicalizationWork": cfg.MaxCanonicalizationWork, "MaxDocumentBytes": cfg.MaxDocumentBytes,
		"MaxDepth": cfg.MaxDepth, "MaxContextSteps": cfg.MaxContextSteps, "MaxRemoteContexts": cfg.MaxRemoteContexts,
		"MaxQuads": cfg.MaxQuads, "MaxCachedContexts": cfg.MaxCachedContexts,
	} {
		if v < 0 {
			return nil, fmt.Errorf("jsonld: Config.%s is negative", name)
		}
	}
	if p.loader == nil {
		p.loader = Embedded()
	}
	return p, nil
}

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// Canonicalize returns the canonical N-Quads (RDFC-1.0) of the JSON-LD
// document doc, expanded in safe mode.
func (p *Processor) Canonicalize(ctx context.Context, doc []byte) ([]byte, error) {
	if len(doc) > p.maxBytes {
		return nil, fmt.Errorf("%w: document is %d bytes, more than %d", ErrLimitExceeded, len(doc), p.maxBytes)
	}
	return p.canonicalize(ctx, nil, doc, nil, true)
}

// CanonicalizeValue is Canonicalize for a document already decoded from JSON:
// map[string]any, []any, string, bool, nil, and numbers as json.Number or
// float64. It does not modify doc.
func (p *Processor) CanonicalizeValue(ctx context.Context, doc any) ([]byte, error) {
	return p.canonicalize(ctx, nil, nil, doc, false)
}

// WriteCanonicalValue writes what CanonicalizeValue returns to w, and so
// keeps nothing of it: a caller that only hashes the canonical form (a Data
// Integrity proof) passes the hash. Nothing is written when it fails.
func (p *Processor) WriteCanonicalValue(ctx context.Context, w io.Writer, doc any) error {
	buf := nquadsPool.Get().(*[]byte)
	out, err := p.canonicalize(ctx, (*buf)[:0], nil, doc, false)
	if err == nil {
		_, err = w.Write(out)
	}
	if cap(out) <= maxPooledNQuads {
		*buf = out[:0]
		nquadsPool.Put(buf)
	}
	return err
}

// nquadsPool holds the buffers of WriteCanonicalValue; maxPooledNQuads
// bounds what it keeps.
var nquadsPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

const maxPooledNQuads = 256 << 10

// canonicalize runs the pipeline on the JSON text doc when text is set, on
// the decoded value val otherwise. Everything built for the document lives in
// pooled scratch memory: nothing of it outlives the call (the result is
// fresh bytes, error texts are fresh strings, cached contexts are private
// copies).
func (p *Processor) canonicalize(ctx context.Context, dst, doc []byte, val any, text bool) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	sc := scratchPool.Get().(*scratch)
	if sc.path == nil {
		sc.path = make([]pathSeg, 0, 32)
	}
	st := &sc.st
	*st = state{p: p, ctx: ctx, safe: !p.unsafe, path: sc.path[:0], members: st.members[:0]}
	st.vals, st.nodes, st.props, st.strs, st.quads = sc.vals, sc.nodes, sc.props, sc.strs, sc.quads[:0]
	defer func() {
		sc.vals, sc.nodes, sc.props, sc.strs, sc.quads = st.vals, st.nodes, st.props, st.strs, st.quads
		// The path stack holds keys of the document: clear it before
		// pooling (and drop a stack that grew unusually deep).
		clear(sc.path[:cap(sc.path)])
		if cap(st.path) <= 256 {
			clear(st.path[:cap(st.path)])
			sc.path = st.path[:0]
		}
		// The members stack holds values of the document: clear it too.
		m := st.members[:cap(st.members)]
		clear(m)
		if cap(m) > 256 {
			m = nil
		}
		*st = state{members: m[:0]}
		sc.reset()
		scratchPool.Put(sc)
	}()
	var v jv
	var err error
	if text {
		v, err = parseJSON(string(doc), p.maxDepth)
		if err == nil {
			st.reserve(bytes.Count(doc, []byte{':'}))
		}
	} else {
		v, err = fromGo(val, p.maxDepth)
	}
	if err != nil {
		return dst, err
	}
	res, err := st.expandDocument(&v)
	if err != nil {
		return dst, err
	}
	quads, err := st.toRDF(res)
	if err != nil {
		return dst, err
	}
	return p.canon(ctx, dst, quads)
}

// scratch is the reusable memory of one Canonicalize call.
type scratch struct {
	vals  arena[xval]
	nodes arena[xnode]
	props arena[xprop]
	strs  arena[string]
	quads []rdfc.Quad
	path  []pathSeg // the state's error-path stack
	st    state     // the document's state, zeroed between uses
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// reset clears the scratch memory; oversized buffers are dropped so that one
// large document does not pin its memory in the pool.
func (sc *scratch) reset() {
	const limit = 4096
	sc.vals.reset(limit)
	sc.nodes.reset(limit)
	sc.props.reset(limit)
	sc.strs.reset(limit)
	if cap(sc.quads) > limit {
		sc.quads = nil
	} else {
		clear(sc.quads) // the statements of the last document: len is what was used
		sc.quads = sc.quads[:0]
	}
}

func (p *Processor) canon(ctx context.Context, dst []byte, quads []rdfc.Quad) ([]byte, error) {
	out, err := rdfc.AppendCanonicalNQuads(ctx, dst, quads, &rdfc.Options{MaxWork: p.maxWork})
	if err != nil {
		return dst, fmt.Errorf("jsonld: canonicalization: %w", err)
	}
	return out, nil
}

// ToRDF expands doc (decoded JSON as for CanonicalizeValue) in safe mode and
// returns its RDF dataset, with blank nodes labelled b0, b1, ... Duplicate
// statements are removed. @direction is represented as rdfDirection
// i18n-datatype, as jsonld.js does.
func (p *Processor) ToRDF(ctx context.Context, doc any) ([]rdfc.Quad, error) {
	v, err := fromGo(doc, p.maxDepth)
	if err != nil {
		return nil, err
	}
	q, err := p.toRDF(ctx, &v)
	return dedupe(q), err
}

// ToRDFBytes is ToRDF for a JSON document given as bytes (strict JSON).
func (p *Processor) ToRDFBytes(ctx context.Context, doc []byte) ([]rdfc.Quad, error) {
	q, err := p.toRDFBytes(ctx, doc)
	return dedupe(q), err
}

func (p *Processor) toRDFBytes(ctx context.Context, doc []byte) ([]rdfc.Quad, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := p.parse(doc)
	if err != nil {
		return nil, err
	}
	// Members bound the expanded values, node properties and statements
	// (roughly): size the arenas once.
	st := p.newState(ctx)
	st.reserve(bytes.Count(doc, []byte{':'}))
	res, err := st.expandDocument(&v)
	if err != nil {
		return nil, err
	}
	return st.toRDF(res)
}

func (p *Processor) parse(doc []byte) (jv, error) {
	if len(doc) > p.maxBytes {
		return jv{}, fmt.Errorf("%w: document is %d bytes, more than %d", ErrLimitExceeded, len(doc), p.maxBytes)
	}
	return parseJSON(string(doc), p.maxDepth)
}

func (p *Processor) toRDF(ctx context.Context, v *jv) ([]rdfc.Quad, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := p.newState(ctx)
	res, err := st.expandDocument(v)
	if err != nil {
		return nil, err
	}
	return st.toRDF(res)
}

// Expand returns the expanded form of doc (decoded JSON as for
// CanonicalizeValue) as produced by the JSON-LD 1.1 Expansion algorithm in
// safe mode: a []any of node objects, with numbers as float64.
func (p *Processor) Expand(ctx context.Context, doc any) (any, error) {
	v, err := fromGo(doc, p.maxDepth)
	if err != nil {
		return nil, err
	}
	st := p.newState(ctx)
	res, err := st.expandDocument(&v)
	if err != nil {
		return nil, err
	}
	return exportVals(res), nil
}

func (p *Processor) newState(ctx context.Context) *state {
	return &state{p: p, ctx: ctx, safe: !p.unsafe, path: make([]pathSeg, 0, 32)}
}

// loadContext returns the parsed context document at url, loading it once.
func (p *Processor) loadContext(ctx context.Context, url string) (*remoteContext, error) {
	p.mu.RLock()
	rc := p.docs[url]
	p.mu.RUnlock()
	if rc != nil {
		return rc, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, &ctxError{term: url, err: fmt.Errorf("%w: %w", ErrLoadingContext, err)}
	}
	rd, err := p.loader.LoadDocument(ctx, url)
	if err != nil {
		return nil, &ctxError{term: url, err: fmt.Errorf("%w: %w", ErrLoadingContext, err)}
	}
	if rd == nil {
		return nil, &ctxError{term: url, err: ErrLoadingContext, detail: "loader returned no document"}
	}
	if len(rd.Document) > p.maxBytes {
		return nil, cerr(ErrLimitExceeded, url, "context document larger than %d bytes", p.maxBytes)
	}
	doc, err := parseJSON(rd.Document, p.maxDepth)
	if err != nil {
		return nil, &ctxError{term: url, err: fmt.Errorf("%w: %w", ErrLoadingContext, err)}
	}
	c, ok := doc.Get("@context")
	if doc.Kind() != jObject || !ok {
		return nil, cerr(ErrInvalidContext, url, "invalid remote context: no @context entry")
	}
	url = strings.Clone(url) // it may be a substring of a document
	rc = &remoteContext{url: url, ctx: c}
	p.mu.Lock()
	if old := p.docs[url]; old != nil {
		rc = old
	} else {
		if len(p.docs) >= p.maxCache {
			clear(p.docs)
		}
		p.docs[url] = rc
	}
	p.mu.Unlock()
	return rc, nil
}

// cached looks a composition up. The map is a sync.Map: after warm-up it is
// read-only, and readers on many cores then share no written cache line.
func (p *Processor) cached(k compKey) *activeContext {
	if c, ok := p.comps.Load(k); ok {
		return c.(*activeContext)
	}
	return nil
}

func (p *Processor) store(k compKey, c *activeContext) {
	if k.parent.ephemeral || c.ephemeral {
		return
	}
	// The URL may be a substring of a document: do not let the cache keep
	// the document alive.
	k.url = strings.Clone(k.url)
	if _, loaded := p.comps.LoadOrStore(k, c); loaded {
		return
	}
	if p.compCount.Add(1) > int64(p.maxCache) {
		// Dropping everything keeps the bound simple; the working set of
		// real deployments (a few dozen contexts) refills it at once.
		p.comps.Clear()
		p.compCount.Store(0)
	}
}

// processContextCached runs processContext for a context loaded from url,
// reusing an earlier result for the same parent context.
func (st *state) processContextCached(active *activeContext, local *jv, baseURL string, remote []string, override, propagate, validateScoped bool, url string) (*activeContext, error) {
	k := compKey{parent: active, url: url, flags: flagsFor(override, propagate, validateScoped)}
	if c := st.p.cached(k); c != nil {
		return c, nil
	}
	c, err := st.processContext(active, local, baseURL, remote, override, propagate, validateScoped)
	if err != nil {
		return nil, err
	}
	// Validation runs (validateScoped false) may start from a context that
	// is still being built: never cache them.
	if len(remote) <= 1 && validateScoped {
		st.p.store(k, c)
	}
	return c, nil
}

func flagsFor(override, propagate, validateScoped bool) uint8 {
	var f uint8
	if override {
		f |= flagOverride
	}
	if !propagate {
		f |= flagNoPropagate
	}
	if !validateScoped {
		f |= flagNoValidate
	}
	return f
}

// applyScoped applies the scoped context of def (a property- or type-scoped
// context) to active, through the cache.
func (st *state) applyScoped(active *activeContext, def *termDef, override, propagate bool) (*activeContext, error) {
	k := compKey{parent: active, def: def, flags: flagsFor(override, propagate, true)}
	if c := st.p.cached(k); c != nil {
		return c, nil
	}
	c, err := st.processContext(active, def.scoped, def.scopedB, nil, override, propagate, true)
	if err != nil {
		return nil, err
	}
	st.p.store(k, c)
	return c, nil
}

// applyLocal applies a document's own @context value to active, through the
// cache: URLs by URL, inline contexts by their canonical JSON text.
func (st *state) applyLocal(active *activeContext, local *jv) (*activeContext, error) {
	if local.Kind() == jString {
		return st.applyURL(active, local.Str())
	}
	if local.Kind() == jArray {
		c := active
		for _, e := range local.Elements() {
			var err error
			if e.Kind() == jString {
				c, err = st.applyURL(c, e.Str())
			} else {
				c, err = st.applyInline(c, &e)
			}
			if err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	return st.applyInline(active, local)
}

func (st *state) applyURL(active *activeContext, url string) (*activeContext, error) {
	k := compKey{parent: active, url: url}
	if c := st.p.cached(k); c != nil {
		return c, nil
	}
	u := stringValue(url)
	c, err := st.processContext(active, &u, st.p.docBase, nil, false, true, true)
	if err != nil {
		return nil, err
	}
	st.p.store(k, c)
	return c, nil
}

func (st *state) applyInline(active *activeContext, local *jv) (*activeContext, error) {
	if local.Kind() == jNull {
		return st.processContext(active, local, st.p.docBase, nil, false, true, true)
	}
	if inner, ok := local.Get("@context"); ok && st.p.unwrapNested && local.Len() == 1 && inner.Kind() == jObject {
		local = &inner
	}
	key := local.AppendJCS(nil)
	if len(key) > maxCachedInline {
		// Large inline contexts are processed every time rather than
		// letting documents fill the cache with big entries.
		c, err := st.processContext(active, local, st.p.docBase, nil, false, true, true)
		if err == nil && c != active {
			c.ephemeral = true
		}
		return c, err
	}
	k := compKey{parent: active, url: string(key), flags: flagInline}
	if c := st.p.cached(k); c != nil {
		return c, nil
	}
	// The cached result must not keep the document alive: process a
	// copy of the context.
	own := local.Clone()
	c, err := st.processContext(active, &own, st.p.docBase, nil, false, true, true)
	if err != nil {
		return nil, err
	}
	st.p.store(k, c)
	return c, nil
}

func (st *state) reserve(members int) {
	st.vals.reserve(members)
	st.props.reserve(members)
	st.quadsHint = members
}

// maxCachedInline is the largest inline context (canonical JSON bytes) whose
// processed form is cached.
const maxCachedInline = 16 << 10

// state is the per-document processing state.
type state struct {
	// members is the stack of the members of the objects being expanded,
	// each object's sorted (see expandObject).
	members    []member
	p          *Processor
	ctx        context.Context
	safe       bool
	contextOps int
	steps      int
	path       []pathSeg
	blank      map[string]string // document blank node labels → ours
	nextBlank  int
	quads      []rdfc.Quad
	quadsHint  int
	vals       arena[xval]
	nodes      arena[xnode]
	props      arena[xprop]
	strs       arena[string]
}
