-- The Open Badges API's state: accounts, OAuth clients, authorization
-- requests, tokens (hashed), sessions (hashed), credentials and profiles.
-- Times are Unix microseconds.
CREATE TABLE ob_secrets (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE ob_accounts (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE ob_clients (
	id TEXT PRIMARY KEY,
	secret_hash TEXT NOT NULL,
	metadata TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE ob_auth_requests (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	data TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	user_id TEXT,
	auth_time BIGINT NOT NULL DEFAULT 0,
	code_hash TEXT UNIQUE,
	code_expires_at BIGINT NOT NULL DEFAULT 0,
	state INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ob_tokens (
	hash TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	family TEXT NOT NULL,
	client_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	scopes TEXT NOT NULL,
	auth_time BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used INTEGER NOT NULL DEFAULT 0,
	revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ob_tokens_family ON ob_tokens (family);
CREATE TABLE ob_sessions (
	hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE TABLE ob_credentials (
	user_id TEXT NOT NULL,
	issuer_id TEXT NOT NULL,
	credential_id TEXT NOT NULL,
	format TEXT NOT NULL,
	body TEXT NOT NULL,
	issued_at BIGINT NOT NULL,
	first_stored_at BIGINT NOT NULL,
	stored_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, issuer_id, credential_id)
);
CREATE INDEX ob_credentials_order ON ob_credentials (user_id, first_stored_at, issuer_id, credential_id);
CREATE TABLE ob_profiles (
	user_id TEXT PRIMARY KEY,
	body TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);
