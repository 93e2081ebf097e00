package sqlstore_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/sqlstore"
)

func TestMigrate(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			tg := b.target(t)
			st, err := sqlstore.New(tg.open(), sqlstore.Config{Logger: quiet})
			require.NoError(t, err)
			ctx := t.Context()

			current, known, err := st.Schema(ctx)
			require.NoError(t, err)
			assert.Zero(t, current, "a new database")
			assert.Positive(t, known)
			assert.ErrorIs(t, st.Check(ctx), sqlstore.ErrSchemaTooOld)

			// Several processes migrating at once take turns.
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					other, err := sqlstore.New(tg.open(), sqlstore.Config{Logger: quiet})
					if assert.NoError(t, err) {
						assert.NoError(t, other.Migrate(ctx))
					}
				})
			}
			wg.Wait()
			require.NoError(t, st.Migrate(ctx), "migrating again does nothing")
			require.NoError(t, st.Check(ctx))
			current, _, err = st.Schema(ctx)
			require.NoError(t, err)
			assert.Equal(t, known, current)

			// A newer program migrated the database: this one refuses it.
			_, err = st.DB().ExecContext(ctx,
				"INSERT INTO itil_schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'now')")
			require.NoError(t, err)
			err = st.Migrate(ctx)
			require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
			assert.Contains(t, err.Error(), "version 999")
			assert.ErrorIs(t, st.Check(ctx), sqlstore.ErrSchemaTooNew)
		})
	}
}

func TestDialect(t *testing.T) {
	st := newStore(t, sqliteTarget(t))
	assert.Equal(t, sqlstore.SQLite, st.Dialect(), "detected from modernc.org/sqlite")
	_, err := sqlstore.New(nil, sqlstore.Config{})
	assert.Error(t, err)
	_, err = sqlstore.New(st.DB(), sqlstore.Config{Dialect: 42})
	assert.Error(t, err)
	assert.NoError(t, st.Close())
}
