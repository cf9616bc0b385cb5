package vcapi

import (
	"context"
	"sync"
	"time"
)

// StatusRecord says where the status entries of an issued credential are,
// so that POST /credentials/status can find them from the credential's id.
type StatusRecord struct {
	// Issuer is the issuer's Name ("" for the issuer at /credentials/issue).
	Issuer string `json:"issuer"`
	// CredentialID is the credential's id (or options.credentialId).
	CredentialID string `json:"credentialId"`
	// Entries are the credential's status entries.
	Entries []StatusRecordEntry `json:"entries"`
	// IssuerID is the issuer's id (its DID).
	IssuerID string `json:"issuerId,omitempty"`
	// SubjectID is credentialSubject.id, the learner, if any.
	SubjectID string `json:"subjectId,omitempty"`
	// AchievementID is credentialSubject.achievement.id, if any.
	AchievementID string `json:"achievementId,omitempty"`
	// RequestID identifies the request that issued the credential.
	RequestID string `json:"requestId,omitempty"`
	// IssuedAt is when it was issued.
	IssuedAt time.Time `json:"issuedAt,omitzero"`
}

// StatusRecordEntry is one status entry of a credential: the list's URL
// (its statusListCredential) and the index in it.
type StatusRecordEntry struct {
	List  string `json:"statusListCredential"`
	Index uint64 `json:"statusListIndex"`
	// Purpose is the list's statusPurpose.
	Purpose string `json:"statusPurpose,omitempty"`
}

// StatusIndex remembers the StatusRecord of every credential issued with a
// status entry. Implementations must be safe for concurrent use.
type StatusIndex interface {
	// Put records r, replacing any record of the same issuer and
	// credential id.
	Put(ctx context.Context, r StatusRecord) error
	// Get returns the record of a credential, or nil (and no error) when
	// there is none.
	Get(ctx context.Context, issuer, credentialID string) (*StatusRecord, error)
}

// MemoryStatusIndex is a StatusIndex in memory: records last as long as
// the process. The zero value is ready to use.
type MemoryStatusIndex struct {
	mu sync.Mutex
	m  map[string]StatusRecord
}

// Put implements StatusIndex.
func (x *MemoryStatusIndex) Put(_ context.Context, r StatusRecord) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.m == nil {
		x.m = map[string]StatusRecord{}
	}
	r.Entries = append([]StatusRecordEntry(nil), r.Entries...)
	x.m[r.Issuer+"\x00"+r.CredentialID] = r
	return nil
}

// Get implements StatusIndex.
func (x *MemoryStatusIndex) Get(_ context.Context, issuer, credentialID string) (*StatusRecord, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	r, ok := x.m[issuer+"\x00"+credentialID]
	if !ok {
		return nil, nil
	}
	r.Entries = append([]StatusRecordEntry(nil), r.Entries...)
	return &r, nil
}
