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
	}, storetest.WithHosts(hostsOn(sqliteTarget)))
}

func TestPostgresConformance(t *testing.T) {
	t.Parallel()
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) lifecycle.Store {
		return newStore(t, postgresTarget(t))
	}, storetest.WithHosts(hostsOn(postgresTarget)))
}

// hostsOn returns the suite's way to open one new database of target from
// several hosts: each host a store on a pool of its own (Migrate finds
// the schema current after the first).
func hostsOn(target func(testing.TB) target) func(t *testing.T) func() lifecycle.Store {
	return func(t *testing.T) func() lifecycle.Store {
		tg := target(t)
		return func() lifecycle.Store { return newStore(t, tg) }
	}
}
