package jsonld

import (
	"errors"
	"slices"
	"strings"

	"github.com/microcred/openbadges/internal/jcs"
)

// Container flags of a term definition.
const (
	cGraph uint16 = 1 << iota
	cID
	cIndex
	cLanguage
	cList
	cSet
	cType
)

// termDef is a processed term definition. It is immutable once its context
// is built, and shared between the contexts derived from it.
type termDef struct {
	iri       string // IRI mapping or keyword; "" with nullIRI for a null mapping
	nullIRI   bool
	reverse   bool
	typ       string // type mapping, "" for none
	lang      string // language mapping (lowercased) when hasLang; "" means null
	hasLang   bool
	dir       string // direction mapping when hasDir; "" means null
	hasDir    bool
	container uint16
	index     string
	nest      string
	prefix    bool
	protected bool
	iriOK     bool   // iri is a keyword or an absolute IRI N-Quads can carry
	scoped    *jv    // scoped context as written, nil if none
	scopedB   string // base URL for the scoped context
}

// equalIgnoringProtected compares two definitions for the protected-term
// redefinition rule.
func (a *termDef) equalIgnoringProtected(b *termDef) bool {
	if a.iri != b.iri || a.nullIRI != b.nullIRI || a.reverse != b.reverse || a.typ != b.typ ||
		a.lang != b.lang || a.hasLang != b.hasLang || a.dir != b.dir || a.hasDir != b.hasDir ||
		a.container != b.container || a.index != b.index || a.nest != b.nest || a.prefix != b.prefix {
		return false
	}
	if (a.scoped == nil) != (b.scoped == nil) {
		return false
	}
	return a.scoped == nil || equalJV(a.scoped, b.scoped)
}

// activeContext is a processed JSON-LD context. Immutable once built; the
// Processor caches them and the compositions between them.
type activeContext struct {
	terms     map[string]*termDef
	base      string
	hasBase   bool
	vocab     string
	hasVocab  bool
	lang      string // default language, "" for none
	dir       string // default base direction, "" for none
	previous  *activeContext
	protected bool // some term is protected
	// typeAliases are the terms that expand to @type, so that finding the
	// @type members of a node does not look every key up.
	typeAliases []string
	// ephemeral marks a context built from a large inline context (and
	// everything derived from it): compositions involving it are not
	// cached, so that one-off documents neither fill nor pin the cache.
	ephemeral bool
}

func (c *activeContext) clone() *activeContext {
	n := *c
	n.terms = make(map[string]*termDef, len(c.terms)+8)
	for k, v := range c.terms {
		n.terms[k] = v
	}
	return &n
}

// revert returns the context before the innermost type-scoped context.
func (c *activeContext) revert() *activeContext {
	if c.previous != nil {
		return c.previous
	}
	return c
}

// termCtx carries what Create Term Definition needs from the context being
// processed.
type termCtx struct {
	local            *jv
	defined          map[string]bool
	baseURL          string
	protectedDefault bool
	override         bool
	remote           []string
	validateScoped   bool
}

// processContext is the JSON-LD 1.1 Context Processing algorithm (API 4.1.2).
func (st *state) processContext(active *activeContext, local *jv, baseURL string, remote []string, override, propagate, validateScoped bool) (*activeContext, error) {
	st.contextOps++
	if st.contextOps > st.p.maxContextOps {
		return nil, cerr(ErrLimitExceeded, "", "more than %d context processing steps", st.p.maxContextOps)
	}
	// result is cloned only before it is modified, so that a list of URLs
	// resolves entirely through the cache.
	result, owned := active, false
	own := func() {
		if !owned {
			result, owned = result.clone(), true
		}
	}
	if local.Kind() == jObject {
		if pv, ok := local.Get("@propagate"); ok {
			if pv.Kind() != jBool {
				return nil, cerr(ErrInvalidContext, "@propagate", "must be a boolean")
			}
			propagate = pv.Bool()
		}
	}
	if !propagate && result.previous == nil {
		own()
		result.previous = active
	}
	for _, item := range items(*local) {
		ctx := &item
		switch ctx.Kind() {
		case jNull:
			if !override && result.protected {
				return nil, cerr(ErrProtectedTermRedefinition, "", "invalid context nullification: the active context has protected terms")
			}
			prev := result.previous
			// A null context resets to the initial context, keeping the
			// document's base IRI.
			ini := st.p.initial
			result, owned = &activeContext{terms: map[string]*termDef{}, base: ini.base, hasBase: ini.hasBase}, true
			if !propagate {
				result.previous = prev
				if prev == nil {
					result.previous = active
				}
			}
			continue
		case jString:
			url := ctx.Str()
			if !isAbsoluteIRI(url) {
				if baseURL != "" {
					url = resolveIRI(baseURL, url)
				} else {
					return nil, cerr(ErrLoadingContext, ctx.Str(), "relative context URL and no base IRI")
				}
			}
			if !validateScoped && slices.Contains(remote, url) {
				continue
			}
			if len(remote) >= st.p.maxRemoteDepth {
				return nil, cerr(ErrLimitExceeded, url, "context overflow: more than %d nested remote contexts", st.p.maxRemoteDepth)
			}
			rc, err := st.p.loadContext(st.ctx, url)
			if err != nil {
				return nil, err
			}
			nr := make([]string, len(remote), len(remote)+1)
			copy(nr, remote)
			nr = append(nr, url)
			// As jsonld.js: a remote context's content is processed with the
			// same override-protected flag as the reference to it.
			r, err := st.processContextCached(result, &rc.ctx, url, nr, override, true, validateScoped, url)
			if err != nil {
				return nil, err
			}
			result, owned = r, false
			continue
		case jObject:
			own()
		default:
			return nil, cerr(ErrInvalidContext, "", "invalid local context: a context must be an object, a string or null")
		}

		// 5.5 @version
		if v, ok := ctx.Get("@version"); ok {
			if v.Kind() != jNumber || v.Float() != 1.1 {
				return nil, cerr(ErrInvalidContext, "@version", "invalid @version value")
			}
		}
		// 5.6 @import
		if v, ok := ctx.Get("@import"); ok {
			if v.Kind() != jString {
				return nil, cerr(ErrInvalidContext, "@import", "invalid @import value: must be a string")
			}
			url := v.Str()
			if !isAbsoluteIRI(url) {
				if baseURL == "" {
					return nil, cerr(ErrLoadingContext, v.Str(), "relative @import URL and no base IRI")
				}
				url = resolveIRI(baseURL, url)
			}
			rc, err := st.p.loadContext(st.ctx, url)
			if err != nil {
				return nil, err
			}
			if rc.ctx.Kind() != jObject {
				return nil, cerr(ErrInvalidContext, url, "invalid remote context: imported context must be an object")
			}
			if rc.ctx.Has("@import") {
				return nil, cerr(ErrInvalidContext, url, "invalid context entry: imported context must not include @import")
			}
			// The context with the imported members it lacks, as a
			// document of its own.
			merged := []byte{'{'}
			for k, v := range ctx.Members() {
				merged = appendMember(merged, k, v)
			}
			for k, v := range rc.ctx.Members() {
				if !ctx.Has(k) {
					merged = appendMember(merged, k, v)
				}
			}
			merged[len(merged)-1] = '}'
			m, err := parseJSON(string(merged), st.p.maxDepth)
			if err != nil {
				return nil, err
			}
			ctx = &m
		}
		// 5.7 @base (only for contexts not loaded from a URL)
		if v, ok := ctx.Get("@base"); ok && len(remote) == 0 {
			switch {
			case v.Kind() == jNull:
				result.base, result.hasBase = "", false
			case v.Kind() == jString && isAbsoluteIRI(v.Str()) && !isBlank(v.Str()):
				result.base, result.hasBase = v.Str(), true
			case v.Kind() == jString && result.hasBase:
				result.base = resolveIRI(result.base, v.Str())
			default:
				return nil, cerr(ErrInvalidContext, "@base", "invalid base IRI")
			}
		}
		// 5.8 @vocab
		if v, ok := ctx.Get("@vocab"); ok {
			switch v.Kind() {
			case jNull:
				result.vocab, result.hasVocab = "", false
			case jString:
				iri, err := st.expandIRI(result, v.Str(), true, true, nil)
				if err != nil {
					return nil, err
				}
				if !isAbsoluteIRI(iri) {
					if st.safe {
						return nil, cerr(ErrRelativeVocab, v.Str(), "")
					}
				}
				result.vocab, result.hasVocab = iri, true
			default:
				return nil, cerr(ErrInvalidContext, "@vocab", "invalid vocab mapping")
			}
		}
		// 5.9 @language
		if v, ok := ctx.Get("@language"); ok {
			switch v.Kind() {
			case jNull:
				result.lang = ""
			case jString:
				if !validLanguage(v.Str()) && st.safe {
					return nil, cerr(ErrInvalidLanguage, v.Str(), "")
				}
				result.lang = strings.ToLower(v.Str())
			default:
				return nil, cerr(ErrInvalidContext, "@language", "invalid default language")
			}
		}
		// 5.10 @direction
		if v, ok := ctx.Get("@direction"); ok {
			switch {
			case v.Kind() == jNull:
				result.dir = ""
			case v.Kind() == jString && (v.Str() == "ltr" || v.Str() == "rtl"):
				result.dir = v.Str()
			default:
				return nil, cerr(ErrInvalidContext, "@direction", "invalid base direction")
			}
		}
		// 5.11 @propagate
		if v, ok := ctx.Get("@propagate"); ok && v.Kind() != jBool {
			return nil, cerr(ErrInvalidContext, "@propagate", "invalid @propagate value")
		}
		protectedDefault := false
		if v, ok := ctx.Get("@protected"); ok {
			if v.Kind() != jBool {
				return nil, cerr(ErrInvalidContext, "@protected", "invalid @protected value")
			}
			protectedDefault = v.Bool()
		}
		tc := &termCtx{local: ctx, defined: make(map[string]bool, ctx.Len()), baseURL: baseURL,
			protectedDefault: protectedDefault, override: override, remote: remote, validateScoped: validateScoped}
		for _, m := range members(nil, ctx) {
			switch m.key {
			case "@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab":
				continue
			}
			if err := st.createTerm(result, tc, m.key); err != nil {
				return nil, err
			}
		}
	}
	if owned {
		result.typeAliases = result.typeAliases[:0:0]
		for t, d := range result.terms {
			if d.iri == "@type" && !d.nullIRI {
				result.typeAliases = append(result.typeAliases, t)
			}
		}
	}
	return result, nil
}

// isTypeKey reports whether key expands to @type in c.
func (c *activeContext) isTypeKey(key string) bool {
	if key == "@type" {
		return c.terms["@type"] == nil || c.terms["@type"].iri == "@type"
	}
	for _, a := range c.typeAliases {
		if a == key {
			return true
		}
	}
	return false
}

// createTerm is the Create Term Definition algorithm (API 4.2.2).
func (st *state) createTerm(active *activeContext, tc *termCtx, term string) error {
	local, defined := tc.local, tc.defined
	if done, ok := defined[term]; ok {
		if done {
			return nil
		}
		return cerr(ErrInvalidContext, term, "cyclic IRI mapping")
	}
	if term == "" {
		return cerr(ErrInvalidContext, term, "invalid term definition: empty term")
	}
	defined[term] = false
	value, _ := local.Get(term)

	if term == "@type" {
		ok := value.Kind() == jObject && value.Len() > 0
		if ok {
			for _, m := range members(nil, &value) {
				switch m.key {
				case "@container":
					if m.val.Kind() != jString || m.val.Str() != "@set" {
						ok = false
					}
				case "@protected":
				default:
					ok = false
				}
			}
		}
		if !ok {
			return cerr(ErrInvalidContext, term, "keyword redefinition")
		}
	} else if isKeyword(term) {
		return cerr(ErrInvalidContext, term, "keyword redefinition")
	} else if hasKeywordForm(term) {
		if st.safe {
			return cerr(ErrReservedTerm, term, "terms of the form @word are reserved and dropped")
		}
		defined[term] = true
		return nil
	}

	previous := active.terms[term]
	delete(active.terms, term)

	simple := false
	var valObj *jv
	switch value.Kind() {
	case jNull:
		valObj = &nullIDDefinition
	case jString:
		// The expanded term definition {"@id": value}.
		b := appendMember([]byte{'{'}, "@id", value)
		b[len(b)-1] = '}'
		def, err := parseJSON(string(b), 2)
		if err != nil {
			return err
		}
		valObj = &def
		simple = true
	case jObject:
		valObj = &value
	default:
		return cerr(ErrInvalidContext, term, "invalid term definition: must be a string, an object or null")
	}

	def := &termDef{}
	if v, ok := valObj.Get("@protected"); ok {
		if v.Kind() != jBool {
			return cerr(ErrInvalidContext, term, "invalid @protected value")
		}
		def.protected = v.Bool()
	} else {
		def.protected = tc.protectedDefault
	}

	for _, m := range members(nil, valObj) {
		switch m.key {
		case "@container", "@id", "@language", "@reverse", "@type", "@context", "@direction", "@index", "@nest", "@prefix", "@protected":
		default:
			return cerr(ErrInvalidContext, term, "invalid term definition: unexpected entry %q", m.key)
		}
	}

	// @type
	if v, ok := valObj.Get("@type"); ok {
		if v.Kind() != jString {
			return cerr(ErrInvalidContext, term, "invalid type mapping: must be a string")
		}
		t, err := st.expandIRI(active, v.Str(), false, true, tc)
		if err != nil {
			return err
		}
		switch {
		case t == "@id" || t == "@json" || t == "@none" || t == "@vocab":
		case isAbsoluteIRI(t) && !isBlank(t):
		default:
			return cerr(ErrInvalidContext, term, "invalid type mapping %q", v.Str())
		}
		def.typ = t
	}

	// @reverse
	if v, ok := valObj.Get("@reverse"); ok {
		if valObj.Has("@id") || valObj.Has("@nest") {
			return cerr(ErrInvalidContext, term, "invalid reverse property: must not contain @id or @nest")
		}
		if v.Kind() != jString {
			return cerr(ErrInvalidContext, term, "invalid IRI mapping: @reverse must be a string")
		}
		if hasKeywordForm(v.Str()) {
			if st.safe {
				return cerr(ErrReservedTerm, v.Str(), "reserved @reverse value")
			}
			if previous != nil {
				active.terms[term] = previous
			}
			defined[term] = true
			return nil
		}
		iri, err := st.expandIRI(active, v.Str(), false, true, tc)
		if err != nil {
			return err
		}
		if !isAbsoluteIRI(iri) {
			return cerr(ErrInvalidContext, term, "invalid IRI mapping for @reverse")
		}
		def.iri = iri
		if c, ok := valObj.Get("@container"); ok {
			switch {
			case c.Kind() == jNull:
			case c.Kind() == jString && (c.Str() == "@set" || c.Str() == "@index"):
				if c.Str() == "@set" {
					def.container = cSet
				} else {
					def.container = cIndex
				}
			default:
				return cerr(ErrInvalidContext, term, "invalid reverse property: container must be @set or @index")
			}
		}
		// As jsonld.js, a reverse term goes on to @container, @index and
		// the rest (a property-valued index on a reverse property works).
		def.reverse = true
	}

	idv, hasID := valObj.Get("@id")
	if def.reverse {
		// IRI mapping set above.
	} else if hasID && !(idv.Kind() == jString && idv.Str() == term) {
		switch {
		case idv.Kind() == jNull:
			def.nullIRI = true
		case idv.Kind() != jString:
			return cerr(ErrInvalidContext, term, "invalid IRI mapping: @id must be a string")
		default:
			if !isKeyword(idv.Str()) && hasKeywordForm(idv.Str()) {
				if st.safe {
					return cerr(ErrReservedTerm, idv.Str(), "reserved @id value in the definition of %q", term)
				}
				if previous != nil {
					active.terms[term] = previous
				}
				defined[term] = true
				return nil
			}
			iri, err := st.expandIRI(active, idv.Str(), false, true, tc)
			if err != nil {
				return err
			}
			if !isKeyword(iri) && !isAbsoluteIRI(iri) {
				return cerr(ErrInvalidContext, term, "invalid IRI mapping %q", idv.Str())
			}
			if iri == "@context" {
				return cerr(ErrInvalidContext, term, "invalid keyword alias @context")
			}
			// A term that looks like an IRI must expand to its mapping.
			if looksLikeIRI(term) {
				defined[term] = true
				tIRI, err := st.expandIRI(active, term, false, true, tc)
				if err != nil {
					return err
				}
				if tIRI != iri {
					return cerr(ErrInvalidContext, term, "invalid IRI mapping: term in the form of an IRI must expand to its definition")
				}
				defined[term] = false
			}
			def.iri = iri
			if !strings.ContainsAny(term, ":/") && simple {
				if iri != "" && (strings.ContainsRune(":/?#[]@", rune(iri[len(iri)-1])) || isBlank(iri)) {
					def.prefix = true
				}
			}
		}
	} else if c := strings.IndexByte(term, ':'); c > 0 {
		prefix, suffix := term[:c], term[c+1:]
		if local.Has(prefix) {
			if err := st.createTerm(active, tc, prefix); err != nil {
				return err
			}
		}
		if pd := active.terms[prefix]; pd != nil && !pd.nullIRI && prefix != "_" && !strings.HasPrefix(suffix, "//") {
			def.iri = pd.iri + suffix
		} else {
			def.iri = term
		}
	} else if strings.Contains(term, "/") {
		iri, err := st.expandIRI(active, term, false, true, nil)
		if err != nil {
			return err
		}
		if !isAbsoluteIRI(iri) {
			return cerr(ErrInvalidContext, term, "invalid IRI mapping: relative term")
		}
		def.iri = iri
	} else if term == "@type" {
		def.iri = "@type"
	} else if active.hasVocab {
		def.iri = active.vocab + term
	} else {
		return cerr(ErrInvalidContext, term, "invalid IRI mapping: no @id and no @vocab")
	}

	// @container
	if v, ok := valObj.Get("@container"); ok {
		var bits uint16
		add := func(s string) bool {
			switch s {
			case "@graph":
				bits |= cGraph
			case "@id":
				bits |= cID
			case "@index":
				bits |= cIndex
			case "@language":
				bits |= cLanguage
			case "@list":
				bits |= cList
			case "@set":
				bits |= cSet
			case "@type":
				bits |= cType
			default:
				return false
			}
			return true
		}
		okc := true
		switch v.Kind() {
		case jString:
			okc = add(v.Str())
		case jArray:
			for _, e := range v.Elements() {
				if e.Kind() != jString || !add(e.Str()) {
					okc = false
				}
			}
		case jNull:
		default:
			okc = false
		}
		if okc {
			okc = validContainer(bits)
		}
		if !okc {
			return cerr(ErrInvalidContext, term, "invalid container mapping")
		}
		def.container = bits
		if bits&cType != 0 {
			if def.typ == "" {
				def.typ = "@id"
			} else if def.typ != "@id" && def.typ != "@vocab" {
				return cerr(ErrInvalidContext, term, "invalid type mapping for an @type container")
			}
		}
	}

	// @index
	if v, ok := valObj.Get("@index"); ok {
		if def.container&cIndex == 0 || v.Kind() != jString {
			return cerr(ErrInvalidContext, term, "invalid term definition: bad @index")
		}
		iri, err := st.expandIRI(active, v.Str(), false, true, tc)
		if err != nil {
			return err
		}
		if isKeyword(iri) || !isAbsoluteIRI(iri) {
			return cerr(ErrInvalidContext, term, "invalid term definition: @index must expand to an IRI")
		}
		def.index = v.Str()
	}

	// @context
	if v, ok := valObj.Get("@context"); ok {
		nr := slices.Clone(tc.remote)
		if _, err := st.processContext(active, &v, tc.baseURL, nr, true, true, false); err != nil {
			if errors.Is(err, ErrLoadingContext) || errors.Is(err, ErrLimitExceeded) {
				return err
			}
			return cerr(ErrInvalidContext, term, "invalid scoped context: %v", err)
		}
		def.scoped = &v
		def.scopedB = tc.baseURL
	}

	// @language
	if v, ok := valObj.Get("@language"); ok && !valObj.Has("@type") {
		switch v.Kind() {
		case jNull:
			def.lang, def.hasLang = "", true
		case jString:
			if !validLanguage(v.Str()) && st.safe {
				return cerr(ErrInvalidLanguage, v.Str(), "in the definition of %q", term)
			}
			def.lang, def.hasLang = strings.ToLower(v.Str()), true
		default:
			return cerr(ErrInvalidContext, term, "invalid language mapping")
		}
	}

	// @direction
	if v, ok := valObj.Get("@direction"); ok && !valObj.Has("@type") {
		switch {
		case v.Kind() == jNull:
			def.dir, def.hasDir = "", true
		case v.Kind() == jString && (v.Str() == "ltr" || v.Str() == "rtl"):
			def.dir, def.hasDir = v.Str(), true
		default:
			return cerr(ErrInvalidContext, term, "invalid base direction")
		}
	}

	// @nest
	if v, ok := valObj.Get("@nest"); ok {
		if v.Kind() != jString || (isKeyword(v.Str()) && v.Str() != "@nest") {
			return cerr(ErrInvalidContext, term, "invalid @nest value")
		}
		def.nest = v.Str()
	}

	// @prefix
	if v, ok := valObj.Get("@prefix"); ok {
		if strings.ContainsAny(term, ":/") {
			return cerr(ErrInvalidContext, term, "invalid term definition: @prefix on a compact IRI or IRI term")
		}
		if v.Kind() != jBool {
			return cerr(ErrInvalidContext, term, "invalid @prefix value")
		}
		def.prefix = v.Bool()
		if def.prefix && isKeyword(def.iri) {
			return cerr(ErrInvalidContext, term, "invalid term definition: keyword alias as prefix")
		}
	}
	return st.finishTerm(active, term, def, previous, tc.override, defined)
}

func (st *state) finishTerm(active *activeContext, term string, def, previous *termDef, override bool, defined map[string]bool) error {
	// def is new here; previous belongs to a shared, immutable context.
	def.iriOK = !def.nullIRI && (isKeyword(def.iri) || isAbsoluteIRI(def.iri) && (isBlank(def.iri) || validIRIChars(def.iri)))
	if !override && previous != nil && previous.protected {
		if !def.equalIgnoringProtected(previous) {
			return cerr(ErrProtectedTermRedefinition, term, "")
		}
		def = previous
	}
	active.terms[term] = def
	if def.protected {
		active.protected = true
	}
	defined[term] = true
	return nil
}

// looksLikeIRI is jsonld.js's test for a term that has the form of an IRI:
// it contains "/" or a ":" followed by a character other than ":".
func looksLikeIRI(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] == '/' || t[i] == ':' && i+1 < len(t) && t[i+1] != ':' {
			return true
		}
	}
	return false
}

// validContainer checks the allowed @container combinations.
func validContainer(b uint16) bool {
	if b == 0 {
		return true
	}
	if b&cList != 0 {
		return b == cList
	}
	rest := b &^ cSet
	switch rest {
	case 0, cIndex, cLanguage, cID, cType, cGraph:
		return true
	case cGraph | cID, cGraph | cIndex:
		return true
	}
	return false
}

// expandIRI is the IRI Expansion algorithm (API 5.2). local and defined are
// set while a context is being processed. The result "" with isNull reports
// a null mapping; we signal null as the empty string, which can never be a
// valid expansion otherwise (an empty value expands to "" only when
// documentRelative without a base, handled by the callers).
func (st *state) expandIRI(active *activeContext, value string, docRel, vocab bool, tc *termCtx) (string, error) {
	if isKeyword(value) {
		return value, nil
	}
	if hasKeywordForm(value) {
		return nullIRI, nil
	}
	if tc != nil && tc.local.Has(value) && !tc.defined[value] {
		if err := st.createTerm(active, tc, value); err != nil {
			return "", err
		}
	}
	if td := active.terms[value]; td != nil {
		if isKeyword(td.iri) {
			return td.iri, nil
		}
		if vocab {
			if td.nullIRI {
				return nullIRI, nil
			}
			return td.iri, nil
		}
	}
	if c := strings.IndexByte(value, ':'); c > 0 {
		prefix, suffix := value[:c], value[c+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return value, nil
		}
		if tc != nil && tc.local.Has(prefix) && !tc.defined[prefix] {
			if err := st.createTerm(active, tc, prefix); err != nil {
				return "", err
			}
		}
		if td := active.terms[prefix]; td != nil && !td.nullIRI && td.prefix {
			return td.iri + suffix, nil
		}
		if isAbsoluteIRI(value) {
			return value, nil
		}
	}
	if vocab && active.hasVocab {
		return active.vocab + value, nil
	}
	if docRel && active.hasBase {
		return resolveIRI(active.base, value), nil
	}
	return value, nil
}

// nullIRI is the sentinel for "expands to null": it is not a valid IRI, term
// or keyword, so it cannot be confused with a real expansion.
const nullIRI = "\x00null"

// nullIDDefinition is the expanded term definition of a term defined as
// null.
var nullIDDefinition, _ = parseJSON(`{"@id":null}`, 1)

// appendMember appends the member k: v of an object and a comma.
func appendMember(b []byte, k string, v jv) []byte {
	b, _ = jcs.AppendString(b, k) // a parsed name: valid UTF-8
	return append(v.AppendJCS(append(b, ':')), ',')
}
