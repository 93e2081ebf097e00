package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun plays the whole day and checks that its story is told.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, "memory"))
	for _, want := range []string{
		"INC0000001 opened by dan for alice",
		"reprioritized to P1",
		"page major-incident team: INC0000001 major accepted",
		"sweep: 1 warning(s), 0 breach(es)",
		"SLA warning on INC0000001: resolution clock",
		"sweep again: 0 warning(s)",
		`resolve refused: invalid resolution.code`,
		"its child INC0000002 is resolved with it",
		"End of day",
		"SLA attainment       response 100%, resolution 100%",
	} {
		assert.Contains(t, out.String(), want)
	}
}

func TestRunRejectsUnknownStore(t *testing.T) {
	err := run(context.Background(), &bytes.Buffer{}, "floppy:disk")
	assert.ErrorContains(t, err, "unknown store")
}
