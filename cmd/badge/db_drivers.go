//go:build !js

package main

// The database drivers of --db: only the command imports them, so that
// the library stays free of them (and builds for js/wasm, where the SQLite
// driver does not).
import (
	_ "github.com/jackc/pgx/v5/stdlib" // postgres://… (database/sql driver "pgx")
	_ "modernc.org/sqlite"             // sqlite:PATH (pure Go, driver "sqlite")
)
