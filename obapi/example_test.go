package obapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the caller imports the driver

	"github.com/microcred/openbadges/dataintegrity"
	"github.com/microcred/openbadges/obapi"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/verifier"
)

// Example hosts the Open Badges API on a SQLite database with one local
// learner account.
func Example() {
	dir, err := os.MkdirTemp("", "obapi-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open(sqlstore.DriverSQLite, sqlstore.SQLiteDSN(filepath.Join(dir, "badges.db")))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	v, err := verifier.New(verifier.Config{Suites: []dataintegrity.SuiteName{dataintegrity.SuiteEdDSARDFC2022}, Lenient: true})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	srv, err := obapi.New(ctx, obapi.Config{DB: db, Dialect: sqlstore.SQLite, BaseURL: "https://badges.example.edu", Verifier: v})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.Store().AddAccount(ctx, "ada", "a long password", 0); err != nil {
		log.Fatal(err)
	}
	var _ http.Handler = srv.Handler() // serve it at https://badges.example.edu/

	sdd := srv.ServiceDescription()
	oauth := sdd["components"].(map[string]any)["securitySchemes"].(map[string]any)["OAuth2ACG"].(map[string]any)
	fmt.Println(oauth["x-imssf-registrationUrl"])
	// Output:
	// https://badges.example.edu/oauth/register
}
