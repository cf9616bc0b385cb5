package main

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"

	"github.com/microcred/openbadges/obapi"
	"github.com/microcred/openbadges/status/sqlstore"
	"github.com/microcred/openbadges/vcapi"
	"github.com/microcred/openbadges/vcjwt"
	"github.com/microcred/openbadges/verifier"
)

// newOBAPI builds the Open Badges API of badge serve --ob-api on the --db
// database. Posted credentials are verified as the VC-API verifies them in
// lenient mode (the same keys, contexts and status lists), VC-JWTs
// included, since learners bring badges from any issuer.
func newOBAPI(ctx context.Context, db *sql.DB, d sqlstore.Dialect, base string, cfg vcapi.Config, logger *slog.Logger) (*obapi.Server, error) {
	suites := cfg.Suites
	if len(suites) == 0 {
		suites = vcapi.DefaultSuites
	}
	vc := verifier.Config{
		Suites:                      suites,
		Algorithms:                  []vcjwt.Algorithm{vcjwt.RS256, vcjwt.ES256, vcjwt.ES384, vcjwt.EdDSA},
		Resolver:                    cfg.Resolver,
		Loader:                      cfg.Loader,
		InsecureAllowInlineContexts: cfg.InsecureAllowInlineContexts,
		Lenient:                     true,
	}
	if cfg.StatusFetcher != nil {
		checker, err := verifier.NewStatusChecker(vc, cfg.StatusFetcher)
		if err != nil {
			return nil, err
		}
		vc.Status = checker
	} else {
		vc.SkipStatus = cfg.SkipStatus
	}
	v, err := verifier.New(vc)
	if err != nil {
		return nil, err
	}
	return obapi.New(ctx, obapi.Config{DB: db, Dialect: d, BaseURL: base, Verifier: v, Logger: logger})
}

// withOBAPI serves the Open Badges API's paths from ob and everything
// else from next.
func withOBAPI(ob *obapi.Server, next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(obapi.APIPath+"/", ob.Handler())
	mux.Handle(obapi.OAuthPath+"/", ob.Handler())
	mux.Handle("/", next)
	return mux
}
