package presentation

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/vcjwt"
)

// Identifiers of the VC Data Model used in presentations.
const (
	// TypeVerifiablePresentation is the type every presentation has.
	TypeVerifiablePresentation = "VerifiablePresentation"
	// TypeEnvelopedVerifiableCredential is the VCDM 2.0 type of a credential
	// carried as a data: URL (a VC-JWT inside a presentation).
	TypeEnvelopedVerifiableCredential = "EnvelopedVerifiableCredential"
	// MediaTypeVCJWT is the media type of the data: URL of an enveloped
	// VC-JWT: "data:application/vc+jwt,<compact JWS>".
	MediaTypeVCJWT = "application/vc+jwt"
	// PurposeAuthentication is the proofPurpose of a presentation's proof:
	// the holder authenticates, with a key listed under the authentication
	// relationship of its DID document.
	PurposeAuthentication = "authentication"
)

// Version is the VC Data Model version of a presentation's envelope.
type Version int

const (
	// V2 is VC Data Model 2.0 (the default): VC-JWTs are carried as
	// EnvelopedVerifiableCredential objects.
	V2 Version = iota
	// V1 is VC Data Model 1.1: VC-JWTs are carried as strings in
	// verifiableCredential.
	V1
)

// HolderConfig configures a Holder.
type HolderConfig struct {
	// Signer is the holder's key. An ed25519.PrivateKey works directly;
	// a wallet's secure element or a KMS key plugs in as a crypto.Signer
	// signing with pure Ed25519. Required.
	Signer crypto.Signer
	// VerificationMethod is the URL of the holder's public key, listed under
	// the authentication relationship of the holder's DID document
	// ("did:key:z6Mk…#z6Mk…"). Required.
	VerificationMethod string
	// Holder is the holder's identifier, written as holder. Empty means the
	// verification method URL without its fragment (the DID).
	Holder string
	// Suite is the cryptosuite: dataintegrity.SuiteEdDSARDFC2022 (the
	// default) or SuiteEdDSAJCS2022.
	Suite dataintegrity.SuiteName
	// Processor canonicalizes JSON-LD for eddsa-rdfc-2022; nil means a
	// process-wide processor with the embedded contexts only.
	Processor dataintegrity.Canonicalizer
	// Now is the clock for the proof's created time; nil means time.Now.
	Now func() time.Time
}

// Holder creates signed presentations of the credentials it is given. It is
// safe for concurrent use.
type Holder struct {
	id     string
	prover *dataintegrity.Prover
	suite  dataintegrity.SuiteName
}

// NewHolder checks cfg and returns a Holder.
func NewHolder(cfg HolderConfig) (*Holder, error) {
	if cfg.Signer == nil {
		return nil, fmt.Errorf("%w: HolderConfig.Signer is required", ErrCreate)
	}
	if cfg.VerificationMethod == "" {
		return nil, fmt.Errorf("%w: HolderConfig.VerificationMethod is required", ErrCreate)
	}
	suite := cfg.Suite
	switch suite {
	case "":
		suite = dataintegrity.SuiteEdDSARDFC2022
	case dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022:
	default:
		return nil, fmt.Errorf("%w: suite %q: want %s or %s", ErrCreate, suite, dataintegrity.SuiteEdDSARDFC2022, dataintegrity.SuiteEdDSAJCS2022)
	}
	id := cfg.Holder
	if id == "" {
		id, _, _ = strings.Cut(cfg.VerificationMethod, "#")
	}
	if !isURL(id) {
		return nil, fmt.Errorf("%w: holder %q is not a URL", ErrCreate, truncate(id, 100))
	}
	p, err := dataintegrity.NewProver(dataintegrity.ProverConfig{
		Suite:              suite,
		Key:                cfg.Signer,
		VerificationMethod: cfg.VerificationMethod,
		Processor:          cfg.Processor,
		Now:                cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCreate, err)
	}
	return &Holder{id: id, prover: p, suite: suite}, nil
}

// ID returns the holder's identifier, as written to holder.
func (h *Holder) ID() string { return h.id }

// Options are the per-presentation options of Holder.Present and Compose.
// Compose writes no proof and refuses the proof's options (Challenge,
// Domain, Expires, InsecureNoChallenge).
type Options struct {
	// Version is the envelope's data model; the zero value is V2.
	Version Version
	// ID, if set, is the presentation's id (a URL, e.g. urn:uuid:…).
	ID string
	// Challenge and Domain are the values the verifier asked for: the
	// proof binds the presentation to them, so that it cannot be replayed
	// to another verifier or in another session. Required for a signed
	// presentation unless InsecureNoChallenge is set.
	Challenge string
	Domain    string
	// Expires, if not zero, is written as the proof's expires.
	Expires time.Time
	// InsecureNoChallenge signs without a challenge and a domain: anyone
	// who sees the presentation can replay it.
	InsecureNoChallenge bool
}

// Present returns a presentation of credentials, each a JSON credential with
// an embedded proof or a VC-JWT (compact JWS), with holder set to h's
// identifier and a proof with proofPurpose authentication and opts'
// challenge and domain. The credentials are not verified; they are checked
// to be a JSON object or a compact JWS. Compose makes the same presentation
// without a proof.
func (h *Holder) Present(ctx context.Context, credentials [][]byte, opts Options) ([]byte, error) {
	if !opts.InsecureNoChallenge && opts.Challenge == "" {
		return nil, fmt.Errorf("%w: a challenge is required (the verifier's, so that the presentation cannot be replayed)", ErrCreate)
	}
	doc, err := compose(h.id, credentials, opts)
	if err != nil {
		return nil, err
	}
	if opts.Version == V1 {
		if h.suite == dataintegrity.SuiteEdDSARDFC2022 {
			vcs, _ := doc["verifiableCredential"].([]any)
			for _, vc := range vcs {
				if _, isJWT := vc.(string); isJWT {
					// JSON-LD reads the string as an IRI in a graph container
					// and drops it, which safe mode refuses: RDFC-1.0 cannot
					// sign it.
					return nil, fmt.Errorf("%w: a VC Data Model 1.1 presentation holding a VC-JWT cannot be signed with %s; use %s or a 2.0 presentation", ErrCreate, h.suite, dataintegrity.SuiteEdDSAJCS2022)
				}
			}
		}
		doc["@context"] = append(doc["@context"].([]any), dataintegrity.ContextDataIntegrityV2)
	}
	po := dataintegrity.ProofOptions{Purpose: PurposeAuthentication, Challenge: opts.Challenge, Expires: opts.Expires}
	if opts.Domain != "" {
		po.Domain = []string{opts.Domain}
	}
	unsigned, err := write(doc, credentials)
	if err != nil {
		return nil, err
	}
	signed, err := h.prover.AddProof(ctx, unsigned, po)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCreate, err)
	}
	return signed, nil
}

// Compose returns the JSON of an unsigned presentation of credentials (see
// Holder.Present) for holder, which may be "" for none: the presentation
// Holder.Present would sign, without the proof. Nothing binds it to the
// holder, a verifier or the moment, and verifiers refuse it unless they opt
// in; it is for those who ask for one, and for wallets that sign with their
// own pipeline.
func Compose(holder string, credentials [][]byte, opts Options) ([]byte, error) {
	if opts.Challenge != "" || opts.Domain != "" || !opts.Expires.IsZero() || opts.InsecureNoChallenge {
		return nil, fmt.Errorf("%w: an unsigned presentation has no proof to carry a challenge, domain or expiry", ErrCreate)
	}
	doc, err := compose(holder, credentials, opts)
	if err != nil {
		return nil, err
	}
	return write(doc, credentials)
}

// write serializes a presentation built by compose in reading order, each
// embedded JSON credential written as the holder received it (whitespace
// removed; Holder.Present's proof then writes strings as encoding/json
// does), so that it stays byte-comparable with the issued one. Proofs do
// not depend on member order: both suites canonicalize.
func write(doc map[string]any, credentials [][]byte) ([]byte, error) {
	out := struct {
		Context              any   `json:"@context"`
		ID                   any   `json:"id,omitempty"`
		Type                 any   `json:"type"`
		Holder               any   `json:"holder,omitempty"`
		VerifiableCredential []any `json:"verifiableCredential,omitempty"`
	}{Context: doc["@context"], ID: doc["id"], Type: doc["type"], Holder: doc["holder"]}
	vcs, _ := doc["verifiableCredential"].([]any)
	out.VerifiableCredential = slices.Clone(vcs)
	for i, cred := range credentials {
		if isJSONObject(cred) {
			var b bytes.Buffer
			if err := json.Compact(&b, cred); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrCreate, err)
			}
			out.VerifiableCredential[i] = json.RawMessage(b.Bytes())
		}
	}
	return marshal(out)
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

// compose builds the document of an unsigned presentation.
func compose(holder string, credentials [][]byte, opts Options) (map[string]any, error) {
	if opts.Version != V1 && opts.Version != V2 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrCreate, opts.Version)
	}
	if holder != "" && !isURL(holder) {
		return nil, fmt.Errorf("%w: holder %q is not a URL", ErrCreate, truncate(holder, 100))
	}
	if opts.ID != "" && !isURL(opts.ID) {
		return nil, fmt.Errorf("%w: id %q is not a URL", ErrCreate, truncate(opts.ID, 100))
	}
	base := credential.ContextV2
	if opts.Version == V1 {
		base = credential.ContextV1
	}
	doc := map[string]any{
		"@context": []any{base},
		"type":     []any{TypeVerifiablePresentation},
	}
	if holder != "" {
		doc["holder"] = holder
	}
	if opts.ID != "" {
		doc["id"] = opts.ID
	}
	if len(credentials) > 0 {
		vcs := make([]any, len(credentials))
		for i, b := range credentials {
			v, err := credentialValue(b, opts.Version)
			if err != nil {
				return nil, fmt.Errorf("%w: credential %d: %w", ErrCreate, i, err)
			}
			vcs[i] = v
		}
		doc["verifiableCredential"] = vcs
	}
	return doc, nil
}

// credentialValue returns how a credential is written in
// verifiableCredential: the JSON object itself, or for a VC-JWT an
// EnvelopedVerifiableCredential (2.0) or the JWS string (1.1).
func credentialValue(b []byte, v Version) (any, error) {
	b = bytes.TrimSpace(b)
	if isJSONObject(b) {
		d, err := strictjson.Decode(b, strictjson.Options{FoldDuplicateKeys: true})
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	if !vcjwt.IsCompactJWS(b) {
		return nil, fmt.Errorf("%w: neither a JSON object nor a compact JWS", ErrMalformed)
	}
	jws := string(b)
	if v == V1 {
		return jws, nil
	}
	return map[string]any{
		"@context": credential.ContextV2,
		"id":       "data:" + MediaTypeVCJWT + "," + jws,
		"type":     TypeEnvelopedVerifiableCredential,
	}, nil
}

// isURL reports whether s looks like an absolute URL (a scheme and more),
// which is what VCDM requires of id and holder.
func isURL(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || rest == "" {
		return false
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// marshal writes doc as compact JSON without HTML escaping.
func marshal(doc any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCreate, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
