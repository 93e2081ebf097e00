package change

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// RequestApproval starts an approval round and moves the change to
// authorize. The rule comes from Config.Approvals by the change's risk, or
// is Config.EmergencyApprovals for an emergency change; the requester and
// the implementer are excluded from deciding (segregation of duties).
//
// Errors: *itil.ValidationError on "risk" (a normal change not assessed),
// on a field the authorize state requires ("backout_plan"), or on
// "approvers[i]" (a bad slot, or one naming the requester or implementer);
// *lifecycle.TransitionError where approval cannot be requested (standard
// changes never can); lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) RequestApproval(ctx context.Context, p RequestApprovalParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	for i, s := range p.Approvers {
		if err := checkSlot(fmt.Sprintf("approvers[%d]", i), s); err != nil {
			return nil, err
		}
	}
	return m.fire(ctx, p.ID, func(*lifecycle.Definition) lifecycle.Action[*Change] {
		act := action(p.params())
		act.Event = EventRequestApproval
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			rule, err := m.rule(c)
			if err != nil {
				return err
			}
			slots := rule.Slots
			for _, s := range p.Approvers {
				if !slices.Contains(slots, s) {
					slots = append(slots, s)
				}
			}
			a, err := approval.New(approval.Request{
				Policy:   rule.Policy,
				Slots:    slots,
				Excluded: exclusions(c),
				At:       m.cfg.Now(),
			})
			if err != nil {
				return approverField(err, len(rule.Slots))
			}
			c.Approvals = append(c.Approvals, a)
			ed.Field("approval", "", a.Summary())
			return nil
		}
		return act
	})
}

// rule returns the approval rule for c: the emergency CAB's, or the one its
// risk picks.
func (m *Manager) rule(c *Change) (approval.Rule, error) {
	if c.Type == Emergency {
		r := m.cfg.EmergencyApprovals
		r.Slots = slices.Clone(r.Slots)
		return r, nil
	}
	if !c.Risk.Valid() {
		return approval.Rule{}, &itil.ValidationError{Field: "risk", Reason: "assess the change before requesting approval"}
	}
	return m.cfg.Approvals.RuleOf(c.Risk)
}

// exclusions bars the requester and the implementer from deciding.
func exclusions(c *Change) []approval.Exclusion {
	var xs []approval.Exclusion
	if c.Requester != "" {
		xs = append(xs, approval.Exclusion{Actor: c.Requester, Role: approval.RoleRequester})
	}
	if c.Implementer != "" && c.Implementer != c.Requester {
		xs = append(xs, approval.Exclusion{Actor: c.Implementer, Role: approval.RoleImplementer})
	}
	return xs
}

// approverField renames approval.New's "slots[i]" errors to the caller's
// "approvers[j]" for slots the caller added.
func approverField(err error, ruleSlots int) error {
	ve, ok := err.(*itil.ValidationError)
	if !ok {
		return err
	}
	rest, ok := strings.CutPrefix(ve.Field, "slots[")
	if !ok {
		return err
	}
	num, _, _ := strings.Cut(rest, "]")
	if i, convErr := strconv.Atoi(num); convErr == nil && i >= ruleSlots {
		return &itil.ValidationError{Field: "approvers[" + strconv.Itoa(i-ruleSlots) + "]", Reason: ve.Reason}
	}
	return err
}

// Approve records actor's approval in the change's current round. The
// decision is journaled (event "decide") with the comment as note and the
// round's summary before and after.
//
// Errors: *lifecycle.TransitionError when the change is not in
// authorization; *approval.SegregationError when the actor is the
// requester or the implementer (it matches lifecycle.ErrForbidden);
// approval.ErrNotApprover, approval.ErrAlreadyDecided, approval.ErrClosed;
// lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) Approve(ctx context.Context, p DecideParams) (*Change, error) {
	return m.decide(ctx, p, approval.Approve)
}

// Reject records actor's rejection in the change's current round. When it
// settles the round as rejected, the change goes back to new (event
// "reject") for rework or cancellation; otherwise it is journaled as event
// "decide". The errors are Approve's, and a *itil.ValidationError on
// "note" when there is no comment.
func (m *Manager) Reject(ctx context.Context, p DecideParams) (*Change, error) {
	return m.decide(ctx, p, approval.Reject)
}

func (m *Manager) decide(ctx context.Context, p DecideParams, v approval.Verdict) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	return m.fire(ctx, p.ID, func(def *lifecycle.Definition) lifecycle.Action[*Change] {
		act := action(p.params())
		// The event depends on whether the decision settles the round as
		// rejected, which a trial on a copy of the round tells.
		act.EventFor = func(c *Change) string {
			if r := c.current(); r != nil {
				trial := r.Clone()
				if _, err := trial.Decide(p.By, v, p.Note, m.cfg.Now()); err == nil && trial.Outcome() == approval.Rejected {
					return EventReject
				}
			}
			return EventDecide
		}
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			r := c.current()
			if r == nil {
				return fmt.Errorf("change %s: no approval was requested: %w", c.Number, approval.ErrClosed)
			}
			if err := segregate(c, p.By); err != nil {
				return err
			}
			before := r.Summary()
			d, err := r.Decide(p.By, v, p.Note, m.cfg.Now())
			if err != nil {
				return approverNote(err)
			}
			ed.Field("decision", "", d.String())
			ed.Field("approval", before, r.Summary())
			return nil
		}
		return act
	})
}

// approverNote names the approver's comment "note", as DecideParams holds
// it, in approval.Decide's errors on "comment".
func approverNote(err error) error { return renameField("comment", "note", err) }

// segregate refuses a decision by the change's current requester or
// implementer, who may have been named after the round began.
func segregate(c *Change, a itil.Actor) error {
	switch a.ID {
	case c.Requester:
		return &approval.SegregationError{Actor: a.ID, Role: approval.RoleRequester}
	case c.Implementer:
		return &approval.SegregationError{Actor: a.ID, Role: approval.RoleImplementer}
	}
	return nil
}

// checkImplementer refuses to make someone who decided in the current
// round the implementer.
func checkImplementer(c *Change, id string) error {
	r := c.current()
	if r == nil || id == "" {
		return nil
	}
	for _, d := range r.Decisions {
		if d.By.ID == id {
			return &approval.SegregationError{Actor: id, Role: approval.RoleImplementer}
		}
	}
	return nil
}

// SlotsOf returns the approval slots actor may decide for: their own and
// their groups'. Query.Awaiting with them finds the changes waiting for the
// actor (segregation of duties is checked when they decide).
func SlotsOf(actor itil.Actor) []approval.Slot {
	out := []approval.Slot{approval.Person(actor.ID)}
	for _, g := range actor.Groups {
		out = append(out, approval.Group(g))
	}
	return out
}
