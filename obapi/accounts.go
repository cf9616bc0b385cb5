package obapi

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Account is a learner who signs in to authorize clients. Its ID is the
// subject of the tokens and the key of its credentials and profile.
type Account struct {
	ID       string
	Username string
}

// Authenticator checks a learner's username and password. The Store's
// local accounts implement it; a deployment plugs its own single sign-on
// in through Config.Authenticator. Authenticate returns an error wrapping
// ErrBadCredentials for a wrong username or password, which the login
// page reports without saying which.
type Authenticator interface {
	Authenticate(ctx context.Context, username, password string) (Account, error)
}

// DefaultPasswordCost is the bcrypt cost of local passwords.
const DefaultPasswordCost = 12

// Username and password limits. bcrypt reads at most 72 bytes of a
// password, so a longer one is refused rather than silently cut.
const (
	MaxUsernameBytes = 128
	MinPasswordBytes = 8
	MaxPasswordBytes = 72
)

// AddAccount creates a local account with a bcrypt hash of password (cost
// 0 means DefaultPasswordCost). A taken username gives ErrConflict.
func (s *Store) AddAccount(ctx context.Context, username, password string, cost int) (Account, error) {
	switch {
	case username == "" || len(username) > MaxUsernameBytes || !utf8.ValidString(username):
		return Account{}, fmt.Errorf("%w: username: 1 to %d bytes of UTF-8", ErrConfig, MaxUsernameBytes)
	case len(password) < MinPasswordBytes || len(password) > MaxPasswordBytes:
		return Account{}, fmt.Errorf("%w: password: %d to %d bytes", ErrConfig, MinPasswordBytes, MaxPasswordBytes)
	}
	if cost == 0 {
		cost = DefaultPasswordCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return Account{}, fmt.Errorf("%w: password: %w", ErrConfig, err)
	}
	a := Account{ID: newUUID(), Username: username}
	n, err := s.exec(ctx, "adding an account",
		"INSERT INTO ob_accounts (id, username, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
		a.ID, username, string(hash), micros(s.now()))
	if err != nil {
		return Account{}, err
	}
	if n == 0 {
		return Account{}, fmt.Errorf("%w: the username %q is taken", ErrConflict, username)
	}
	return a, nil
}

// dummyHash is compared against when the username is unknown, so that a
// wrong username takes as long as a wrong password. It is made on first
// use, not when a program importing the package starts.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such account, no such password"), DefaultPasswordCost)
	return h
})

// Authenticate implements Authenticator with the local accounts.
func (s *Store) Authenticate(ctx context.Context, username, password string) (Account, error) {
	var a Account
	var hash string
	err := s.db.QueryRowContext(ctx, s.q("SELECT id, username, password_hash FROM ob_accounts WHERE username = ?"), username).
		Scan(&a.ID, &a.Username, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return Account{}, ErrBadCredentials
	}
	if err != nil {
		return Account{}, unavailable("reading an account", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Account{}, ErrBadCredentials
	}
	return a, nil
}

// AccountByID returns the local account id (ErrNotFound if none).
func (s *Store) AccountByID(ctx context.Context, id string) (Account, error) {
	var a Account
	err := s.db.QueryRowContext(ctx, s.q("SELECT id, username FROM ob_accounts WHERE id = ?"), id).Scan(&a.ID, &a.Username)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: account %s", ErrNotFound, id)
	}
	if err != nil {
		return Account{}, unavailable("reading an account", err)
	}
	return a, nil
}
