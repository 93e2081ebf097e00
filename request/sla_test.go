package request_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
	"github.com/itil-go/itil/request"
)

// TestSLAPausesForApproval checks that the fulfilment clock follows the
// item's target, waits while the request awaits approval, and stops when
// it is fulfilled.
func TestSLAPausesForApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t, request.Config{})
	ctx := t.Context()
	r := f.order(t, "laptop", laptopValues())
	assert.Equal(t, 5*24*time.Hour, r.SLA.Resolution.Target)
	assert.Equal(t, sla.Paused, r.SLA.Resolution.Status)

	f.clock.Advance(48 * time.Hour) // two days waiting for approval do not count
	r, err := f.desk.Decide(ctx, request.DecideParams{Request: r.ID, By: mike, Verdict: approval.Approve})
	require.NoError(t, err)
	assert.Equal(t, sla.Running, r.SLA.Resolution.Status)
	assert.Equal(t, f.clock.Now().Add(5*24*time.Hour), r.SLA.Resolution.Deadline)

	f.clock.Advance(time.Hour)
	f.doAll(t, r.ID)
	r = f.get(t, r.ID)
	assert.Equal(t, sla.Stopped, r.SLA.Resolution.Status)
	assert.Equal(t, time.Hour, r.SLA.Resolution.Accrued)
}
