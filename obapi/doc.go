// Package obapi is the Open Badges 3.0 API: the resource server under
// /ims/ob/v3p0/ (getCredentials, upsertCredential, getProfile, putProfile,
// getServiceDescription) with the OAuth 2.0 authorization server that
// guards it, under /oauth/: dynamic client registration (RFC 7591 as the
// Open Badges specification profiles it), the authorization code grant
// with PKCE S256 only, refresh tokens rotated on every use (a refresh
// token used twice revokes its whole grant), token revocation (RFC 7009),
// and the learner's sign-in and consent pages.
//
// Learners sign in with local accounts (Store.AddAccount, bcrypt) or
// through any Authenticator. Everything is kept in a SQL database, SQLite
// or PostgreSQL, beside the tables of status/sqlstore; tokens, codes,
// client secrets and session ids are stored only as hashes. The package
// imports no database driver: the caller opens the *sql.DB.
//
// A credential posted to the API is verified (Config.Verifier) before it
// is stored; one that does not verify is refused and nothing is stored.
//
// The OAuth 2.0 protocol is run by github.com/zitadel/oidc's op package,
// on this package's storage (Store), which adds what the protocol leaves
// to storage: single-use, short-lived codes, S256 required, rotation and
// reuse detection, exact redirect URIs.
package obapi
