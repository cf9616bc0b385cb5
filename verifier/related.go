package verifier

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/multiformats/go-multibase"
)

// checkRelated checks each relatedResource digest against the bytes the
// verifier itself loads for that URL. Only the JSON-LD contexts the
// credential uses are loaded (from the configured loader, so never from
// the network unless the caller opted in); other resources are not
// fetched, and a warning says they were not checked.
func (v *Verifier) checkRelated(ctx context.Context, res *Result, c *credential.Credential, doc map[string]any) {
	items := c.RelatedResource.Items
	if len(items) == 0 {
		res.add(Check{Name: "relatedResource", Outcome: Skipped, Detail: "no relatedResource"})
		return
	}
	used := map[string]bool{}
	collectContexts(doc, used, 0)
	failed, warned := false, false
	for i, rr := range items {
		path := "$.relatedResource"
		if !c.RelatedResource.Single || len(items) > 1 {
			path += "[" + strconv.Itoa(i) + "]"
		}
		if rr.DigestSRI == "" && rr.DigestMultibase == "" {
			continue // Validate reports a relatedResource without digest
		}
		if !used[rr.ID] {
			e := fmt.Errorf("%s not checked: the verifier does not load it", rr.ID)
			res.warn("relatedResource", path, ProblemMalformedValue, e)
			warned = true
			continue
		}
		rd, err := v.loader.LoadDocument(ctx, rr.ID)
		if err != nil {
			res.fail("relatedResource", path, ProblemParsing, err)
			failed = true
			continue
		}
		if err := checkDigests(rr, rd.Document); err != nil {
			typ := ProblemCryptographicSecurity
			if errors.Is(err, ErrInvalidDigest) {
				typ = ProblemMalformedValue
			}
			res.fail("relatedResource", path, typ, err)
			failed = true
		}
	}
	switch {
	case failed:
		res.add(Check{Name: "relatedResource", Outcome: Failed})
	case warned:
		res.add(Check{Name: "relatedResource", Outcome: Warning, Detail: "some resources not checked"})
	default:
		res.add(Check{Name: "relatedResource", Outcome: Passed})
	}
}

// collectContexts adds every context URL used anywhere in v (top-level and
// embedded @context values, such as those of endorsements).
func collectContexts(v any, out map[string]bool, depth int) {
	if depth > 64 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "@context" {
				addContexts(val, out)
				continue
			}
			collectContexts(val, out, depth+1)
		}
	case []any:
		for _, e := range x {
			collectContexts(e, out, depth+1)
		}
	}
}

func addContexts(v any, out map[string]bool) {
	switch x := v.(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
}

// checkDigests compares every digest given for rr with data.
func checkDigests(rr credential.RelatedResource, data []byte) error {
	if rr.DigestSRI != "" {
		if err := checkSRI(rr.DigestSRI, data); err != nil {
			return fmt.Errorf("%s: digestSRI: %w", rr.ID, err)
		}
	}
	if rr.DigestMultibase != "" {
		if err := checkMultibase(rr.DigestMultibase, data); err != nil {
			return fmt.Errorf("%s: digestMultibase: %w", rr.ID, err)
		}
	}
	return nil
}

// checkSRI checks a Subresource Integrity value: "sha256-", "sha384-" or
// "sha512-" and the base64 digest. Several space-separated values are
// allowed, as in SRI; the strongest algorithm given must match.
func checkSRI(sri string, data []byte) error {
	best, bestRank := []string(nil), 0
	for _, tok := range strings.Fields(sri) {
		alg, val, ok := strings.Cut(tok, "-")
		if !ok {
			return fmt.Errorf("%w: %q", ErrInvalidDigest, tok)
		}
		if i := strings.IndexByte(val, '?'); i >= 0 { // SRI options
			val = val[:i]
		}
		rank := map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}[alg]
		if rank == 0 {
			return fmt.Errorf("%w: unsupported algorithm %q", ErrInvalidDigest, alg)
		}
		switch {
		case rank > bestRank:
			best, bestRank = []string{val}, rank
		case rank == bestRank:
			best = append(best, val)
		}
	}
	if bestRank == 0 {
		return fmt.Errorf("%w: empty", ErrInvalidDigest)
	}
	h := [...]func() hash.Hash{nil, sha256.New, sha512.New384, sha512.New}[bestRank]()
	h.Write(data)
	sum := h.Sum(nil)
	for _, val := range best {
		want, err := base64.StdEncoding.DecodeString(val)
		if err != nil {
			return fmt.Errorf("%w: not base64: %q", ErrInvalidDigest, val)
		}
		if subtle.ConstantTimeCompare(want, sum) == 1 {
			return nil
		}
	}
	return ErrDigestMismatch
}

// checkMultibase checks a multibase-encoded multihash (sha2-256, sha2-384
// or sha2-512).
func checkMultibase(mb string, data []byte) error {
	_, raw, err := multibase.Decode(mb)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidDigest, err)
	}
	if len(raw) < 2 {
		return fmt.Errorf("%w: too short", ErrInvalidDigest)
	}
	var h hash.Hash
	switch raw[0] {
	case 0x12:
		h = sha256.New()
	case 0x20:
		h = sha512.New384()
	case 0x13:
		h = sha512.New()
	default:
		return fmt.Errorf("%w: unsupported multihash code 0x%x", ErrInvalidDigest, raw[0])
	}
	if int(raw[1]) != h.Size() || len(raw) != 2+h.Size() {
		return fmt.Errorf("%w: wrong digest length", ErrInvalidDigest)
	}
	h.Write(data)
	if subtle.ConstantTimeCompare(raw[2:], h.Sum(nil)) != 1 {
		return ErrDigestMismatch
	}
	return nil
}

// checkEndorsements verifies the endorsements embedded in the credential,
// its issuer profile, and each subject's achievement and its creator.
func (v *Verifier) checkEndorsements(ctx context.Context, res *Result, doc map[string]any, depth int, at string) {
	var found []embedded
	add := func(holder any, path ...string) {
		m, ok := holder.(map[string]any)
		if !ok {
			return
		}
		id, _ := m["id"].(string)
		found = appendEmbedded(found, m, "endorsement", id, path...)
		found = appendEmbedded(found, m, "endorsementJwt", id, path...)
	}
	add(doc, at)
	add(doc["issuer"], at, ".issuer")
	eachSubject(doc, at, func(at, rel string, m map[string]any) {
		a, ok := m["achievement"].(map[string]any)
		if !ok {
			return
		}
		add(a, at, rel, ".achievement")
		add(a["creator"], at, rel, ".achievement.creator")
	})
	if len(found) == 0 {
		res.add(Check{Name: "endorsement", Outcome: Skipped, Detail: "no embedded endorsement"})
		return
	}
	v.verifyFound(ctx, res, "endorsement", "endorsements", found, MaxEndorsements, depth, at, &res.Endorsements, func(f embedded, sub *Result) {
		if !sub.Verified {
			e := &nestedError{kind: ErrEndorsement, summary: sub.reasons(), cause: sub.Err()}
			v.embeddedFailed(res, "endorsement", f.path, e)
			return
		}
		// An endorsement names what it endorses; one attached to something
		// else may have been copied from elsewhere. The specification's own
		// examples do this, so it is a warning.
		if subj := endorsedID(sub); f.holder != "" && subj != f.holder {
			e := fmt.Errorf("endorses %q, not %q to which it is attached", subj, f.holder)
			res.add(Check{Name: "endorsement", Path: f.path, Outcome: Warning, Detail: e.Error()})
			res.warn("endorsement", f.path, ProblemMalformedValue, e)
			return
		}
		res.add(Check{Name: "endorsement", Path: f.path, Outcome: Passed})
	})
}

// endorsedID returns the credentialSubject id of a verified endorsement.
func endorsedID(r *Result) string {
	if r.Credential == nil {
		return ""
	}
	// From the typed model: the endorsement's document went back to the
	// pool when its verification ended. A subject given as an object (not
	// an array) with a string id, as the document would say.
	if s := r.Credential.CredentialSubject; s.Single && len(s.Items) == 1 {
		return s.Items[0].ID
	}
	return ""
}
