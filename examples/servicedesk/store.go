package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for -store postgres://…
	_ "modernc.org/sqlite"             // the "sqlite" driver for -store sqlite:FILE

	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/sqlstore"
)

// openStore opens the store the -store flag names: "memory" (the default),
// "sqlite:FILE" or a "postgres://…" URL. The io.Closer releases it.
func openStore(ctx context.Context, spec string) (lifecycle.Store, io.Closer, error) {
	var driver, dsn string
	switch {
	case spec == "" || spec == "memory":
		return memstore.New(memstore.Config{}), io.NopCloser(nil), nil
	case strings.HasPrefix(spec, "sqlite:"):
		file := strings.TrimPrefix(spec, "sqlite:")
		if file == "" {
			return nil, nil, fmt.Errorf("-store sqlite: needs a file name, as in sqlite:desk.db")
		}
		driver, dsn = "sqlite", "file:"+file+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		driver, dsn = "pgx", spec
	default:
		return nil, nil, fmt.Errorf("unknown store %q (want memory, sqlite:FILE or postgres://…)", spec)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlstore.New(db, sqlstore.Config{})
	if err == nil {
		err = st.Migrate(ctx)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return st, closers{st, db}, nil
}

// closers closes each in turn and reports the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
