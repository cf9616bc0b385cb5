package status

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
)

// Status is the outcome of one credentialStatus entry.
type Status string

// Outcomes. Revoked, suspended, unknown, error and nonconformant fail
// verification; ok and message do not.
const (
	StatusOK        Status = "ok"        // the status bit is clear (or a refresh is merely available)
	StatusRevoked   Status = "revoked"   // revocation bit set, or listed by a 1EdTech revocation list
	StatusSuspended Status = "suspended" // suspension bit set
	StatusMessage   Status = "message"   // a message-purpose entry: see Result.Value and Message
	StatusUnknown   Status = "unknown"   // not checked: no Fetcher, or a type or purpose not understood
	StatusError     Status = "error"     // the check failed: list unreachable, unverifiable or malformed

	// StatusNonconformant: the list is authentic and says the credential
	// is in good standing (what ok or message would say, told by Value,
	// Message and Reason), but breaks a Bitstring Status List rule: it
	// holds fewer than MinEntries entries, or is issued by another issuer
	// than the credential's (and TrustListIssuer does not accept it). It
	// fails verification, as the specification requires; Err wraps
	// ErrNonconformant, which a lenient verifier may report as a warning
	// instead. A list that says revoked or suspended gives that outcome
	// whatever rules it breaks.
	StatusNonconformant Status = "nonconformant"
)

// Result is the outcome for one credentialStatus entry.
type Result struct {
	// Type and Purpose are the entry's type and statusPurpose.
	Type, Purpose string
	// Index is statusListIndex, or -1 if the entry has none or it could not
	// be read.
	Index int64
	// List is the URL consulted (statusListCredential, or the 1EdTech
	// revocation list's id).
	List string
	// Status is the outcome.
	Status Status
	// Value is the status value read from the list (0 or 1 for one-bit
	// entries).
	Value uint64
	// Message is the statusMessage text for Value (message purpose), or the
	// revocationReason of a 1EdTech revocation list.
	Message string
	// Reason explains the outcome in a sentence.
	Reason string
	// Err is nil for ok and message; otherwise it wraps ErrRevoked,
	// ErrSuspended, ErrUnknown, ErrNonconformant or the sentinel of the
	// failure, with the field at fault (see ProblemType). For
	// nonconformant it is a *FieldError of kind ErrNonconformant naming
	// the list, whose Err wraps one *FieldError per rule broken:
	// ErrListIssuer, then ErrListLength.
	Err error
}

// Failed reports whether the result must fail verification. It is true
// for StatusNonconformant, so that callers that know nothing of it fail
// closed; a lenient verifier decides on errors.Is(r.Err,
// ErrNonconformant) instead.
func (r Result) Failed() bool {
	return r.Status != StatusOK && r.Status != StatusMessage
}

// AnyFailed reports whether any result must fail verification.
func AnyFailed(results []Result) bool {
	return slices.ContainsFunc(results, Result.Failed)
}

// ListVerifier verifies a status list credential (its proofs, and that
// they were made by a key of its issuer) and returns nil only if it is
// authentic. The verifier supplies it; it must not check the list's own
// credentialStatus, if any, or a list could make verification recurse.
type ListVerifier func(ctx context.Context, listCredential []byte) error

// DefaultMaxEntries bounds the credentialStatus entries checked when
// CheckerConfig.MaxEntries is zero.
const DefaultMaxEntries = 16

// CheckerConfig configures NewChecker. The zero value is valid and safe:
// no status is fetched, so every entry is StatusUnknown.
type CheckerConfig struct {
	// Fetcher retrieves status lists; nil means none is fetched. See
	// NewHTTPFetcher, NewStaticFetcher and NewCache.
	Fetcher Fetcher
	// VerifyList checks the proof of each Bitstring Status List and
	// StatusList2021 credential. Required when Fetcher is set.
	VerifyList ListVerifier
	// TrustListIssuer decides whether a list issued by listIssuer may give
	// the status of a credential issued by credentialIssuer; nil means
	// only when they are the same. (The specification allows them to
	// differ; which other issuers to trust is the verifier's policy.) A
	// list of an issuer it does not accept is still read: it may revoke or
	// suspend, and if it says good standing the outcome is
	// StatusNonconformant with ErrListIssuer.
	TrustListIssuer func(credentialIssuer, listIssuer string) bool
	// Now is the clock for the list's validity period; nil means time.Now.
	Now func() time.Time
	// ClockSkew is the tolerance on the list's validFrom; zero means
	// 5 minutes.
	ClockSkew time.Duration
	// MaxListBytes bounds an expanded bitstring; zero means
	// DefaultMaxListBytes.
	MaxListBytes int
	// MaxEntries bounds the credentialStatus entries of one credential;
	// zero means DefaultMaxEntries.
	MaxEntries int
}

// Checker checks the credentialStatus of credentials. It is safe for
// concurrent use.
type Checker struct {
	cfg  CheckerConfig
	memo listMemo
}

// NewChecker checks cfg and returns a Checker.
func NewChecker(cfg CheckerConfig) (*Checker, error) {
	if cfg.Fetcher != nil && cfg.VerifyList == nil {
		return nil, fieldErr(ErrConfig, "VerifyList", "required with a Fetcher: an unverified list proves nothing")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClockSkew <= 0 {
		cfg.ClockSkew = 5 * time.Minute
	}
	if cfg.MaxListBytes <= 0 {
		cfg.MaxListBytes = DefaultMaxListBytes
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	return &Checker{cfg: cfg, memo: listMemo{max: cfg.MaxListBytes}}, nil
}

// Check returns one Result per credentialStatus entry of the credential
// whose JSON is cred (as issued, or as json.Marshal writes a
// credential.Credential), in order; nil when it has none. Entries are
// checked independently: a failure of one does not stop the others. It is
// the entry point for callers that want every detail; a verifier uses
// CheckStatus. cred is read strictly; if it is not a JSON object, the one
// Result is StatusError.
func (c *Checker) Check(ctx context.Context, cred []byte) []Result {
	doc, err := decodeCredential(cred)
	if err != nil {
		return []Result{{Index: -1, Status: StatusError, Reason: "the credential cannot be read", Err: err}}
	}
	entries, errs := entriesOf(doc)
	if len(entries) == 0 {
		return nil
	}
	if len(entries) > c.cfg.MaxEntries {
		err := fieldErr(ErrMalformed, "credentialStatus", "%d entries, at most %d are checked", len(entries), c.cfg.MaxEntries)
		return []Result{{Index: -1, Status: StatusError, Reason: err.Error(), Err: err}}
	}
	issuer := issuerID(doc["issuer"])
	credID, _ := doc["id"].(string)
	results := make([]Result, len(entries))
	for i, e := range entries {
		results[i] = c.checkEntry(ctx, e, errs[i], issuer, credID)
	}
	return results
}

// checkOne checks one credentialStatus entry of cred.
func (c *Checker) checkOne(ctx context.Context, cred *credential.Credential, entry credential.CredentialStatus) Result {
	data, err := json.Marshal(entry)
	if err != nil {
		return Result{Index: -1, Status: StatusError}.fail(StatusError, &FieldError{Field: "credentialStatus", Kind: ErrMalformed, Err: err})
	}
	e, perr := ParseEntry(data)
	return c.checkEntry(ctx, e, perr, cred.Issuer.ID(), cred.ID)
}

// CheckStatus checks one credentialStatus entry of cred and returns nil if
// the credential may be accepted (StatusOK or StatusMessage), else
// Result.Err. It is the method of the verifier package's Status interface:
// a *Checker is what verifier.Config.Status takes. No error it returns
// means "not checked": an entry that could not be checked fails. An error
// wrapping ErrNonconformant means the entry says good standing on a list
// that breaks a Bitstring Status List rule; only a lenient verifier should
// accept it, and then with a warning.
func (c *Checker) CheckStatus(ctx context.Context, cred *credential.Credential, entry credential.CredentialStatus) error {
	r := c.checkOne(ctx, cred, entry)
	if r.Failed() {
		return r.Err
	}
	return nil
}

func (c *Checker) checkEntry(ctx context.Context, e Entry, perr error, issuer, credID string) Result {
	r := Result{Type: e.Type, Purpose: e.Purpose, Index: -1, List: e.ListCredential}
	if perr != nil {
		return r.fail(StatusError, perr)
	}
	switch e.Type {
	case TypeBitstringEntry, TypeStatusList2021Entry:
		r.Index = int64(min(e.Index, 1<<63-1))
		return c.checkBitstring(ctx, e, issuer, r)
	case Type1EdTechRevocationList:
		r.List = e.ID
		return c.check1EdTech(ctx, e, credID, r)
	}
	return r.fail(StatusUnknown, fieldErr(ErrUnknown, "credentialStatus.type", "%q is not a supported status method", e.Type))
}

func (r Result) fail(s Status, err error) Result {
	r.Status, r.Err, r.Reason = s, err, err.Error()
	return r
}

// verifiedList fetches a status list credential and has its proof
// verified, or takes both from the memo of lists recently verified (by
// their SHA-256), so that checking a cohort of credentials against one list
// verifies and expands it once. Authenticity comes first: nothing in the
// list is looked at before its proof has been checked.
func (c *Checker) verifiedList(ctx context.Context, url string) (*verifiedList, error) {
	if c.cfg.Fetcher == nil {
		return nil, &FieldError{Field: url, Kind: ErrUnknown, Err: errNoFetcher}
	}
	data, err := c.cfg.Fetcher.Fetch(ctx, url)
	if err != nil {
		return nil, &FieldError{Field: url, Kind: ErrRetrieval, Err: err}
	}
	key := sha256.Sum256(data)
	now := c.cfg.Now()
	if vl := c.memo.get(key, now); vl != nil {
		return vl, nil
	}
	doc, err := listDocument(data, url)
	if err != nil {
		return nil, err
	}
	if err := c.cfg.VerifyList(ctx, data); err != nil {
		return nil, &FieldError{Field: "statusListCredential", Kind: ErrVerification, Reason: "the list's proof does not verify", Err: err}
	}
	vl := &verifiedList{doc: doc, at: now, size: len(data)}
	c.memo.put(key, vl)
	return vl, nil
}

// listDocument reads a status list credential: JSON with an embedded proof,
// or a compact JWS (VC-JOSE-COSE "application/vc+jwt", whose payload is the
// credential; or a VC 1.1 JWT, whose "vc" claim is, with "iss" as its
// issuer and "nbf" and "exp" as its validity period when the claim does
// not say). The JWS is only decoded here; ListVerifier checks it.
func listDocument(data []byte, url string) (map[string]any, error) {
	jws := bytes.TrimSpace(data)
	if len(jws) == 0 || jws[0] == '{' || bytes.Count(jws, []byte{'.'}) != 2 {
		return decodeObject(data, url)
	}
	parts := bytes.Split(jws, []byte{'.'})
	payload := make([]byte, base64.RawURLEncoding.DecodedLen(len(parts[1])))
	n, err := base64.RawURLEncoding.Strict().Decode(payload, parts[1])
	if err != nil {
		return nil, &FieldError{Field: url, Kind: ErrRetrieval, Reason: "a JWS whose payload is not base64url", Err: err}
	}
	claims, err := decodeObject(payload[:n], url)
	if err != nil {
		return nil, err
	}
	vc, ok := claims["vc"].(map[string]any)
	if !ok {
		return claims, nil
	}
	doc := make(map[string]any, len(vc)+3)
	for k, v := range vc {
		doc[k] = v
	}
	if _, ok := doc["issuer"]; !ok {
		doc["issuer"] = claims["iss"]
	}
	for claim, member := range map[string]string{"nbf": "issuanceDate", "exp": "expirationDate"} {
		if _, ok := doc[member]; ok {
			continue
		}
		if sec, ok := integer(claims[claim]); ok {
			doc[member] = time.Unix(sec, 0).UTC().Format(time.RFC3339)
		}
	}
	return doc, nil
}

func decodeObject(data []byte, url string) (map[string]any, error) {
	v, err := strictjson.Decode(data, strictjson.Options{MaxBytes: len(data) + 1})
	if err != nil {
		return nil, &FieldError{Field: url, Kind: ErrRetrieval, Reason: "not JSON", Err: err}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fieldErr(ErrRetrieval, url, "not a JSON object")
	}
	return m, nil
}

func (c *Checker) fetch(ctx context.Context, url string) ([]byte, map[string]any, error) {
	if c.cfg.Fetcher == nil {
		return nil, nil, &FieldError{Field: url, Kind: ErrUnknown, Err: errNoFetcher}
	}
	data, err := c.cfg.Fetcher.Fetch(ctx, url)
	if err != nil {
		return nil, nil, &FieldError{Field: url, Kind: ErrRetrieval, Err: err}
	}
	m, err := decodeObject(data, url)
	return data, m, err
}

func (c *Checker) checkBitstring(ctx context.Context, e Entry, issuer string, r Result) Result {
	v2021 := e.Type == TypeStatusList2021Entry
	wantCred, wantSubj := TypeBitstringCredential, TypeBitstringList
	if v2021 {
		wantCred, wantSubj = TypeStatusList2021Credential, TypeStatusList2021
	}
	vl, err := c.verifiedList(ctx, e.ListCredential)
	if err != nil {
		if errors.Is(err, ErrUnknown) {
			return r.fail(StatusUnknown, err)
		}
		return r.fail(StatusError, err)
	}
	list := vl.doc
	verr := func(field, format string, args ...any) Result {
		return r.fail(StatusError, fieldErr(ErrVerification, field, format, args...))
	}
	if !hasType(list["type"], wantCred) {
		return verr("type", "the list credential is not a %s", wantCred)
	}
	listIssuer := issuerID(list["issuer"])
	if listIssuer == "" || issuer == "" {
		// Nothing to compare: not a nuance of conformance but a list (or
		// credential) that cannot be tied to anyone.
		return verr("issuer", "the credential and its status list must both name an issuer")
	}
	// Rules of conformance the list breaks. They are collected rather than
	// returned so that the bit is still read: a list that revokes must
	// revoke whatever else is wrong with it, and a lenient verifier can
	// accept a list that says good standing (see ErrNonconformant). Every
	// check of authenticity before and after still returns at once.
	var broken problems
	if listIssuer != issuer && (c.cfg.TrustListIssuer == nil || !c.cfg.TrustListIssuer(issuer, listIssuer)) {
		broken = append(broken, fieldErr(ErrListIssuer, "issuer", "the list is issued by %q, the credential by %q", listIssuer, issuer))
	}
	if res, bad := c.checkValidity(list, verr); bad {
		return res
	}
	subj, ok := list["credentialSubject"].(map[string]any)
	if !ok {
		if arr, isArr := list["credentialSubject"].([]any); isArr && len(arr) == 1 {
			subj, ok = arr[0].(map[string]any)
		}
	}
	if !ok {
		return verr("credentialSubject", "must be one object")
	}
	if !hasType(subj["type"], wantSubj) {
		return verr("credentialSubject.type", "must be %s", wantSubj)
	}
	if !hasType(subj["statusPurpose"], e.Purpose) {
		return verr("credentialSubject.statusPurpose", "the list does not serve purpose %q", e.Purpose)
	}
	enc, ok := subj["encodedList"].(string)
	if !ok {
		return r.fail(StatusError, fieldErr(ErrMalformed, "credentialSubject.encodedList", "must be a string"))
	}
	bs, err := vl.bits(enc, v2021, c.cfg.MaxListBytes)
	if err != nil {
		return r.fail(StatusError, err)
	}
	if err := bs.CheckLength(e.size()); err != nil {
		if !errors.Is(err, ErrListLength) {
			return r.fail(StatusError, err)
		}
		broken = append(broken, err)
	}
	value, err := bs.Get(e.Index, e.size())
	if err != nil {
		// No value was read, so nothing says good standing: an error in
		// every mode. The rules broken are reported too, first, so that
		// ProblemType stays what it was when they were returned alone.
		if len(broken) > 0 {
			err = append(broken, err)
		}
		return r.fail(StatusError, err)
	}
	r.Value = value
	r = interpret(r, e)
	if len(broken) == 0 || r.Failed() {
		// Revoked, suspended or unknown: the list's verdict stands. The
		// rules it breaks stay out of Err, so that no lenient verifier
		// can take the verdict for a mere warning.
		return r
	}
	err = &FieldError{Field: e.ListCredential, Kind: ErrNonconformant, Err: broken}
	r.Status, r.Err = StatusNonconformant, err
	r.Reason += ", but " + err.Error()
	return r
}

// interpret turns a status value into an outcome (Bitstring Status List
// §2.1 purposes; §3.2 steps 12 to 14).
func interpret(r Result, e Entry) Result {
	switch e.Purpose {
	case PurposeRevocation:
		if r.Value != 0 {
			return r.fail(StatusRevoked, fieldErr(ErrRevoked, e.ListCredential, "index %d", e.Index))
		}
	case PurposeSuspension:
		if r.Value != 0 {
			return r.fail(StatusSuspended, fieldErr(ErrSuspended, e.ListCredential, "index %d", e.Index))
		}
	case PurposeMessage:
		r.Status = StatusMessage
		msg, ok := messageFor(e.Messages, r.Value)
		r.Message = msg
		if !ok {
			r.Reason = fmt.Sprintf("status 0x%x, for which statusMessage has no message", r.Value)
		} else {
			r.Reason = fmt.Sprintf("status 0x%x: %s", r.Value, msg)
		}
		return r
	case PurposeRefresh:
		r.Status = StatusOK
		if r.Value != 0 {
			r.Reason = "a refreshed credential is available"
		} else {
			r.Reason = "no refresh"
		}
		return r
	default:
		if r.Value != 0 {
			return r.fail(StatusUnknown, fieldErr(ErrUnknown, "statusPurpose", "status %d for purpose %q, which this package does not understand", r.Value, e.Purpose))
		}
	}
	r.Status = StatusOK
	r.Reason = "not " + map[string]string{PurposeRevocation: "revoked", PurposeSuspension: "suspended"}[e.Purpose]
	if e.Purpose != PurposeRevocation && e.Purpose != PurposeSuspension {
		r.Reason = "status clear"
	}
	return r
}

// checkValidity checks the list's validity period: validFrom and
// validUntil (VCDM 2.0), issuanceDate and expirationDate (VCDM 1.1), each
// when present.
func (c *Checker) checkValidity(list map[string]any, verr func(string, string, ...any) Result) (Result, bool) {
	now := c.cfg.Now()
	for _, from := range []string{"validFrom", "issuanceDate"} {
		s, present := list[from]
		if !present {
			continue
		}
		t, ok := parseTime(s)
		if !ok {
			return verr(from, "not a date-time with a time zone"), true
		}
		if t.After(now.Add(c.cfg.ClockSkew)) {
			return verr(from, "the list is not valid before %s", t.Format(time.RFC3339)), true
		}
	}
	for _, until := range []string{"validUntil", "expirationDate"} {
		s, present := list[until]
		if !present {
			continue
		}
		t, ok := parseTime(s)
		if !ok {
			return verr(until, "not a date-time with a time zone"), true
		}
		if now.After(t) {
			return verr(until, "the list expired at %s", t.Format(time.RFC3339)), true
		}
	}
	return Result{}, false
}

func parseTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func (c *Checker) check1EdTech(ctx context.Context, e Entry, credID string, r Result) Result {
	if credID == "" {
		return r.fail(StatusError, fieldErr(ErrMalformed, "id", "a credential without an id cannot be looked up in a 1EdTech revocation list"))
	}
	_, list, err := c.fetch(ctx, e.ID)
	if err != nil {
		if errors.Is(err, ErrUnknown) {
			return r.fail(StatusUnknown, err)
		}
		return r.fail(StatusError, err)
	}
	raw, present := list["revokedCredential"]
	if !present {
		r.Status, r.Reason = StatusOK, "not in the revocation list"
		return r
	}
	items, ok := raw.([]any)
	if !ok {
		return r.fail(StatusError, fieldErr(ErrMalformed, "revokedCredential", "must be an array"))
	}
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return r.fail(StatusError, fieldErr(ErrMalformed, fmt.Sprintf("revokedCredential[%d]", i), "must be an object"))
		}
		if id, _ := m["id"].(string); id != credID {
			continue
		}
		// Listed: revoked unless "revoked" is explicitly false (VCRL-10).
		if rv, present := m["revoked"]; present {
			b, ok := rv.(bool)
			if !ok {
				return r.fail(StatusError, fieldErr(ErrMalformed, fmt.Sprintf("revokedCredential[%d].revoked", i), "must be a boolean"))
			}
			if !b {
				continue
			}
		}
		r.Value = 1
		r.Message, _ = m["revocationReason"].(string)
		err := fieldErr(ErrRevoked, e.ID, "listed in the 1EdTech revocation list")
		if r.Message != "" {
			err.Reason += ": " + r.Message
		}
		return r.fail(StatusRevoked, err)
	}
	r.Status, r.Reason = StatusOK, "not in the revocation list"
	return r
}

// issuerID returns the id of an issuer value: a string, or an object's id.
func issuerID(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		id, _ := t["id"].(string)
		return id
	}
	return ""
}

// hasType reports whether v (a string or an array of strings) contains
// want.
func hasType(v any, want string) bool {
	switch t := v.(type) {
	case string:
		return t == want
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && s == want {
				return true
			}
		}
	}
	return false
}

// Bounds of the memo of verified lists: lists are verified again after
// memoReverify, and the memo holds at most memoBudget bytes of list
// credentials and expanded bitstrings.
const (
	memoReverify = 5 * time.Minute
	memoBudget   = 64 << 20
)

// verifiedList is a list credential whose proof verified, with its
// bitstring expanded on first use (once per encoding).
type verifiedList struct {
	doc  map[string]any // read-only once stored
	at   time.Time
	size int

	once    [2]sync.Once
	decoded [2]*Bitstring
	errs    [2]error
}

func (vl *verifiedList) bits(enc string, v2021 bool, max int) (*Bitstring, error) {
	i := 0
	if v2021 {
		i = 1
	}
	vl.once[i].Do(func() {
		if v2021 {
			vl.decoded[i], vl.errs[i] = DecodeStatusList2021(enc, max)
		} else {
			vl.decoded[i], vl.errs[i] = DecodeList(enc, max)
		}
	})
	return vl.decoded[i], vl.errs[i]
}

// cost bounds what the entry may come to hold: the decoded document and,
// per encoding, the expanded bits, which DEFLATE's maximum ratio (1032:1)
// and the decoding limit bound.
func (vl *verifiedList) cost(max int) int { return vl.size*4 + 2*min(max, 1032*vl.size) }

type listMemo struct {
	mu      sync.Mutex
	max     int // MaxListBytes, for costs
	entries map[[32]byte]*verifiedList
	used    int
}

func (m *listMemo) get(key [32]byte, now time.Time) *verifiedList {
	m.mu.Lock()
	defer m.mu.Unlock()
	vl := m.entries[key]
	if vl == nil {
		return nil
	}
	if now.Sub(vl.at) > memoReverify || now.Before(vl.at) {
		delete(m.entries, key)
		m.used -= vl.cost(m.max)
		return nil
	}
	return vl
}

func (m *listMemo) put(key [32]byte, vl *verifiedList) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cost := vl.cost(m.max)
	if cost > memoBudget {
		return
	}
	if m.entries == nil {
		m.entries = map[[32]byte]*verifiedList{}
	}
	if old := m.entries[key]; old != nil {
		m.used -= old.cost(m.max)
	}
	for k, e := range m.entries {
		if m.used+cost <= memoBudget {
			break
		}
		delete(m.entries, k)
		m.used -= e.cost(m.max)
	}
	m.entries[key] = vl
	m.used += cost
}
