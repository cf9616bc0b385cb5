package verifier

import (
	"context"

	"github.com/microcred/openbadges/status"
)

// NewStatusChecker returns a status.Checker for Config.Status that fetches
// status lists from lists (nil: none is fetched, and every status is
// unknown, which fails) and verifies each list with a Verifier of cfg's
// configuration that checks no status of its own, so that a list's
// credentialStatus cannot make verification recurse, and is strict, since
// lenient mode relaxes some rules of a list in the status check itself,
// never a list that does not verify. The checker judges the lists'
// validity by cfg.Now. One checker may serve several verifiers (strict and
// lenient, say), which then share its memo of verified lists.
func NewStatusChecker(cfg Config, lists status.Fetcher) (*status.Checker, error) {
	listCfg := cfg
	listCfg.Status, listCfg.SkipStatus, listCfg.Lenient = nil, true, false
	lv, err := New(listCfg)
	if err != nil {
		return nil, err
	}
	return status.NewChecker(status.CheckerConfig{
		Fetcher: lists,
		VerifyList: func(ctx context.Context, list []byte) error {
			r, err := lv.Verify(ctx, list)
			if err != nil {
				return err
			}
			return r.Err()
		},
		Now: cfg.Now,
	})
}
