package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/microcred/openbadges/credential"
	"github.com/microcred/openbadges/internal/strictjson"
)

// Type names of the status methods this package knows.
const (
	// Bitstring Status List v1.0 (W3C Recommendation, VC Data Model 2.0).
	TypeBitstringEntry      = "BitstringStatusListEntry"
	TypeBitstringCredential = "BitstringStatusListCredential"
	TypeBitstringList       = "BitstringStatusList"
	// StatusList2021 (W3C CCG report, the predecessor, often with VCDM 1.1).
	TypeStatusList2021Entry      = "StatusList2021Entry"
	TypeStatusList2021Credential = "StatusList2021Credential"
	TypeStatusList2021           = "StatusList2021"
	// 1EdTech Revocation List (VCRL-10), which OB 3.0 displayers must support.
	Type1EdTechRevocationList = "1EdTechRevocationList"
)

// Status purposes of Bitstring Status List §2.1.
const (
	PurposeRevocation = "revocation" // cancels validity; not reversible
	PurposeSuspension = "suspension" // temporarily invalid; reversible
	PurposeMessage    = "message"    // a status message, see statusMessage
	PurposeRefresh    = "refresh"    // a refreshed credential is available
)

// Message is one element of statusMessage: the status value in hex
// with a "0x" prefix, and a message for developers.
type Message struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// Entry is one credentialStatus entry.
type Entry struct {
	// ID is the entry's id: optional for Bitstring Status List entries (and
	// then must not be the list URL); for 1EdTechRevocationList the URL of
	// the revocation list.
	ID string
	// Type is TypeBitstringEntry, TypeStatusList2021Entry,
	// Type1EdTechRevocationList or another type.
	Type string
	// Purpose is the statusPurpose ("" for 1EdTechRevocationList).
	Purpose string
	// Index is statusListIndex.
	Index uint64
	// ListCredential is statusListCredential, the URL of the list.
	ListCredential string
	// Size is statusSize; 0 means 1.
	Size int
	// Messages is statusMessage.
	Messages []Message
	// Reference is statusReference, if any.
	Reference string
}

func (e Entry) size() int {
	if e.Size == 0 {
		return 1
	}
	return e.Size
}

// object returns the entry as the JSON object to put in credentialStatus
// (statusListIndex as a base-10 string, statusSize as a number, and only
// the members that are set).
func (e Entry) object() map[string]any {
	m := map[string]any{"type": e.Type}
	if e.ID != "" {
		m["id"] = e.ID
	}
	if e.Type == Type1EdTechRevocationList {
		return m
	}
	m["statusPurpose"] = e.Purpose
	m["statusListIndex"] = strconv.FormatUint(e.Index, 10)
	m["statusListCredential"] = e.ListCredential
	if e.Size > 1 {
		m["statusSize"] = json.Number(strconv.Itoa(e.Size))
	}
	if len(e.Messages) > 0 {
		msgs := make([]any, len(e.Messages))
		for i, sm := range e.Messages {
			msgs[i] = map[string]any{"status": sm.Status, "message": sm.Message}
		}
		m["statusMessage"] = msgs
	}
	if e.Reference != "" {
		m["statusReference"] = e.Reference
	}
	return m
}

// MarshalJSON writes the entry as the JSON object to put in
// credentialStatus: statusListIndex as a base-10 string, statusSize as a
// number, and only the members that are set.
func (e Entry) MarshalJSON() ([]byte, error) { return json.Marshal(e.object()) }

// CredentialStatus returns the entry in the credential package's model,
// for issuers that build credentials as credential.Credential.
func (e Entry) CredentialStatus() credential.CredentialStatus {
	cs := credential.CredentialStatus{
		ID:                   e.ID,
		Type:                 credential.One(e.Type),
		StatusPurpose:        e.Purpose,
		StatusListCredential: e.ListCredential,
	}
	if e.Type == Type1EdTechRevocationList {
		return cs
	}
	cs.Extra = map[string]json.RawMessage{}
	for k, v := range e.object() {
		switch k {
		case "id", "type", "statusPurpose", "statusListCredential":
			continue
		}
		b, _ := json.Marshal(v) // strings, numbers and string maps always marshal
		cs.Extra[k] = b
	}
	return cs
}

// ParseEntries reads the credentialStatus entries of the credential whose
// JSON is cred, read strictly (an error, and no entries, when cred is not a
// JSON object). It returns no entries when there is none. Each entry is
// read as far as its type allows; the error of an entry that cannot be read
// is returned in errs, at the same position, so that one bad entry does not
// hide the others.
func ParseEntries(cred []byte) (entries []Entry, errs []error, err error) {
	doc, err := decodeCredential(cred)
	if err != nil {
		return nil, nil, err
	}
	entries, errs = entriesOf(doc)
	return entries, errs, nil
}

// decodeCredential reads a credential's JSON strictly.
func decodeCredential(cred []byte) (map[string]any, error) {
	v, err := strictjson.Decode(cred, strictjson.Options{})
	doc, _ := v.(map[string]any)
	if doc == nil {
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return nil, &FieldError{Field: "credentialStatus", Kind: ErrMalformed, Err: err}
	}
	return doc, nil
}

// ParseEntry reads one credentialStatus entry from its JSON.
func ParseEntry(entry []byte) (Entry, error) {
	v, err := strictjson.Decode(entry, strictjson.Options{})
	if err != nil {
		return Entry{}, &FieldError{Field: "credentialStatus", Kind: ErrMalformed, Err: err}
	}
	return parseEntry(v, "credentialStatus")
}

// entriesOf is ParseEntries for a credential decoded from JSON.
func entriesOf(doc map[string]any) ([]Entry, []error) {
	v, ok := doc["credentialStatus"]
	if !ok || v == nil {
		return nil, nil
	}
	var items []any
	if arr, isArr := v.([]any); isArr {
		items = arr
	} else {
		items = []any{v}
	}
	entries := make([]Entry, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		path := "credentialStatus"
		if _, isArr := v.([]any); isArr {
			path = fmt.Sprintf("credentialStatus[%d]", i)
		}
		entries[i], errs[i] = parseEntry(it, path)
	}
	return entries, errs
}

func parseEntry(v any, path string) (Entry, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Entry{}, fieldErr(ErrMalformed, path, "must be an object")
	}
	var e Entry
	var err error
	if e.Type, err = singleType(m["type"], path+".type"); err != nil {
		return e, err
	}
	if id, present := m["id"]; present {
		if e.ID, ok = id.(string); !ok || e.ID == "" {
			return e, fieldErr(ErrMalformed, path+".id", "must be a non-empty string")
		}
	}
	switch e.Type {
	case TypeBitstringEntry, TypeStatusList2021Entry:
	case Type1EdTechRevocationList:
		if e.ID == "" {
			return e, fieldErr(ErrMalformed, path+".id", "the revocation list URL is required")
		}
		return e, nil
	default:
		return e, nil // unknown types are reported by the checker
	}
	if e.Purpose, ok = m["statusPurpose"].(string); !ok || e.Purpose == "" {
		return e, fieldErr(ErrMalformed, path+".statusPurpose", "must be a non-empty string")
	}
	if e.ListCredential, ok = m["statusListCredential"].(string); !ok || e.ListCredential == "" {
		return e, fieldErr(ErrMalformed, path+".statusListCredential", "must be a URL")
	}
	if !strings.Contains(e.ListCredential, ":") {
		return e, fieldErr(ErrMalformed, path+".statusListCredential", "must be an absolute URL")
	}
	if e.ID != "" && e.ID == e.ListCredential {
		return e, fieldErr(ErrMalformed, path+".id", "must not be the status list URL")
	}
	if e.Index, err = parseIndex(m["statusListIndex"], path+".statusListIndex"); err != nil {
		return e, err
	}
	if e.Type == TypeStatusList2021Entry {
		return e, nil
	}
	if sz, present := m["statusSize"]; present {
		n, ok := integer(sz)
		if !ok || n < 1 {
			return e, fieldErr(ErrMalformed, path+".statusSize", "must be an integer greater than zero")
		}
		if n > MaxStatusSize {
			return e, fieldErr(ErrMalformed, path+".statusSize", "%d bits is more than the %d supported", n, MaxStatusSize)
		}
		e.Size = int(n)
	}
	if sm, present := m["statusMessage"]; present {
		if e.Messages, err = parseMessages(sm, path+".statusMessage", e.size()); err != nil {
			return e, err
		}
	} else if e.size() > 1 {
		return e, fieldErr(ErrMalformed, path+".statusMessage", "required when statusSize is greater than 1")
	}
	if ref, present := m["statusReference"]; present {
		if s, ok := ref.(string); ok {
			e.Reference = s
		}
	}
	return e, nil
}

// singleType returns the one type name of a credentialStatus entry ("type"
// may be a one-element array in compacted forms).
func singleType(v any, path string) (string, error) {
	switch t := v.(type) {
	case string:
		if t != "" {
			return t, nil
		}
	case []any:
		if len(t) == 1 {
			if s, ok := t[0].(string); ok && s != "" {
				return s, nil
			}
		}
		return "", fieldErr(ErrMalformed, path, "exactly one type is expected")
	}
	return "", fieldErr(ErrMalformed, path, "must be a string")
}

// parseIndex reads statusListIndex: "an arbitrary size integer greater
// than or equal to 0, expressed as a string in base 10". Signs, exponents,
// fractions and leading zeros are malformed; integers too large for any
// list are out of range. JSON numbers are accepted too, as long as they
// are exact non-negative integers: 1EdTech's own fixtures use them.
func parseIndex(v any, path string) (uint64, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = string(t)
	case float64:
		if t < 0 || t != float64(uint64(t)) || t >= 1<<53 {
			return 0, fieldErr(ErrMalformed, path, "must be a non-negative integer")
		}
		return uint64(t), nil
	case nil:
		return 0, fieldErr(ErrMalformed, path, "required")
	default:
		return 0, fieldErr(ErrMalformed, path, "must be a string of base-10 digits")
	}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fieldErr(ErrMalformed, path, "%q is not a string of base-10 digits", truncate(s))
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fieldErr(ErrMalformed, path, "%q has leading zeros", truncate(s))
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fieldErr(ErrRange, path, "%q is larger than any status list", truncate(s))
	}
	return n, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// integer reads a JSON integer (json.Number or float64).
func integer(v any) (int64, bool) {
	switch t := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(t), 10, 64)
		if err != nil {
			return 0, false
		}
		return n, true
	case float64:
		if t != float64(int64(t)) {
			return 0, false
		}
		return int64(t), true
	}
	return 0, false
}

func parseMessages(v any, path string, size int) ([]Message, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fieldErr(ErrMalformed, path, "must be an array")
	}
	if want := 1 << size; len(arr) != want {
		return nil, fieldErr(ErrMalformed, path, "has %d elements, statusSize %d requires %d", len(arr), size, want)
	}
	msgs := make([]Message, len(arr))
	for i, it := range arr {
		p := fmt.Sprintf("%s[%d]", path, i)
		m, ok := it.(map[string]any)
		if !ok {
			return nil, fieldErr(ErrMalformed, p, "must be an object")
		}
		st, ok1 := m["status"].(string)
		msg, ok2 := m["message"].(string)
		if !ok1 || !ok2 {
			return nil, fieldErr(ErrMalformed, p, "status and message must be strings")
		}
		if _, err := parseHexStatus(st); err != nil {
			return nil, fieldErr(ErrMalformed, p+".status", "%q is not a 0x-prefixed hexadecimal value", truncate(st))
		}
		msgs[i] = Message{Status: st, Message: msg}
	}
	return msgs, nil
}

func parseHexStatus(s string) (uint64, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || h == "" || len(h) > 16 {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseUint(h, 16, 64)
}

// messageFor returns the message for value: from statusMessage, else "set"
// or "unset" as §2.1 says for statusSize 1.
func messageFor(msgs []Message, value uint64) (string, bool) {
	if len(msgs) == 0 {
		switch value {
		case 0:
			return "unset", true
		case 1:
			return "set", true
		}
		return "", false
	}
	for _, m := range msgs {
		if v, err := parseHexStatus(m.Status); err == nil && v == value {
			return m.Message, true
		}
	}
	return "", false
}
