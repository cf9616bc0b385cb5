package sqlstore_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/microcred/openbadges/internal/storetest"
	"github.com/microcred/openbadges/status"
)

// TestConformance runs the store suite against every store: the memory
// and file stores of package status, and this package's on SQLite and on
// PostgreSQL.
func TestConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) status.Store { return status.NewMemoryStore() })
	})
	t.Run("file", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) status.Store {
			s, err := status.NewFileStore(t.TempDir())
			require.NoError(t, err)
			return s
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) status.Store { return storetest.NewSQLiteStore(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		storetest.Run(t, func(t *testing.T) status.Store { return storetest.NewPostgresStore(t) })
	})
}
