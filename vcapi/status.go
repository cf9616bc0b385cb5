package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// statusUpdateRequest is the body of POST /credentials/status (VC-API
// UpdateCredentialStatus): the id of a credential this server issued with
// a status entry, and the statuses to set.
type statusUpdateRequest struct {
	CredentialID     string         `json:"credentialId"`
	CredentialStatus []statusUpdate `json:"credentialStatus"`
}

// statusUpdate sets one status. Type is a status purpose ("revocation",
// "suspension") or a status type (BitstringStatusListEntry,
// BitstringStatusListCredential, …), in which case StatusPurpose, if any,
// picks the entry and otherwise every entry of the credential is set.
// Status is true or false, as a JSON boolean, number or string ("true",
// "1", "revoked", "suspended"; "false", "0", "active").
type statusUpdate struct {
	Type          string          `json:"type"`
	StatusPurpose string          `json:"statusPurpose"`
	Status        json.RawMessage `json:"status"`
}

func (s *Server) getStatusList(w http.ResponseWriter, r *http.Request) {
	sl, ok := s.lists[r.PathValue("list")]
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no status list %q", r.PathValue("list"))})
		return
	}
	b, err := sl.owner.lists.Publish(r.Context(), sl.id)
	if err != nil {
		if s.log != nil {
			s.log.ErrorContext(r.Context(), "publishing a status list failed", "list", sl.id, "err", err)
		}
		writeProblem(w, &problem{Status: http.StatusInternalServerError, Detail: "the status list could not be published"})
		return
	}
	w.Header().Set("Cache-Control", "no-store") // statuses change at any time during a test run
	w.Header().Set("Content-Type", "application/vc+ld+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request, name string) {
	is, ok := s.issuers[name]
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no issuer %q", name)})
		return
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	bad := func(code int, format string, a ...any) {
		writeProblem(w, &problem{Status: code, Type: verifier.ProblemMalformedValue, Detail: fmt.Sprintf(format, a...)})
	}
	if is.lists == nil {
		bad(http.StatusNotFound, "this server keeps no status lists")
		return
	}
	var req statusUpdateRequest
	if err := decodeRequest(body, &req); err != nil {
		bad(http.StatusBadRequest, "%v", err)
		return
	}
	if req.CredentialID == "" || len(req.CredentialStatus) == 0 {
		bad(http.StatusBadRequest, "credentialId and credentialStatus are required")
		return
	}
	s.mu.Lock()
	allocs := s.allocated[name+"\x00"+req.CredentialID]
	s.mu.Unlock()
	if allocs == nil {
		bad(http.StatusNotFound, "credential %q was not issued with a status entry by this issuer (since the server started)", req.CredentialID)
		return
	}
	type change struct {
		a   allocation
		set bool
	}
	var changes []change
	for i, u := range req.CredentialStatus {
		set, err := parseStatusValue(u.Status)
		if err != nil {
			bad(http.StatusBadRequest, "credentialStatus[%d].status: %v", i, err)
			return
		}
		purpose := u.StatusPurpose
		if u.Type == status.PurposeRevocation || u.Type == status.PurposeSuspension {
			purpose = u.Type
		} else if u.Type != "" && !strings.Contains(u.Type, "StatusList") {
			bad(http.StatusBadRequest, "credentialStatus[%d].type %q: give a status purpose or a status list type", i, u.Type)
			return
		}
		n := 0
		for _, a := range allocs {
			if purpose == "" || a.list.purpose == purpose {
				changes = append(changes, change{a, set})
				n++
			}
		}
		if n == 0 {
			bad(http.StatusBadRequest, "credentialStatus[%d]: the credential has no %s entry", i, purpose)
			return
		}
	}
	for _, c := range changes {
		var err error
		switch {
		case c.a.list.purpose == status.PurposeRevocation && c.set:
			err = is.lists.Revoke(r.Context(), c.a.list.id, c.a.index)
		case c.a.list.purpose == status.PurposeRevocation:
			var v uint64
			if v, err = is.lists.Value(r.Context(), c.a.list.id, c.a.index); err == nil && v != 0 {
				err = status.ErrIrreversible
			}
		case c.set:
			err = is.lists.Suspend(r.Context(), c.a.list.id, c.a.index)
		default:
			err = is.lists.Reinstate(r.Context(), c.a.list.id, c.a.index)
		}
		if errors.Is(err, status.ErrIrreversible) {
			bad(http.StatusConflict, "the credential is revoked; revocation cannot be undone")
			return
		}
		if err != nil {
			if s.log != nil {
				s.log.ErrorContext(r.Context(), "status update failed", "list", c.a.list.id, "err", err)
			}
			writeProblem(w, &problem{Status: http.StatusInternalServerError, Detail: "the status could not be updated"})
			return
		}
	}
	out := make([]map[string]any, 0, len(allocs))
	for _, a := range allocs {
		v, err := is.lists.Value(r.Context(), a.list.id, a.index)
		if err != nil {
			continue
		}
		out = append(out, map[string]any{
			"type": status.TypeBitstringEntry, "statusPurpose": a.list.purpose,
			"statusListCredential": a.list.id, "statusListIndex": fmt.Sprint(a.index), "status": v != 0,
		})
	}
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"credentialId": req.CredentialID, "credentialStatus": out})
}

// parseStatusValue reads a status to set: true (revoked or suspended) or
// false.
func parseStatusValue(raw json.RawMessage) (bool, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return false, errors.New("missing")
	}
	var v any
	if err := json.Unmarshal(t, &v); err != nil {
		return false, err
	}
	switch x := v.(type) {
	case bool:
		return x, nil
	case float64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		switch strings.ToLower(x) {
		case "true", "1", "0x1", "revoked", "suspended":
			return true, nil
		case "false", "0", "0x0", "active", "valid", "reinstated":
			return false, nil
		}
	}
	return false, fmt.Errorf("%s is not a status (true or false)", t)
}
