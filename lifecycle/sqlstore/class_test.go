package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
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

	tests := []struct {
		name  string
		err   error
		class string
		field string // of a *itil.ValidationError
	}{
		{"ErrSchemaTooNew", sqlstore.ErrSchemaTooNew, "refused", ""},
		{"ErrSchemaTooOld", sqlstore.ErrSchemaTooOld, "refused", ""},
		{"New without db", errNoDB, "invalid", "db"},
		{"Create without ID", errNoID, "invalid", "id"},
		{"Claim without consumer", errNoConsumer, "invalid", "consumer"},
		{"Claim without holder", errNoHolder, "invalid", "holder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			lifecycletest.AssertClass(t, fmt.Errorf("opening: %w", tt.err), tt.class)
			if tt.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, tt.err, &ve)
				assert.Equal(t, tt.field, ve.Field)
			}
		})
	}
	assert.NotErrorIs(t, sqlstore.ErrSchemaTooNew, sqlstore.ErrSchemaTooOld)
}
