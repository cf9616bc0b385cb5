package status

import (
	"context"
	"errors"
)

// ErrUnavailable marks a Store that cannot be reached or cannot write
// (a database that is down, refuses the credentials, or has no space
// left). The request may succeed later: servers answer 503, not 500, and
// say nothing of the cause to the client.
var ErrUnavailable = errors.New("status: store unavailable")

// ChangeInfo says why and for whom a status is changed. Stores that keep
// a history of status changes (a database store) record it with each
// change; the others ignore it.
type ChangeInfo struct {
	// Reason is why the status is changed, in the operator's words.
	Reason string `json:"reason,omitempty"`
	// RequestID identifies the request that asked for the change.
	RequestID string `json:"requestId,omitempty"`
	// Actor is who asked (an account, a client, a command).
	Actor string `json:"actor,omitempty"`
	// CredentialID is the credential whose status changes, when known.
	CredentialID string `json:"credentialId,omitempty"`
}

type changeInfoKey struct{}

// WithChangeInfo returns ctx carrying info, for the Store to record with
// the status changes made under ctx.
func WithChangeInfo(ctx context.Context, info ChangeInfo) context.Context {
	return context.WithValue(ctx, changeInfoKey{}, info)
}

// ChangeInfoFrom returns the ChangeInfo ctx carries (the zero value if none).
func ChangeInfoFrom(ctx context.Context) ChangeInfo {
	info, _ := ctx.Value(changeInfoKey{}).(ChangeInfo)
	return info
}
