package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// stateError is a driver error with an SQLSTATE, as pgx's *pgconn.PgError.
type stateError string

func (e stateError) Error() string    { return "database says " + string(e) }
func (e stateError) SQLState() string { return string(e) }

func TestCommitErrorClasses(t *testing.T) {
	t.Parallel()
	s := &Store{}
	for _, tc := range []struct {
		state    string
		conflict bool
		invalid  bool
	}{
		{state: "40001", conflict: true}, // serialization_failure
		{state: "40P01", conflict: true}, // deadlock_detected
		{state: "22P05", invalid: true},  // untranslatable_character (\u0000 in jsonb)
		{state: "22021", invalid: true},  // character_not_in_repertoire (NUL in text)
		{state: "23505"},                 // unique_violation: none of these
		{state: "57014"},                 // query_canceled
	} {
		t.Run(tc.state, func(t *testing.T) {
			err := s.commitError(fmt.Errorf("exec: %w", stateError(tc.state)))
			assert.Equal(t, tc.conflict, errors.Is(err, lifecycle.ErrConflict), "%v", err)
			var verr *itil.ValidationError
			assert.Equal(t, tc.invalid, errors.As(err, &verr), "%v", err)
			if !tc.invalid {
				assert.ErrorIs(t, err, stateError(tc.state), "the driver's error is kept")
			}
		})
	}
}
