package problem_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// TestBadInputChangesNothing calls every operation with bad input: each
// names the field and leaves the problem as it was.
func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	none := itil.Actor{}
	badChange := problem.Fix{Description: "x", Change: itil.Ref{Kind: "incident", ID: uuid.Must(uuid.NewV7())}}
	tests := []struct {
		name  string
		do    func(ctx context.Context, m *problem.Manager, id uuid.UUID) error
		field string
	}{
		{"assess without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Assess(ctx, problem.Params{ID: id, By: none})
			return err
		}, "by"},
		{"analyze without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Analyze(ctx, problem.Params{ID: id, By: none})
			return err
		}, "by"},
		{"assign without group", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Assign(ctx, problem.AssignParams{ID: id, By: carol, Group: "", Assignee: "dan"})
			return err
		}, "group"},
		{"assign without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Assign(ctx, problem.AssignParams{ID: id, By: none, Group: "network"})
			return err
		}, "by"},
		{"cause without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.RecordCause(ctx, problem.RecordCauseParams{ID: id, By: none, Cause: cause})
			return err
		}, "by"},
		{"workaround without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.PublishWorkaround(ctx, problem.WorkaroundParams{ID: id, By: none, Workaround: "reboot"})
			return err
		}, "by"},
		{"start fix without fix", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.StartFix(ctx, problem.StartFixParams{ID: id, By: carol})
			return err
		}, "fix"},
		{"start fix with a bad change", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.StartFix(ctx, problem.StartFixParams{ID: id, By: carol, Fix: badChange})
			return err
		}, "fix.change.kind"},
		{"start fix without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.StartFix(ctx, problem.StartFixParams{ID: id, By: none, Fix: fix})
			return err
		}, "by"},
		{"resolve with a bad change", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Resolve(ctx, problem.ResolveParams{ID: id, By: carol, Fix: badChange})
			return err
		}, "fix.change.kind"},
		{"resolve without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Resolve(ctx, problem.ResolveParams{ID: id, By: none, Fix: fix})
			return err
		}, "by"},
		{"close without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Close(ctx, problem.CloseParams{ID: id, By: none, Resolution: problem.Resolution{Code: problem.CodeFixApplied}})
			return err
		}, "by"},
		{"duplicate without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.MarkDuplicate(ctx, problem.DuplicateParams{ID: id, By: none, Of: uuid.Must(uuid.NewV7())})
			return err
		}, "by"},
		{"accept risk without reason", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.AcceptRisk(ctx, problem.Params{ID: id, By: carol})
			return err
		}, "note"},
		{"accept risk without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.AcceptRisk(ctx, problem.Params{ID: id, By: none, Note: "costly"})
			return err
		}, "by"},
		{"cancel without reason", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Cancel(ctx, problem.Params{ID: id, By: carol})
			return err
		}, "note"},
		{"cancel without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Cancel(ctx, problem.Params{ID: id, By: none, Note: "logged twice"})
			return err
		}, "by"},
		{"reanalyze without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.Reanalyze(ctx, problem.Params{ID: id, By: none, Note: "back again"})
			return err
		}, "by"},
		{"unlink without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: id, By: none, Incident: uuid.Must(uuid.NewV7())})
			return err
		}, "by"},
		{"link change without actor", func(ctx context.Context, m *problem.Manager, id uuid.UUID) error {
			_, err := m.LinkChange(ctx, problem.LinkChangeParams{ID: id, By: none, Change: itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7())}})
			return err
		}, "by"},
		{"open proposal without actor", func(ctx context.Context, m *problem.Manager, _ uuid.UUID) error {
			_, err := m.OpenProposal(ctx, problem.ProposalParams{By: none, Proposal: problem.Proposal{}})
			return err
		}, "by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, problem.Config{})
			p := f.toState(t, problem.StateRootCauseAnalysis)
			n := len(problemJournal(t, f.mgr, p.ID))
			requireValidation(t, tt.do(t.Context(), f.mgr, p.ID), tt.field)
			assert.Equal(t, p, f.getProblem(t, p.ID))
			assert.Len(t, problemJournal(t, f.mgr, p.ID), n)
		})
	}
}

func TestUnknownProblem(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	id := uuid.Must(uuid.NewV7())
	_, err := f.mgr.Assess(t.Context(), problem.Params{ID: id, By: carol})
	require.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = f.mgr.LinkIncident(t.Context(), problem.LinkIncidentParams{ID: id, By: carol, Incident: f.openIncident(t).ID})
	require.ErrorIs(t, err, lifecycle.ErrNotFound)
	_, err = f.mgr.UnlinkIncident(t.Context(), problem.LinkIncidentParams{ID: id, By: carol, Incident: uuid.Must(uuid.NewV7())})
	require.ErrorIs(t, err, lifecycle.ErrNotFound)
}

func TestFixChangeIsLinkedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, problem.Config{})
	p := f.toState(t, problem.StateRootCauseAnalysis)
	chg := itil.Ref{Kind: "change", ID: uuid.Must(uuid.NewV7()), Number: "CHG0000001"}
	p, err := f.mgr.StartFix(t.Context(), problem.StartFixParams{ID: p.ID, By: carol, Fix: problem.Fix{Description: "patch", Change: chg}})
	require.NoError(t, err)
	p, err = f.mgr.Resolve(t.Context(), problem.ResolveParams{ID: p.ID, By: carol, Fix: problem.Fix{Change: chg}})
	require.NoError(t, err)
	assert.Equal(t, []itil.Ref{chg}, p.Changes)
}

// TestRandomActions runs random sequences of the manager's actions: the
// problem is only ever in a state of the definition, every journaled
// transition is one the definition allows, and the journal replays to the
// problem's state.
func TestRandomActions(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 1))
			f := newFixture(t, problem.Config{})
			def := f.mgr.Lifecycle()
			p := f.open(t)
			if rng.IntN(2) == 0 {
				_, err := f.mgr.RecordCause(t.Context(), problem.RecordCauseParams{ID: p.ID, By: carol, Cause: cause})
				require.NoError(t, err)
			}
			for range 30 {
				a := managerActions[rng.IntN(len(managerActions))]
				got, err := a.do(t.Context(), f, p.ID)
				if err != nil {
					var te *lifecycle.TransitionError
					var ve *itil.ValidationError
					require.True(t, errors.As(err, &te) || errors.As(err, &ve), "%s: %v", a.event, err)
					continue
				}
				p = got
				require.NotZero(t, def.Category(p.State), "state %q is in the definition", p.State)
			}
			state := ""
			for _, c := range problemJournal(t, f.mgr, p.ID) {
				if c.From != c.To || slices.Contains(def.Allowed(c.From), c.Event) {
					to, ok := def.Target(c.Event, c.From)
					require.True(t, ok || c.Event == lifecycle.EventCreate, "%s from %s", c.Event, c.From)
					if ok {
						require.Equal(t, to, c.To)
					}
				}
				require.True(t, state == "" || state == c.From, "the journal is continuous")
				state = c.To
			}
			assert.Equal(t, p.State, state)
		})
	}
}
