package sqlstore_test

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
	_ "modernc.org/sqlite"

	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// postgresEnv names the variable that holds the DSN of the PostgreSQL
// database the tests may use. Each test makes its own schema in it and drops
// it afterwards.
const postgresEnv = "ITIL_TEST_POSTGRES_DSN"

// sqliteParams are the connection parameters of the tests' SQLite files:
// wait for the write lock rather than fail, and let readers read while one
// connection writes.
const sqliteParams = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"

// target is one empty database that a test may open several times, as
// several host processes would.
type target struct {
	name string
	// open returns a new pool on the database, closed when the test ends.
	open func() *sql.DB
}

// sqliteTarget returns a new SQLite file in the test's temporary directory.
func sqliteTarget(t testing.TB) target {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "itil.db") + sqliteParams
	return target{name: "sqlite", open: func() *sql.DB {
		db, err := sql.Open("sqlite", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}}
}

// postgresDSN returns the test database's DSN. Without it the test is
// skipped, except in CI, where every test must run.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn != "" {
		return dsn
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server and sets it)", postgresEnv)
	}
	t.Skipf("PostgreSQL tests skipped: set %s to a database the tests may create schemas in, "+
		"such as postgres://postgres@127.0.0.1:54329/itil_test?sslmode=disable (.ci/run shows how to start one)", postgresEnv)
	return ""
}

// postgresTarget returns a new, empty schema in the test database, dropped
// when the test ends; the pools that open returns use it as search_path.
func postgresTarget(t testing.TB) target {
	t.Helper()
	dsn := postgresDSN(t)
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err, "parse %s", postgresEnv)
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
	return target{name: "postgres", open: func() *sql.DB {
		c := cfg.Copy()
		c.RuntimeParams["search_path"] = schema
		db := stdlib.OpenDB(*c)
		// Parallel tests each have a pool: keep them inside the server's
		// max_connections.
		db.SetMaxOpenConns(8)
		t.Cleanup(func() { db.Close() })
		return db
	}}
}

// quiet is the tests' logger.
var quiet = slog.New(slog.DiscardHandler)

// newStore opens tg, makes a store on it and migrates it.
func newStore(t testing.TB, tg target) *sqlstore.Store {
	t.Helper()
	return openStore(t, tg.open(), sqlstore.Config{})
}

// openStore makes a migrated store on db.
func openStore(t testing.TB, db *sql.DB, cfg sqlstore.Config) *sqlstore.Store {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	st, err := sqlstore.New(db, cfg)
	require.NoError(t, err)
	require.NoError(t, st.Migrate(t.Context()))
	return st
}

// backends returns the targets makers to run a test on: SQLite always,
// PostgreSQL when the DSN is set (see postgresDSN).
var backends = []struct {
	name   string
	target func(testing.TB) target
}{
	{"sqlite", sqliteTarget},
	{"postgres", postgresTarget},
}
