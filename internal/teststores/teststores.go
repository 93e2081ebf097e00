// Package teststores opens the three stores the library runs on (memstore,
// SQLite and PostgreSQL) for the tests of the process packages, so that a
// test runs the same on each, and with several hosts sharing one store.
//
//	teststores.Each(t, func(t *testing.T, db teststores.DB) {
//		a, b := db.Host(t), db.Host(t) // two hosts on one store
//		…
//	})
//
// PostgreSQL is used when ITIL_TEST_POSTGRES_DSN is set; each test gets a
// schema of its own, dropped when it ends. Without the variable the
// PostgreSQL runs are skipped, except with CI=true, where they fail.
package teststores

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // the SQLite driver

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// PostgresEnv names the variable holding the DSN of a PostgreSQL database
// in which the tests may create schemas.
const PostgresEnv = "ITIL_TEST_POSTGRES_DSN"

// DB is one empty database that a test opens once per host.
type DB struct {
	// Name is "memstore", "sqlite" or "postgres".
	Name string
	host func(t testing.TB) lifecycle.Store
}

// Host returns a new store on the database, as one more host process
// sharing it would open: a new connection pool on SQL databases, the same
// store on memstore (whose hosts are goroutines of one process).
func (db DB) Host(t testing.TB) lifecycle.Store {
	t.Helper()
	return db.host(t)
}

// Each runs f as a subtest on each store: memstore, SQLite, PostgreSQL.
func Each(t *testing.T, f func(t *testing.T, db DB)) {
	t.Helper()
	for _, b := range []struct {
		name string
		open func(testing.TB) DB
	}{{"memstore", Memstore}, {"sqlite", SQLite}, {"postgres", Postgres}} {
		t.Run(b.name, func(t *testing.T) { f(t, b.open(t)) })
	}
}

// Memstore returns a new memstore, shared by every host.
func Memstore(testing.TB) DB {
	st := memstore.New(memstore.Config{})
	return DB{Name: "memstore", host: func(testing.TB) lifecycle.Store { return st }}
}

// sqliteParams: wait for the write lock rather than fail, and let readers
// read while one connection writes.
const sqliteParams = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"

// Quiet is the stores' logger in tests.
var Quiet = slog.New(slog.DiscardHandler)

// SQLite returns a new SQLite file in the test's temporary directory,
// migrated.
func SQLite(t testing.TB) DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "itil.db") + sqliteParams
	migrated := false
	return DB{Name: "sqlite", host: func(t testing.TB) lifecycle.Store {
		t.Helper()
		db, err := sql.Open("sqlite", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		st := open(t, db, !migrated)
		migrated = true
		return st
	}}
}

// Postgres returns a new, empty schema in the test database, migrated, or
// skips the test when PostgresEnv is unset (fails it with CI=true).
func Postgres(t testing.TB) DB {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server and sets it)", PostgresEnv)
		}
		t.Skipf("PostgreSQL tests skipped: set %s (.ci/run shows how to start a server)", PostgresEnv)
	}
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err, "parse %s", PostgresEnv)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "itil_test_" + hex.EncodeToString(b[:])
	admin := stdlib.OpenDB(*cfg.Copy())
	_, err = admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	migrated := false
	return DB{Name: "postgres", host: func(t testing.TB) lifecycle.Store {
		t.Helper()
		c := cfg.Copy()
		c.RuntimeParams["search_path"] = schema
		db := stdlib.OpenDB(*c)
		db.SetMaxOpenConns(8) // parallel tests each have pools: stay within max_connections
		t.Cleanup(func() { db.Close() })
		st := open(t, db, !migrated)
		migrated = true
		return st
	}}
}

func open(t testing.TB, db *sql.DB, migrate bool) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.New(db, sqlstore.Config{Logger: Quiet})
	require.NoError(t, err)
	if migrate {
		require.NoError(t, st.Migrate(t.Context()))
	}
	t.Cleanup(func() { st.Close() })
	return st
}
