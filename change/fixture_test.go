package change_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/lifecycletest"
	"github.com/itil-go/itil/lifecycle/memstore"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// t0 is a Monday morning; the fixtures' clocks start there.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

var (
	alice = itil.Actor{ID: "alice", Name: "Alice Requester", Groups: []string{approval.GroupChangeManagers}}
	bob   = itil.Actor{ID: "bob", Name: "Bob Implementer", Groups: []string{approval.GroupChangeManagers}}
	carol = itil.Actor{ID: "carol", Groups: []string{approval.GroupChangeManagers, approval.GroupCAB}}
	dave  = itil.Actor{ID: "dave", Groups: []string{approval.GroupCAB}}
	erin  = itil.Actor{ID: "erin", Groups: []string{approval.GroupECAB, approval.GroupChangeManagers}}
	// vic approves for every group.
	vic = itil.Actor{ID: "vic", Groups: []string{approval.GroupChangeManagers, approval.GroupCAB, approval.GroupECAB}}
)

// restartWeb is the standard change template of the fixtures.
var restartWeb = change.Template{
	Name:               "restart-web",
	Title:              "Rolling restart of the web tier",
	Category:           "web",
	Impact:             itil.ImpactLow,
	ImplementationPlan: "Drain and restart one node at a time.",
	BackoutPlan:        "Restart the node again; nothing persists.",
	MaxDuration:        2 * time.Hour,
}

// clock is a settable clock for Config.Now.
type clock = lifecycletest.Clock

type fixture struct {
	m     *change.Manager
	st    *memstore.Store
	clock *clock
}

// newFixture returns a Manager over a fresh memstore with a clock at t0 and
// the restart-web template, unless cfg says otherwise.
func newFixture(t testing.TB, cfg change.Config) *fixture {
	t.Helper()
	clk := lifecycletest.NewClock(t0)
	if cfg.Now == nil {
		cfg.Now = clk.Now
	}
	if cfg.Templates == nil {
		cfg.Templates = []change.Template{restartWeb}
	}
	st := memstore.New(memstore.Config{})
	m, err := change.NewManager(st, cfg)
	require.NoError(t, err)
	return &fixture{m: m, st: st, clock: clk}
}

var ctx = context.Background()

// window returns the window starting h hours after t0 and lasting d hours.
func window(h, d float64) change.Window {
	start := t0.Add(time.Duration(h * float64(time.Hour)))
	return change.Window{Start: start, End: start.Add(time.Duration(d * float64(time.Hour)))}
}

// draft returns a complete draft of type typ on cis.
func draft(typ change.Type, cis ...string) change.Draft {
	if len(cis) == 0 {
		cis = []string{"db-1"}
	}
	d := change.Draft{
		Type:               typ,
		Title:              "Upgrade PostgreSQL",
		Description:        "Minor version upgrade.",
		Justification:      "Security fixes.",
		Impact:             itil.ImpactMedium,
		CIs:                cis,
		ImplementationPlan: "pg_upgrade in place.",
		BackoutPlan:        "Restore the snapshot.",
		TestPlan:           "Smoke tests.",
		By:                 alice,
	}
	if typ == change.Standard {
		d = change.Draft{Type: typ, Template: restartWeb.Name, CIs: cis, By: alice}
	}
	return d
}

// paths are the Manager steps that bring a new change of each type to each
// state of its default lifecycle.
var paths = map[change.Type]map[string][]string{
	change.Normal: {
		change.StateNew:       nil,
		change.StateAssess:    {"assess"},
		change.StateAuthorize: {"assess", "request_approval"},
		change.StateScheduled: {"assess", "request_approval", "approve", "schedule"},
		change.StateImplement: {"assess", "request_approval", "approve", "schedule", "implement"},
		change.StateReview:    {"assess", "request_approval", "approve", "schedule", "implement", "complete"},
		change.StateClosed:    {"assess", "request_approval", "approve", "schedule", "implement", "complete", "close"},
		change.StateCancelled: {"cancel"},
	},
	change.Standard: {
		change.StateNew:       nil,
		change.StateScheduled: {"schedule"},
		change.StateImplement: {"schedule", "implement"},
		change.StateReview:    {"schedule", "implement", "complete"},
		change.StateClosed:    {"schedule", "implement", "complete", "close"},
		change.StateCancelled: {"cancel"},
	},
	change.Emergency: {
		change.StateNew:       nil,
		change.StateAuthorize: {"request_approval"},
		change.StateScheduled: {"request_approval", "approve", "schedule"},
		change.StateImplement: {"request_approval", "approve", "schedule", "implement"},
		change.StateReview:    {"request_approval", "approve", "schedule", "implement", "complete"},
		change.StateClosed:    {"request_approval", "approve", "schedule", "implement", "complete", "review", "close"},
		change.StateCancelled: {"cancel"},
	},
}

// do runs one step by name on change id, with valid inputs.
func (f *fixture) do(id uuid.UUID, step string) (*change.Change, error) {
	switch step {
	case "assess":
		return f.m.Assess(ctx, change.AssessParams{ID: id, By: alice, Likelihood: change.LikelihoodLow})
	case "request_approval":
		return f.m.RequestApproval(ctx, change.RequestApprovalParams{ID: id, By: alice})
	case "approve", "decide":
		return f.m.Approve(ctx, change.DecideParams{ID: id, By: vic, Note: "fine"})
	case "reject":
		return f.m.Reject(ctx, change.DecideParams{ID: id, By: vic, Note: "no backout test"})
	case "revert":
		return f.m.RevertToNew(ctx, change.Params{ID: id, By: alice, Note: "rework"})
	case "schedule":
		res, err := f.m.Schedule(ctx, change.ScheduleParams{ID: id, By: alice, Window: window(24, 1), Implementer: bob.ID})
		return res.Change, err
	case "implement":
		return f.m.Implement(ctx, change.Params{ID: id, By: bob})
	case "complete":
		return f.m.RecordOutcome(ctx, change.OutcomeParams{ID: id, By: bob, Outcome: change.Successful})
	case "review":
		return f.m.Review(ctx, change.ReviewParams{ID: id, By: carol, Summary: "went as planned"})
	case "close":
		return f.m.Close(ctx, change.Params{ID: id, By: bob})
	case "cancel":
		return f.m.Cancel(ctx, change.Params{ID: id, By: alice, Note: "not needed"})
	}
	panic("unknown step " + step)
}

// toState proposes a change of type typ and brings it to state.
func (f *fixture) toState(t testing.TB, typ change.Type, state string, cis ...string) *change.Change {
	t.Helper()
	c, err := f.m.Propose(ctx, draft(typ, cis...))
	require.NoError(t, err)
	path, ok := paths[typ][state]
	require.True(t, ok, "no path to %s for %s", state, typ)
	for _, step := range path {
		c, err = f.do(c.ID, step)
		require.NoError(t, err, "%s %s: %s", typ, state, step)
	}
	require.Equal(t, state, c.State)
	return c
}

// journal collects a change's journal.
func (f *fixture) journal(t testing.TB, id uuid.UUID) []lifecycle.Change {
	t.Helper()
	var out []lifecycle.Change
	for ch, err := range f.m.Journal(ctx, id) {
		require.NoError(t, err)
		out = append(out, ch)
	}
	return out
}

// unchanged asserts that change c is stored as it was.
func (f *fixture) unchanged(t testing.TB, c *change.Change) {
	t.Helper()
	got, err := f.m.Get(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got, "a refused step changes nothing")
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	require.Equal(t, string(want), string(got))
}

// topology is a Topology over a fixed map of parents.
type topology struct {
	parents map[string][]string
	err     error
}

func (tp topology) Parents(_ context.Context, ci string) ([]string, error) {
	return tp.parents[ci], tp.err
}

func (tp topology) Children(_ context.Context, ci string) ([]string, error) {
	var out []string
	for child, ps := range tp.parents {
		for _, p := range ps {
			if p == ci {
				out = append(out, child)
			}
		}
	}
	return out, tp.err
}
