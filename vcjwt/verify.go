package vcjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/microcred/openbadges/did"
)

// DefaultClockSkew is the tolerance on nbf and exp when
// VerifyOptions.ClockSkew is zero.
const DefaultClockSkew = 5 * time.Minute

// Warning codes (Warning.Code).
const (
	// WarnUnprovenKey: the key came from the jwk header and could not be
	// found among the issuer's published keys, so nothing but the token
	// itself says it is the issuer's.
	WarnUnprovenKey = "jwk-unproven"
	// WarnMissingSubject: credentialSubject.id is present but the sub claim
	// is not (tolerated only with VerifyOptions.InsecureAcceptMissingSubject).
	WarnMissingSubject = "sub-missing"
	// WarnIssuedInFuture: iat is later than the verifier's clock allows.
	WarnIssuedInFuture = "iat-future"
)

// Warning is something a verifier should report without rejecting the
// credential.
type Warning struct {
	Code    string // one of the Warn… constants
	Message string
}

// VerifyOptions configures Verify. Algorithms must be set; every other zero
// field takes a safe default.
type VerifyOptions struct {
	// Algorithms is the allow-list for the header alg. It is required.
	// Only RS256, ES256, ES384 and EdDSA are ever accepted: "none", HMAC
	// (HS256, HS384, HS512) and unknown names are refused even if listed.
	Algorithms []Algorithm
	// Resolver dereferences kid (a DID URL, or an https URL if the resolver
	// routes "https"). Nil means did.DefaultResolver(): did:key and did:jwk,
	// offline. It is also used, when the issuer is a DID, to look for a jwk
	// header's key in the issuer's DID document.
	Resolver did.Resolver
	// IssuerKeys, if set, supplies the issuer's published keys
	// (StaticKeySets, HTTPKeySets), against which a jwk header's key is
	// checked. Nil means only the issuer's DID document (if the issuer is a
	// DID) is consulted.
	IssuerKeys IssuerKeys
	// InsecureAcceptUnprovenJWK accepts, with a warning (WarnUnprovenKey),
	// a token whose jwk header key is not found among the issuer's keys.
	// By default it is refused (ErrUnprovenKey): anyone can sign a
	// credential naming an https issuer and embed their own key, so the key
	// proves nothing until the issuer's DID document or published key set
	// lists it.
	InsecureAcceptUnprovenJWK bool
	// InsecureAcceptMissingSubject accepts, with a warning
	// (WarnMissingSubject), a token without sub when the credential has
	// credentialSubject.id, as the 1EdTech validator does with its own
	// fixtures. By default such a token is refused (ErrClaimMismatch), as
	// Open Badges 3.0 lists sub among the required claims.
	InsecureAcceptMissingSubject bool
	// Audience, if set, must be one of the aud claim's values.
	Audience string
	// Now is the verifier's clock. Nil means time.Now.
	Now func() time.Time
	// ClockSkew is the tolerance on nbf and exp. Zero means
	// DefaultClockSkew; negative is an error.
	ClockSkew time.Duration
	// MaxTokenSize bounds the token in bytes, checked before anything is
	// decoded. Zero means DefaultMaxTokenSize; negative is an error.
	MaxTokenSize int
}

// Header is the protected header of a verified token.
type Header struct {
	Algorithm   Algorithm
	Type        string   // typ, "" if absent
	ContentType string   // cty, "" if absent
	KeyID       string   // kid, "" if absent
	JWK         *did.JWK // jwk (public members only), nil if absent
}

// Verified is the outcome of a successful Verify.
type Verified struct {
	// Credential is the credential JSON: for VCDM 2.0 the payload without
	// the JWT claims (iss, sub, aud, exp, nbf, iat, jti); for VCDM 1.1 the
	// vc claim, with id, issuer, issuanceDate, expirationDate and
	// credentialSubject.id filled in from jti, iss, nbf, exp and sub where
	// the vc claim leaves them out. Run the Open Badges validation on it
	// (credential.Parse, Validate).
	Credential []byte
	// DataModel is VCDM20 or VCDM11.
	DataModel string
	Header    Header
	Claims    Claims
	// PublicKey is the key the signature was verified with.
	PublicKey crypto.PublicKey
	// VerificationMethod is the method the kid named, nil for a jwk key.
	VerificationMethod *did.VerificationMethod
	// KeyProven is true when the key is known to be the issuer's: always
	// for kid (resolved through the issuer's DID or controller document),
	// and for jwk when the key is among the issuer's published keys.
	KeyProven bool
	Warnings  []Warning
}

type verifyConfig struct {
	algs     []Algorithm
	resolver did.Resolver
	now      time.Time
	skew     time.Duration
	maxSize  int
}

func (o *VerifyOptions) config() (*verifyConfig, error) {
	c := &verifyConfig{resolver: o.Resolver, skew: o.ClockSkew, maxSize: o.MaxTokenSize}
	for _, a := range o.Algorithms {
		if supported(a) && !slices.Contains(c.algs, a) {
			c.algs = append(c.algs, a)
		}
	}
	if len(c.algs) == 0 {
		return nil, newError(ErrConfig, "Algorithms", "no supported algorithm allowed (RS256, ES256, ES384, EdDSA)")
	}
	if c.resolver == nil {
		c.resolver = did.DefaultResolver()
	}
	switch {
	case c.skew < 0:
		return nil, newError(ErrConfig, "ClockSkew", "negative")
	case c.skew == 0:
		c.skew = DefaultClockSkew
	}
	switch {
	case c.maxSize < 0:
		return nil, newError(ErrConfig, "MaxTokenSize", "negative")
	case c.maxSize == 0:
		c.maxSize = DefaultMaxTokenSize
	}
	if o.Now != nil {
		c.now = o.Now()
	} else {
		c.now = time.Now()
	}
	return c, nil
}

// Verify checks a VC-JWT (Open Badges 3.0 §8.2, compact JWS) and returns the
// credential it secures.
//
// In order, it bounds the size, splits and decodes the token strictly, checks
// the header (alg in the allow-list, only alg, typ, cty, kid and jwk), reads
// the payload and its data model, binds the key to the issuer (the kid without
// fragment must equal iss) and gets it (kid through opts.Resolver, or the jwk
// header), checks the key's type and size for alg, verifies the signature
// with go-jose, compares the claims with the credential, looks for a jwk key
// among the issuer's keys, and checks nbf and exp against the clock.
//
// Errors are *Error values matching one sentinel. When everything holds but
// the validity period (ErrExpired, ErrNotYetValid), Verify returns the
// result as well as the error, so that a verifier can still report on the
// credential; in every other case the result is nil.
func Verify(ctx context.Context, token []byte, opts VerifyOptions) (*Verified, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	if len(token) > cfg.maxSize {
		return nil, newError(ErrTokenTooLarge, "token", fmt.Sprintf("%d bytes, the limit is %d", len(token), cfg.maxSize))
	}
	segs, err := split(token)
	if err != nil {
		return nil, err
	}
	if len(segs[0]) > b64.EncodedLen(maxHeaderSize) {
		return nil, newError(ErrMalformed, "header", "too large")
	}
	hdrJSON, err := decodeSegment(segs[0], "header")
	if err != nil {
		return nil, err
	}
	payloadJSON, err := decodeSegment(segs[1], "payload")
	if err != nil {
		return nil, err
	}
	if _, err := decodeSegment(segs[2], "signature"); err != nil {
		return nil, err
	}
	hdr, err := parseHeader(hdrJSON, cfg.algs)
	if err != nil {
		return nil, err
	}
	if len(segs[2]) == 0 {
		return nil, newError(ErrMalformed, "signature", "empty")
	}
	p, err := parsePayload(payloadJSON, cfg.maxSize)
	if err != nil {
		return nil, err
	}
	res := &Verified{DataModel: p.facts.model, Header: *hdr, Claims: p.claims, Credential: p.credential}

	// The issuer the key must belong to: iss, equal to issuer.id.
	if err := checkIssuer(p.claims, p.facts); err != nil {
		return nil, err
	}

	// The key: the kid must name a key of the issuer before anything is
	// resolved, so that a token cannot make the verifier fetch documents
	// unrelated to the issuer.
	var pub crypto.PublicKey
	if hdr.KeyID != "" {
		vm, err := resolveKID(ctx, cfg.resolver, hdr.KeyID, p.claims.Issuer)
		if err != nil {
			return nil, err
		}
		if pub, err = vm.PublicKey(); err != nil {
			return nil, wrapError(ErrInvalidKey, "header.kid", "verification method key", err)
		}
		res.VerificationMethod, res.KeyProven = vm, true
	}
	var jwkKey crypto.PublicKey
	if hdr.JWK != nil {
		if jwkKey, err = hdr.JWK.PublicKey(); err != nil {
			return nil, wrapError(ErrInvalidKey, "header.jwk", "unusable key", err)
		}
		if pub == nil {
			pub = jwkKey
		} else if !equalKeys(pub, jwkKey) {
			return nil, newError(ErrUnsupportedHeader, "header.jwk", "not the key the kid names")
		}
	}
	if pub == nil {
		return nil, newError(ErrKeyNotFound, "header", "neither kid nor jwk: the key cannot be found")
	}
	if err := checkKey(hdr.Algorithm, pub); err != nil {
		return nil, err
	}
	res.PublicKey = pub

	// The signature, with go-jose, given only the one algorithm the header
	// names (already allowed) and a typed public key (never a []byte).
	jws, err := jose.ParseSignedCompact(string(token), []jose.SignatureAlgorithm{jose.SignatureAlgorithm(hdr.Algorithm)})
	if err != nil {
		return nil, wrapError(ErrMalformed, "token", "go-jose refused the token", err)
	}
	signed, err := jws.Verify(pub)
	if err != nil {
		return nil, wrapError(ErrInvalidSignature, "signature", "does not verify with the key", err)
	}
	if string(signed) != string(payloadJSON) {
		return nil, newError(ErrInvalidSignature, "payload", "go-jose verified a different payload")
	}

	// The claims against the credential.
	warns, err := compareClaims(p.claims, p.facts, !opts.InsecureAcceptMissingSubject)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warns...)
	if opts.Audience != "" && !slices.Contains(p.claims.Audience, opts.Audience) {
		return nil, newError(ErrClaimMismatch, "payload.aud", "does not include "+quote(opts.Audience))
	}

	// Provenance of an embedded key.
	if !res.KeyProven {
		proven, refuted, why := proveKey(ctx, cfg.resolver, opts.IssuerKeys, p.claims.Issuer, pub)
		if err := ctx.Err(); err != nil {
			return nil, wrapError(ErrKeyNotFound, "header.jwk", "looking for the key among the issuer's keys", err)
		}
		if refuted {
			// The issuer's own DID document answers, and it does not list
			// the key: the token is signed by someone else in the
			// issuer's name (catalogue #47), not merely unproven.
			return nil, newError(ErrKeyNotIssuer, "header.jwk", why)
		}
		res.KeyProven = proven
		if !proven {
			msg := "the jwk header's key is not among the issuer's published keys (" + why + "); only the token says it is the issuer's"
			if !opts.InsecureAcceptUnprovenJWK {
				return nil, newError(ErrUnprovenKey, "header.jwk", msg)
			}
			res.Warnings = append(res.Warnings, Warning{Code: WarnUnprovenKey, Message: msg})
		}
	}

	// The validity period. The signature and claims hold, so the result is
	// returned with these errors.
	if t := p.claims.IssuedAt; t != nil && t.After(cfg.now.Add(cfg.skew)) {
		res.Warnings = append(res.Warnings, Warning{Code: WarnIssuedInFuture,
			Message: "iat " + t.Format(time.RFC3339) + " is in the future"})
	}
	if t := p.claims.NotBefore; t != nil && t.After(cfg.now.Add(cfg.skew)) {
		return res, newError(ErrNotYetValid, "payload.nbf", "valid from "+t.Format(time.RFC3339))
	}
	if t := p.claims.Expires; t != nil && !cfg.now.Add(-cfg.skew).Before(*t) {
		return res, newError(ErrExpired, "payload.exp", "expired at "+t.Format(time.RFC3339))
	}
	return res, nil
}

// Header parameters accepted. Everything else, crit and the parameters that
// point at keys elsewhere (jku, x5u) or need certificate validation (x5c,
// x5t) included, is refused rather than ignored: a verifier that ignores a
// header another one honours reads a different token.
var allowedHeaders = []string{"alg", "typ", "cty", "kid", "jwk"}

// parseHeader decodes and checks the protected header.
func parseHeader(data []byte, algs []Algorithm) (*Header, error) {
	m, raw, order, err := decodeObject(data, "header", maxHeaderSize)
	if err != nil {
		return nil, err
	}
	h := &Header{}
	alg, ok := m["alg"].(string)
	switch {
	case !ok && m["alg"] == nil:
		return nil, newError(ErrAlgorithmNotAllowed, "header.alg", "missing")
	case !ok:
		return nil, newError(ErrMalformed, "header.alg", "must be a string")
	case strings.EqualFold(alg, "none"):
		return nil, newError(ErrAlgorithmNotAllowed, "header.alg", `"none" (unsecured JWS) is never accepted`)
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		return nil, newError(ErrAlgorithmNotAllowed, "header.alg", quote(alg)+": HMAC is never accepted (a public key is not a shared secret)")
	case !supported(Algorithm(alg)):
		return nil, newError(ErrAlgorithmNotAllowed, "header.alg", quote(alg)+" is not supported")
	case !slices.Contains(algs, Algorithm(alg)):
		return nil, newError(ErrAlgorithmNotAllowed, "header.alg", quote(alg)+" is not in the allow-list")
	}
	h.Algorithm = Algorithm(alg)
	for _, name := range order {
		if !slices.Contains(allowedHeaders, name) {
			return nil, newError(ErrUnsupportedHeader, "header."+name, "header parameter not accepted")
		}
	}
	str := func(name string) (string, error) {
		v, ok := m[name]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok || s == "" {
			return "", newError(ErrMalformed, "header."+name, "must be a non-empty string")
		}
		return s, nil
	}
	if h.Type, err = str("typ"); err != nil {
		return nil, err
	}
	if h.Type != "" && !mediaTypeIs(h.Type, "JWT", "vc+jwt", "vc+ld+jwt") {
		return nil, newError(ErrUnsupportedHeader, "header.typ", quote(h.Type)+" (expected JWT)")
	}
	if h.ContentType, err = str("cty"); err != nil {
		return nil, err
	}
	if h.ContentType != "" && !mediaTypeIs(h.ContentType, "vc", "vc+ld+json") {
		return nil, newError(ErrUnsupportedHeader, "header.cty", quote(h.ContentType)+" (expected vc)")
	}
	if h.KeyID, err = str("kid"); err != nil {
		return nil, err
	}
	if h.KeyID != "" && !strings.HasPrefix(h.KeyID, "did:") && !strings.HasPrefix(h.KeyID, "https://") {
		return nil, newError(ErrUnsupportedHeader, "header.kid", quote(h.KeyID)+" is neither a DID URL nor an https URL")
	}
	jwkRaw, ok := raw["jwk"]
	if ok {
		jm, isObj := m["jwk"].(map[string]any)
		if !isObj {
			return nil, newError(ErrMalformed, "header.jwk", "must be an object")
		}
		for _, p := range []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"} {
			if _, ok := jm[p]; ok {
				return nil, newError(ErrPrivateKeyInJWK, "header.jwk", fmt.Sprintf("has the private member %q", p))
			}
		}
		if h.JWK, err = did.ParseJWK(jwkRaw); err != nil {
			return nil, wrapError(ErrInvalidKey, "header.jwk", "not a valid public JWK", err)
		}
		if h.JWK.Alg != "" && h.JWK.Alg != alg {
			return nil, newError(ErrInvalidKey, "header.jwk", "the key is for "+quote(h.JWK.Alg)+", not "+quote(alg))
		}
	}
	return h, nil
}

// mediaTypeIs compares a typ or cty value with media type names, ignoring
// case and an "application/" prefix (RFC 7515 §4.1.9).
func mediaTypeIs(v string, names ...string) bool {
	v = strings.TrimPrefix(strings.ToLower(v), "application/")
	return slices.ContainsFunc(names, func(n string) bool { return v == strings.ToLower(n) })
}

// payload is a parsed, structurally checked payload.
type payload struct {
	claims     Claims
	facts      facts
	credential []byte
}

// parsePayload reads the claims and the credential, and checks that the form
// of the payload and the credential's @context[0] agree on the data model.
func parsePayload(data []byte, maxSize int) (*payload, error) {
	m, raw, order, err := decodeObject(data, "payload", maxSize)
	if err != nil {
		return nil, err
	}
	claims, err := readClaims(m)
	if err != nil {
		return nil, err
	}
	p := &payload{claims: claims}
	if _, ok := raw["vc"]; ok {
		vc, ok := m["vc"].(map[string]any)
		if !ok {
			return nil, newError(ErrMalformed, "payload.vc", "must be an object")
		}
		model, err := modelOf(vc)
		if err != nil {
			return nil, wrapError(ErrDataModel, "payload.vc.@context", "unknown data model", err)
		}
		if model != VCDM11 {
			return nil, newError(ErrDataModel, "payload.vc", "the vc claim is the VCDM 1.1 form, but @context[0] is the VCDM 2.0 context")
		}
		if _, ok := m["@context"]; ok {
			return nil, newError(ErrDataModel, "payload.@context", "a vc claim and a credential at the top level")
		}
		p.credential, err = mapV11(raw["vc"], claims)
		if err != nil {
			return nil, err
		}
		mapped, _, _, err := decodeObject(p.credential, "payload.vc", maxSize)
		if err != nil {
			return nil, err
		}
		if p.facts, err = credentialFacts(mapped, VCDM11, ErrClaimMismatch, "payload.vc."); err != nil {
			return nil, err
		}
		return p, nil
	}
	model, err := modelOf(m)
	if err != nil {
		return nil, wrapError(ErrDataModel, "payload.@context", "no vc claim and no credential", err)
	}
	if model != VCDM20 {
		return nil, newError(ErrDataModel, "payload", "@context[0] is the VCDM 1.1 context, which needs the vc claim form")
	}
	if p.facts, err = credentialFacts(m, VCDM20, ErrClaimMismatch, "payload."); err != nil {
		return nil, err
	}
	kept := slices.DeleteFunc(slices.Clone(order), func(n string) bool { return slices.Contains(registeredClaims, n) })
	p.credential = buildObject(kept, raw)
	return p, nil
}

// mapV11 restores in the vc claim what VC-JWT 1.1 allows an issuer to leave to
// the JWT claims (VCDM 1.1 §6.3.1): id from jti, issuer from iss,
// issuanceDate from nbf, expirationDate from exp, credentialSubject.id from
// sub. Members present are left as they are (and then compared).
func mapV11(vcRaw json.RawMessage, c Claims) ([]byte, error) {
	raw, order, err := rawMembers(vcRaw)
	if err != nil {
		return nil, wrapError(ErrMalformed, "payload.vc", "not an object", err)
	}
	changed := false
	set := func(name string, v any) {
		if _, ok := raw[name]; ok {
			return
		}
		b, _ := marshal(v)
		raw[name] = b
		order = append(order, name)
		changed = true
	}
	if c.ID != "" {
		set("id", c.ID)
	}
	if c.Issuer != "" {
		set("issuer", c.Issuer)
	}
	if c.NotBefore != nil {
		set("issuanceDate", c.NotBefore.Format(time.RFC3339))
	}
	if c.Expires != nil {
		set("expirationDate", c.Expires.Format(time.RFC3339))
	}
	if c.Subject != "" {
		cs, ok := raw["credentialSubject"]
		if !ok {
			set("credentialSubject", map[string]string{"id": c.Subject})
		} else if len(cs) > 0 && cs[0] == '{' {
			sraw, sorder, err := rawMembers(cs)
			if err != nil {
				return nil, wrapError(ErrMalformed, "payload.vc.credentialSubject", "not an object", err)
			}
			if _, ok := sraw["id"]; !ok {
				b, _ := marshal(c.Subject)
				sraw["id"] = b
				raw["credentialSubject"] = buildObject(append([]string{"id"}, sorder...), sraw)
				changed = true
			}
		}
	}
	if !changed {
		return slices.Clone(vcRaw), nil
	}
	return buildObject(order, raw), nil
}

// resolveKID dereferences kid after checking that it is a key of the issuer:
// the kid without fragment (the DID, or the controller document's URL) must
// be iss, which is issuer.id. did.ResolveVerificationMethod then requires the
// method to be listed under assertionMethod in that document, with that
// document as controller.
func resolveKID(ctx context.Context, r did.Resolver, kid, iss string) (*did.VerificationMethod, error) {
	base, _, _ := strings.Cut(kid, "#")
	if iss == "" {
		return nil, newError(ErrKeyNotIssuer, "header.kid", "the token has no iss to bind the key to")
	}
	if base != iss {
		return nil, newError(ErrKeyNotIssuer, "header.kid", fmt.Sprintf("%s is not a key of the issuer %s", quote(kid), quote(iss)))
	}
	vm, _, err := did.ResolveVerificationMethod(ctx, r, kid, did.AssertionMethod)
	if err != nil {
		kind := ErrKeyNotFound
		if errors.Is(err, did.ErrInvalidKey) || errors.Is(err, did.ErrKeyType) {
			kind = ErrInvalidKey
		}
		return nil, wrapError(kind, "header.kid", "resolving "+quote(kid), err)
	}
	if vm.Controller != iss {
		return nil, newError(ErrKeyNotIssuer, "header.kid", "the method's controller "+quote(vm.Controller)+" is not the issuer")
	}
	return vm, nil
}

// proveKey looks for pub among the issuer's keys: the assertion methods of
// the issuer's DID document (when the issuer is a DID that the resolver
// resolves) and the keys IssuerKeys supplies. It reports whether it was
// found, whether the issuer's DID document refutes it (the document
// resolved and does not list the key), and if not found, why.
func proveKey(ctx context.Context, r did.Resolver, ks IssuerKeys, iss string, pub crypto.PublicKey) (proven, refuted bool, reason string) {
	var why []string
	if strings.HasPrefix(iss, "did:") && !strings.ContainsAny(iss, "#?/") {
		doc, err := r.Resolve(ctx, iss)
		if err != nil {
			why = append(why, "issuer DID not resolved: "+err.Error())
		} else {
			if _, err := doc.FindKey(pub, did.AssertionMethod); err == nil {
				return true, false, ""
			}
			// A DID's document is the authority on its keys: a key it
			// does not list is not the issuer's, whatever a key set says.
			return false, true, "not an assertion method of the issuer's DID document " + quote(iss)
		}
	}
	if ks != nil {
		keys, err := ks.PublicKeys(ctx, iss)
		if err != nil {
			why = append(why, "issuer key set unavailable: "+err.Error())
		} else {
			for _, k := range keys {
				if equalKeys(k, pub) {
					return true, false, ""
				}
			}
			why = append(why, "not in the issuer's key set")
		}
	}
	if len(why) == 0 {
		why = append(why, "no issuer key set configured")
	}
	return false, false, strings.Join(why, "; ")
}
