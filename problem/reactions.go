package problem

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// ReactionIncidents is the name of the subscription through which a
// manager works on the incidents linked to a problem (see Reactions). It
// is the subscription's cursor in the store's outbox: it stays the same
// from release to release.
const ReactionIncidents = "problem.incidents"

// Reactions returns the subscriptions that carry out the work a change to a
// problem sets in motion on its linked incidents, for the host to run on a
// lifecycle.Dispatcher over the manager's store (Run in a server, Drain in
// a command-line tool or a test):
//
//   - ReactionIncidents: a published workaround becomes a comment on every
//     open linked incident, for its caller; a delivered fix (the problem
//     enters a resolved state, or is closed with CodeFixApplied straight
//     from work) resolves the open linked incidents or gives them a work
//     note and a comment, as Config.OnResolve says.
//
// The work runs from the log, after the problem's commit, whatever becomes
// of the request that made the change: a desk that fails is retried until
// it takes the work, and a host that restarts resumes where its cursor
// stands. Each effect is applied once however often a change is delivered:
// an incident that already carries the note, written after the change, or
// that is resolved already, is skipped. Only incidents linked before the
// change are concerned, so that replaying old changes does nothing new.
// What the desk refuses for good (a validation error, a transition its
// state does not allow, its Authorizer) is logged and skipped.
func (m *Manager) Reactions() []lifecycle.Subscription {
	return []lifecycle.Subscription{{Name: ReactionIncidents, Notifier: lifecycle.NotifierFunc(m.react)}}
}

// react is the notifier of ReactionIncidents.
func (m *Manager) react(ctx context.Context, ch lifecycle.Change) error {
	if ch.Kind != Kind {
		return nil
	}
	switch {
	case ch.Event == eventPublishWorkaround:
		return m.noteWorkaround(ctx, ch)
	case m.delivers(ch):
		return m.settle(ctx, ch)
	}
	return nil
}

// delivers reports whether ch delivers a problem's fix: it enters a
// resolved state from another category, or closes with CodeFixApplied
// straight from an open or paused state.
func (m *Manager) delivers(ch lifecycle.Change) bool {
	if ch.From == "" || ch.From == ch.To {
		return false
	}
	from, to := m.def.Category(ch.From), m.def.Category(ch.To)
	switch {
	case to == lifecycle.Resolved:
		return from != lifecycle.Resolved
	case to.Terminal():
		return from.Active() && slices.Contains(ch.Fields, lifecycle.FieldChange{Field: "resolution.code", New: CodeFixApplied})
	}
	return false
}

// noteWorkaround comments the workaround that ch published on the open
// incidents of its problem.
func (m *Manager) noteWorkaround(ctx context.Context, ch lifecycle.Change) error {
	p, err := m.proc.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	at, err := m.asOf(ctx, p, ch.Seq)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Workaround from %s (%s): %s", p.Number, p.Title, at.Workaround)
	targets, err := m.targets(ctx, ch)
	if err != nil {
		return err
	}
	by := actorOf(ch)
	for _, t := range targets {
		if t.has(true, text) {
			continue
		}
		if _, err := m.desk.Comment(ctx, incident.Params{ID: t.inc.ID, By: by, Note: text}); err != nil {
			if err := m.given(ctx, err, "publishing a workaround", p, t.inc); err != nil {
				return err
			}
		}
	}
	return nil
}

// settle applies Config.OnResolve to the open incidents of the problem
// whose fix ch delivered.
func (m *Manager) settle(ctx context.Context, ch lifecycle.Change) error {
	p, err := m.proc.Get(ctx, ch.RecordID)
	if errors.Is(err, lifecycle.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	at, err := m.asOf(ctx, p, ch.Seq)
	if err != nil {
		return err
	}
	delivered := at.Fix
	if at.FixChange != "" {
		delivered += " (delivered by " + at.FixChange + ")"
	}
	targets, err := m.targets(ctx, ch)
	if err != nil {
		return err
	}
	by := actorOf(ch)
	for _, t := range targets {
		if m.cfg.OnResolve == ResolveIncidents {
			_, err := m.desk.Resolve(ctx, incident.ResolveParams{ID: t.inc.ID, By: by, Code: m.cfg.IncidentResolutionCode,
				Note: fmt.Sprintf("Fixed by problem %s: %s", p.Number, delivered)})
			if err == nil {
				continue
			}
			if !refused(err) {
				return fmt.Errorf("resolving %s: %w", t.inc.Number, err)
			}
			m.cfg.Logger.WarnContext(ctx, "resolving an incident with its problem; notifying it instead",
				slog.String("problem", p.Number), slog.String("incident", t.inc.Number), slog.Any("error", err))
		}
		notes := []struct {
			public bool
			text   string
		}{
			{false, fmt.Sprintf("Problem %s resolved: %s", p.Number, delivered)},
			{true, "A permanent fix for the cause of this incident has been delivered: " + delivered},
		}
		for _, n := range notes {
			if t.has(n.public, n.text) {
				continue
			}
			var err error
			if n.public {
				_, err = m.desk.Comment(ctx, incident.Params{ID: t.inc.ID, By: by, Note: n.text})
			} else {
				_, err = m.desk.WorkNote(ctx, incident.Params{ID: t.inc.ID, By: by, Note: n.text})
			}
			if err != nil {
				if err := m.given(ctx, err, "notifying an incident of its problem's fix", p, t.inc); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// refused reports whether the desk refused for good, so that a retry would
// be refused again: an error of any class but lifecycle.ErrConflict (bad
// input, a rule of the incident's situation, its Authorizer, an incident
// gone).
func refused(err error) bool {
	c := lifecycle.Class(err)
	return c != nil && c != lifecycle.ErrConflict
}

// given returns err for the dispatcher to retry, unless the desk refused
// for good: that is logged under what, and the incident skipped.
func (m *Manager) given(ctx context.Context, err error, what string, p *Problem, inc *incident.Incident) error {
	if !refused(err) {
		return fmt.Errorf("%s: %s: %w", what, inc.Number, err)
	}
	m.cfg.Logger.WarnContext(ctx, what, slog.String("problem", p.Number),
		slog.String("incident", inc.Number), slog.Any("error", err))
	return nil
}

// actorOf returns who made ch, or the manager itself for a change that
// names no one.
func actorOf(ch lifecycle.Change) itil.Actor {
	if ch.Actor.ID == "" {
		return itil.System("problem-manager")
	}
	return ch.Actor
}

// fixedAt is what a problem's fix and workaround were just after one of
// its changes.
type fixedAt struct {
	Workaround, Fix, FixChange string
}

// asOf reads from p's journal what its workaround and fix were just after
// the change at seq, so that a change delivered late still says what it
// said when it was made: the value a field was given last by then, else
// the value the next change of it replaced, else the value p has now.
func (m *Manager) asOf(ctx context.Context, p *Problem, seq int64) (fixedAt, error) {
	at := fixedAt{Workaround: p.Workaround, Fix: p.Fix}
	if !p.FixChange.IsZero() {
		at.FixChange = p.FixChange.String()
	}
	fields := map[string]*string{"workaround": &at.Workaround, "fix": &at.Fix, "fix_change": &at.FixChange}
	settled := map[string]bool{}
	for c, err := range m.proc.Journal(ctx, p.ID) {
		if err != nil {
			return fixedAt{}, err
		}
		for _, f := range c.Fields {
			dst, ok := fields[f.Field]
			switch {
			case !ok || settled[f.Field] && c.Seq > seq:
			case c.Seq <= seq:
				*dst, settled[f.Field] = f.New, true
			default:
				*dst, settled[f.Field] = f.Old, true
			}
		}
	}
	return at, nil
}

// target is an open incident a reaction works on, with the entries of its
// journal after the problem's change.
type target struct {
	inc   *incident.Incident
	after []lifecycle.Change
}

// has reports whether the incident got a note with text (a comment when
// public) after the problem's change.
func (t *target) has(public bool, text string) bool {
	return slices.ContainsFunc(t.after, func(c lifecycle.Change) bool { return c.Public == public && c.Note == text })
}

// targets returns the open incidents linked to ch's problem that were
// linked before ch.
func (m *Manager) targets(ctx context.Context, ch lifecycle.Change) ([]target, error) {
	var incs []*incident.Incident
	for inc, err := range m.desk.Find(ctx, incident.Query{Problem: ch.RecordID, Open: true}) {
		if err != nil {
			return nil, fmt.Errorf("finding the incidents of %s: %w", ch.Number, err)
		}
		incs = append(incs, inc)
	}
	refs := []string{
		itil.Ref{Kind: Kind, ID: ch.RecordID, Number: ch.Number}.String(),
		itil.Ref{Kind: Kind, ID: ch.RecordID}.String(),
	}
	var out []target
	for _, inc := range incs {
		t := target{inc: inc}
		var linked int64
		for c, err := range m.desk.Journal(ctx, inc.ID) {
			if err != nil {
				return nil, fmt.Errorf("reading the journal of %s: %w", inc.Number, err)
			}
			if c.Seq > ch.Seq {
				t.after = append(t.after, c)
			}
			if slices.ContainsFunc(c.Fields, func(f lifecycle.FieldChange) bool {
				return f.Field == "problems" && slices.Contains(refs, f.New)
			}) {
				linked = c.Seq
			}
		}
		if linked > ch.Seq {
			continue // linked since: the change was not about it
		}
		out = append(out, t)
	}
	return out, nil
}
