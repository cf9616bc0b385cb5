package vcapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/microcred/openbadges/status"
	"github.com/microcred/openbadges/verifier"
)

// statusUpdateRequest is the body of POST /credentials/status (VC-API
// UpdateCredentialStatus): the id of a credential this server issued with
// a status entry, and the statuses to set.
type statusUpdateRequest struct {
	CredentialID string `json:"credentialId"`
	// CredentialStatus is one statusUpdate or an array of them.
	CredentialStatus json.RawMessage `json:"credentialStatus"`
	// Reason, optional, is recorded with the change (by stores that keep
	// a history).
	Reason string `json:"reason"`
}

// statusUpdate sets one status. Type is a status purpose ("revocation",
// "suspension") or a status type (BitstringStatusListEntry,
// BitstringStatusListCredential, …), in which case StatusPurpose, if any,
// picks the entry and otherwise every entry of the credential is set.
// Status is true or false, as a JSON boolean, number or string ("true",
// "1", "revoked", "suspended"; "false", "0", "active"); absent, it is true,
// as in the request the Bitstring Status List suite sends to revoke:
// {"credentialId", "credentialStatus": {"type":
// "BitstringStatusListEntry", "statusPurpose": "revocation"}}.
type statusUpdate struct {
	Type          string          `json:"type"`
	StatusPurpose string          `json:"statusPurpose"`
	Status        json.RawMessage `json:"status"`
}

func (s *Server) getStatusList(w http.ResponseWriter, r *http.Request) {
	sl, ok := s.list(r.Context(), r.PathValue("list"))
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no status list %q", r.PathValue("list"))})
		return
	}
	pub, err := s.publish(r.Context(), sl)
	if err != nil {
		writeProblem(w, s.storeProblem(r, "publishing the status list", err))
		return
	}
	// Signed once per change of its bits; clients revalidate with the ETag.
	if s.maxAge > 0 {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int64(s.maxAge/time.Second)))
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", pub.etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, pub.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	// Plain JSON: every client parses it (some parse only application/json).
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(pub.signed)
}

// publishStatusList answers the "publish" request of the Bitstring Status
// List suite (POST {statusListCredential}/publish) with 204: a list is
// signed again on the first GET after its bits change, so a change is
// public as soon as it is made.
// It needs a token of the list's issuer.
func (s *Server) publishStatusList(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	sl, ok := s.list(r.Context(), r.PathValue("list"))
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no status list %q", r.PathValue("list"))})
		return
	}
	if !authorize(w, tok, sl.owner.name) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request, name string) {
	is, ok := s.issuers[name]
	if !ok {
		writeProblem(w, &problem{Status: http.StatusNotFound, Detail: fmt.Sprintf("no issuer %q", name)})
		return
	}
	bad := func(code int, format string, a ...any) {
		writeProblem(w, &problem{Status: code, Type: verifier.ProblemMalformedValue, Detail: fmt.Sprintf(format, a...)})
	}
	noLists := func() bool {
		if is.lists == nil {
			bad(http.StatusNotFound, "this server keeps no status lists")
		}
		return is.lists == nil
	}
	// An unreadable body is reported first (413, 415), then a server
	// without lists (404), then a malformed request (400).
	var req statusUpdateRequest
	if !s.readRequest(w, r, &req, func(err error) {
		if !noLists() {
			bad(http.StatusBadRequest, "%v", err)
		}
	}) || noLists() {
		return
	}
	updates, err := readStatusUpdates(req.CredentialStatus)
	if err != nil || req.CredentialID == "" {
		if err == nil {
			err = errors.New("credentialId is required")
		}
		bad(http.StatusBadRequest, "%v", err)
		return
	}
	rec, err := s.index.Get(r.Context(), name, req.CredentialID)
	if err != nil {
		writeProblem(w, s.storeProblem(r, "reading the status index", err))
		return
	}
	var allocs []allocation
	if rec != nil {
		for _, e := range rec.Entries {
			// By URL: a list of the same name under another base URL is
			// another list.
			if sl, ok := s.listByID(r.Context(), is, e.List); ok {
				allocs = append(allocs, allocation{list: sl, index: e.Index})
			}
		}
	}
	if allocs == nil {
		bad(http.StatusNotFound, "credential %q was not issued with a status entry by this issuer", req.CredentialID)
		return
	}
	type change struct {
		a   allocation
		set bool
	}
	var changes []change
	for i, u := range updates {
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
	ctx := status.WithChangeInfo(r.Context(), status.ChangeInfo{RequestID: requestID(r), CredentialID: req.CredentialID,
		Reason: req.Reason, Actor: "vcapi " + r.RemoteAddr})
	for _, c := range changes {
		var err error
		switch {
		case c.a.list.purpose == status.PurposeRevocation && c.set:
			err = is.lists.Revoke(ctx, c.a.list.id, c.a.index)
		case c.a.list.purpose == status.PurposeRevocation:
			var v uint64
			if v, err = is.lists.Value(r.Context(), c.a.list.id, c.a.index); err == nil && v != 0 {
				err = status.ErrIrreversible
			}
		case c.set:
			err = is.lists.Suspend(ctx, c.a.list.id, c.a.index)
		default:
			err = is.lists.Reinstate(ctx, c.a.list.id, c.a.index)
		}
		if errors.Is(err, status.ErrIrreversible) {
			bad(http.StatusConflict, "the credential is revoked; revocation cannot be undone")
			return
		}
		if err != nil {
			writeProblem(w, s.storeProblem(r, "updating the status", err))
			return
		}
		if s.metrics != nil && (c.set || c.a.list.purpose == status.PurposeSuspension) {
			state := "reinstated"
			if c.set {
				state = map[string]string{status.PurposeRevocation: "revoked", status.PurposeSuspension: "suspended"}[c.a.list.purpose]
			}
			s.metrics.StatusChanged(name, c.a.list.purpose, state)
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

// readStatusUpdates reads credentialStatus: one update or an array.
func readStatusUpdates(raw json.RawMessage) ([]statusUpdate, error) {
	t := bytes.TrimSpace(raw)
	var us []statusUpdate
	switch {
	case len(t) == 0 || bytes.Equal(t, []byte("null")):
		return nil, errors.New("credentialStatus is required")
	case t[0] == '[':
		if err := json.Unmarshal(t, &us); err != nil {
			return nil, fmt.Errorf("credentialStatus: %v", err)
		}
	case t[0] == '{':
		var u statusUpdate
		if err := json.Unmarshal(t, &u); err != nil {
			return nil, fmt.Errorf("credentialStatus: %v", err)
		}
		us = []statusUpdate{u}
	default:
		return nil, errors.New("credentialStatus must be an object or an array of objects")
	}
	if len(us) == 0 {
		return nil, errors.New("credentialStatus is empty")
	}
	return us, nil
}

// parseStatusValue reads a status to set: true (revoked or suspended) or
// false. No value means true.
func parseStatusValue(raw json.RawMessage) (bool, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return true, nil
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
