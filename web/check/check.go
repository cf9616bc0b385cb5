// Package check is what the browser pages ask of the library, in the form
// they want it: Verify returns a Report (the verifier.Result, the
// credential's JSON, the verdict as a word and the reason in words), Unbake
// returns the credential of a baked image, MatchIdentity applies
// credential.MatchIdentity's rule. The js/wasm build (cmd/badge-wasm) calls
// it from JavaScript and "badge transcript" calls it from Go, so that a page
// and a transcript judge a badge alike.
//
// The verifier is strict and offline by default: pinned contexts, did:key
// and did:jwk. Options.Fetch opts in to did:web and https keys, through the
// caller's fetch (the browser's, in the js/wasm build).
package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/microcred/openbadges/bake"
	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/did"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// MaxInputBytes is the largest input Verify and Unbake read: the largest
// image bake reads (bake.Limits' default).
const MaxInputBytes = 16 << 20

// Verdicts, as the pages write them in data-verdict.
const (
	VerdictVerified      = "verified"
	VerdictNotConformant = "not-conformant"
	VerdictNotVerified   = "not-verified"
)

// suites and algorithms are what the pages accept: every suite and JOSE
// algorithm the library verifies, as "badge verify" does.
var (
	suites = []dataintegrity.SuiteName{
		dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSA2022, dataintegrity.SuiteEdDSAJCS2022,
		dataintegrity.SuiteEd25519Signature2020,
	}
	algorithms = vcjwt.SupportedAlgorithms()
)

// Fetcher fetches a URL and returns its body. In the js/wasm build it is the
// browser's fetch.
type Fetcher func(ctx context.Context, url string) ([]byte, error)

// Options are what a page's user chooses.
type Options struct {
	// Network resolves did:web DIDs and https verification methods with
	// Fetch. Without it (the default), only did:key and did:jwk are used.
	Network bool `json:"network"`
	// Now, in RFC 3339, is the time the credential is judged at; empty
	// means the clock's.
	Now string `json:"now"`
	// Fetch fetches for Network.
	Fetch Fetcher `json:"-"`
	// Verifier, when set, verifies instead of one made from the options
	// above: a program that has its own keys, contexts and status lists
	// for the credentials (badge transcript --resolve, --status-doc …).
	Verifier *verifier.Verifier `json:"-"`
}

// Report is the outcome of Verify, as the pages read it.
type Report struct {
	// Verdict is VerdictVerified, VerdictNotConformant or
	// VerdictNotVerified.
	Verdict string `json:"verdict"`
	// Reason says in words why the credential is not verified (empty when
	// it is).
	Reason string `json:"reason,omitempty"`
	// Format is how the credential came: "json", "jwt", "png" or "svg".
	Format string `json:"format"`
	// Signed tells whether what the credential says is the issuer's word
	// (a proof verified with a key bound to the issuer), so a page can
	// mark what it shows as a claim otherwise.
	Signed bool `json:"signed"`
	// Credential is the credential's JSON document (a VC-JWT's payload
	// credential), or null if it could not be read.
	Credential json.RawMessage `json:"credential"`
	// Result is the full verifier.Result.
	Result *verifier.Result `json:"result"`
	// VerifiedEndorsements are the JSON paths of the endorsements that
	// verified (verifier.Result.VerifiedEndorsements).
	VerifiedEndorsements []string `json:"verifiedEndorsements"`
	// EndorsementReasons says in words, by JSON path, why each embedded
	// endorsement that was checked and failed is not verified.
	EndorsementReasons map[string]string `json:"endorsementReasons,omitempty"`
}

// Verify verifies data (JSON, a compact JWS, or a baked PNG or SVG) in
// strict mode.
func Verify(ctx context.Context, data []byte, opt Options) (*Report, error) {
	if len(data) > MaxInputBytes {
		return nil, fmt.Errorf("the file is %s; a badge is at most %s", Size(int64(len(data))), Size(MaxInputBytes))
	}
	v, err := verifierFor(opt)
	if err != nil {
		return nil, err
	}
	res, err := v.Verify(ctx, data)
	if err != nil {
		return nil, err
	}
	return report(data, res), nil
}

// offline is the verifier of the default options, made once: a Verifier
// caches the contexts it has processed, which is most of the work a new
// one does on its first credential.
var offline = sync.OnceValues(func() (*verifier.Verifier, error) {
	return verifier.New(verifier.Config{Suites: suites, Algorithms: algorithms})
})

// verifierFor returns the verifier for opt.
func verifierFor(opt Options) (*verifier.Verifier, error) {
	if opt.Verifier != nil {
		return opt.Verifier, nil
	}
	if opt.Now == "" && !(opt.Network && opt.Fetch != nil) {
		return offline()
	}
	cfg := verifier.Config{Suites: suites, Algorithms: algorithms}
	if opt.Now != "" {
		t, err := time.Parse(time.RFC3339, opt.Now)
		if err != nil {
			return nil, fmt.Errorf("now: %w", err)
		}
		cfg.Now = func() time.Time { return t }
	}
	if opt.Network && opt.Fetch != nil {
		def := did.DefaultResolver()
		net := fetchResolver(opt.Fetch)
		cfg.Resolver = did.Methods{"key": def, "jwk": def, "web": net, "https": net}
	}
	return verifier.New(cfg)
}

// report makes the Report of res, the result of data.
func report(data []byte, res *verifier.Result) *Report {
	rep := &Report{Result: res, Format: FormatOf(data), Signed: res.Signed(), VerifiedEndorsements: res.VerifiedEndorsements()}
	for p, sub := range res.Endorsements {
		if sub != nil && !sub.Verified {
			if rep.EndorsementReasons == nil {
				rep.EndorsementReasons = map[string]string{}
			}
			rep.EndorsementReasons[p] = Embedded(sub, "endorsement")
		}
	}
	switch res.Verdict() {
	case verifier.VerdictVerified:
		rep.Verdict = VerdictVerified
	case verifier.VerdictNotConformant:
		rep.Verdict = VerdictNotConformant
		rep.Reason = "It is authentic, but it does not follow the rules of " + verifier.Standards(res.Errors) + "."
	default:
		rep.Verdict = VerdictNotVerified
		rep.Reason = Reason(res)
	}
	if c := res.Credential; c != nil {
		if raw := c.Raw(); raw != nil {
			rep.Credential = json.RawMessage(raw)
		} else if b, err := json.Marshal(c); err == nil {
			rep.Credential = b
		}
	}
	if rep.Credential == nil {
		rep.Credential = json.RawMessage("null")
	}
	return rep
}

// FormatOf names the form of data: "png", "svg", "jwt", "json", or "" for
// none of them.
func FormatOf(data []byte) string {
	switch bake.Detect(data) {
	case bake.FormatPNG:
		return "png"
	case bake.FormatSVG:
		return "svg"
	}
	t := strings.TrimSpace(string(data[:min(len(data), 64)]))
	switch {
	case strings.HasPrefix(t, "{"):
		return "json"
	case strings.HasPrefix(t, "ey"):
		return "jwt"
	}
	return ""
}

// reasons are the failures a person is told about in words, most telling
// first.
var reasons = []struct {
	err  error
	text string
}{
	{bake.ErrMultipleCredentials, "The image holds more than one credential, which Open Badges forbids: it is not clear which one is the badge."},
	{bake.ErrLegacyBadge, "The image holds an Open Badges 2.0 assertion, not an Open Badges 3.0 credential."},
	{bake.ErrNotBaked, "The image holds no credential: it is a picture, not a baked badge."},
	{bake.ErrTooLarge, "The file is larger than a badge can be."},
	{bake.ErrCompressed, "The image's credential is compressed, which Open Badges forbids."},
	{bake.ErrTruncated, "The image is cut short: the file is incomplete."},
	{dataintegrity.ErrInvalidSignature, "The signature does not match the content: the badge was changed after it was issued, or it was not signed by this issuer."},
	{vcjwt.ErrInvalidSignature, "The signature does not match the content: the badge was changed after it was issued, or it was not signed by this issuer."},
	{vcjwt.ErrClaimMismatch, "The token's claims do not match the credential inside it."},
	{verifier.ErrIssuerMismatch, "The badge was signed with a key that does not belong to the issuer it names."},
	{vcjwt.ErrKeyNotIssuer, "The badge was signed with a key that does not belong to the issuer it names."},
	{vcjwt.ErrUnprovenKey, "The token carries its own key, and nothing shows that the issuer published it."},
	{did.ErrNetworkRequired, NetworkReason},
	{did.ErrUnsupportedMethod, "The issuer's key is named in a way (a DID method) this verifier does not read, so the signature cannot be checked."},
	{did.ErrFetch, "The issuer's key could not be fetched from the web: its server did not answer, or does not let this page read it."},
	{dataintegrity.ErrKeyResolution, "The issuer's key could not be found."},
	{verifier.ErrExpired, "The badge has expired."},
	{vcjwt.ErrExpired, "The badge has expired."},
	{verifier.ErrNotYetValid, "The badge is not valid yet."},
	{vcjwt.ErrNotYetValid, "The badge is not valid yet."},
	{verifier.ErrStatus, "Its status could not be confirmed: it may have been revoked or suspended, or its status list cannot be checked here."},
	{verifier.ErrNoProof, "The badge carries no signature, so nothing shows who issued it."},
	{dataintegrity.ErrNoProof, "The badge carries no signature, so nothing shows who issued it."},
	{verifier.ErrInlineContext, "The badge defines its own vocabulary inline, which could make it say something other than what was signed."},
	{verifier.ErrDigestMismatch, "A resource the badge refers to does not match its recorded digest."},
	{verifier.ErrEndorsement, "An endorsement embedded in the badge does not verify."},
}

// NetworkReason is the reason given when the issuer's key is published on
// the web (did:web, an https URL) and the viewer has not allowed look-ups.
const NetworkReason = "The issuer's key is published on the web, not in the badge, so it is not available offline: tick \"Look up issuers' keys on the web\" to fetch it (this page then asks the issuer's web site for the key) and verify again."

// Reason says in words why res is not verified. The credential's own
// failures come first; when it fails only because of what is embedded in
// it (an endorsement, a CLR's credential), the reason says so and why that
// one failed, never as if the credential itself had.
func Reason(res *verifier.Result) string {
	if res.Verified {
		return ""
	}
	var own []error
	for _, p := range res.Errors {
		if p.Check == "endorsement" || p.Check == "credential" {
			continue
		}
		if p.Err != nil {
			own = append(own, p.Err)
		} else {
			own = append(own, errors.New(p.Detail))
		}
	}
	if len(own) > 0 || len(res.Errors) == 0 {
		return reason(res, errors.Join(own...))
	}
	for _, e := range []struct {
		check, what, noun string
		subs              map[string]*verifier.Result
	}{
		{"credential", "a credential embedded in it", "credential", res.Credentials},
		{"endorsement", "an endorsement embedded in it", "endorsement", res.Endorsements},
	} {
		for _, p := range res.Errors {
			if p.Check != e.check {
				continue
			}
			why := ""
			if sub := e.subs[p.Path]; sub != nil {
				why = " " + Embedded(sub, e.noun)
			} else if errors.Is(p.Err, verifier.ErrNotChecked) {
				why = " There are too many, or they are nested too deeply, to be checked."
			}
			return "It is authentic, but " + e.what + " (" + p.Path + ") does not verify." + why
		}
	}
	return reason(res, res.Err())
}

// Embedded says in words why an embedded endorsement or credential, whose
// result is sub, is not verified, calling it noun ("endorsement": "The
// endorsement has expired.").
func Embedded(sub *verifier.Result, noun string) string {
	r := Reason(sub)
	for _, s := range [][2]string{{"The badge", "The " + noun}, {"the badge", "the " + noun}, {"It is authentic", "The " + noun + " is authentic"}} {
		r = strings.ReplaceAll(r, s[0], s[1])
	}
	return r
}

func reason(res *verifier.Result, err error) string {
	if err == nil {
		err = errors.New("verifier: not verified")
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.text
		}
	}
	for _, c := range res.Checks {
		if c.Name == "parse" && c.Outcome == verifier.Failed {
			return "This is not a credential that can be read: " + c.Detail + "."
		}
	}
	if len(res.Errors) > 0 {
		p := res.Errors[0]
		return "The " + p.Check + " check failed: " + p.Detail + "."
	}
	return "It did not verify."
}

// Size writes a byte count for a person: "50.0 MB".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Unbaked is the outcome of Unbake.
type Unbaked struct {
	Format     string `json:"format"`
	Credential string `json:"credential"`
	IsJWS      bool   `json:"isJWS"`
}

// Unbake returns the credential baked into a PNG or SVG image.
func Unbake(img []byte) (*Unbaked, error) {
	b, err := bake.Unbake(img)
	if err != nil {
		return nil, err
	}
	return &Unbaked{Format: string(b.Format), Credential: string(b.Credential), IsJWS: b.IsJWS}, nil
}

// MatchIdentity reports whether value is the identity an identifier of a
// credential subject names (credential.MatchIdentity): hashed with its salt
// when hashed is true, compared as is otherwise.
func MatchIdentity(identityHash, salt string, hashed bool, value string) bool {
	return credential.MatchIdentity(credential.IdentityObject{IdentityHash: identityHash, Salt: salt, Hashed: &hashed}, value)
}

// fetchResolver resolves did:web DIDs and https verification methods with
// fetch, checking what comes back as did.NewWebResolver and
// did.NewHTTPSResolver do: a DID document whose id is the DID (or the URL),
// or, for an https URL, a bare JWK.
type fetchResolver Fetcher

// Resolve implements did.Resolver.
func (f fetchResolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	base, _, _ := strings.Cut(id, "#")
	u := base
	if strings.HasPrefix(base, "did:web:") {
		var err error
		if u, err = did.WebURL(base); err != nil {
			return nil, err
		}
	} else if p, err := url.Parse(base); err != nil || p.Scheme != "https" {
		return nil, fmt.Errorf("%w: %s", did.ErrUnsupportedMethod, id)
	}
	body, err := f(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", did.ErrFetch, u, err)
	}
	if !strings.HasPrefix(base, "did:") {
		var probe map[string]json.RawMessage
		if json.Unmarshal(body, &probe) == nil && probe["kty"] != nil {
			j, err := did.ParseJWK(body)
			if err != nil {
				return nil, err
			}
			ref := []did.MethodRef{{ID: base}}
			d := &did.Document{
				ID:                  base,
				VerificationMethods: []did.VerificationMethod{{ID: base, Type: did.TypeJSONWebKey, Controller: base, PublicKeyJWK: j}},
				AssertionMethod:     ref,
				Authentication:      ref,
			}
			d.Context, _ = json.Marshal([]string{"https://www.w3.org/ns/cid/v1"})
			return d, nil
		}
	}
	doc, err := did.ParseDocument(body)
	if err != nil {
		return nil, err
	}
	if doc.ID != base {
		return nil, fmt.Errorf("%w: document id %q does not match %q", did.ErrInvalidDocument, doc.ID, base)
	}
	return doc, nil
}
