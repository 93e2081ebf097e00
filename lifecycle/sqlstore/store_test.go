package sqlstore_test

import (
	"testing"

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/storetest"
)

func TestSQLiteConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) lifecycle.Store {
		return newStore(t, sqliteTarget(t))
	})
}

func TestPostgresConformance(t *testing.T) {
	t.Parallel()
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) lifecycle.Store {
		return newStore(t, postgresTarget(t))
	})
}
