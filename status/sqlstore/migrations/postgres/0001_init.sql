-- 0001: status lists, issuance records, status changes, publications.
CREATE TABLE status_lists (
	id            TEXT PRIMARY KEY,
	issuer        TEXT NOT NULL,
	purpose       TEXT NOT NULL,
	entries       BIGINT NOT NULL CHECK (entries > 0),
	status_size   INTEGER NOT NULL CHECK (status_size > 0),
	messages      TEXT NOT NULL,
	ttl_ms        BIGINT NOT NULL,
	valid_for_ms  BIGINT NOT NULL,
	seed          BYTEA NOT NULL,
	allocated     BIGINT NOT NULL CHECK (allocated >= 0 AND allocated <= entries),
	reserved_from BIGINT NOT NULL DEFAULT 0,
	bits          BYTEA NOT NULL,
	version       BIGINT NOT NULL DEFAULT 0,
	created_at    BIGINT NOT NULL
);
CREATE TABLE issuance_records (
	seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	record_id      TEXT NOT NULL UNIQUE,
	credential_id  TEXT NOT NULL,
	issuer         TEXT NOT NULL,
	subject_id     TEXT NOT NULL,
	achievement_id TEXT NOT NULL,
	issued_at      BIGINT NOT NULL,
	request_id     TEXT NOT NULL
);
CREATE INDEX issuance_records_credential ON issuance_records (credential_id);
CREATE INDEX issuance_records_subject ON issuance_records (subject_id);
CREATE INDEX issuance_records_achievement ON issuance_records (achievement_id);
CREATE TABLE record_entries (
	record_id  TEXT NOT NULL REFERENCES issuance_records (record_id),
	purpose    TEXT NOT NULL,
	list_id    TEXT NOT NULL,
	list_index BIGINT NOT NULL,
	PRIMARY KEY (list_id, list_index)
);
CREATE INDEX record_entries_record ON record_entries (record_id);
CREATE TABLE status_changes (
	seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	list_id       TEXT NOT NULL,
	list_index    BIGINT NOT NULL,
	old_value     BIGINT NOT NULL,
	new_value     BIGINT NOT NULL,
	changed_at    BIGINT NOT NULL,
	reason        TEXT NOT NULL,
	request_id    TEXT NOT NULL,
	actor         TEXT NOT NULL,
	credential_id TEXT NOT NULL
);
CREATE INDEX status_changes_entry ON status_changes (list_id, list_index);
CREATE TABLE status_publications (
	list_id    TEXT PRIMARY KEY,
	version    BIGINT NOT NULL,
	credential BYTEA NOT NULL,
	signed_at  BIGINT NOT NULL
);
