package memstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
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

	tests := []struct {
		name  string
		err   error
		class string
		field string // of a *itil.ValidationError
	}{
		{"Create without ID", st.Create(ctx, noID, &noIDCh), "invalid", "id"},
		{"Claim without consumer", errNoConsumer, "invalid", "consumer"},
		{"Claim without holder", errNoHolder, "invalid", "holder"},
		{"Ack past the log", st.Ack(ctx, "mail", "host-1", 9), "invalid", "seq"},
		{"Restore nil", st.Restore(nil), "invalid", "snapshot"},
		{"Get missing", errMissing, "not_found", ""},
		{"Update missing", st.Update(ctx, noID, 1, &noIDCh), "not_found", ""},
		{"Create taken ID", st.Create(ctx, dup, &dupCh), "conflict", ""},
		{"Update stale", st.Update(ctx, stale, 2, &lifecycle.Change{Kind: "item", Version: 3, Event: "edit", To: "new"}), "conflict", ""},
		{"Claim leased", errLeased, "conflict", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			lifecycletest.AssertClass(t, fmt.Errorf("working: %w", tt.err), tt.class)
			if tt.field != "" {
				var ve *itil.ValidationError
				require.ErrorAs(t, tt.err, &ve)
				assert.Equal(t, tt.field, ve.Field)
			}
		})
	}
}
