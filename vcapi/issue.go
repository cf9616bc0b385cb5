package vcapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/internal/strictjson"
	"github.com/microcred/openbadges/issuer"
	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// issueRequest is the body of POST /credentials/issue (VC-API
// IssueCredentialRequest).
type issueRequest struct {
	Credential json.RawMessage `json:"credential"`
	Options    *issueOptions   `json:"options"`
}

func (r *issueRequest) setPayload(name string, raw json.RawMessage) {
	if name == "credential" {
		r.Credential = raw
	}
}

// issueOptions are the options the server reads; others are ignored, as the
// VC-API lets servers do.
type issueOptions struct {
	Type         string `json:"type"`
	Cryptosuite  string `json:"cryptosuite"`
	CredentialID string `json:"credentialId"`
	// CredentialStatus is one {"type", "statusPurpose"} object or an array
	// of them, as the test suite implementations send.
	CredentialStatus json.RawMessage `json:"credentialStatus"`
}

// statusRequest asks for a status entry of a purpose.
type statusRequest struct {
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
}

const typeDataIntegrityProof = "DataIntegrityProof"

func (s *Server) issue(w http.ResponseWriter, r *http.Request, name string) {
	is, ok := s.issuers[name]
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no issuer %q", name)})
		return
	}
	var req issueRequest
	if !s.readRequest(w, r, &req, func(err error) {
		writeProblem(w, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing, Detail: err.Error()})
	}) {
		return
	}
	if err := objectMember("credential", req.Credential); err != nil {
		writeProblem(w, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing, Detail: err.Error()})
		return
	}
	var opts issueOptions
	if req.Options != nil {
		opts = *req.Options
	}
	iss, p := is.pick(opts)
	if p != nil {
		writeProblem(w, p)
		return
	}
	wanted, p := s.statusPurposes(is, opts)
	if p != nil {
		writeProblem(w, p)
		return
	}
	c, err := credential.Parse(req.Credential)
	if err != nil {
		writeProblem(w, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing,
			Title: "Malformed credential", Detail: err.Error()})
		return
	}
	data := c.Raw()
	docValue, _ := strictjson.Decode(data, strictjson.Options{}) // Parse accepted it
	doc, _ := docValue.(map[string]any)
	changes := map[string]any{} // top-level members to replace or add
	if _, has := doc["issuer"]; !has && !c.IsBadge() {
		// The issuer package fills in an Open Badges Profile, whose type
		// other credentials' contexts do not define; a plain VC gets the
		// issuer id, as the suites send it.
		changes["issuer"] = is.control
	}
	if s.adoptIssuer {
		if iss, changed := adoptIssuer(doc["issuer"], is.control); changed {
			changes["issuer"] = iss
		}
	}
	var allocs []allocation
	if len(wanted) > 0 {
		if allocs, p = s.addStatus(r.Context(), is, c, doc, changes, wanted); p != nil {
			writeProblem(w, p)
			return
		}
	}
	if len(changes) > 0 {
		if data, err = spliceMembers(data, changes); err != nil {
			writeProblem(w, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing, Detail: err.Error()})
			return
		}
	}
	signed, warnings, err := iss.IssueJSONReport(r.Context(), data)
	if err != nil {
		writeProblem(w, s.issueProblem(r, err))
		return
	}
	if len(allocs) > 0 {
		id, _ := doc["id"].(string)
		if id == "" {
			id = opts.CredentialID
		}
		if id != "" {
			rec := StatusRecord{Issuer: name, CredentialID: id, IssuerID: is.control, RequestID: requestID(r), IssuedAt: time.Now().UTC()}
			rec.SubjectID, rec.AchievementID = subjectAndAchievement(doc)
			for _, a := range allocs {
				rec.Entries = append(rec.Entries, StatusRecordEntry{List: a.list.id, Index: a.index, Purpose: a.list.purpose})
			}
			if err := s.index.Put(r.Context(), rec); err != nil {
				// The credential is not handed out unless its record is
				// kept: it could not be revoked otherwise. Its entries stay
				// allocated (never reused).
				writeProblem(w, s.storeProblem(r, "recording the credential", err))
				return
			}
		}
	}
	if s.metrics != nil {
		s.metrics.Issued(name)
	}
	if len(warnings) > 0 {
		writeJSON(w, http.StatusCreated, "application/json", map[string]any{"verifiableCredential": json.RawMessage(signed), "warnings": warnings})
		return
	}
	writeJSON(w, http.StatusCreated, "application/json", map[string]json.RawMessage{"verifiableCredential": signed})
}

// pick chooses the issuer for the suite a request names: options.type
// (DataIntegrityProof or Ed25519Signature2020) and options.cryptosuite.
func (is *issuerState) pick(o issueOptions) (*issuer.Issuer, *problem) {
	var suite dataintegrity.SuiteName
	switch o.Type {
	case "":
		if o.Cryptosuite == "" {
			suite = is.cfg.Suite
			break
		}
		suite = dataintegrity.SuiteName(o.Cryptosuite)
	case typeDataIntegrityProof:
		suite = dataintegrity.SuiteName(o.Cryptosuite)
		if suite == "" {
			suite = is.cfg.Suite
			if suite == dataintegrity.SuiteEd25519Signature2020 {
				suite = dataintegrity.SuiteEdDSARDFC2022
			}
		}
		if suite == dataintegrity.SuiteEd25519Signature2020 {
			return nil, unsupported("cryptosuite %q is a proof type, not a DataIntegrityProof cryptosuite", suite)
		}
	case string(dataintegrity.SuiteEd25519Signature2020):
		if o.Cryptosuite != "" {
			return nil, unsupported("proof type Ed25519Signature2020 takes no cryptosuite (got %q)", o.Cryptosuite)
		}
		suite = dataintegrity.SuiteEd25519Signature2020
	default:
		return nil, unsupported("unsupported proof type %q: this issuer signs DataIntegrityProof (eddsa-rdfc-2022, eddsa-jcs-2022) and Ed25519Signature2020", o.Type)
	}
	iss, ok := is.suites[suite]
	if !ok {
		return nil, unsupported("unsupported cryptosuite %q: this issuer signs eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020", suite)
	}
	return iss, nil
}

func unsupported(format string, a ...any) *problem {
	return &problem{Status: http.StatusBadRequest, Type: verifier.ProblemProofGeneration,
		Title: "Unsupported proof options", Detail: fmt.Sprintf(format, a...)}
}

// statusPurposes returns the purposes of the status entries to add: the
// issuer's defaults and those options.credentialStatus asks for.
func (s *Server) statusPurposes(is *issuerState, o issueOptions) ([]string, *problem) {
	wanted := slices.Clone(is.cfg.StatusPurposes)
	raw := bytes.TrimSpace(o.CredentialStatus)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return wanted, nil
	}
	bad := func(format string, a ...any) *problem {
		return &problem{Status: http.StatusBadRequest, Type: verifier.ProblemMalformedValue,
			Title: "Unsupported status options", Detail: "options.credentialStatus: " + fmt.Sprintf(format, a...)}
	}
	var reqs []statusRequest
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &reqs); err != nil {
			return nil, bad("%v", err)
		}
	} else {
		var one statusRequest
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, bad("%v", err)
		}
		reqs = []statusRequest{one}
	}
	if is.lists == nil {
		return nil, bad("this server keeps no status lists (start it with a status store)")
	}
	for _, sr := range reqs {
		if sr.Type != status.TypeBitstringEntry {
			return nil, bad("type %q: only %s is supported", sr.Type, status.TypeBitstringEntry)
		}
		p := sr.StatusPurpose
		if p == "" {
			p = status.PurposeRevocation
		}
		if _, ok := is.byPurp[p]; !ok {
			return nil, bad("statusPurpose %q: only revocation and suspension are supported", p)
		}
		if !slices.Contains(wanted, p) {
			wanted = append(wanted, p)
		}
	}
	return wanted, nil
}

// adoptIssuer returns the issuer member naming id instead of another
// issuer, and whether that is a change. Only a well-formed issuer is
// replaced: one that is not a URL is left for validation to refuse, since
// the suites' negative tests send such issuers on purpose.
func adoptIssuer(v any, id string) (any, bool) {
	switch iss := v.(type) {
	case string:
		return id, iss != id && isAbsoluteURL(iss)
	case map[string]any:
		if cur, ok := iss["id"].(string); ok && cur != id && isAbsoluteURL(cur) {
			p := maps.Clone(iss)
			p["id"] = id
			return p, true
		}
	}
	return v, false
}

// isAbsoluteURL tells whether s is an absolute URL (a scheme and
// something after it, no white space).
func isAbsoluteURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// addStatus allocates an entry in the issuer's list of each purpose and
// records in changes the credentialStatus (and @context) to give c, whose
// document is doc. It first checks that c, so changed, is valid, so that a
// credential the issuer would refuse does not use up indexes.
func (s *Server) addStatus(ctx context.Context, is *issuerState, c *credential.Credential, doc, changes map[string]any, wanted []string) ([]allocation, *problem) {
	if _, has := doc["credentialStatus"]; has {
		return nil, &problem{Status: http.StatusUnprocessableEntity, Type: verifier.ProblemMalformedValue,
			Detail: "the credential already has a credentialStatus; the server cannot add its own"}
	}
	probe := maps.Clone(changes)
	if _, has := doc["issuer"]; !has {
		if _, set := probe["issuer"]; !set {
			probe["issuer"] = map[string]any{"id": is.control, "type": []any{"Profile"}} // as the issuer will fill it in
		}
	}
	if _, p := s.statusEntries(ctx, is, c, doc, probe, wanted, false); p != nil {
		return nil, p
	}
	b, err := spliceMembers(c.Raw(), probe)
	if err != nil {
		return nil, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing, Detail: err.Error()}
	}
	pc, err := credential.Parse(b)
	if err != nil {
		return nil, &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing, Detail: err.Error()}
	}
	if ps := pc.Validate(); ps.HasErrors() {
		return nil, s.issueProblem(nil, &issuer.ValidationError{Problems: ps})
	}
	return s.statusEntries(ctx, is, c, doc, changes, wanted, true)
}

// statusEntries records in changes a credentialStatus with an entry of
// each purpose wanted: allocated ones, or placeholders (index 0) to
// validate the credential with.
func (s *Server) statusEntries(ctx context.Context, is *issuerState, c *credential.Credential, doc, changes map[string]any, wanted []string, allocate bool) ([]allocation, *problem) {
	var entries []any
	var allocs []allocation
	for _, p := range wanted {
		sl := is.byPurp[p]
		e := status.Entry{Type: status.TypeBitstringEntry, Purpose: sl.purpose, ListCredential: sl.id}
		if allocate {
			var err error
			if e, err = is.series[p].Allocate(ctx); err != nil {
				if s.log != nil {
					s.log.ErrorContext(ctx, "allocating a status entry failed", "list", sl.id, "err", err)
				}
				return nil, &problem{Status: http.StatusServiceUnavailable, Type: verifier.ProblemProofGeneration,
					Detail: "a status entry cannot be allocated now; try again later"}
			}
		}
		if e.ListCredential != sl.id { // a later list of the series
			name := strings.TrimPrefix(e.ListCredential, s.baseURL+"/status/")
			sl = &statusList{name: name, id: e.ListCredential, purpose: sl.purpose, owner: is}
			if v, loaded := s.rotated.LoadOrStore(name, sl); loaded {
				sl = v.(*statusList)
			}
		}
		e.ID = fmt.Sprintf("%s#%d", sl.id, e.Index)
		entries = append(entries, e) // written by Entry.MarshalJSON
		allocs = append(allocs, allocation{list: sl, index: e.Index})
	}
	if len(entries) == 1 {
		changes["credentialStatus"] = entries[0]
	} else {
		changes["credentialStatus"] = entries
	}
	if c.IsVCDM11() {
		// The VCDM 1.1 context does not define BitstringStatusListEntry;
		// the status list context does (Bitstring Status List §2.1).
		if ctxs, ok := doc["@context"].([]any); ok && !slices.Contains(ctxs, any(contextStatusV1)) {
			changes["@context"] = append(slices.Clone(ctxs), contextStatusV1)
		}
	}
	return allocs, nil
}

const contextStatusV1 = "https://www.w3.org/ns/credentials/status/v1"

// spliceMembers returns the JSON object raw with the top-level members of
// changes replaced, or added at the end, keeping every other member as it
// was written and in its place: the signed credential then reads like the
// one sent. raw has been parsed strictly (no duplicate members).
func spliceMembers(raw []byte, changes map[string]any) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the credential is not a JSON object")
	}
	var out bytes.Buffer
	out.WriteByte('{')
	done := map[string]bool{}
	write := func(k string, v []byte) error {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return err
		}
		out.Write(kb)
		out.WriteByte(':')
		out.Write(v)
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if nv, ok := changes[k]; ok {
			if v, err = json.Marshal(nv); err != nil {
				return nil, err
			}
			done[k] = true
		}
		if err := write(k, v); err != nil {
			return nil, err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(changes)) {
		if done[k] {
			continue
		}
		v, err := json.Marshal(changes[k])
		if err != nil {
			return nil, err
		}
		if err := write(k, v); err != nil {
			return nil, err
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// issueProblem maps an error of issuer.IssueJSON to a problem by its class:
// the input's fault (issuer.ErrInvalidInput) is 400 or 422, the issuer's
// (issuer.ErrSigning) a 500.
func (s *Server) issueProblem(r *http.Request, err error) *problem {
	var ve *issuer.ValidationError
	var dm *issuer.DigestMismatchError
	switch {
	case errors.As(err, &dm):
		return &problem{Status: http.StatusUnprocessableEntity, Type: verifier.ProblemCryptographicSecurity,
			Title: "relatedResource digest mismatch", Detail: err.Error(),
			Extra: map[string]any{"relatedResource": map[string]any{
				"path": dm.Path, "id": dm.ID, "member": dm.Member, "given": dm.Given, "computed": dm.Computed}}}
	case errors.As(err, &ve):
		errs := ve.Problems.Errors()
		return &problem{Status: http.StatusUnprocessableEntity, Type: verifier.ProblemMalformedValue,
			Title: "Invalid credential", Detail: errs.Err().Error(), Errors: errs}
	case errors.Is(err, issuer.ErrMalformed):
		return &problem{Status: http.StatusBadRequest, Type: verifier.ProblemParsing,
			Title: "Malformed credential", Detail: err.Error()}
	case errors.Is(err, issuer.ErrIssuerMismatch):
		return &problem{Status: http.StatusUnprocessableEntity, Type: verifier.ProblemMalformedValue,
			Title: "Wrong issuer", Detail: err.Error()}
	case errors.Is(err, issuer.ErrInvalidInput):
		return &problem{Status: http.StatusUnprocessableEntity, Type: verifier.ProblemProofTransformation,
			Title: "The credential cannot be signed", Detail: err.Error()}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &problem{Status: http.StatusServiceUnavailable, Detail: err.Error()}
	}
	if s.log != nil {
		s.log.ErrorContext(r.Context(), "issuing failed", "path", r.URL.Path, "err", err)
	}
	return &problem{Status: http.StatusInternalServerError, Type: verifier.ProblemProofGeneration,
		Title: "Signing failed", Detail: "the proof could not be created"}
}

// subjectAndAchievement returns credentialSubject.id and
// credentialSubject.achievement.id (of the first subject), for records.
func subjectAndAchievement(doc map[string]any) (subject, achievement string) {
	cs := doc["credentialSubject"]
	if a, ok := cs.([]any); ok && len(a) > 0 {
		cs = a[0]
	}
	m, _ := cs.(map[string]any)
	subject, _ = m["id"].(string)
	if a, ok := m["achievement"].(map[string]any); ok {
		achievement, _ = a["id"].(string)
	}
	return subject, achievement
}
