package memstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// TestErrorClasses checks every error the store returns against the five
// classes: each is in exactly one, and bad input names its field.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	st := memstore.New(memstore.Config{})
	it, ch := newItem(t, "ops")
	require.NoError(t, st.Create(ctx, it, &ch))

	noID, noIDCh := newItem(t, "ops")
	noID.ID = uuid.Nil
	dup, dupCh := newItem(t, "ops")
	dup.ID = it.ID
	stale := it.Clone()
	stale.Base().Version = 3
	_, errNoConsumer := st.Claim(ctx, "", "host", 0, time.Minute)
	_, errNoHolder := st.Claim(ctx, "mail", "", 0, time.Minute)
	_, err := st.Claim(ctx, "mail", "host-1", 0, time.Minute)
	require.NoError(t, err)
	_, errLeased := st.Claim(ctx, "mail", "host-2", 0, time.Minute)
	_, errMissing := st.Get(ctx, uuid.Max, nil)

	classes := []error{itil.ErrInvalid, lifecycle.ErrForbidden, lifecycle.ErrNotFound, lifecycle.ErrConflict, lifecycle.ErrRefused}
	tests := []struct {
		name  string
		err   error
		class error
		field string // of a *itil.ValidationError
	}{
		{"Create without ID", st.Create(ctx, noID, &noIDCh), itil.ErrInvalid, "id"},
		{"Claim without consumer", errNoConsumer, itil.ErrInvalid, "consumer"},
		{"Claim without holder", errNoHolder, itil.ErrInvalid, "holder"},
		{"Ack past the log", st.Ack(ctx, "mail", "host-1", 9), itil.ErrInvalid, "seq"},
		{"Restore nil", st.Restore(nil), itil.ErrInvalid, "snapshot"},
		{"Get missing", errMissing, lifecycle.ErrNotFound, ""},
		{"Update missing", st.Update(ctx, noID, 1, &noIDCh), lifecycle.ErrNotFound, ""},
		{"Create taken ID", st.Create(ctx, dup, &dupCh), lifecycle.ErrConflict, ""},
		{"Update stale", st.Update(ctx, stale, 2, &lifecycle.Change{Kind: "item", Version: 3, Event: "edit", To: "new"}), lifecycle.ErrConflict, ""},
		{"Claim leased", errLeased, lifecycle.ErrConflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			wrapped := fmt.Errorf("working: %w", tt.err)
			for _, c := range classes {
				assert.Equal(t, c == tt.class, errors.Is(wrapped, c), "errors.Is(%v, %v)", tt.err, c)
			}
			if tt.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, tt.err, &ve)
				assert.Equal(t, tt.field, ve.Field)
			}
		})
	}
}
