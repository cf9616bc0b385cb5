//go:build js

package main

import (
	_ "github.com/jackc/pgx/v5/stdlib" // postgres://…; SQLite is not available on js/wasm
)
