package change_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/internal/teststores"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// The limits the Manager documents, in characters.
const (
	limitTitle = 256
	limitName  = 256
	limitNote  = 4000
	limitText  = 32000
)

// hostileTexts are texts no field takes: not UTF-8, or holding a NUL.
var hostileTexts = []struct{ name, text string }{
	{"invalid UTF-8", "caf\xe9 au lait"},
	{"lone surrogate", "db \xed\xa0\x80"},
	{"NUL", "db\x00-1"},
}

// targets are the changes a hostile call aims at, one in each state a call
// needs.
type targets struct {
	store        lifecycle.Store
	fresh        *change.Change // normal, new
	assessed     *change.Change // normal, assess
	authorizing  *change.Change // normal, authorize
	standard     *change.Change // standard, new
	scheduled    *change.Change // standard, scheduled
	implementing *change.Change // standard, implement
	review       *change.Change // emergency, review
}

func newTargets(t *testing.T, m *change.Manager, st lifecycle.Store) targets {
	t.Helper()
	f := &fixture{m: m}
	return targets{
		store:        st,
		fresh:        f.toState(t, change.Normal, change.StateNew),
		assessed:     f.toState(t, change.Normal, change.StateAssess),
		authorizing:  f.toState(t, change.Normal, change.StateAuthorize),
		standard:     f.toState(t, change.Standard, change.StateNew, "web-1"),
		scheduled:    f.toState(t, change.Standard, change.StateScheduled, "web-2"),
		implementing: f.toState(t, change.Standard, change.StateImplement, "web-3"),
		review:       f.toState(t, change.Emergency, change.StateReview, "fw-1"),
	}
}

// textInput is one text a method of the Manager takes from outside: the
// field its error names, its limit in characters, whether a text of the
// limit must also match something known (a template, an answer), and a
// call of the method with the text in that place.
type textInput struct {
	field   string
	max     int
	matched bool
	call    func(ctx context.Context, m *change.Manager, s targets, text string) error
}

func proposing(mod func(d *change.Draft, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		d := draft(change.Normal)
		d.Links = []itil.Ref{{Kind: "problem", ID: uuid.MustParse("01957a40-0000-7000-8000-000000000001"), Number: "PRB0000001"}}
		mod(&d, text)
		_, err := m.Propose(ctx, d)
		return err
	}
}

func updating(mod func(p *change.UpdateParams, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(ctx context.Context, m *change.Manager, s targets, text string) error {
		p := change.UpdateParams{ID: s.fresh.ID, By: alice}
		mod(&p, text)
		_, err := m.Update(ctx, p)
		return err
	}
}

func approving(mod func(p *change.DecideParams, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(ctx context.Context, m *change.Manager, s targets, text string) error {
		p := change.DecideParams{ID: s.authorizing.ID, By: vic, Note: "fine"}
		mod(&p, text)
		_, err := m.Approve(ctx, p)
		return err
	}
}

func finding(mod func(q *change.Query, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		var q change.Query
		mod(&q, text)
		for _, err := range m.Find(ctx, q) {
			if err != nil {
				return err
			}
		}
		return nil
	}
}

func calendaring(mod func(q *change.CalendarQuery, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		q := change.CalendarQuery{From: t0, To: t0.Add(72 * time.Hour)}
		mod(&q, text)
		for _, err := range m.Calendar(ctx, q) {
			if err != nil {
				return err
			}
		}
		return nil
	}
}

func freezing(mod func(f *change.Freeze, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(_ context.Context, m *change.Manager, _ targets, text string) error {
		f := yearEnd
		mod(&f, text)
		return m.SetFreezes([]change.Freeze{f})
	}
}

func configuring(mod func(cfg *change.Config, s string)) func(context.Context, *change.Manager, targets, string) error {
	return func(_ context.Context, _ *change.Manager, s targets, text string) error {
		cfg := change.Config{Templates: []change.Template{restartWeb}, Questionnaire: cloneQuestionnaire(questionnaire)}
		mod(&cfg, text)
		_, err := change.NewManager(s.store, cfg)
		return err
	}
}

var textInputs = []textInput{
	// Propose
	{field: "title", max: limitTitle, call: proposing(func(d *change.Draft, s string) { d.Title = s })},
	{field: "description", max: limitText, call: proposing(func(d *change.Draft, s string) { d.Description = s })},
	{field: "justification", max: limitText, call: proposing(func(d *change.Draft, s string) { d.Justification = s })},
	{field: "category", max: limitName, call: proposing(func(d *change.Draft, s string) { d.Category = s })},
	{field: "cis[1]", max: limitName, call: proposing(func(d *change.Draft, s string) { d.CIs = []string{"db-1", s} })},
	{field: "implementation_plan", max: limitText, call: proposing(func(d *change.Draft, s string) { d.ImplementationPlan = s })},
	{field: "backout_plan", max: limitText, call: proposing(func(d *change.Draft, s string) { d.BackoutPlan = s })},
	{field: "test_plan", max: limitText, call: proposing(func(d *change.Draft, s string) { d.TestPlan = s })},
	{field: "requester", max: limitName, call: proposing(func(d *change.Draft, s string) { d.Requester = s })},
	{field: "implementer", max: limitName, call: proposing(func(d *change.Draft, s string) { d.Implementer = s })},
	{field: "links[0].number", max: limitName, call: proposing(func(d *change.Draft, s string) { d.Links[0].Number = s })},
	{field: "links[0].kind", max: limitName, matched: true, call: proposing(func(d *change.Draft, s string) { d.Links[0].Kind = s })},
	{field: "note", max: limitNote, call: proposing(func(d *change.Draft, s string) { d.Note = s })},
	{field: "by", max: limitName, call: proposing(func(d *change.Draft, s string) { d.By.ID, d.Requester = s, "alice" })},
	{field: "by.name", max: limitName, call: proposing(func(d *change.Draft, s string) { d.By.Name = s })},
	{field: "by.groups[1]", max: limitName, call: proposing(func(d *change.Draft, s string) { d.By.Groups = []string{approval.GroupCAB, s} })},
	{field: "template", max: limitName, matched: true, call: func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		_, err := m.Propose(ctx, change.Draft{Type: change.Standard, Template: text, CIs: []string{"web-9"}, By: alice})
		return err
	}},
	// Update
	{field: "title", max: limitTitle, call: updating(func(p *change.UpdateParams, s string) { p.Title = &s })},
	{field: "description", max: limitText, call: updating(func(p *change.UpdateParams, s string) { p.Description = &s })},
	{field: "justification", max: limitText, call: updating(func(p *change.UpdateParams, s string) { p.Justification = &s })},
	{field: "category", max: limitName, call: updating(func(p *change.UpdateParams, s string) { p.Category = &s })},
	{field: "cis[0]", max: limitName, call: updating(func(p *change.UpdateParams, s string) { p.CIs = &[]string{s} })},
	{field: "implementation_plan", max: limitText, call: updating(func(p *change.UpdateParams, s string) { p.ImplementationPlan = &s })},
	{field: "backout_plan", max: limitText, call: updating(func(p *change.UpdateParams, s string) { p.BackoutPlan = &s })},
	{field: "test_plan", max: limitText, call: updating(func(p *change.UpdateParams, s string) { p.TestPlan = &s })},
	{field: "implementer", max: limitName, call: updating(func(p *change.UpdateParams, s string) { p.Implementer = &s })},
	{field: "note", max: limitNote, call: updating(func(p *change.UpdateParams, s string) { p.Note = s })},
	{field: "by.name", max: limitName, call: updating(func(p *change.UpdateParams, s string) { p.By.Name = s })},
	// Assess
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Assess(ctx, change.AssessParams{ID: s.fresh.ID, By: alice, Likelihood: change.LikelihoodLow, Note: text})
		return err
	}},
	{field: "answers[outage]", max: limitName, matched: true, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Assess(ctx, change.AssessParams{ID: s.fresh.ID, By: alice, Answers: map[string]string{"outage": text, "tested": "yes"}})
		return err
	}},
	{field: "answers", max: limitName, matched: true, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Assess(ctx, change.AssessParams{ID: s.fresh.ID, By: alice, Answers: map[string]string{"outage": "no", "tested": "yes", text: "no"}})
		return err
	}},
	// RequestApproval
	{field: "approvers[0]", max: limitName, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.RequestApproval(ctx, change.RequestApprovalParams{ID: s.assessed.ID, By: alice, Approvers: []approval.Slot{approval.Person(text)}})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.RequestApproval(ctx, change.RequestApprovalParams{ID: s.assessed.ID, By: alice, Note: text})
		return err
	}},
	// Approve, Reject
	{field: "note", max: limitNote, call: approving(func(p *change.DecideParams, s string) { p.Note = s })},
	{field: "by.name", max: limitName, call: approving(func(p *change.DecideParams, s string) { p.By.Name = s })},
	{field: "by.groups[0]", max: limitName, call: approving(func(p *change.DecideParams, s string) {
		p.By.Groups = append([]string{s}, vic.Groups...)
	})},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Reject(ctx, change.DecideParams{ID: s.authorizing.ID, By: vic, Note: text})
		return err
	}},
	// Schedule
	{field: "implementer", max: limitName, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Schedule(ctx, change.ScheduleParams{ID: s.standard.ID, By: alice, Window: window(5, 1), Implementer: text})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Schedule(ctx, change.ScheduleParams{ID: s.scheduled.ID, By: alice, Window: window(6, 1), Note: text})
		return err
	}},
	{field: "by", max: limitName, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Schedule(ctx, change.ScheduleParams{ID: s.standard.ID, By: itil.Actor{ID: text}, Window: window(5, 1), Implementer: "bob"})
		return err
	}},
	// The steps
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Implement(ctx, change.Params{ID: s.scheduled.ID, By: bob, Note: text})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.RecordOutcome(ctx, change.OutcomeParams{ID: s.implementing.ID, By: bob, Outcome: change.Successful, Note: text})
		return err
	}},
	{field: "summary", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Review(ctx, change.ReviewParams{ID: s.review.ID, By: carol, Summary: text})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Close(ctx, change.Params{ID: s.review.ID, By: bob, Note: text})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Cancel(ctx, change.Params{ID: s.fresh.ID, By: alice, Note: text})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.RevertToNew(ctx, change.Params{ID: s.authorizing.ID, By: alice, Note: text})
		return err
	}},
	{field: "to.number", max: limitName, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Link(ctx, change.LinkParams{ID: s.fresh.ID, By: carol, To: itil.Ref{Kind: "incident", ID: uuid.New(), Number: text}})
		return err
	}},
	{field: "to.kind", max: limitName, matched: true, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Link(ctx, change.LinkParams{ID: s.fresh.ID, By: carol, To: itil.Ref{Kind: text, ID: uuid.New()}})
		return err
	}},
	{field: "note", max: limitNote, call: func(ctx context.Context, m *change.Manager, s targets, text string) error {
		_, err := m.Link(ctx, change.LinkParams{ID: s.fresh.ID, By: carol, To: itil.Ref{Kind: "incident", ID: uuid.New()}, Note: text})
		return err
	}},
	// Reading
	{field: "number", max: limitName, call: func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		_, err := m.GetByNumber(ctx, text)
		if errors.Is(err, lifecycle.ErrNotFound) {
			return nil
		}
		return err
	}},
	{field: "ci", max: limitName, call: finding(func(q *change.Query, s string) { q.CI = s })},
	{field: "service", max: limitName, call: finding(func(q *change.Query, s string) { q.Service = s })},
	{field: "requester", max: limitName, call: finding(func(q *change.Query, s string) { q.Requester = s })},
	{field: "implementer", max: limitName, call: finding(func(q *change.Query, s string) { q.Implementer = s })},
	{field: "template", max: limitName, call: finding(func(q *change.Query, s string) { q.Template = s })},
	{field: "category", max: limitName, call: finding(func(q *change.Query, s string) { q.Category = s })},
	{field: "states[1]", max: limitName, call: finding(func(q *change.Query, s string) { q.States = []string{change.StateNew, s} })},
	{field: "awaiting[0]", max: limitName, call: finding(func(q *change.Query, s string) { q.Awaiting = []approval.Slot{approval.Person(s)} })},
	{field: "link.kind", max: limitName, call: finding(func(q *change.Query, s string) { q.Link = itil.Ref{Kind: s, ID: uuid.New()} })},
	{field: "ci", max: limitName, call: calendaring(func(q *change.CalendarQuery, s string) { q.CI = s })},
	{field: "implementer", max: limitName, call: calendaring(func(q *change.CalendarQuery, s string) { q.Implementer = s })},
	{field: "cis[0]", max: limitName, call: func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		_, err := m.Conflicts(ctx, &change.Change{CIs: []string{text}, Planned: window(1, 1)})
		return err
	}},
	{field: "implementer", max: limitName, call: func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		_, err := m.Conflicts(ctx, &change.Change{CIs: []string{"db-1"}, Implementer: text, Planned: window(1, 1)})
		return err
	}},
	{field: "ci", max: limitName, call: func(ctx context.Context, m *change.Manager, _ targets, text string) error {
		_, _, err := m.Windows().Active(ctx, text, t0)
		return err
	}},
	// Configuration
	{field: "freezes[0].name", max: limitName, call: freezing(func(f *change.Freeze, s string) { f.Name = s })},
	{field: "freezes[0].reason", max: limitNote, call: freezing(func(f *change.Freeze, s string) { f.Reason = s })},
	{field: "freezes[0].cis[0]", max: limitName, call: freezing(func(f *change.Freeze, s string) { f.CIs = []string{s} })},
	{field: "freezes[0].services[0]", max: limitName, call: freezing(func(f *change.Freeze, s string) { f.Services = []string{s} })},
	{field: "freezes[0].rrule", max: limitName, matched: true, call: freezing(func(f *change.Freeze, s string) { f.RRule = s })},
	{field: "templates[0].name", max: limitName, call: configuring(func(c *change.Config, s string) { c.Templates[0].Name = s })},
	{field: "templates[0].title", max: limitTitle, call: configuring(func(c *change.Config, s string) { c.Templates[0].Title = s })},
	{field: "templates[0].description", max: limitText, call: configuring(func(c *change.Config, s string) { c.Templates[0].Description = s })},
	{field: "templates[0].category", max: limitName, call: configuring(func(c *change.Config, s string) { c.Templates[0].Category = s })},
	{field: "templates[0].implementation_plan", max: limitText, call: configuring(func(c *change.Config, s string) { c.Templates[0].ImplementationPlan = s })},
	{field: "templates[0].backout_plan", max: limitText, call: configuring(func(c *change.Config, s string) { c.Templates[0].BackoutPlan = s })},
	{field: "templates[0].test_plan", max: limitText, call: configuring(func(c *change.Config, s string) { c.Templates[0].TestPlan = s })},
	{field: "questionnaire.questions[0].id", max: limitName, call: configuring(func(c *change.Config, s string) { c.Questionnaire.Questions[0].ID = s })},
	{field: "questionnaire.questions[0].text", max: limitNote, call: configuring(func(c *change.Config, s string) { c.Questionnaire.Questions[0].Text = s })},
	{field: "questionnaire.questions[0].answers[1].id", max: limitName, call: configuring(func(c *change.Config, s string) { c.Questionnaire.Questions[0].Answers[1].ID = s })},
	{field: "questionnaire.questions[0].answers[1].text", max: limitNote, call: configuring(func(c *change.Config, s string) { c.Questionnaire.Questions[0].Answers[1].Text = s })},
}

// cloneQuestionnaire returns a deep copy of q, for a test to spoil.
func cloneQuestionnaire(q change.Questionnaire) change.Questionnaire {
	q.Questions = append([]change.Question(nil), q.Questions...)
	for i := range q.Questions {
		q.Questions[i].Answers = append([]change.Answer(nil), q.Questions[i].Answers...)
	}
	return q
}

// storeState is what a refused call must leave byte for byte as it was:
// every change record, its journal, and the store's whole log.
type storeState struct {
	Records  []json.RawMessage
	Journals [][]lifecycle.Change
	Log      []lifecycle.Change
}

func readState(t *testing.T, ctx context.Context, m *change.Manager, st lifecycle.Store) string {
	t.Helper()
	var s storeState
	for c, err := range m.Find(ctx, change.Query{}) {
		require.NoError(t, err)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		s.Records = append(s.Records, b)
		var j []lifecycle.Change
		for ch, err := range m.Journal(ctx, c.ID) {
			require.NoError(t, err)
			j = append(j, ch)
		}
		s.Journals = append(s.Journals, j)
	}
	for after := int64(0); ; {
		chs, err := st.ReadLog(ctx, after, 0)
		require.NoError(t, err)
		if len(chs) == 0 {
			break
		}
		s.Log = append(s.Log, chs...)
		after = chs[len(chs)-1].Seq
	}
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// TestHostileInput sends every text the Manager takes, in every place it
// takes it, as invalid UTF-8, with a NUL, and one character too long: each
// call is refused with a *itil.ValidationError naming the field, without a
// panic, and leaves every record, journal and the log as they were. A text
// of exactly the limit in characters, of more bytes than that, is not
// refused for its length.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	teststores.Each(t, func(t *testing.T, db teststores.DB) {
		ctx := t.Context()
		st := db.Host(t)
		m := hostManager(t, st, change.Config{Questionnaire: questionnaire})
		s := newTargets(t, m, st)
		before := readState(t, ctx, m, st)
		for _, in := range textInputs {
			texts := hostileTexts
			if in.max > 0 {
				texts = append(texts[:len(texts):len(texts)], struct{ name, text string }{"too long", strings.Repeat("é", in.max+1)})
			}
			for _, h := range texts {
				var err error
				require.NotPanics(t, func() { err = in.call(ctx, m, s, h.text) }, "%s, %s", in.field, h.name)
				var ve *itil.ValidationError
				if assert.ErrorAs(t, err, &ve, "%s, %s", in.field, h.name) {
					assert.Equal(t, in.field, ve.Field, "%s: %v", h.name, err)
					if h.name == "too long" {
						assert.Contains(t, ve.Reason, "characters", in.field)
					}
				}
				if after := readState(t, ctx, m, st); after != before {
					t.Errorf("%s, %s: a refused call changed the store", in.field, h.name)
					before = after
				}
			}
		}
		if db.Name != "memstore" {
			return
		}
		// The limits count characters: each "é" is two bytes.
		for _, in := range textInputs {
			if in.max == 0 || in.matched {
				continue
			}
			s := newTargets(t, m, st)
			err := in.call(ctx, m, s, strings.Repeat("é", in.max))
			require.NoError(t, m.SetFreezes(nil))
			var ve *itil.ValidationError
			if errors.As(err, &ve) {
				assert.NotEqual(t, in.field, ve.Field, "%d characters are allowed in %s: %v", in.max, in.field, err)
			}
		}
	})
}
