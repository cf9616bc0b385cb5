package credential

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/microcred/openbadges/internal/strictjson"
)

// Validate checks the credential and returns every problem found, errors
// and warnings, in document order. A credential is valid when the result has
// no errors (Problems.HasErrors, Problems.Err).
//
// The VC Data Model rules apply to every credential: VCDM 2.0, or 1.1 when
// @context[0] is the 1.1 context. The Open Badges 3.0 rules apply in
// addition to badges: credentials typed OpenBadgeCredential,
// AchievementCredential or EndorsementCredential (see IsBadge). A credential
// that only uses the OB context, such as an attestation typed
// VerifiableCredential, gets the VC Data Model rules alone, and so does a
// CLR ClrCredential, whose own rules package clr applies. A credential embedded
// in another (an endorsement) is judged by its own type; one in an
// endorsement property that is not typed EndorsementCredential is reported
// for that.
//
// Rules (Problem.Rule):
//
//	required        a required property is missing
//	shape           a property has a JSON form the model cannot read (a number
//	                for a string, an array for issuer, a value object for a
//	                date, an empty array, ["x"] or {"@value": "x"} for the
//	                string "x"), a member is null (any member of an object of
//	                the model, known or not), a JSON-LD keyword is used for
//	                its alias (@id), or a vocabulary IRI for its term
//	type            a required type is missing from type
//	uri             a value that must be a URI/URL is not one
//	datetime        a date is not RFC 3339 with a time zone
//	date            a date (dateOfBirth) is not YYYY-MM-DD
//	dates.order     validFrom after validUntil (issuanceDate after expirationDate)
//	context         @context missing or its first item wrong
//	context.order   the OB context is not the second item
//	context.version an OB context version that is outdated (warning) or unknown
//	vcdm            a property of the other VC data model version
//	vcdm.legacy     a VCDM 1.1 badge (warning: OB 3.0 uses VCDM 2.0)
//	enum            a value outside its enumeration (and not "ext:…")
//	subject         an AchievementSubject without id or identifier, several
//	                subjects in a badge, an empty subject
//	result.description, result.level, result.status, result.value,
//	resultDescription.requiredLevel
//	                references between results and result descriptions
//	criteria        criteria with neither id nor narrative (warning)
//	recommended     a badge without a name (warning)
//	identity        a malformed identityHash
//	related-resource a relatedResource without a unique id or a digest
//	proof           a proof that is not for assertionMethod (badges); an
//	                embedded endorsement without a proof (warning)
//	language        a malformed language tag or language value object
//	format          a malformed email, JWS, SRI digest, coordinate
//	image           an image that is not an http(s) URL or a PNG or SVG data:
//	                URI of at most MaxImageDataURI bytes
//	image.string    an image given as its id string alone, which the OB 3.0
//	                data model allows and its JSON Schema does not (warning)
//	closed          a property added to IdentityObject, IdentifierEntry or
//	                Image, which the OB 3.0 model does not let extensions add to
//
// The single-value form of a multi-valued property (a bare object for proof,
// a string for type) is valid everywhere, as JSON-LD compaction allows,
// although the published OB JSON Schemas reject it. Values of other JSON
// forms that canonicalize like valid ones (a date as a value object, issuer
// or an achievement's name as a one-element array, {"@value": "x"} for "x",
// @id for id, null, which JSON-LD drops) are reported rather than read, as
// VC Data Model errors: they could be changed after signing without
// breaking the signature, and a reader of the JSON would see something
// else. A language value object, or an array of them, is accepted for the
// name and description of a credential and of its issuer, as the VC Data
// Model allows; elsewhere the OB 3.0 model has plain strings. Members
// outside the model (extensions) are kept as written: only a null member is
// reported, not what their values hold. The CLR 2.0 rules (package clr) and proofs
// (signatures, status) are out of scope here.
//
// Every problem names the standard whose rule it applies (Problem.Standard),
// as one rule name can come from either. StandardVCDM: the VC Data Model
// and the JSON-LD integrity rules that decide what the document says and who
// it is from (@context, type, issuer, credentialSubject, date-time formats,
// the order of validFrom and validUntil, the properties of the other VCDM
// version, the ids of every object, which JSON-LD reads as node identifiers,
// status, schema, refresh, terms of use, related resources, proofs, language
// value objects, and every JSON form that canonicalizes like another, which
// could be changed after signing without breaking the signature).
// StandardOB3: the Open Badges 3.0 data model and schema rules about a
// badge's content (the OB context's position and version, the OB types, the
// required properties of the OB classes such as a badge's id and validFrom,
// the subject's id or identifier, enumerations, results, images, closed
// classes, criteria, identityHash, the proof purpose of badges, a number
// where the OB model has a string, and the warnings about badges).
func (c *Credential) Validate() Problems {
	v := &validator{}
	env := v.envelope(nil, &c.Envelope, c.Extra, false)
	v.checkExtra(nil, c)
	if env.enveloped {
		return v.ps
	}
	subjects := c.CredentialSubject
	subjPresent := !subjects.IsZero() || hasKey(c.Extra, "credentialSubject")
	if !subjPresent {
		v.err(vcdm, nil, "required", "credentialSubject is required")
	}
	if env.badge && len(subjects.Items) > 1 {
		v.err(ob3, key(nil, "credentialSubject"), "subject", "a badge has exactly one credentialSubject")
	}
	for i := range subjects.Items {
		s := &subjects.Items[i]
		p := itemPath(nil, "credentialSubject", subjects.Single, i)
		switch {
		case env.endorsement:
			v.endorsementSubject(p, s.ID, s.Type, s.Extra, s)
		case env.badge:
			v.achievementSubject(p, s)
		default:
			v.plainSubject(p, s.ID, s.Extra, s)
		}
	}
	return v.ps
}

// Validate checks an endorsement credential as Credential.Validate does.
func (c *EndorsementCredential) Validate() Problems {
	v := &validator{}
	v.endorsementCredential(nil, c, false)
	return v.ps
}

// Validate checks an achievement with the OB 3.0 rules, as when it is
// embedded in a credential.
func (a *Achievement) Validate() Problems {
	v := &validator{}
	v.achievement(nil, a)
	return v.ps
}

// Validate checks a profile with the OB 3.0 rules, as when it is the issuer
// of a credential. A top-level @context (as in the OB API) is allowed.
func (p *Profile) Validate() Problems {
	v := &validator{}
	v.profile(nil, p, true)
	return v.ps
}

type validator struct {
	ps Problems
}

// Short names for the standards, for the many calls below.
const (
	vcdm = StandardVCDM
	ob3  = StandardOB3
)

// err reports an error of the rule, which the standard std sets: every
// problem names the specification it applies, so that a lenient verifier
// can tell which ones it may relax.
func (v *validator) err(std Standard, path *jpath, rule, format string, args ...any) {
	v.ps = append(v.ps, Problem{Path: path.String(), Rule: rule, Message: fmt.Sprintf(format, args...), Severity: SeverityError, Standard: std})
}

// warn reports a warning, as err does.
func (v *validator) warn(std Standard, path *jpath, rule, format string, args ...any) {
	v.ps = append(v.ps, Problem{Path: path.String(), Rule: rule, Message: fmt.Sprintf(format, args...), Severity: SeverityWarning, Standard: std})
}

// jpath is a JSON path as a chain of links to the parent, written out only
// when a problem is reported: building every path up front was a good part
// of the cost of validating a valid credential. The nil *jpath is the root,
// "$". The links live on the stack of the validator's calls (key, itemPath
// and index are inlined, no path is kept beyond a call, and the checks
// that recurse start from a path written out: see detach), so a path must
// not be stored anywhere.
type jpath struct {
	up     *jpath
	root   string // the path up to here, written out (see detach), when up is nil
	key    string
	hasKey bool
	index  int // an array index after the key, or -1
}

// String returns the path in the syntax of ParseError.Path.
func (p *jpath) String() string {
	if p == nil {
		return "$"
	}
	// A copy of root: returning root itself would make every link's
	// pointers leak, as far as the compiler can tell.
	s := strings.Clone(p.root)
	if s == "" {
		s = p.up.String()
	}
	if p.hasKey {
		s = strictjson.AppendKey(s, p.key)
	}
	if p.index >= 0 {
		s = strictjson.AppendIndex(s, p.index)
	}
	return s
}

// detach returns path written out, as a path of its own, for the checks
// that recurse (an embedded endorsement's, a parent organization's, the
// reflective search for nulls in a plain credential): a path linked to
// its callers' links through a recursion makes the compiler move every
// link of every path to the heap, while they are rare enough to afford
// writing the path out.
func detach(path *jpath) *jpath { return &jpath{root: path.String(), index: -1} }

// key is the path of the member k of the object at path.
func key(path *jpath, k string) *jpath { return &jpath{up: path, key: k, hasKey: true, index: -1} }

// index is the path of element i of the array at path.
func index(path *jpath, i int) *jpath { return &jpath{up: path, index: i} }

// itemPath is the path of item i of the set at path.k: no index when the set
// was written as a single value.
func itemPath(path *jpath, k string, single bool, i int) *jpath {
	if single {
		i = -1
	}
	return &jpath{up: path, key: k, hasKey: true, index: i}
}

func hasKey(extra map[string]json.RawMessage, k string) bool {
	_, ok := extra[k]
	return ok
}

// envInfo is what the envelope says about the credential.
type envInfo struct {
	v1          bool // VCDM 1.1
	badge       bool // OB 3.0 rules apply
	endorsement bool // an EndorsementCredential
	enveloped   bool // an EnvelopedVerifiableCredential
}

func (v *validator) envelope(path *jpath, e *Envelope, extra map[string]json.RawMessage, nested bool) envInfo {
	var info envInfo
	urls := make([]string, 0, len(e.Context.Items))
	for _, c := range e.Context.Items {
		urls = append(urls, c.URL)
	}
	obIndex := slices.IndexFunc(urls, func(u string) bool { return strings.HasPrefix(u, contextOBPrefix) })
	// The OB rules follow the credential's own type, also for a credential
	// embedded in another (an endorsement is typed EndorsementCredential):
	// the OB context alone does not make a badge.
	info.endorsement = HasType(e.Type, "EndorsementCredential")
	info.badge = isBadgeType(e.Type)

	if HasType(e.Type, "EnvelopedVerifiableCredential") {
		// VCDM 2.0 §4.13: an enveloped credential is only a data: URL
		// wrapping a secured credential; its content is checked once
		// unwrapped.
		if len(urls) == 0 && !hasKey(extra, "@context") {
			v.err(vcdm, path, "context", "@context is required")
		}
		if !strings.HasPrefix(e.ID, "data:") {
			v.err(vcdm, key(path, "id"), "uri", "the id of an EnvelopedVerifiableCredential must be a data: URL")
		}
		return envInfo{enveloped: true}
	}

	// @context
	ctxPath := key(path, "@context")
	switch {
	case hasKey(extra, "@context"):
		// reported by checkExtra
	case len(urls) == 0:
		v.err(vcdm, path, "context", "@context is required")
	default:
		switch urls[0] {
		case ContextV2:
		case ContextV1:
			info.v1 = true
		default:
			v.err(vcdm, index(ctxPath, 0), "context",
				"the first @context item must be %s (or %s for VCDM 1.1)", ContextV2, ContextV1)
		}
		for i, c := range e.Context.Items {
			if c.URL != "" && !isURL(c.URL) {
				v.err(vcdm, itemPath(path, "@context", e.Context.Single, i), "uri", "@context item %q is not a URL", c.URL)
			}
		}
		for i, c := range e.Context.Items {
			if len(c.Inline) > 0 {
				v.inlineContext(itemPath(path, "@context", e.Context.Single, i), c.Inline)
			}
		}
		if info.badge {
			v.obContext(path, urls, obIndex, e.Context.Single)
		}
	}
	if info.badge && info.v1 && !nested {
		v.warn(ob3, path, "vcdm.legacy", "a VCDM 1.1 credential: Open Badges 3.0 uses the VC Data Model 2.0 (validFrom, %s)", ContextV2)
	}

	// id
	if e.ID != "" {
		v.uri(vcdm, key(path, "id"), e.ID)
	} else if info.badge && !hasKey(extra, "id") {
		v.err(ob3, path, "required", "id is required")
	}

	// type
	switch {
	case hasKey(extra, "type"):
	case e.Type.IsZero():
		v.err(vcdm, path, "required", "type is required")
	default:
		v.typeNames(key(path, "type"), e.Type)
		if !HasType(e.Type, "VerifiableCredential") {
			v.err(vcdm, key(path, "type"), "type", "type must include VerifiableCredential")
		}
		if info.badge && !info.endorsement && !HasType(e.Type, "OpenBadgeCredential") && !HasType(e.Type, "AchievementCredential") {
			v.err(ob3, key(path, "type"), "type", "an Open Badge's type must include OpenBadgeCredential or AchievementCredential (or EndorsementCredential)")
		}
	}

	if info.endorsement && e.Name == "" && !hasKey(extra, "name") {
		v.err(ob3, path, "required", "name is required in an EndorsementCredential")
	}
	if info.badge && !info.endorsement && e.Name == "" && !hasKey(extra, "name") {
		// The data model lists name as required for display in wallets;
		// the published JSON Schema does not, so this is a warning.
		v.warn(ob3, path, "recommended", "name should be given, for display in wallets")
	}
	if e.Image != nil {
		v.image(key(path, "image"), e.Image, info.badge)
	}

	// issuer
	switch {
	case hasKey(extra, "issuer"):
	case e.Issuer.IsZero():
		v.err(vcdm, path, "required", "issuer is required")
	case e.Issuer.Profile != nil:
		if info.badge {
			v.profile(key(path, "issuer"), e.Issuer.Profile, true)
		} else {
			v.plainIssuer(key(path, "issuer"), e.Issuer.Profile)
		}
	default:
		v.uri(vcdm, key(path, "issuer"), e.Issuer.URI)
	}

	// dates
	v.dates(path, e, extra, info)

	for i := range e.Endorsement.Items {
		v.endorsementCredential(detach(itemPath(path, "endorsement", e.Endorsement.Single, i)), &e.Endorsement.Items[i], true)
	}
	v.jwts(path, e.EndorsementJwt)
	for i := range e.Evidence.Items {
		ev := &e.Evidence.Items[i]
		v.evidence(itemPath(path, "evidence", e.Evidence.Single, i), ev, info.badge)
	}
	entryIDStd := ob3
	if info.v1 {
		entryIDStd = vcdm
	}
	for i := range e.CredentialStatus.Items {
		s := &e.CredentialStatus.Items[i]
		p := itemPath(path, "credentialStatus", e.CredentialStatus.Single, i)
		// VCDM 1.1 requires the id of a status entry and of a refresh
		// service; VCDM 2.0 does not, OB 3.0 does.
		v.typedEntry(p, s.ID, s.Type, s.Extra, info.badge || info.v1, entryIDStd, "a credentialStatus")
		v.checkExtra(p, s)
		if s.StatusListCredential != "" {
			v.uri(vcdm, key(p, "statusListCredential"), s.StatusListCredential)
		}
	}
	for i := range e.CredentialSchema.Items {
		s := &e.CredentialSchema.Items[i]
		p := itemPath(path, "credentialSchema", e.CredentialSchema.Single, i)
		v.typedEntry(p, s.ID, s.Type, s.Extra, true, vcdm, "a credentialSchema")
		v.checkExtra(p, s)
	}
	for i := range e.RefreshService.Items {
		s := &e.RefreshService.Items[i]
		p := itemPath(path, "refreshService", e.RefreshService.Single, i)
		v.typedEntry(p, s.ID, s.Type, s.Extra, info.badge || info.v1, entryIDStd, "a refreshService")
		v.checkExtra(p, s)
	}
	for i := range e.TermsOfUse.Items {
		s := &e.TermsOfUse.Items[i]
		p := itemPath(path, "termsOfUse", e.TermsOfUse.Single, i)
		v.typedEntry(p, s.ID, s.Type, s.Extra, false, vcdm, "a termsOfUse entry")
		v.checkExtra(p, s)
	}
	v.relatedResources(path, e.RelatedResource)
	v.reserved(path, extra)
	for i := range e.Proof.Items {
		v.proof(itemPath(path, "proof", e.Proof.Single, i), &e.Proof.Items[i], info.badge)
	}
	return info
}

// obContext checks the position and version of the OB context.
func (v *validator) obContext(path *jpath, urls []string, obIndex int, single bool) {
	if obIndex < 0 {
		v.err(ob3, key(path, "@context"), "context.order",
			"an Open Badge's second @context item must be the OB 3.0 context %s", ContextOB)
		return
	}
	p := itemPath(path, "@context", single, obIndex)
	if obIndex != 1 {
		v.err(ob3, p, "context.order", "the OB 3.0 context must be the second @context item, not item %d", obIndex)
	}
	switch u := urls[obIndex]; u {
	case ContextOB:
	case contextOBPrefix + ".json", contextOBPrefix + "-3.0.1.json", contextOBPrefix + "-3.0.2.json":
		v.warn(ob3, p, "context.version", "outdated OB context %s; use %s", u, ContextOB)
	default:
		v.err(ob3, p, "context.version", "unknown OB context %s; use %s", u, ContextOB)
	}
}

func (v *validator) dates(path *jpath, e *Envelope, extra map[string]json.RawMessage, info envInfo) {
	from := v.dateTime(key(path, "validFrom"), e.ValidFrom)
	until := v.dateTime(key(path, "validUntil"), e.ValidUntil)
	issued := v.dateTime(key(path, "issuanceDate"), e.IssuanceDate)
	expires := v.dateTime(key(path, "expirationDate"), e.ExpirationDate)
	v.dateTime(key(path, "awardedDate"), e.AwardedDate)
	if info.v1 {
		if e.IssuanceDate == "" && !hasKey(extra, "issuanceDate") {
			v.err(vcdm, path, "required", "issuanceDate is required in a VCDM 1.1 credential")
		}
	} else {
		for _, k := range []struct {
			name string
			set  bool
		}{{"issuanceDate", e.IssuanceDate != ""}, {"expirationDate", e.ExpirationDate != ""}} {
			if k.set || hasKey(extra, k.name) {
				v.err(vcdm, key(path, k.name), "vcdm", "%s is a VCDM 1.1 property that the VCDM 2.0 context does not define; use validFrom/validUntil", k.name)
			}
		}
		if info.badge && e.ValidFrom == "" && !hasKey(extra, "validFrom") {
			v.err(ob3, path, "required", "validFrom is required")
		}
	}
	if !from.IsZero() && !until.IsZero() && from.After(until) {
		v.err(vcdm, key(path, "validUntil"), "dates.order", "validUntil (%s) is before validFrom (%s)", e.ValidUntil, e.ValidFrom)
	}
	if !issued.IsZero() && !expires.IsZero() && issued.After(expires) {
		v.err(vcdm, key(path, "expirationDate"), "dates.order", "expirationDate (%s) is before issuanceDate (%s)", e.ExpirationDate, e.IssuanceDate)
	}
}

// dateTime checks a DateTime, if set, and returns its time.
func (v *validator) dateTime(path *jpath, d DateTime) time.Time {
	if d == "" {
		return time.Time{}
	}
	t, err := d.Time()
	if err != nil {
		v.err(vcdm, path, "datetime", "%q is not an RFC 3339 date-time with a time zone", string(d))
		return time.Time{}
	}
	return t
}

func (v *validator) uri(std Standard, path *jpath, s string) {
	if !isURL(s) {
		v.err(std, path, "uri", "%q is not an absolute URI", s)
	}
}

// isURL reports whether s is an absolute URI (URL, URN, DID, data: URI).
func isURL(s string) bool {
	if ok, decided := fastURL(s); decided {
		return ok
	}
	if s == "" || strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

func (v *validator) typeNames(path *jpath, t Types) {
	for i, name := range t.Items {
		if name == "" || hasSpace(name) {
			p := path
			if !t.Single {
				p = index(path, i)
			}
			v.err(vcdm, p, "type", "%q is not a type name", name)
		}
	}
}

// hasSpace is strings.ContainsAny(s, " \t\r\n") without building the set
// on every call.
func hasSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
			return true
		}
	}
	return false
}

// requireType checks that the type set of an OB 3.0 class is present and
// includes name: an Open Badges rule, as the VC Data Model does not ask for
// the type of these objects (typeNames checks the names themselves, a VC
// Data Model rule).
func (v *validator) requireType(path *jpath, t Types, extra map[string]json.RawMessage, name string) {
	switch {
	case hasKey(extra, "type"):
	case t.IsZero():
		v.err(ob3, path, "required", "type is required (it must include %s)", name)
	default:
		v.typeNames(key(path, "type"), t)
		if !HasType(t, name) {
			v.err(ob3, key(path, "type"), "type", "type must include %s", name)
		}
	}
}

func (v *validator) requireString(std Standard, path *jpath, name, value string, extra map[string]json.RawMessage) bool {
	if value == "" && !hasKey(extra, name) {
		v.err(std, path, "required", "%s is required", name)
		return false
	}
	return value != ""
}

// typedEntry checks the VCDM rule that credentialStatus, credentialSchema,
// refreshService and termsOfUse entries carry a type, and their id, which
// is required when idRequired, by the standard idStd.
func (v *validator) typedEntry(path *jpath, id string, t Types, extra map[string]json.RawMessage, idRequired bool, idStd Standard, what string) {
	if t.IsZero() && !hasKey(extra, "type") {
		v.err(vcdm, path, "required", "%s must have a type", what)
	} else {
		v.typeNames(key(path, "type"), t)
	}
	if id != "" {
		v.uri(vcdm, key(path, "id"), id)
	} else if idRequired && !hasKey(extra, "id") {
		v.err(idStd, path, "required", "%s must have an id", what)
	}
}

var sriRE = regexp.MustCompile(`^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$`)

func (v *validator) relatedResources(path *jpath, rs Set[RelatedResource]) {
	seen := map[string]bool{}
	for i := range rs.Items {
		r := &rs.Items[i]
		p := itemPath(path, "relatedResource", rs.Single, i)
		v.checkExtra(p, r)
		if v.requireString(vcdm, p, "id", r.ID, r.Extra) {
			v.uri(vcdm, key(p, "id"), r.ID)
			if seen[r.ID] {
				v.err(vcdm, key(p, "id"), "related-resource", "relatedResource id %q is not unique", r.ID)
			}
			seen[r.ID] = true
		}
		if r.DigestSRI == "" && r.DigestMultibase == "" && !hasKey(r.Extra, "digestSRI") && !hasKey(r.Extra, "digestMultibase") {
			v.err(vcdm, p, "related-resource", "a relatedResource must have a digestSRI or a digestMultibase")
		}
		if r.DigestSRI != "" && !sriRE.MatchString(r.DigestSRI) {
			v.err(vcdm, key(p, "digestSRI"), "format", "digestSRI %q is not a Subresource Integrity value (sha256-…, sha384-…, sha512-…)", r.DigestSRI)
		}
		if r.DigestMultibase != "" && (len(r.DigestMultibase) < 2 || !strings.ContainsRune("zmuUfFbB", rune(r.DigestMultibase[0]))) {
			v.err(vcdm, key(p, "digestMultibase"), "format", "digestMultibase %q is not a multibase value", r.DigestMultibase)
		}
	}
}

func (v *validator) proof(path *jpath, p *Proof, badge bool) {
	v.checkExtra(path, p)
	if p.Type.IsZero() && !hasKey(p.Extra, "type") {
		v.err(vcdm, path, "required", "a proof must have a type")
		return
	}
	v.typeNames(key(path, "type"), p.Type)
	v.dateTime(key(path, "created"), p.Created)
	v.dateTime(key(path, "expires"), p.Expires)
	if p.VerificationMethod != "" {
		v.uri(vcdm, key(path, "verificationMethod"), p.VerificationMethod)
	}
	if p.ID != "" {
		v.uri(vcdm, key(path, "id"), p.ID)
	}
	if HasType(p.Type, "DataIntegrityProof") {
		v.requireString(vcdm, path, "cryptosuite", p.Cryptosuite, p.Extra)
		v.requireString(vcdm, path, "proofPurpose", p.ProofPurpose, p.Extra)
		v.requireString(vcdm, path, "verificationMethod", p.VerificationMethod, p.Extra)
		v.requireString(vcdm, path, "proofValue", p.ProofValue, p.Extra)
	}
	if badge && p.ProofPurpose != "" && p.ProofPurpose != "assertionMethod" {
		v.err(ob3, key(path, "proofPurpose"), "proof", "the proofPurpose of an Open Badge proof must be assertionMethod, not %q", p.ProofPurpose)
	}
}

// reserved checks the VCDM 2.0 reserved extension points: their values
// must carry a type.
func (v *validator) reserved(path *jpath, extra map[string]json.RawMessage) {
	for _, k := range []string{"confidenceMethod", "renderMethod"} {
		raw, ok := extra[k]
		if !ok {
			continue
		}
		var x any
		if json.Unmarshal(raw, &x) != nil {
			continue
		}
		items, isArray := x.([]any)
		single := !isArray
		if single {
			items = []any{x}
		}
		for i, it := range items {
			p := itemPath(path, k, single, i)
			m, ok := it.(map[string]any)
			if !ok {
				v.err(vcdm, p, "shape", "%s must be one or more objects", k)
				continue
			}
			if _, ok := m["type"]; !ok {
				v.err(vcdm, p, "required", "%s must have a type", k)
			}
		}
	}
}

var compactJWSRE = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

func (v *validator) jwts(path *jpath, s Set[string]) {
	for i, j := range s.Items {
		if !compactJWSRE.MatchString(j) {
			v.err(ob3, itemPath(path, "endorsementJwt", s.Single, i), "format", "endorsementJwt is not a compact JWS")
		}
	}
}

// endorsementCredential checks an endorsement, embedded in another
// credential (nested) or on its own.
func (v *validator) endorsementCredential(path *jpath, c *EndorsementCredential, nested bool) {
	env := v.envelope(path, &c.Envelope, c.Extra, nested)
	v.checkExtra(path, c)
	if nested && c.Proof.IsZero() && !hasKey(c.Extra, "proof") {
		v.warn(ob3, path, "proof", "an embedded endorsement without a proof cannot be verified")
	}
	if !env.endorsement && !hasKey(c.Extra, "type") && !c.Type.IsZero() {
		v.err(ob3, key(path, "type"), "type", "an endorsement's type must include EndorsementCredential")
	}
	s := c.CredentialSubject
	if s.IsZero() && !hasKey(c.Extra, "credentialSubject") {
		v.err(vcdm, path, "required", "credentialSubject is required")
	}
	if env.endorsement && len(s.Items) > 1 {
		v.err(ob3, key(path, "credentialSubject"), "subject", "an endorsement has exactly one credentialSubject")
	}
	for i := range s.Items {
		sub := &s.Items[i]
		p := itemPath(path, "credentialSubject", s.Single, i)
		if env.endorsement {
			v.endorsementSubject(p, sub.ID, sub.Type, sub.Extra, sub)
		} else {
			v.plainSubject(p, sub.ID, sub.Extra, sub)
		}
	}
}

// endorsementSubject checks an EndorsementSubject; model is the struct that
// holds it (an EndorsementSubject, or an AchievementSubject when a top-level
// endorsement was read into a Credential).
func (v *validator) endorsementSubject(path *jpath, id string, t Types, extra map[string]json.RawMessage, model any) {
	if _, ok := model.(*EndorsementSubject); ok {
		v.checkExtra(path, model)
	} else {
		v.checkKeys(path, extra)
		v.nestedNulls(detach(path), reflect.ValueOf(model).Elem())
		if raw, ok := extra["endorsementComment"]; ok && jsonKindOf(raw) != "a string" {
			std := ob3
			if readsAsOther(raw, false) {
				std = vcdm
			}
			v.err(std, key(path, "endorsementComment"), "shape", "endorsementComment must be a string, not %s", jsonKindOf(raw))
		}
	}
	if v.requireString(ob3, path, "id", id, extra) {
		v.uri(vcdm, key(path, "id"), id)
	}
	v.requireType(path, t, extra, "EndorsementSubject")
}

// plainSubject checks a credentialSubject of a credential that is not a badge;
// model is the struct that holds it.
func (v *validator) plainSubject(path *jpath, id string, extra map[string]json.RawMessage, model any) {
	v.checkKeys(path, extra)
	if id != "" {
		v.uri(vcdm, key(path, "id"), id)
	}
	sv := reflect.ValueOf(model).Elem()
	v.nestedNulls(detach(path), sv)
	if sv.IsZero() {
		v.err(vcdm, path, "subject", "a credentialSubject must make at least one claim")
	}
}

func (v *validator) plainIssuer(path *jpath, p *Profile) {
	v.checkKeys(path, p.Extra)
	v.nestedNulls(detach(path), reflect.ValueOf(p).Elem())
	if v.requireString(vcdm, path, "id", p.ID, p.Extra) {
		v.uri(vcdm, key(path, "id"), p.ID)
	}
}

// nestedNulls reports the null members of the model objects inside the
// struct sv (not of sv itself), in the parts of a credential that are not
// otherwise checked member by member: the subject and the issuer of a
// credential that is not a badge, whose vocabulary may be another, but
// whose nulls JSON-LD drops all the same (see checkKeys).
func (v *validator) nestedNulls(path *jpath, sv reflect.Value) {
	si := infoOf(sv.Type())
	for i := range si.fields {
		f := &si.fields[i]
		fv := sv.FieldByIndex(f.index)
		switch x := fv.Interface().(type) {
		case ProfileRef:
			if x.Profile != nil {
				v.objectNulls(key(path, f.name), reflect.ValueOf(x.Profile).Elem())
			}
			continue
		case AchievementRef:
			if x.Achievement != nil {
				v.objectNulls(key(path, f.name), reflect.ValueOf(x.Achievement).Elem())
			}
			continue
		}
		switch {
		case fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().Kind() == reflect.Struct:
			v.objectNulls(key(path, f.name), fv.Elem())
		case fv.Kind() == reflect.Struct && strings.HasPrefix(fv.Type().Name(), "Set["):
			items, single := fv.Field(0), fv.Field(1).Bool()
			if items.Type().Elem().Kind() != reflect.Struct {
				continue
			}
			for j := 0; j < items.Len(); j++ {
				v.objectNulls(itemPath(path, f.name, single, j), items.Index(j))
			}
		}
	}
}

// objectNulls reports the null members of the model object sv and of the
// objects inside it.
func (v *validator) objectNulls(path *jpath, sv reflect.Value) {
	si := infoOf(sv.Type())
	if si.extra == nil {
		return
	}
	extra := sv.FieldByIndex(si.extra).Interface().(map[string]json.RawMessage)
	for _, k := range sortedKeys(extra) {
		if string(extra[k]) == "null" {
			v.err(vcdm, key(path, k), "shape", "null values must be omitted")
		}
	}
	v.nestedNulls(path, sv)
}

func (v *validator) achievementSubject(path *jpath, s *AchievementSubject) {
	v.checkExtra(path, s)
	v.requireType(path, s.Type, s.Extra, "AchievementSubject")
	if s.ID != "" {
		v.uri(vcdm, key(path, "id"), s.ID)
	} else if s.Identifier.IsZero() && !hasKey(s.Extra, "id") && !hasKey(s.Extra, "identifier") {
		v.err(ob3, path, "subject", "an AchievementSubject must have an id or at least one identifier")
	}
	for i := range s.Identifier.Items {
		v.identityObject(itemPath(path, "identifier", s.Identifier.Single, i), &s.Identifier.Items[i])
	}
	start := v.dateTime(key(path, "activityStartDate"), s.ActivityStartDate)
	end := v.dateTime(key(path, "activityEndDate"), s.ActivityEndDate)
	if !start.IsZero() && !end.IsZero() && start.After(end) {
		v.warn(ob3, key(path, "activityEndDate"), "dates.order", "activityEndDate is before activityStartDate")
	}
	if s.Image != nil {
		v.image(key(path, "image"), s.Image, true)
	}
	if s.Source != nil {
		v.profile(key(path, "source"), s.Source, false)
	}
	var ach *Achievement
	switch {
	case s.Achievement.Achievement != nil:
		ach = s.Achievement.Achievement
		v.achievement(key(path, "achievement"), ach)
	case s.Achievement.URI != "":
		v.uri(ob3, key(path, "achievement"), s.Achievement.URI)
	case !hasKey(s.Extra, "achievement"):
		v.err(ob3, path, "required", "achievement is required")
	}
	var idx *resultIndex
	if ach != nil && len(s.Result.Items) > 0 {
		idx = newResultIndex(ach)
	}
	for i := range s.Result.Items {
		v.result(itemPath(path, "result", s.Result.Single, i), &s.Result.Items[i], idx)
	}
}

var identityHashRE = regexp.MustCompile(`^(md5\$[0-9a-fA-F]{32}|sha256\$[0-9a-fA-F]{64})$`)

// closed reports the members of a class that the OB 3.0 model does not
// let extensions add to (its JSON Schema has additionalProperties false).
func (v *validator) closed(path *jpath, class string, extra map[string]json.RawMessage) {
	for _, k := range sortedKeys(extra) {
		if k == "@context" || strings.HasPrefix(k, "@") {
			continue // reported by checkKeys
		}
		if _, known := extra[k]; known && isFieldOf(class, k) {
			continue // a known member of an unexpected form, reported by checkExtra
		}
		v.err(ob3, key(path, k), "closed", "%s does not allow other properties than its own (%s)", class, k)
	}
}

func isFieldOf(class, k string) bool {
	var t reflect.Type
	switch class {
	case "IdentityObject":
		t = reflect.TypeFor[IdentityObject]()
	case "IdentifierEntry":
		t = reflect.TypeFor[IdentifierEntry]()
	case "Image":
		t = reflect.TypeFor[Image]()
	default:
		return false
	}
	_, ok := infoOf(t).byName[k]
	return ok
}

func (v *validator) identityObject(path *jpath, o *IdentityObject) {
	v.checkExtra(path, o)
	v.closed(path, "IdentityObject", o.Extra)
	v.requireType(path, o.Type, o.Extra, "IdentityObject")
	if o.Hashed == nil && !hasKey(o.Extra, "hashed") {
		v.err(ob3, path, "required", "hashed is required")
	}
	v.requireString(ob3, path, "identityHash", o.IdentityHash, o.Extra)
	if v.requireString(ob3, path, "identityType", string(o.IdentityType), o.Extra) && !o.IdentityType.IsValid() {
		v.err(ob3, key(path, "identityType"), "enum", "identityType %q is not defined (extensions are named ext:Name)", o.IdentityType)
	}
	if o.Hashed != nil && *o.Hashed && o.IdentityHash != "" && !identityHashRE.MatchString(o.IdentityHash) {
		v.err(ob3, key(path, "identityHash"), "identity", "a hashed identityHash must be md5$<32 hex digits> or sha256$<64 hex digits>")
	}
}

func (v *validator) achievement(path *jpath, a *Achievement) {
	v.checkExtra(path, a)
	if v.requireString(ob3, path, "id", a.ID, a.Extra) {
		v.uri(vcdm, key(path, "id"), a.ID)
	}
	v.requireType(path, a.Type, a.Extra, "Achievement")
	v.requireString(ob3, path, "name", a.Name, a.Extra)
	v.requireString(ob3, path, "description", a.Description, a.Extra)
	if a.Criteria == nil {
		if !hasKey(a.Extra, "criteria") {
			v.err(ob3, path, "required", "criteria is required")
		}
	} else {
		p := key(path, "criteria")
		v.checkExtra(p, a.Criteria)
		if a.Criteria.ID == "" && a.Criteria.Narrative == "" && !hasKey(a.Criteria.Extra, "id") && !hasKey(a.Criteria.Extra, "narrative") {
			// "Implementations SHOULD provide, at least, one of the id or
			// narrative fields" (OB 3.0 data model, Criteria).
			v.warn(ob3, p, "criteria", "criteria should have an id or a narrative")
		}
		if a.Criteria.ID != "" {
			v.uri(vcdm, key(p, "id"), a.Criteria.ID)
		}
	}
	if a.AchievementType != "" && !a.AchievementType.IsValid() {
		v.err(ob3, key(path, "achievementType"), "enum", "achievementType %q is not defined (extensions are named ext:Name)", a.AchievementType)
	}
	if a.Creator != nil {
		v.profile(key(path, "creator"), a.Creator, false)
	}
	v.alignments(path, a.Alignment)
	for i := range a.Endorsement.Items {
		v.endorsementCredential(detach(itemPath(path, "endorsement", a.Endorsement.Single, i)), &a.Endorsement.Items[i], true)
	}
	v.jwts(path, a.EndorsementJwt)
	if a.Image != nil {
		v.image(key(path, "image"), a.Image, true)
	}
	v.language(key(path, "inLanguage"), a.InLanguage)
	v.identifierEntries(path, a.OtherIdentifier)
	for i := range a.Related.Items {
		r := &a.Related.Items[i]
		p := itemPath(path, "related", a.Related.Single, i)
		v.checkExtra(p, r)
		if v.requireString(ob3, p, "id", r.ID, r.Extra) {
			v.uri(vcdm, key(p, "id"), r.ID)
		}
		v.requireType(p, r.Type, r.Extra, "Related")
		v.language(key(p, "inLanguage"), r.InLanguage)
	}
	ids := map[string]bool{}
	for i := range a.ResultDescription.Items {
		rd := &a.ResultDescription.Items[i]
		p := itemPath(path, "resultDescription", a.ResultDescription.Single, i)
		v.resultDescription(p, rd)
		if rd.ID != "" {
			if ids[rd.ID] {
				v.err(ob3, key(p, "id"), "result.description", "resultDescription id %q is not unique", rd.ID)
			}
			ids[rd.ID] = true
		}
	}
}

// language checks an inLanguage value against the pattern of the OB JSON
// Schemas (a BCP 47 language, script and region subset).
var inLanguageRE = regexp.MustCompile(`^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`)

func (v *validator) language(path *jpath, s string) {
	if s != "" && !inLanguageRE.MatchString(s) {
		v.err(ob3, path, "language", "%q is not a language code such as en, en-US or zh-Hant-TW", s)
	}
}

func (v *validator) resultDescription(path *jpath, rd *ResultDescription) {
	v.checkExtra(path, rd)
	if v.requireString(ob3, path, "id", rd.ID, rd.Extra) {
		v.uri(vcdm, key(path, "id"), rd.ID)
	}
	v.requireType(path, rd.Type, rd.Extra, "ResultDescription")
	v.requireString(ob3, path, "name", rd.Name, rd.Extra)
	if v.requireString(ob3, path, "resultType", string(rd.ResultType), rd.Extra) && !rd.ResultType.IsValid() {
		v.err(ob3, key(path, "resultType"), "enum", "resultType %q is not defined (extensions are named ext:Name)", rd.ResultType)
	}
	v.alignments(path, rd.Alignment)
	levels := map[string]bool{}
	for i := range rd.RubricCriterionLevel.Items {
		l := &rd.RubricCriterionLevel.Items[i]
		p := itemPath(path, "rubricCriterionLevel", rd.RubricCriterionLevel.Single, i)
		v.checkExtra(p, l)
		if v.requireString(ob3, p, "id", l.ID, l.Extra) {
			v.uri(vcdm, key(p, "id"), l.ID)
			levels[l.ID] = true
		}
		v.requireType(p, l.Type, l.Extra, "RubricCriterionLevel")
		v.requireString(ob3, p, "name", l.Name, l.Extra)
		v.alignments(p, l.Alignment)
	}
	if rd.RequiredValue != "" && len(rd.AllowedValue.Items) > 0 && !slices.Contains(rd.AllowedValue.Items, rd.RequiredValue) {
		v.warn(ob3, key(path, "requiredValue"), "result.value", "requiredValue %q is not one of its allowedValue", rd.RequiredValue)
	}
	if rd.RequiredLevel != "" && !levels[rd.RequiredLevel] {
		v.err(ob3, key(path, "requiredLevel"), "resultDescription.requiredLevel", "requiredLevel %q is not the id of one of its rubricCriterionLevels", rd.RequiredLevel)
	}
}

// resultIndex maps the ids of an achievement's result descriptions and
// rubric criterion levels, so that checking n results is linear, not n².
// Its maps are made only when needed: a few descriptions are scanned.
type resultIndex struct {
	ach     *Achievement
	rd      map[string]*ResultDescription   // nil: scan ach
	levels  map[string][]*ResultDescription // level id -> descriptions that define it
	allowed map[*ResultDescription]map[string]bool
}

// scanDescriptions is how many result descriptions are scanned rather than
// indexed.
const scanDescriptions = 8

func newResultIndex(ach *Achievement) *resultIndex {
	x := &resultIndex{ach: ach}
	items := ach.ResultDescription.Items
	if len(items) > scanDescriptions {
		x.rd = make(map[string]*ResultDescription, len(items))
	}
	for i := range items {
		d := &items[i]
		if x.rd != nil {
			if _, dup := x.rd[d.ID]; !dup {
				x.rd[d.ID] = d
			}
		}
		for _, l := range d.RubricCriterionLevel.Items {
			if x.levels == nil {
				x.levels = map[string][]*ResultDescription{}
			}
			x.levels[l.ID] = append(x.levels[l.ID], d)
		}
		if len(d.AllowedValue.Items) > 0 {
			m := make(map[string]bool, len(d.AllowedValue.Items))
			for _, a := range d.AllowedValue.Items {
				m[a] = true
			}
			if x.allowed == nil {
				x.allowed = map[*ResultDescription]map[string]bool{}
			}
			x.allowed[d] = m
		}
	}
	return x
}

// description returns the first result description with the given id.
func (x *resultIndex) description(id string) *ResultDescription {
	if x.rd != nil {
		return x.rd[id]
	}
	for i := range x.ach.ResultDescription.Items {
		if d := &x.ach.ResultDescription.Items[i]; d.ID == id {
			return d
		}
	}
	return nil
}

// result checks a Result; idx is nil when the achievement is only referenced
// by URI, so that there is nothing to check the references against.
func (v *validator) result(path *jpath, r *Result, idx *resultIndex) {
	v.checkExtra(path, r)
	v.requireType(path, r.Type, r.Extra, "Result")
	v.alignments(path, r.Alignment)
	if r.Status != "" && !r.Status.IsValid() {
		v.err(ob3, key(path, "status"), "enum", "status %q is not one of %v", r.Status, ResultStatusTypes)
	}
	if idx == nil {
		return
	}
	var rd *ResultDescription
	if r.ResultDescription != "" {
		// "The linked result description must be in the achievement that
		// is being asserted."
		rd = idx.description(r.ResultDescription)
		if rd == nil {
			v.err(ob3, key(path, "resultDescription"), "result.description",
				"resultDescription %q is not the id of a resultDescription of the achievement", r.ResultDescription)
		}
	}
	if r.AchievedLevel != "" {
		// The level belongs to the linked description. The specification's
		// own complete example links a level of another description of the
		// same achievement, so that is only a warning.
		defs := idx.levels[r.AchievedLevel]
		switch {
		case len(defs) > 0 && (rd == nil || slices.Contains(defs, rd)):
		case len(defs) > 0:
			v.warn(ob3, key(path, "achievedLevel"), "result.level",
				"achievedLevel %q is a rubricCriterionLevel of another resultDescription than the one the result links", r.AchievedLevel)
		default:
			v.err(ob3, key(path, "achievedLevel"), "result.level",
				"achievedLevel %q is not the id of a rubricCriterionLevel of the achievement", r.AchievedLevel)
		}
	}
	if allowed := idx.allowed[rd]; rd != nil && r.Value != "" && allowed != nil && !allowed[r.Value] {
		v.warn(ob3, key(path, "value"), "result.value", "value %q is not one of the allowedValue of its result description", r.Value)
	}
	if rd != nil && rd.ResultType == ResultTypeStatus && r.Status == "" && !hasKey(r.Extra, "status") {
		v.err(ob3, path, "result.status", "status is required when the result description's resultType is Status")
	}
}

func (v *validator) alignments(path *jpath, s Set[Alignment]) {
	for i := range s.Items {
		a := &s.Items[i]
		p := itemPath(path, "alignment", s.Single, i)
		v.checkExtra(p, a)
		v.requireType(p, a.Type, a.Extra, "Alignment")
		v.requireString(ob3, p, "targetName", a.TargetName, a.Extra)
		if v.requireString(ob3, p, "targetUrl", a.TargetURL, a.Extra) {
			v.uri(ob3, key(p, "targetUrl"), a.TargetURL)
		}
		if a.TargetType != "" && !a.TargetType.IsValid() {
			v.err(ob3, key(p, "targetType"), "enum", "targetType %q is not defined (extensions are named ext:Name)", a.TargetType)
		}
	}
}

func (v *validator) identifierEntries(path *jpath, s Set[IdentifierEntry]) {
	for i := range s.Items {
		e := &s.Items[i]
		p := itemPath(path, "otherIdentifier", s.Single, i)
		v.checkExtra(p, e)
		v.closed(p, "IdentifierEntry", e.Extra)
		v.requireType(p, e.Type, e.Extra, "IdentifierEntry")
		v.requireString(ob3, p, "identifier", e.Identifier, e.Extra)
		if v.requireString(ob3, p, "identifierType", string(e.IdentifierType), e.Extra) && !e.IdentifierType.IsValid() {
			v.err(ob3, key(p, "identifierType"), "enum", "identifierType %q is not defined (extensions are named ext:Name)", e.IdentifierType)
		}
	}
}

func (v *validator) image(path *jpath, im *Image, badge bool) {
	if im.bare() {
		// The id string alone: the OB 3.0 data model allows it, its JSON
		// Schema wants the object. The checks of the id apply to it.
		if badge {
			v.warn(ob3, path, "image.string", "an image given as its URL alone; the OB 3.0 JSON Schema wants an Image object (id, type)")
		}
		v.uri(vcdm, path, im.ID)
		if badge {
			v.imageSource(path, im.ID)
		}
		return
	}
	v.checkExtra(path, im)
	if badge {
		v.closed(path, "Image", im.Extra)
	}
	if v.requireString(ob3, path, "id", im.ID, im.Extra) {
		v.uri(vcdm, key(path, "id"), im.ID)
		if badge {
			v.imageSource(key(path, "id"), im.ID)
		}
	}
	if badge {
		v.requireType(path, im.Type, im.Extra, "Image")
	}
}

// MaxImageDataURI bounds the size of an image given inline as a data: URI.
const MaxImageDataURI = 1 << 20

// imageSource checks where a badge image comes from (catalogue #74): a
// displayer loads it, so it must be an http(s) URL or a data: URI of a PNG
// or SVG image (the formats OB 3.0 names), of bounded size. A javascript:
// or file: URI, or a data: URI of another media type, is refused.
func (v *validator) imageSource(path *jpath, id string) {
	scheme, rest, _ := strings.Cut(id, ":")
	switch strings.ToLower(scheme) {
	case "https", "http":
	case "data":
		if len(id) > MaxImageDataURI {
			v.err(ob3, path, "image", "data: URI of %d bytes (at most %d)", len(id), MaxImageDataURI)
			return
		}
		media, _, _ := strings.Cut(rest, ",")
		media, _, _ = strings.Cut(media, ";")
		switch strings.ToLower(strings.TrimSpace(media)) {
		case "image/png", "image/svg+xml":
		default:
			v.err(ob3, path, "image", "data: URI of media type %q: an image must be PNG or SVG", media)
		}
	default:
		v.err(ob3, path, "image", "image URI scheme %q: an image must be an http(s) URL or a data: URI", scheme)
	}
}

func (v *validator) evidence(path *jpath, e *Evidence, badge bool) {
	v.checkExtra(path, e)
	switch {
	case e.Type.IsZero() && !hasKey(e.Extra, "type"):
		// The VC Data Model requires the type of every evidence; OB 3.0
		// adds that it includes Evidence.
		v.err(vcdm, path, "required", "evidence must have a type")
	case badge:
		v.requireType(path, e.Type, e.Extra, "Evidence")
	}
	if e.ID != "" {
		v.uri(vcdm, key(path, "id"), e.ID)
	}
}

var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// profile checks a Profile. issuer says it is the issuer of a credential,
// whose id the VC Data Model requires (elsewhere the OB model does) and whose
// name and description may be language values as the VC Data Model allows.
func (v *validator) profile(path *jpath, p *Profile, issuer bool) {
	idStd := ob3
	if issuer {
		idStd = vcdm
	}
	v.checkExtraLang(path, p, issuer)
	if v.requireString(idStd, path, "id", p.ID, p.Extra) {
		v.uri(vcdm, key(path, "id"), p.ID)
	}
	v.requireType(path, p.Type, p.Extra, "Profile")
	if p.URL != "" {
		v.uri(ob3, key(path, "url"), p.URL)
	}
	if p.Image != nil {
		v.image(key(path, "image"), p.Image, true)
	}
	if p.Email != "" && !strings.Contains(p.Email, "@") {
		v.err(ob3, key(path, "email"), "format", "%q is not an email address", p.Email)
	}
	if p.DateOfBirth != "" {
		if _, err := time.Parse(time.DateOnly, p.DateOfBirth); err != nil || !dateRE.MatchString(p.DateOfBirth) {
			v.err(ob3, key(path, "dateOfBirth"), "date", "%q is not a date (YYYY-MM-DD)", p.DateOfBirth)
		}
	}
	if a := p.Address; a != nil {
		ap := key(path, "address")
		v.checkExtra(ap, a)
		v.requireType(ap, a.Type, a.Extra, "Address")
		if g := a.Geo; g != nil {
			gp := key(ap, "geo")
			v.checkExtra(gp, g)
			v.requireType(gp, g.Type, g.Extra, "GeoCoordinates")
			if g.Latitude == nil && !hasKey(g.Extra, "latitude") {
				v.err(ob3, gp, "required", "latitude is required")
			} else if g.Latitude != nil && (*g.Latitude < -90 || *g.Latitude > 90) {
				v.err(ob3, key(gp, "latitude"), "format", "latitude %v is outside [-90, 90]", *g.Latitude)
			}
			if g.Longitude == nil && !hasKey(g.Extra, "longitude") {
				v.err(ob3, gp, "required", "longitude is required")
			} else if g.Longitude != nil && (*g.Longitude < -180 || *g.Longitude > 180) {
				v.err(ob3, key(gp, "longitude"), "format", "longitude %v is outside [-180, 180]", *g.Longitude)
			}
		}
	}
	v.identifierEntries(path, p.OtherIdentifier)
	if p.ParentOrg != nil {
		v.profile(detach(key(path, "parentOrg")), p.ParentOrg, false)
	}
	for i := range p.Endorsement.Items {
		v.endorsementCredential(detach(itemPath(path, "endorsement", p.Endorsement.Single, i)), &p.Endorsement.Items[i], true)
	}
	v.jwts(path, p.EndorsementJwt)
}

// checkExtra reports the members of model's Extra that are known fields in
// a form the model could not read, and keys that would let a JSON-LD
// processor see a property that these checks do not (see checkKeys). The
// language-value form of name and description is accepted in a credential's
// envelope, as the VC Data Model allows.
func (v *validator) checkExtra(path *jpath, model any) {
	lang := false
	switch model.(type) {
	case *Credential, *EndorsementCredential:
		lang = true
	}
	v.checkExtraLang(path, model, lang)
}

// checkExtraLang is checkExtra, with lang saying whether the fields that
// may hold language values (tagged ob:"lang") may hold them here.
func (v *validator) checkExtraLang(path *jpath, model any, lang bool) {
	if h, ok := model.(extraHolder); ok && len(h.extraMembers()) == 0 {
		return // every problem reported here is about a member of Extra
	}
	rv := reflect.ValueOf(model).Elem()
	si := infoOf(rv.Type())
	if si.extra == nil {
		return
	}
	extra := rv.FieldByIndex(si.extra).Interface().(map[string]json.RawMessage)
	for _, k := range sortedKeys(extra) {
		f := si.byName[k]
		if f == nil {
			continue
		}
		raw := extra[k]
		if string(raw) == "null" {
			continue // checkKeys reports nulls, of every member
		}
		p := key(path, k)
		if lang && f.lang && v.langValue(p, raw) {
			continue
		}
		ft := rv.FieldByIndex(f.index).Type()
		std := shapeStandard(model, k, raw, strings.HasPrefix(ft.Name(), "Set["))
		switch kind := jsonKindOf(raw); kind {
		case "an empty array", "an empty string":
			v.err(std, p, "shape", "empty values must be omitted")
		default:
			if ft.Kind() == reflect.String && isLangForm(raw) {
				v.err(std, p, "shape", "%s must be a string: language value objects are for the name and description of a credential and of its issuer", k)
				continue
			}
			v.err(std, p, "shape", "%s must be %s, not %s", k, expected(ft), kind)
		}
	}
	v.checkKeys(path, extra)
}

// shapeStandard returns the standard whose rule a known member k of model
// breaks with the JSON form raw, which the model could not read; set says
// that the member takes several values.
//
// A form that JSON-LD reads like another (null and an empty array, which it
// drops; a one-element array where one value belongs; a value object
// without a language; nested arrays) lets the member change after signing
// without changing the signature, and a reader of the JSON see something
// else: that is an integrity rule, StandardVCDM, wherever it happens. So is
// any wrong form of id and type (JSON-LD keywords) and of the members the VC
// Data Model defines for the credential and its status, schema, refresh
// service, terms of use, related resources and proofs. Any other wrong
// form, such as a number for an achievement's name, breaks the Open Badges
// model only.
func shapeStandard(model any, k string, raw json.RawMessage, set bool) Standard {
	if k == "id" || k == "type" || k == "@context" || readsAsOther(raw, set) {
		return vcdm
	}
	switch model.(type) {
	case *Proof, *CredentialStatus, *CredentialSchema, *RefreshService, *TermsOfUse, *RelatedResource:
		return vcdm
	case *Credential, *EndorsementCredential:
		switch k {
		case "image", "awardedDate", "endorsement", "endorsementJwt":
			return ob3 // OB 3.0 additions to the envelope
		case "name", "description":
			if string(raw) == `""` {
				// A string, as the VC Data Model asks: only OB 3.0
				// says that empty values are omitted.
				return ob3
			}
		}
		return vcdm
	}
	return ob3
}

// readsAsOther reports whether raw, the JSON of a member, is a form that
// JSON-LD reads like another form of the same value, or like no value at
// all: null or an empty array (dropped), an array holding null or an array
// (flattened), a one-element array where one value belongs (set false), a
// value object without @language or @direction ({"@value": x} is x), or an
// @set object.
func readsAsOther(raw json.RawMessage, set bool) bool {
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return false
	}
	var alias func(x any, top bool) bool
	alias = func(x any, top bool) bool {
		switch x := x.(type) {
		case nil:
			return true
		case []any:
			if !top || len(x) == 0 || len(x) == 1 && !set {
				return true
			}
			for _, e := range x {
				if alias(e, false) {
					return true
				}
			}
		case map[string]any:
			if _, ok := x["@set"]; ok {
				return true
			}
			if _, ok := x["@value"]; ok {
				_, hasLang := x["@language"]
				_, hasDir := x["@direction"]
				return !hasLang && !hasDir
			}
		}
		return false
	}
	return alias(x, true)
}

// vocabularies whose terms must be written as terms, so that the checks of
// this package see them: an expanded IRI such as
// https://www.w3.org/2018/credentials#validUntil means validUntil to a
// JSON-LD processor but not to a JSON reader.
var vocabularies = []string{
	"https://www.w3.org/2018/credentials#",
	"https://purl.imsglobal.org/spec/vc/ob/vocab.html#",
	"https://w3id.org/security#",
	"https://schema.org/",
	"http://schema.org/",
	"cred:", "sec:", "obi:", "schema:",
}

// checkKeys reports JSON-LD keywords used in place of their aliases,
// expanded vocabulary IRIs used in place of terms, and members whose value
// is null, known to the model or not: JSON-LD expansion drops them, so that
// one could be added or removed after signing without breaking the
// signature, while a reader of the JSON sees it. (A null inside the value of
// an extension member, which the model keeps as written, is not looked at.)
func (v *validator) checkKeys(path *jpath, extra map[string]json.RawMessage) {
	for _, k := range sortedKeys(extra) {
		if string(extra[k]) == "null" {
			v.err(vcdm, key(path, k), "shape", "null values must be omitted")
			continue
		}
		switch {
		case k == "@context":
			v.inlineContext(key(path, k), extra[k])
		case strings.HasPrefix(k, "@"):
			v.err(vcdm, key(path, k), "shape", "the JSON-LD keyword %s is not accepted here; use its alias (id, type) so that every reader sees it", k)
		default:
			for _, vocab := range vocabularies {
				if strings.HasPrefix(k, vocab) {
					v.err(vcdm, key(path, k), "shape", "%s is an expanded vocabulary IRI; use the term so that every reader sees it", k)
					break
				}
			}
		}
	}
}

// inlineContext reports terms of an embedded JSON-LD context that alias a
// keyword (such as {"wrap": "@nest"} or {"ident": "@id"}): through them a
// JSON-LD processor would see properties, such as a validUntil nested under
// "wrap", that a JSON reader and these checks do not.
func (v *validator) inlineContext(path *jpath, raw json.RawMessage) {
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return
	}
	var objs []map[string]any
	switch x := x.(type) {
	case map[string]any:
		objs = append(objs, x)
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				objs = append(objs, m)
			}
		}
	}
	for _, m := range objs {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(k, "@") {
				continue
			}
			id, _ := m[k].(string)
			if def, ok := m[k].(map[string]any); ok {
				id, _ = def["@id"].(string)
			}
			if strings.HasPrefix(id, "@") {
				v.err(vcdm, key(path, k), "shape", "the embedded context makes %q an alias of the keyword %s, which hides data from JSON readers", k, id)
			}
		}
	}
}

// langValue reports whether raw is a language value object, or an array of
// them, reporting the problems inside them. A language value object has a
// string @value and @language or @direction: without either it is the plain
// string written in another form ({"@value": "x"} is "x" to JSON-LD), and an
// array holding a plain string is not one of the forms the VC Data Model
// gives for a name or description. It returns false when raw is none of
// these, for the caller to report.
func (v *validator) langValue(path *jpath, raw json.RawMessage) bool {
	var x any
	if err := json.Unmarshal(raw, &x); err != nil {
		return false
	}
	if arr, ok := x.([]any); ok {
		if len(arr) == 0 {
			return false
		}
		for _, e := range arr {
			if !isLangObject(e) {
				return false
			}
		}
		for i, e := range arr {
			v.langObject(index(path, i), e.(map[string]any))
		}
		return true
	}
	if !isLangObject(x) {
		return false
	}
	v.langObject(path, x.(map[string]any))
	return true
}

// isLangForm reports whether raw is a language value object or an array of
// them.
func isLangForm(raw json.RawMessage) bool {
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return false
	}
	arr, ok := x.([]any)
	if !ok {
		return isLangObject(x)
	}
	for _, e := range arr {
		if !isLangObject(e) {
			return false
		}
	}
	return len(arr) > 0
}

// isLangObject reports whether x is a language value object: a string
// @value with @language or @direction.
func isLangObject(x any) bool {
	m, ok := x.(map[string]any)
	if !ok {
		return false
	}
	if _, ok := m["@value"].(string); !ok {
		return false
	}
	_, hasLang := m["@language"]
	_, hasDir := m["@direction"]
	return hasLang || hasDir
}

// langObject reports the problems of a language value object.
func (v *validator) langObject(p *jpath, x map[string]any) {
	// In name order, so that the problems come in the same order every
	// time (Go randomises map order).
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		val := x[k]
		switch k {
		case "@value":
		case "@language":
			s, _ := val.(string)
			if !langTagRE.MatchString(s) {
				v.err(vcdm, key(p, "@language"), "language", "@language %v is not a well-formed BCP 47 language tag", val)
			}
		case "@direction":
			if val != "ltr" && val != "rtl" {
				v.err(vcdm, key(p, "@direction"), "language", "@direction must be ltr or rtl")
			}
		default:
			v.err(vcdm, key(p, k), "language", "a language value object has only @value, @language and @direction")
		}
	}
}

var langTagRE = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonKindOf(raw json.RawMessage) string {
	x, err := strictjson.Parse(string(raw), strictjson.Options{})
	if err != nil {
		return "invalid JSON"
	}
	return jsonKind(x)
}

// expected describes the JSON form a field type takes.
func expected(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[ProfileRef]():
		return "a URI or a Profile object"
	case reflect.TypeFor[AchievementRef]():
		return "a URI or an Achievement object"
	case reflect.TypeFor[DateTime]():
		return "a date-time string (value objects and arrays are not accepted)"
	}
	if strings.HasPrefix(t.Name(), "Set[") {
		return "one value or an array of values of the right kind"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Pointer:
		switch t.Elem().Kind() {
		case reflect.Bool:
			return "a boolean"
		case reflect.Float64:
			return "a number"
		}
		return "an object"
	}
	return "an object"
}
