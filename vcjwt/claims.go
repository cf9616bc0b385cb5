package vcjwt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/microcred/openbadges/credential"
)

// Data model versions, as told by @context[0].
const (
	VCDM11 = "1.1" // https://www.w3.org/2018/credentials/v1, "vc" claim form
	VCDM20 = "2.0" // https://www.w3.org/ns/credentials/v2, the payload is the credential
)

// registeredClaims are the JWT claims (RFC 7519 §4.1) taken out of a VCDM 2.0
// payload to recover the credential. A 2.0 credential has no member with
// these names, so nothing of the credential is lost.
var registeredClaims = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// maxNumericDate is 9999-12-31T23:59:59Z, the last instant RFC 3339 can write.
const maxNumericDate = 253402300799

// Claims are the JWT claims of a token, as read (not as mapped).
type Claims struct {
	Issuer    string     // iss
	ID        string     // jti
	Subject   string     // sub
	Audience  []string   // aud (a string or an array of strings)
	NotBefore *time.Time // nbf, whole seconds, UTC
	Expires   *time.Time // exp, whole seconds, UTC
	IssuedAt  *time.Time // iat, whole seconds, UTC
}

// readClaims reads the registered claims of a payload, checking their types.
func readClaims(m map[string]any) (Claims, error) {
	var c Claims
	str := func(name string, dst *string) error {
		v, ok := m[name]
		if !ok {
			return nil
		}
		s, ok := v.(string)
		if !ok || s == "" {
			return newError(ErrClaimMismatch, "payload."+name, "must be a non-empty string")
		}
		*dst = s
		return nil
	}
	date := func(name string, dst **time.Time) error {
		v, ok := m[name]
		if !ok {
			return nil
		}
		t, err := numericDate(v)
		if err != nil {
			return wrapError(ErrClaimMismatch, "payload."+name, "not a NumericDate", err)
		}
		*dst = &t
		return nil
	}
	for _, err := range []error{
		str("iss", &c.Issuer), str("jti", &c.ID), str("sub", &c.Subject),
		date("nbf", &c.NotBefore), date("exp", &c.Expires), date("iat", &c.IssuedAt),
	} {
		if err != nil {
			return c, err
		}
	}
	switch a := m["aud"].(type) {
	case nil:
		if _, ok := m["aud"]; ok {
			return c, newError(ErrClaimMismatch, "payload.aud", "must be a string or an array of strings")
		}
	case string:
		c.Audience = []string{a}
	case []any:
		for _, v := range a {
			s, ok := v.(string)
			if !ok {
				return c, newError(ErrClaimMismatch, "payload.aud", "must be a string or an array of strings")
			}
			c.Audience = append(c.Audience, s)
		}
	default:
		return c, newError(ErrClaimMismatch, "payload.aud", "must be a string or an array of strings")
	}
	return c, nil
}

// numericDate reads a JSON number of seconds since the epoch (RFC 7519 §2),
// dropping any fraction.
func numericDate(v any) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, fmt.Errorf("not a number")
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, fmt.Errorf("%s is out of range", quote(n.String()))
	}
	return time.Unix(int64(math.Floor(f)), 0).UTC(), nil
}

// facts is what the claims are compared with: the credential's identifiers
// and dates.
type facts struct {
	model     string
	issuerID  string
	id        string // "" if absent
	subjects  int    // number of credentialSubject objects
	subjectID string // id of the single subject, "" if absent or several
	from      *time.Time
	until     *time.Time
	fromName  string // validFrom or issuanceDate
	untilName string // validUntil or expirationDate
}

// modelOf tells the data model from @context[0] of a credential.
func modelOf(c map[string]any) (string, error) {
	var first any
	switch v := c["@context"].(type) {
	case []any:
		if len(v) > 0 {
			first = v[0]
		}
	case string:
		first = v
	}
	switch first {
	case credential.ContextV2:
		return VCDM20, nil
	case credential.ContextV1:
		return VCDM11, nil
	case nil:
		return "", fmt.Errorf("@context missing or empty")
	}
	s, _ := first.(string)
	return "", fmt.Errorf("@context[0] is %s, neither the VCDM 1.1 nor the 2.0 context", quote(s))
}

// credentialFacts reads the members the claims mirror. Errors are reported
// with kind, under the JSON path prefix.
func credentialFacts(c map[string]any, model string, kind error, prefix string) (facts, error) {
	f := facts{model: model, fromName: "validFrom", untilName: "validUntil"}
	if model == VCDM11 {
		f.fromName, f.untilName = "issuanceDate", "expirationDate"
	}
	switch is := c["issuer"].(type) {
	case string:
		f.issuerID = is
	case map[string]any:
		if id, ok := is["id"].(string); ok {
			f.issuerID = id
		} else if _, ok := is["id"]; ok {
			return f, newError(kind, prefix+"issuer.id", "must be a string")
		}
	case nil:
		if _, ok := c["issuer"]; ok {
			return f, newError(kind, prefix+"issuer", "must be a string or an object")
		}
	default:
		return f, newError(kind, prefix+"issuer", "must be a string or an object")
	}
	if v, ok := c["id"]; ok {
		s, ok := v.(string)
		if !ok || s == "" {
			return f, newError(kind, prefix+"id", "must be a non-empty string")
		}
		f.id = s
	}
	subj := func(v any, path string) (string, error) {
		o, ok := v.(map[string]any)
		if !ok {
			return "", newError(kind, path, "must be an object")
		}
		id, ok := o["id"]
		if !ok {
			return "", nil
		}
		s, ok := id.(string)
		if !ok || s == "" {
			return "", newError(kind, path+".id", "must be a non-empty string")
		}
		return s, nil
	}
	switch cs := c["credentialSubject"].(type) {
	case []any:
		f.subjects = len(cs)
		for i, v := range cs {
			id, err := subj(v, fmt.Sprintf("%scredentialSubject[%d]", prefix, i))
			if err != nil {
				return f, err
			}
			if len(cs) == 1 {
				f.subjectID = id
			}
		}
	case nil:
	default:
		id, err := subj(cs, prefix+"credentialSubject")
		if err != nil {
			return f, err
		}
		f.subjects, f.subjectID = 1, id
	}
	var err error
	if f.from, err = dateMember(c, f.fromName, kind, prefix); err != nil {
		return f, err
	}
	if f.until, err = dateMember(c, f.untilName, kind, prefix); err != nil {
		return f, err
	}
	return f, nil
}

// dateMember reads an RFC 3339 date of the credential, truncated to whole
// seconds as a NumericDate is.
func dateMember(c map[string]any, name string, kind error, prefix string) (*time.Time, error) {
	v, ok := c[name]
	if !ok {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, newError(kind, prefix+name, "must be a string")
	}
	t, err := credential.DateTime(s).Time()
	if err != nil {
		return nil, wrapError(kind, prefix+name, "not an RFC 3339 date-time", err)
	}
	if t.Unix() < 0 || t.Unix() > maxNumericDate {
		return nil, newError(kind, prefix+name, "out of the NumericDate range")
	}
	t = time.Unix(t.Unix(), 0).UTC()
	return &t, nil
}

// claimsFor returns the claims Sign writes for a credential, in order.
func claimsFor(f facts) (names []string, raw map[string]json.RawMessage) {
	raw = make(map[string]json.RawMessage)
	add := func(name string, v any) {
		b, _ := marshal(v)
		names = append(names, name)
		raw[name] = b
	}
	add("iss", f.issuerID)
	if f.id != "" {
		add("jti", f.id)
	}
	if f.subjectID != "" {
		add("sub", f.subjectID)
	}
	if f.from != nil {
		add("nbf", f.from.Unix())
	}
	if f.until != nil {
		add("exp", f.until.Unix())
	}
	return names, raw
}

// compareClaims checks that the claims agree with the credential (after any
// 1.1 mapping). It returns warnings for what is tolerated.
func compareClaims(c Claims, f facts, strictSub bool) ([]Warning, error) {
	var warns []Warning
	mismatch := func(claim, member, reason string) error {
		return newError(ErrClaimMismatch, "payload."+claim, fmt.Sprintf("%s (credential %s)", reason, member))
	}
	if err := checkIssuer(c, f); err != nil {
		return nil, err
	}
	switch {
	case c.ID == "" && f.id != "":
		return nil, mismatch("jti", "id", "missing")
	case c.ID != "" && f.id == "":
		return nil, mismatch("jti", "id", "present but the credential has no id")
	case c.ID != f.id:
		return nil, mismatch("jti", "id", fmt.Sprintf("%s differs from %s", quote(c.ID), quote(f.id)))
	}
	switch {
	case c.Subject == "" && f.subjectID != "":
		// Open Badges 3.0 lists sub as required, but the 1EdTech validator's
		// own baked VC-JWT fixtures omit it and are accepted; sub repeats
		// credentialSubject.id, which the signature covers anyway.
		if strictSub {
			return nil, mismatch("sub", "credentialSubject.id", "missing")
		}
		warns = append(warns, Warning{Code: WarnMissingSubject, Message: "the token has no sub claim although credentialSubject.id is present"})
	case c.Subject != "" && f.subjects > 1:
		return nil, mismatch("sub", "credentialSubject", "present but the credential has several subjects")
	case c.Subject != "" && f.subjectID == "":
		return nil, mismatch("sub", "credentialSubject.id", "present but the credential subject has no id")
	case c.Subject != f.subjectID:
		return nil, mismatch("sub", "credentialSubject.id", fmt.Sprintf("%s differs from %s", quote(c.Subject), quote(f.subjectID)))
	}
	if err := sameDate(c.NotBefore, f.from, "nbf", f.fromName); err != nil {
		return nil, err
	}
	if err := sameDate(c.Expires, f.until, "exp", f.untilName); err != nil {
		return nil, err
	}
	return warns, nil
}

// checkIssuer requires iss, equal to the credential's issuer id.
func checkIssuer(c Claims, f facts) error {
	switch {
	case c.Issuer == "":
		return newError(ErrClaimMismatch, "payload.iss", "missing")
	case f.issuerID == "":
		return newError(ErrClaimMismatch, "payload.iss", "the credential has no issuer id")
	case c.Issuer != f.issuerID:
		return newError(ErrClaimMismatch, "payload.iss", fmt.Sprintf("%s differs from the credential issuer.id %s", quote(c.Issuer), quote(f.issuerID)))
	}
	return nil
}

func sameDate(claim, member *time.Time, claimName, memberName string) error {
	switch {
	case claim == nil && member == nil:
		return nil
	case claim == nil:
		return newError(ErrClaimMismatch, "payload."+claimName, "missing (credential "+memberName+" is set)")
	case member == nil:
		return newError(ErrClaimMismatch, "payload."+claimName, "present but the credential has no "+memberName)
	case !claim.Equal(*member):
		return newError(ErrClaimMismatch, "payload."+claimName, fmt.Sprintf("%s differs from credential %s %s",
			claim.Format(time.RFC3339), memberName, member.Format(time.RFC3339)))
	}
	return nil
}

// marshal encodes v as JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
