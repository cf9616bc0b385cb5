package verifier

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/related"
	"github.com/microcred/openbadges/internal/strictjson"
)

// checkRelated checks each relatedResource digest against the bytes the
// verifier itself loads for that URL. Only the JSON-LD contexts the
// credential uses are loaded (from the configured loader, so never from
// the network unless the caller opted in); other resources are not
// fetched, and a warning says they were not checked.
func (v *Verifier) checkRelated(ctx context.Context, res *Result, c *credential.Credential, doc strictjson.Value) {
	items := c.RelatedResource.Items
	if len(items) == 0 {
		res.add(Check{Name: "relatedResource", Outcome: Skipped, Detail: "no relatedResource"})
		return
	}
	used := related.Contexts(doc)
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
		if err := related.Check(rr, rd.Document); err != nil {
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

// checkEndorsements verifies the endorsements embedded in the credential,
// its issuer profile, and each subject's achievement and its creator.
func (v *Verifier) checkEndorsements(ctx context.Context, res *Result, doc strictjson.Value, depth int, at string) {
	var found []embedded
	add := func(m strictjson.Value, path ...string) {
		if m.Kind() != strictjson.Object {
			return
		}
		id, _ := m.Get("id")
		found = appendEmbedded(found, m, "endorsement", id.Str(), path...)
		found = appendEmbedded(found, m, "endorsementJwt", id.Str(), path...)
	}
	add(doc, at)
	iss, _ := doc.Get("issuer")
	add(iss, at, ".issuer")
	eachSubject(doc, at, func(at, rel string, m strictjson.Value) {
		a, _ := m.Get("achievement")
		if a.Kind() != strictjson.Object {
			return
		}
		add(a, at, rel, ".achievement")
		creator, _ := a.Get("creator")
		add(creator, at, rel, ".achievement.creator")
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
	// A subject given as an object (not an array) with a string id, as
	// the document would say.
	if s := r.Credential.CredentialSubject; s.Single && len(s.Items) == 1 {
		return s.Items[0].ID
	}
	return ""
}
