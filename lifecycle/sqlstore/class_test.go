package sqlstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sqlstore"
	"github.com/itil-go/itil/lifecycle/storetest"
)

// TestErrorClasses checks every exported error of the package, and the
// errors it returns for bad input, against the five classes: each is in
// exactly the one its doc names.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := newStore(t, sqliteTarget(t))
	_, errNoDB := sqlstore.New(nil, sqlstore.Config{})
	noID := &storetest.Item{}
	noID.Kind, noID.State, noID.Version = "item", "new", 1
	errNoID := st.Create(ctx, noID, &lifecycle.Change{Kind: "item", Version: 1, Event: lifecycle.EventCreate, To: "new", At: time.Now()})
	_, errNoConsumer := st.Claim(ctx, "", "host", 0, time.Minute)
	_, errNoHolder := st.Claim(ctx, "mail", "", 0, time.Minute)

	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	tests := []struct {
		name  string
		err   error
		class error
		field string // of a *itil.ValidationError
	}{
		{"ErrSchemaTooNew", sqlstore.ErrSchemaTooNew, lifecycle.ErrRefused, ""},
		{"ErrSchemaTooOld", sqlstore.ErrSchemaTooOld, lifecycle.ErrRefused, ""},
		{"New without db", errNoDB, itil.ErrInvalid, "db"},
		{"Create without ID", errNoID, itil.ErrInvalid, "id"},
		{"Claim without consumer", errNoConsumer, itil.ErrInvalid, "consumer"},
		{"Claim without holder", errNoHolder, itil.ErrInvalid, "holder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			wrapped := fmt.Errorf("opening: %w", tt.err)
			for _, c := range classes {
				assert.Equal(t, c == tt.class, errors.Is(wrapped, c), "errors.Is(%v, %v)", tt.err, c)
			}
			assert.Equal(t, tt.class, lifecycle.Class(wrapped))
			if tt.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, tt.err, &ve)
				assert.Equal(t, tt.field, ve.Field)
			}
		})
	}
	assert.NotErrorIs(t, sqlstore.ErrSchemaTooNew, sqlstore.ErrSchemaTooOld)
}
