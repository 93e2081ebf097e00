package sqlstore

import (
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

func TestLoadMigrations(t *testing.T) {
	for _, d := range []dialect{sqliteDialect{}, postgresDialect{}} {
		ms, err := loadMigrations(d.migrations())
		require.NoError(t, err, d.dialect())
		require.NotEmpty(t, ms)
		assert.Equal(t, "init", ms[0].name)
	}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for name, fsys := range map[string]fstest.MapFS{
		"gap":      {"0001_a.sql": file("SELECT 1"), "0003_c.sql": file("SELECT 1")},
		"bad name": {"0001_a.sql": file("SELECT 1"), "2_b.sql": file("SELECT 1")},
		"zero":     {"0000_a.sql": file("SELECT 1")},
	} {
		_, err := loadMigrations(fsys)
		assert.Error(t, err, name)
	}
}

// TestMigrateAllOrNothing applies a set of migrations whose last one fails:
// none is applied. Then a fixed set upgrades the database.
func TestMigrateAllOrNothing(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	defer db.Close()
	st, err := New(db, Config{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx := t.Context()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

	bad := fstest.MapFS{
		"0001_one.sql": file("CREATE TABLE one (x INTEGER);"),
		"0002_two.sql": file("CREATE TABLE two (x INTEGER); SELECT nonsense FROM nowhere;"),
	}
	err = st.migrate(ctx, bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "0002_two")
	var n int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name IN ('one', 'two')").Scan(&n))
	assert.Zero(t, n, "a failed migration leaves nothing behind")

	good := fstest.MapFS{"0001_one.sql": file("CREATE TABLE one (x INTEGER);")}
	require.NoError(t, st.migrate(ctx, good))
	good["0002_two.sql"] = file("CREATE TABLE two (x INTEGER);")
	require.NoError(t, st.migrate(ctx, good), "an upgrade applies only what is new")
	require.NoError(t, db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name IN ('one', 'two')").Scan(&n))
	assert.Equal(t, 2, n)
	require.ErrorIs(t, st.migrate(ctx, fstest.MapFS{"0001_one.sql": good["0001_one.sql"]}), ErrSchemaTooNew)
}
