// Package sqlstore keeps an issuer's state in a SQL database through
// database/sql: the status lists (it is a status.Store), a record of every
// credential issued with a status entry, the history of every status
// change, and the signed status list credentials as last published.
//
// SQLite is the embedded default and PostgreSQL serves several issuing
// servers sharing one database. The package takes a *sql.DB and a Dialect
// and imports no driver, so that it stays free of cgo and builds for every
// target the library does; programs import the driver they use
// (modernc.org/sqlite registers "sqlite", github.com/jackc/pgx/v5/stdlib
// registers "pgx"; ParseDSN maps "sqlite:PATH" and "postgres://…" to them).
//
// # Schema
//
// Open applies the pending migrations embedded in the package, in order, in
// one transaction recorded in the schema_migrations table, under a lock
// (PostgreSQL advisory lock, SQLite write transaction) so that servers
// starting together migrate once. Migrations only go forward. A database
// whose schema is newer than this package knows is refused
// (ErrSchemaTooNew) before anything is read or written. Schema runs another
// package's history the same way, in its own table under its own lock
// (obapi's tables live beside these).
//
// # Durability
//
// Every change is committed before the method returns: an index Reserve or
// ReserveN returned, a record AddRecords stored, a status SetStatus set
// survive a crash of the process (kill -9) at any moment, and a
// transaction cut short leaves nothing behind. A counter value is handed
// out once, by a single UPDATE … RETURNING, and the list's index is derived
// from it by the status package's keyed permutation, so indexes are spread
// at random over the list (herd privacy), never reused, and no two servers
// sharing the database get the same one; record_entries has (list, index)
// as its primary key, so a reuse could not even be recorded. SQLite must
// be opened with the settings of SQLiteDSN (WAL, synchronous FULL, a busy
// timeout for the processes sharing the file, foreign keys).
//
// A revocation is final: SetStatus reads the bits and writes them in one
// transaction that holds the list's row (the first statement is the write
// that locks it), and refuses to clear a set entry of a revocation list
// (status.ErrIrreversible). Each change that alters a bit is recorded in
// status_changes, with the status.ChangeInfo (reason, request, actor) the
// context carries, and bumps the list's version, which is what publishers
// compare to tell whether the signed list is stale.
//
// # Errors and secrets
//
// A database that cannot be reached or written (down, wrong password, read
// only, disk full) gives errors wrapping status.ErrUnavailable: servers
// answer 503 and log the cause, which may name hosts and files, without
// showing it to clients. Bad arguments give *status.FieldError values
// naming the field. The lists' seeds, from which allocation order can be
// recovered, and the records, which name learners, are as confidential as
// the database: give its credentials only to the issuer.
package sqlstore
