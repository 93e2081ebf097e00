package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun plays the whole scenario and checks that its story is told.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, "memory"))
	for _, want := range []string{
		"monitoring burst: 40 events → 4 alerts (36 duplicates folded) → 1 correlation group",
		"INC0000001 raised by the event engine",
		"page bob (on call: network) for INC0000001: level 1 of network-p1",
		"INC0000001 unacknowledged for 5 minutes: the sweep escalates (1 page(s), level 2)",
		"page lena, group network-core for INC0000001: level 2 of network-p1",
		"INC0000001 acknowledged by bob: no more pages (acknowledged)",
		"escalated to tier 2: network-core",
		"page major-incident team: INC0000001 major accepted",
		"sweep: 1 warning(s), 0 breach(es)",
		"SLA warning on INC0000001: resolution clock",
		"sweep again: 0 warning(s)",
		"every alert cleared: INC0000001 is resolved by itself",
		"its child INC0000002 is resolved with it",
		"PRB0000001 opened from 3 recurring incidents on printer-3f",
		"PRB0000001 is a known error (true)",
		"callers see 3 comment(s) with the workaround",
		`order refused: line 0 (laptop): invalid variables[os]`,
		"REQ0000001 fulfilled",
		"REQ0000002 fulfilled",
		"hana has sales on crm",
		"may not decide as the implementer",
		"approved by the CAB",
		`may not be scheduled in freeze "month-end close"`,
		"after the freeze",
		"alarms during its change: 3 suppressed",
		"CHG0000001 closed: successful",
		"PRB0000001 resolved by CHG0000001; 3 of its 3 incidents resolved with it",
		"cooling failure in dc1: INC0000006 raised for crac-1",
		"group facilities_management, affected services: erp",
		"2 server alarms in rack r7 joined its group",
		`"erp lost redundancy: down crac-1, erp-1" (warning), joined INC0000006: true`,
		"cooling restored: INC0000006 is resolved by itself; the ERP's redundancy alert cleared: true",
		"End of the run",
		"backlog              0 open",
	} {
		assert.Contains(t, out.String(), want)
	}
}

func TestRunRejectsUnknownStore(t *testing.T) {
	err := run(context.Background(), &bytes.Buffer{}, "floppy:disk")
	assert.ErrorContains(t, err, "unknown store")
}

// TestRunTwiceOnSQLite runs the scenario twice on one SQLite file: the
// second run sees the first run's records and numbers after them, and its
// event engine resumes the alert the first run left open.
func TestRunTwiceOnSQLite(t *testing.T) {
	file := "sqlite:" + t.TempDir() + "/desk.db"
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), &first, file))
	assert.NotContains(t, first.String(), "from earlier runs")
	assert.Contains(t, first.String(), "INC0000001 raised by the event engine")
	assert.Contains(t, first.String(), "saved the counts of 1 open alert(s) before stopping", "the printer's alarm")
	require.NoError(t, run(context.Background(), &second, file))
	assert.Contains(t, second.String(), "The store holds 6 incident(s), 1 problem(s), 1 change(s), 2 request(s) from earlier runs")
	assert.Contains(t, second.String(), "and the event engine resumed 1 open alert(s)", "the printer's alarm was still open")
	assert.Contains(t, second.String(), "monitoring burst: 40 events → 4 alerts (36 duplicates folded) → 1 correlation group")
	assert.Contains(t, second.String(), "INC0000007 raised by the event engine")
	assert.Contains(t, second.String(), "page bob (on call: network) for INC0000007: level 1 of network-p1")
	assert.Contains(t, second.String(), "INC0000007 acknowledged by bob")
	assert.Contains(t, second.String(), "printer-3f alarms during its change: 3 suppressed (change window of printer-3f), folded into ALR0000005 from an earlier run")
	assert.Contains(t, second.String(), "incidents            12")
}
