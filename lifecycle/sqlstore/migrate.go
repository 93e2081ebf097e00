package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/itil-go/itil/lifecycle"
)

// Errors of Migrate and Check. Compare with errors.Is. Both are in the
// class lifecycle.ErrRefused: the store refuses to work on a database in
// its current situation, and asking again changes nothing until someone
// changes the situation (upgrades the program, or runs Migrate). They are
// not invalid input, since the caller passed nothing wrong, nor a conflict,
// since no read-and-retry helps.
var (
	// ErrSchemaTooNew: the database was migrated by a newer version of
	// this package than the running one. The program must be upgraded;
	// nothing is changed. Class: lifecycle.ErrRefused.
	ErrSchemaTooNew = lifecycle.NewError(lifecycle.ErrRefused, "sqlstore: database schema is newer than this program knows")
	// ErrSchemaTooOld: the database lacks migrations that this program
	// needs (Check only; Migrate applies them). Class: lifecycle.ErrRefused.
	ErrSchemaTooOld = lifecycle.NewError(lifecycle.ErrRefused, "sqlstore: database schema is older than this program needs")
)

// migration is one embedded file, NNNN_name.sql: version NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// loadMigrations reads the migrations of fsys, which must be numbered 1, 2,
// … without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			return nil, fmt.Errorf("sqlstore: migrations: %q is not named NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migrations: %w", err)
		}
		out = append(out, migration{version: v, name: m[2], sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlstore: migrations: version %d (%s) where %d was expected", m.version, m.name, i+1)
		}
	}
	return out, nil
}

const schemaTable = `CREATE TABLE IF NOT EXISTS itil_schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// Migrate brings the database's schema up to the version this package
// knows, applying the embedded migrations that it lacks, in order, in one
// transaction: all of them or none. Several processes may call it at once;
// they take turns (an advisory lock on PostgreSQL, the write lock on
// SQLite), and the later ones find nothing to do. A database whose schema is
// newer than this package knows is refused with an error wrapping
// ErrSchemaTooNew, and nothing is changed.
func (s *Store) Migrate(ctx context.Context) error {
	return s.migrate(ctx, s.d.migrations())
}

func (s *Store) migrate(ctx context.Context, fsys fs.FS) (err error) {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer conn.Close()
	if err := s.d.beginMigration(ctx, conn); err != nil {
		discard(conn)
		return fmt.Errorf("sqlstore: migrate: begin: %w", err)
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			discard(conn) // never hand a connection with an open transaction back to the pool
		}
	}()
	if _, err := conn.ExecContext(ctx, schemaTable); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	current, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	known := len(ms)
	if current > known {
		return tooNew(current, known)
	}
	for _, m := range ms[current:] {
		if _, err := conn.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlstore: migration %04d_%s: %w", m.version, m.name, err)
		}
		_, err := conn.ExecContext(ctx,
			fmt.Sprintf("INSERT INTO itil_schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
				s.d.ph(1), s.d.ph(2), s.d.ph(3)),
			m.version, m.name, s.now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("sqlstore: migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlstore: migrate: commit: %w", err)
	}
	committed = true
	for _, m := range ms[current:] {
		s.log.InfoContext(ctx, "sqlstore: applied migration",
			slog.String("dialect", s.d.dialect().String()), slog.Int("version", m.version), slog.String("name", m.name))
	}
	return nil
}

// Schema returns the schema version of the database (0 before the first
// Migrate) and the version this package knows.
func (s *Store) Schema(ctx context.Context) (current, known int, err error) {
	ms, err := loadMigrations(s.d.migrations())
	if err != nil {
		return 0, 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, s.d.tableExists(), "itil_schema_migrations").Scan(&n); err != nil {
		return 0, 0, fmt.Errorf("sqlstore: schema: %w", err)
	}
	if n == 0 {
		return 0, len(ms), nil
	}
	current, err = schemaVersion(ctx, s.db)
	return current, len(ms), err
}

// Check returns nil when the database's schema is the one this package
// knows, an error wrapping ErrSchemaTooOld when Migrate has more to apply,
// and one wrapping ErrSchemaTooNew when the database is newer. Hosts that
// migrate in a separate step call it at start-up.
func (s *Store) Check(ctx context.Context) error {
	current, known, err := s.Schema(ctx)
	switch {
	case err != nil:
		return err
	case current > known:
		return tooNew(current, known)
	case current < known:
		return fmt.Errorf("%w: the database is at version %d, this program needs %d: call Migrate", ErrSchemaTooOld, current, known)
	}
	return nil
}

func tooNew(current, known int) error {
	return fmt.Errorf("%w: the database is at version %d, this program knows versions up to %d: upgrade the program, or use another database",
		ErrSchemaTooNew, current, known)
}

// querier is a *sql.DB or *sql.Conn.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM itil_schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	return v, nil
}

// discard makes the pool close conn instead of reusing it.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}
