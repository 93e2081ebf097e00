package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// code is a field whose text is unexported and comes out through a
// method, where no walk of the entity's strings sees it: only its
// encoding shows what is stored.
type code struct{ s string }

func (c code) MarshalText() ([]byte, error) { return []byte(c.s), nil }

func (c *code) UnmarshalText(b []byte) error {
	c.s = string(b)
	return nil
}

// coded is an entity with a code.
type coded struct {
	lifecycle.Record
	Code code `json:"code"`
}

func (c *coded) Clone() lifecycle.Entity {
	d := *c
	d.Record = c.CloneRecord()
	return &d
}

func (*coded) Attrs(dst []lifecycle.Attr) []lifecycle.Attr { return dst }

// Text that reaches the database only through an encoding method is
// refused as the entity's own fields are: a NUL, or bytes that are not
// UTF-8, which encoding/json would replace with U+FFFD.
func TestEncodedText(t *testing.T) {
	t.Parallel()
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t, be.target(t))
			ctx := t.Context()
			at := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)
			newCoded := func(c code) (*coded, *lifecycle.Change) {
				e := &coded{Record: lifecycle.Record{ID: uuid.Must(uuid.NewV7()), Kind: "coded", Number: "C1",
					State: "new", StateCategory: lifecycle.Open, Version: 1, CreatedAt: at, UpdatedAt: at}, Code: c}
				return e, &lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: e.Kind, RecordID: e.ID, Number: e.Number,
					Version: 1, Event: lifecycle.EventCreate, To: "new", Actor: bob, At: at}
			}

			kept, ch := newCoded(code{"ok \uFFFD \\u0000"})
			require.NoError(t, st.Create(ctx, kept, ch), "a U+FFFD and an escape's spelling are text like any other")
			got, err := st.Get(ctx, kept.ID, func() lifecycle.Entity { return new(coded) })
			require.NoError(t, err)
			assert.Equal(t, kept.Code, got.(*coded).Code)

			for _, bad := range []code{{"a\x00b"}, {"caf\xe9"}} {
				e, ch := newCoded(bad)
				err := st.Create(ctx, e, ch)
				var verr *itil.ValidationError
				if assert.ErrorAs(t, err, &verr, "%q", bad) {
					assert.Equal(t, "record", verr.Field)
				}
				_, err = st.Get(ctx, e.ID, func() lifecycle.Entity { return new(coded) })
				assert.ErrorIs(t, err, lifecycle.ErrNotFound, "%q: nothing is stored", bad)

				next := kept.Clone().(*coded)
				next.Version, next.Code = 2, bad
				uch := &lifecycle.Change{ID: uuid.Must(uuid.NewV7()), Kind: next.Kind, RecordID: next.ID, Number: next.Number,
					Version: 2, Event: "edit", From: "new", To: "new", Actor: bob, At: at}
				assert.ErrorAs(t, st.Update(ctx, next, 1, uch), &verr, "%q: Update", bad)
				err = st.Commit(ctx, lifecycle.Batch{Writes: []lifecycle.Write{{Entity: next, Expect: 1, Change: uch}}})
				if assert.ErrorAs(t, err, &verr, "%q: Commit", bad) {
					assert.Equal(t, "writes[0].record", verr.Field)
				}
				got, err := st.Get(ctx, kept.ID, func() lifecycle.Entity { return new(coded) })
				require.NoError(t, err)
				assert.Equal(t, kept, got, "%q: the record is unchanged", bad)
			}
			log, err := st.ReadLog(ctx, 0, 100)
			require.NoError(t, err)
			assert.Len(t, log, 1, "nothing refused reached the log")
		})
	}
}
