package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Dialect names the SQL database behind a *sql.DB.
type Dialect int

// The dialects. The zero value asks New to detect the dialect from the
// driver.
const (
	// DetectDialect detects the dialect from the package path of the
	// driver: a driver whose path contains "sqlite" is SQLite; one whose
	// path contains "pgx", "pq" or "postgres" is PostgreSQL.
	DetectDialect Dialect = iota
	// SQLite is SQLite 3.35 or newer (for RETURNING), such as
	// modernc.org/sqlite.
	SQLite
	// Postgres is PostgreSQL 9.5 or newer (tested on 15), through a driver
	// such as github.com/jackc/pgx/v5/stdlib.
	Postgres
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case DetectDialect:
		return "detect"
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// Config configures a Store. The zero value means the defaults.
type Config struct {
	// Dialect is the database's dialect. Default: detected from the driver
	// (see DetectDialect); set it when the driver's package path does not
	// tell.
	Dialect Dialect
	// Now is the clock of outbox leases. Default time.Now. Every host that
	// shares a database should use clocks that agree to well within a lease.
	Now func() time.Time
	// Logger receives what Migrate applies. Default slog.Default().
	Logger *slog.Logger
}

// Store is a lifecycle.Store over database/sql, safe for concurrent use by
// any number of goroutines and, through the database, of processes. Call
// Migrate once before using it.
type Store struct {
	db  *sql.DB
	d   dialect
	now func() time.Time
	log *slog.Logger

	// writer serializes this store's writes on SQLite, which has one
	// writer at a time: waiting here is cheaper and fairer than SQLite's
	// busy handler. It is nil on PostgreSQL.
	writer chan struct{}

	mu      sync.Mutex
	changed chan struct{} // closed at the next write; nil when nobody waits
}

var (
	_ lifecycle.Store = (*Store)(nil)
	_ lifecycle.Waker = (*Store)(nil)
)

// New returns a Store over db. It does not touch the database: call Migrate
// to create or upgrade the schema, or Check to verify it.
func New(db *sql.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, &itil.ValidationError{Field: "db", Reason: "required"}
	}
	if cfg.Dialect == DetectDialect {
		d, err := detect(db)
		if err != nil {
			return nil, err
		}
		cfg.Dialect = d
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Store{db: db, now: cfg.Now, log: cfg.Logger}
	switch cfg.Dialect {
	case SQLite:
		s.d = sqliteDialect{stmts: newStmtCache(db)}
		s.writer = make(chan struct{}, 1)
	case Postgres:
		s.d = postgresDialect{}
	default:
		return nil, fmt.Errorf("sqlstore: unknown dialect %v", cfg.Dialect)
	}
	return s, nil
}

// detect tells the dialect from the driver's package path.
func detect(db *sql.DB) (Dialect, error) {
	t := reflect.TypeOf(db.Driver())
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	path := strings.ToLower(t.PkgPath())
	switch {
	case strings.Contains(path, "sqlite"):
		return SQLite, nil
	case strings.Contains(path, "pgx"), strings.Contains(path, "postgres"), strings.HasSuffix(path, "/pq"):
		return Postgres, nil
	}
	return 0, fmt.Errorf("sqlstore: cannot tell the dialect of driver %s.%s: set Config.Dialect", t.PkgPath(), t.Name())
}

// Close releases the statements the store prepared. It does not close the
// database, which belongs to the caller.
func (s *Store) Close() error {
	if d, ok := s.d.(sqliteDialect); ok {
		return d.stmts.close()
	}
	return nil
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.d.dialect() }

// DB returns the database the store writes to.
func (s *Store) DB() *sql.DB { return s.db }

// lockWriter waits for the SQLite writer slot; it does nothing on
// PostgreSQL. The returned func releases the slot.
func (s *Store) lockWriter(ctx context.Context) (func(), error) {
	if s.writer == nil {
		return func() {}, nil
	}
	select {
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// wrote wakes whoever waits on Changed.
func (s *Store) wrote() {
	s.mu.Lock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	s.mu.Unlock()
}

// Changed implements lifecycle.Waker: the channel is closed at this store's
// next write. Writes by other processes are not seen; a dispatcher finds
// them by polling.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed == nil {
		s.changed = make(chan struct{})
	}
	return s.changed
}
