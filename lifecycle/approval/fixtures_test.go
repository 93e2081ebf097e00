package approval_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// t0 is when every test round is requested.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// at returns t0 plus m minutes.
func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

// person returns an actor with id and groups.
func person(id string, groups ...string) itil.Actor {
	return itil.Actor{ID: id, Name: id, Groups: groups}
}

// people returns n person slots, p1 … pN.
func people(n int) []approval.Slot {
	slots := make([]approval.Slot, n)
	for i := range slots {
		slots[i] = approval.Person(fmt.Sprintf("p%d", i+1))
	}
	return slots
}

// mustNew builds a round or fails the test.
func mustNew(t *testing.T, r approval.Request) approval.Approval {
	t.Helper()
	if r.At.IsZero() {
		r.At = t0
	}
	a, err := approval.New(r)
	require.NoError(t, err)
	return a
}

// requireInvalid asserts that err is a *itil.ValidationError on field.
func requireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.ErrorIs(t, err, itil.ErrInvalid)
	var ve *itil.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "error: %v", err)
}
