package problem_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
)

// The limits the manager documents, in characters.
const (
	limitTitle = 200
	limitName  = 100
	limitText  = 10000
)

// hostileTexts are texts no field takes: not UTF-8, or holding a NUL.
var hostileTexts = []struct{ name, text string }{
	{"invalid UTF-8", "caf\xe9 au lait"},
	{"truncated rune", "VPN \xe2\x82"},
	{"NUL", "VPN\x00down"},
}

// subjects are the records a hostile call aims at.
type subjects struct {
	p    *problem.Problem   // in root cause analysis, with inc linked
	inc  *incident.Incident // open, linked to p
	free *incident.Incident // open, linked to nothing
}

// textInput is one text a method of the manager takes from outside: the
// field its error names, its limit in characters (0: none of its own),
// and a call of the method with the text in that place.
type textInput struct {
	field string
	max   int
	call  func(ctx context.Context, m *problem.Manager, s subjects, text string) error
}

func withDraft(mod func(*problem.Draft, string)) func(context.Context, *problem.Manager, subjects, string) error {
	return func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		dr := draft()
		dr.Incidents = []uuid.UUID{s.free.ID}
		mod(&dr, text)
		_, err := m.Open(ctx, dr)
		return err
	}
}

func withActor(mod func(*itil.Actor, string)) func(context.Context, *problem.Manager, subjects, string) error {
	return func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		by := carol
		mod(&by, text)
		_, err := m.LinkIncident(ctx, problem.LinkIncidentParams{ID: s.p.ID, By: by, Incident: s.free.ID})
		return err
	}
}

func changeRef(number string) itil.Ref {
	return itil.Ref{Kind: "change", ID: uuid.MustParse("01957a40-0000-7000-8000-000000000001"), Number: number}
}

var textInputs = []textInput{
	{"title", limitTitle, withDraft(func(dr *problem.Draft, s string) { dr.Title = s })},
	{"description", limitText, withDraft(func(dr *problem.Draft, s string) { dr.Description = s })},
	{"category", limitName, withDraft(func(dr *problem.Draft, s string) { dr.Category = s })},
	{"cis[1]", limitName, withDraft(func(dr *problem.Draft, s string) { dr.CIs = []string{"vpn-gw-1", s} })},
	{"group", limitName, withDraft(func(dr *problem.Draft, s string) { dr.Group = s })},
	{"assignee", limitName, withDraft(func(dr *problem.Draft, s string) { dr.Group, dr.Assignee = "network", s })},
	{"note", limitText, withDraft(func(dr *problem.Draft, s string) { dr.Note = s })},
	{"by.id", limitName, withDraft(func(dr *problem.Draft, s string) { dr.By.ID = s })},
	{"by.name", limitName, withActor(func(by *itil.Actor, s string) { by.Name = s })},
	{"by.groups[0]", limitName, withActor(func(by *itil.Actor, s string) { by.Groups = []string{s} })},
	{"group", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Assign(ctx, problem.AssignParams{ID: s.p.ID, By: carol, Group: text})
		return err
	}},
	{"assignee", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Assign(ctx, problem.AssignParams{ID: s.p.ID, By: carol, Group: "network", Assignee: text})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Assess(ctx, problem.Params{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Analyze(ctx, problem.Params{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"root_cause", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, problem.RecordCauseParams{ID: s.p.ID, By: carol, Cause: problem.Cause{RootCause: text}})
		return err
	}},
	{"cause_code", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, problem.RecordCauseParams{ID: s.p.ID, By: carol, Cause: problem.Cause{RootCause: "a leak", Code: text}})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, problem.RecordCauseParams{ID: s.p.ID, By: carol, Note: text, Cause: problem.Cause{RootCause: "a leak"}})
		return err
	}},
	{"workaround", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.PublishWorkaround(ctx, problem.WorkaroundParams{ID: s.p.ID, By: carol, Workaround: text})
		return err
	}},
	{"fix", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, problem.StartFixParams{ID: s.p.ID, By: carol, Fix: problem.Fix{Description: text}})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, problem.StartFixParams{ID: s.p.ID, By: carol, Note: text, Fix: problem.Fix{Description: "patch"}})
		return err
	}},
	{"fix.change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, problem.StartFixParams{ID: s.p.ID, By: carol, Fix: problem.Fix{Description: "patch", Change: changeRef(text)}})
		return err
	}},
	{"fix", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, problem.ResolveParams{ID: s.p.ID, By: carol, Fix: problem.Fix{Description: text}})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, problem.ResolveParams{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"fix.change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, problem.ResolveParams{ID: s.p.ID, By: carol, Fix: problem.Fix{Change: changeRef(text)}})
		return err
	}},
	{"resolution.code", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Close(ctx, problem.CloseParams{ID: s.p.ID, By: carol, Resolution: problem.Resolution{Code: text}})
		return err
	}},
	{"resolution.notes", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Close(ctx, problem.CloseParams{ID: s.p.ID, By: carol, Resolution: problem.Resolution{Code: problem.CodeFixApplied, Notes: text}})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.AcceptRisk(ctx, problem.Params{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Cancel(ctx, problem.Params{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Reanalyze(ctx, problem.Params{ID: s.p.ID, By: carol, Note: text})
		return err
	}},
	{"change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.LinkChange(ctx, problem.LinkChangeParams{ID: s.p.ID, By: carol, Change: changeRef(text)})
		return err
	}},
	{"by.id", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: s.p.ID, By: itil.Actor{ID: text}, Incident: s.inc.ID})
		return err
	}},
	{"text", limitText, func(ctx context.Context, m *problem.Manager, _ subjects, text string) error {
		_, err := m.Search(ctx, problem.KnownErrorQuery{Text: text})
		return err
	}},
	{"ci", limitName, func(ctx context.Context, m *problem.Manager, _ subjects, text string) error {
		_, err := m.Search(ctx, problem.KnownErrorQuery{Text: "vpn", CI: text})
		return err
	}},
	{"category", limitName, func(ctx context.Context, m *problem.Manager, _ subjects, text string) error {
		_, err := m.Search(ctx, problem.KnownErrorQuery{Text: "vpn", Category: text})
		return err
	}},
	{"title", limitTitle, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.OpenProposal(ctx, problem.ProposalParams{By: carol, Proposal: problem.Proposal{Title: text, Incidents: []itil.Ref{{Kind: incident.Kind, ID: s.free.ID}}}})
		return err
	}},
}

// TestHostileInput calls every method that takes text with text no store
// could keep as it is, and with text one character over its limit, on
// every store: each call is refused with a *itil.ValidationError naming the
// field, and the records, their journals and the log are byte for byte as
// they were. So are they after the Authorizer refuses a link or an unlink.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		auth := &refuse{events: []string{"link_incident", "unlink_incident"}}
		h := newHost(t, db.Host(t), problem.Config{Authorizer: auth})
		inc, free := h.openIncident(t), h.openIncident(t)
		dr := draft()
		dr.Incidents = []uuid.UUID{inc.ID}
		p, err := h.mgr.Open(ctx, dr)
		require.NoError(t, err)
		p, err = h.mgr.Assess(ctx, problem.Params{ID: p.ID, By: carol})
		require.NoError(t, err)
		p, err = h.mgr.Analyze(ctx, problem.Params{ID: p.ID, By: carol})
		require.NoError(t, err)
		s := subjects{p: p, inc: inc, free: free}
		ids := []uuid.UUID{p.ID, inc.ID, free.ID}

		// Each refusal must leave what the one before it left.
		before := takeSnapshot(t, h.store, ids...)
		unchanged := func(t *testing.T) {
			t.Helper()
			after := takeSnapshot(t, h.store, ids...)
			assert.Equal(t, before.records, after.records, "the records are unchanged")
			assert.Equal(t, before.journals, after.journals, "the journals are unchanged")
			assert.Equal(t, before.log, after.log, "nothing reached the log")
			before = after
		}
		for i, in := range textInputs {
			cases := hostileTexts
			if in.max > 0 {
				cases = append(cases[:len(cases):len(cases)],
					struct{ name, text string }{fmt.Sprintf("%d characters", in.max+1), strings.Repeat("€", in.max+1)})
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%d %s %s", i, in.field, c.name), func(t *testing.T) {
					err := in.call(ctx, h.mgr, s, c.text)
					requireValidation(t, err, in.field)
					if strings.HasSuffix(c.name, "characters") {
						assert.Contains(t, err.Error(), fmt.Sprintf("longer than %d characters", in.max))
					}
					unchanged(t)
				})
			}
		}
		for _, call := range []struct {
			name string
			do   func() error
		}{
			{"link", func() error {
				_, err := h.mgr.LinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: free.ID})
				return err
			}},
			{"unlink", func() error {
				_, err := h.mgr.UnlinkIncident(ctx, problem.LinkIncidentParams{ID: p.ID, By: carol, Incident: inc.ID})
				return err
			}},
		} {
			t.Run("forbidden "+call.name, func(t *testing.T) {
				auth.on.Store(true)
				err := call.do()
				auth.on.Store(false)
				require.ErrorIs(t, err, lifecycle.ErrForbidden)
				unchanged(t)
			})
		}
	})
}

// TestLimitsCountCharacters fills every limited field of a problem to its
// limit with a character of three bytes: each is taken, and kept as it was
// given, on every store.
func TestLimitsCountCharacters(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		h := newHost(t, db.Host(t), problem.Config{})
		full := func(n int) string { return strings.Repeat("€", n) }
		p, err := h.mgr.Open(ctx, problem.Draft{
			Title: full(limitTitle), Description: full(limitText), Category: full(limitName),
			CIs: []string{full(limitName)}, Group: full(limitName), Assignee: full(limitName),
			Impact: itil.ImpactLow, Urgency: itil.UrgencyLow, By: itil.Actor{ID: full(limitName), Name: full(limitName)},
			Note: full(limitText),
		})
		require.NoError(t, err)
		p, err = h.mgr.RecordCause(ctx, problem.RecordCauseParams{ID: p.ID, By: carol, Cause: problem.Cause{RootCause: full(limitText), Code: full(limitName)}})
		require.NoError(t, err)
		p, err = h.mgr.PublishWorkaround(ctx, problem.WorkaroundParams{ID: p.ID, By: carol, Workaround: full(limitText)})
		require.NoError(t, err)
		got, err := h.mgr.Get(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, p.Version, got.Version)
		assert.Equal(t, full(limitTitle), got.Title)
		assert.Equal(t, full(limitText), got.Description)
		assert.Equal(t, full(limitName), got.Category)
		assert.Equal(t, []string{full(limitName)}, got.CIs)
		assert.Equal(t, full(limitName), got.Assignee)
		assert.Equal(t, full(limitText), got.RootCause)
		assert.Equal(t, full(limitName), got.CauseCode)
		assert.Equal(t, full(limitText), got.Workaround)
		j := problemJournal(t, h.mgr, p.ID)
		require.NotEmpty(t, j)
		assert.Equal(t, full(limitText), j[0].Note)
		assert.Equal(t, full(limitName), j[0].Actor.ID)
	})
}
