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
		_, err := m.LinkIncident(ctx, s.p.ID, s.free.ID, by)
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
		_, err := m.Assign(ctx, s.p.ID, text, "", carol)
		return err
	}},
	{"assignee", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Assign(ctx, s.p.ID, "network", text, carol)
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Assess(ctx, s.p.ID, text, carol)
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Analyze(ctx, s.p.ID, text, carol)
		return err
	}},
	{"root_cause", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, s.p.ID, problem.Cause{RootCause: text}, carol)
		return err
	}},
	{"cause_code", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, s.p.ID, problem.Cause{RootCause: "a leak", Code: text}, carol)
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.RecordCause(ctx, s.p.ID, problem.Cause{RootCause: "a leak", Note: text}, carol)
		return err
	}},
	{"workaround", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.PublishWorkaround(ctx, s.p.ID, text, carol)
		return err
	}},
	{"fix", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, s.p.ID, problem.Fix{Description: text}, carol)
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, s.p.ID, problem.Fix{Description: "patch", Note: text}, carol)
		return err
	}},
	{"fix.change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.StartFix(ctx, s.p.ID, problem.Fix{Description: "patch", Change: changeRef(text)}, carol)
		return err
	}},
	{"fix", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, s.p.ID, problem.Fix{Description: text}, carol)
		return err
	}},
	{"note", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, s.p.ID, problem.Fix{Note: text}, carol)
		return err
	}},
	{"fix.change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Resolve(ctx, s.p.ID, problem.Fix{Change: changeRef(text)}, carol)
		return err
	}},
	{"resolution.code", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Close(ctx, s.p.ID, problem.Resolution{Code: text}, carol)
		return err
	}},
	{"resolution.notes", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Close(ctx, s.p.ID, problem.Resolution{Code: problem.CodeFixApplied, Notes: text}, carol)
		return err
	}},
	{"reason", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.AcceptRisk(ctx, s.p.ID, text, carol)
		return err
	}},
	{"reason", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Cancel(ctx, s.p.ID, text, carol)
		return err
	}},
	{"reason", limitText, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.Reanalyze(ctx, s.p.ID, text, carol)
		return err
	}},
	{"change.number", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.LinkChange(ctx, s.p.ID, changeRef(text), false, carol)
		return err
	}},
	{"by.id", limitName, func(ctx context.Context, m *problem.Manager, s subjects, text string) error {
		_, err := m.UnlinkIncident(ctx, s.p.ID, s.inc.ID, itil.Actor{ID: text})
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
		_, err := m.OpenProposal(ctx, problem.Proposal{Title: text, Incidents: []itil.Ref{{Kind: incident.Kind, ID: s.free.ID}}}, carol)
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
		p, err = h.mgr.Assess(ctx, p.ID, "", carol)
		require.NoError(t, err)
		p, err = h.mgr.Analyze(ctx, p.ID, "", carol)
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
			{"link", func() error { _, err := h.mgr.LinkIncident(ctx, p.ID, free.ID, carol); return err }},
			{"unlink", func() error { _, err := h.mgr.UnlinkIncident(ctx, p.ID, inc.ID, carol); return err }},
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
		p, err = h.mgr.RecordCause(ctx, p.ID, problem.Cause{RootCause: full(limitText), Code: full(limitName)}, carol)
		require.NoError(t, err)
		p, err = h.mgr.PublishWorkaround(ctx, p.ID, full(limitText), carol)
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
