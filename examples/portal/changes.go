package main

// The portal's change enablement: changes that wait for the CAB, their
// decision, and the change lifecycles. The authorization checks are with
// the others in authz.go.

import (
	"context"
	"net/http"
	"strings"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/change"
)

// seedChanges proposes the demo's changes, filed by by and waiting for the
// CAB: moderate risk, so the CAB's rule applies.
func seedChanges(ctx context.Context, m *change.Manager, by itil.Actor) error {
	for _, d := range []change.Draft{
		{Title: "Upgrade PostgreSQL 16 to 17", Category: "database", CIs: []string{"db-1"}, Impact: itil.ImpactMedium,
			Justification:      "16 leaves support next year",
			ImplementationPlan: "pg_upgrade --link on the replica, then switch over", BackoutPlan: "switch back to the old primary"},
		{Title: "Replace the VPN gateway's certificate", Category: "network", CIs: []string{"vpn-gw-1"}, Impact: itil.ImpactMedium,
			Justification:      "the certificate expires in three weeks",
			ImplementationPlan: "install the new certificate, reload the gateway", BackoutPlan: "reinstall the old certificate"},
	} {
		d.By = by
		c, err := m.Propose(ctx, d)
		if err != nil {
			return err
		}
		if _, err := m.Assess(ctx, change.AssessParams{ID: c.ID, By: by, Likelihood: change.LikelihoodMedium}); err != nil {
			return err
		}
		if _, err := m.RequestApproval(ctx, change.RequestApprovalParams{ID: c.ID, By: by}); err != nil {
			return err
		}
	}
	return nil
}

// changeLifecycles returns the lifecycles of the three change types.
func changeLifecycles(m *change.Manager) []namedLifecycle {
	return []namedLifecycle{
		{"change-normal", "Normal change", m.Definition(change.Normal)},
		{"change-standard", "Standard change", m.Definition(change.Standard)},
		{"change-emergency", "Emergency change", m.Definition(change.Emergency)},
	}
}

// changeItem is a change as the approvals page lists it.
type changeItem struct {
	*change.Change
	// Summary is the current round's summary: "0/1 approved, any one".
	Summary string
}

func (s *server) getChange(ctx context.Context, key string) (*change.Change, error) {
	return lookup(ctx, key, s.world.changes.Get, s.world.changes.GetByNumber)
}

// changesAwaiting returns the open changes that u may decide now.
func (s *server) changesAwaiting(ctx context.Context, u *User) ([]*changeItem, error) {
	out := []*changeItem{}
	if !u.CAB() {
		return out, nil
	}
	for c, err := range s.world.changes.Find(ctx, change.Query{Open: true, Awaiting: change.SlotsOf(u.Actor())}) {
		if err != nil {
			return nil, err
		}
		if a := c.Approval(); a.Eligible(u.Actor()) {
			out = append(out, &changeItem{Change: c, Summary: a.Summary()})
		}
	}
	return out, nil
}

// changeView is one change with the CAB's decision form.
type changeView struct {
	view
	Change    *change.Change
	Summary   string
	CanDecide bool
	Comment   string
	Errors    fieldErrors
}

func (s *server) changeView(u *User, c *change.Change) *changeView {
	a := c.Approval()
	return &changeView{view: view{Title: c.Number, User: u}, Change: c, Summary: a.Summary(),
		CanDecide: canDecideChange(u, c) == nil && a.Eligible(u.Actor())}
}

func (s *server) changePage(w http.ResponseWriter, r *http.Request, u *User) error {
	c, err := s.getChange(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	if err := canSeeChange(u, c); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "change.html", s.changeView(u, c))
	return nil
}

// decideOnChange records u's verdict after the portal's own check.
func (s *server) decideOnChange(ctx context.Context, u *User, key string, approve bool, comment string) (*change.Change, error) {
	c, err := s.getChange(ctx, key)
	if err != nil {
		return nil, err
	}
	if err := canDecideChange(u, c); err != nil {
		return nil, err
	}
	p := change.DecideParams{ID: c.ID, By: u.Actor(), Note: comment}
	if approve {
		c, err = s.world.changes.Approve(ctx, p)
	} else {
		c, err = s.world.changes.Reject(ctx, p)
	}
	if err != nil {
		return nil, noteAsComment(err)
	}
	s.log.InfoContext(ctx, "decided", "change", c.Number, "by", u.ID, "approve", approve, "state", c.State)
	return c, nil
}

func (s *server) decideChange(w http.ResponseWriter, r *http.Request, u *User) error {
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	c, err := s.decideOnChange(r.Context(), u, r.PathValue("number"), r.PostFormValue("verdict") == "approve", comment)
	if fe := formErrors(err); fe != nil {
		c, gerr := s.getChange(r.Context(), r.PathValue("number"))
		if gerr != nil {
			return gerr
		}
		v := s.changeView(u, c)
		v.Errors, v.Comment = fe, comment
		s.render(w, r, http.StatusBadRequest, "change.html", v)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/changes/"+c.Number, http.StatusSeeOther)
	return nil
}

func (s *server) apiChanges(w http.ResponseWriter, r *http.Request, u *User) error {
	items, err := s.changesAwaiting(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]*change.Change, 0, len(items))
	for _, it := range items {
		out = append(out, it.Change)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiDecideChange(approve bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u *User) error {
		var body decisionBody
		if r.ContentLength != 0 {
			if err := decodeJSON(w, r, &body); err != nil {
				return err
			}
		}
		c, err := s.decideOnChange(r.Context(), u, r.PathValue("id"), approve, strings.TrimSpace(body.Comment))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, c)
		return nil
	}
}
