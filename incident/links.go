package incident

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// maxDepth bounds the walk up a chain of parents.
const maxDepth = 64

// LinkParent makes the incident p.ID a child of p.Parent, as when many
// callers report one outage. Both must be open; a child cannot be its own
// ancestor (ErrCycle). The journal note is p.Note, or "child of" the
// parent's number.
//
// The link is one commit that pins the parent and every ancestor it walked:
// if any of them changes before the commit (another desk linking them, on
// this host or another), the commit fails and the whole check runs again,
// so no number of desks can close a cycle.
func (d *Desk) LinkParent(ctx context.Context, p ParentParams) (*Incident, error) {
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	child, parent := p.ID, p.Parent
	switch {
	case parent == uuid.Nil:
		return nil, &itil.ValidationError{Field: "parent", Reason: "required"}
	case child == parent:
		return nil, fmt.Errorf("%w: an incident cannot be its own parent", ErrCycle)
	}
	a.Name = "link_parent"
	var out *Incident
	err = lifecycle.Atomic(ctx, d.proc.Store(), d.cfg.Retries, func(tx *lifecycle.Tx) error {
		par, err := d.getIn(ctx, tx, parent)
		if err != nil {
			return fmt.Errorf("parent: %w", err)
		}
		if !par.Open() {
			return &itil.ValidationError{Field: "parent", Reason: fmt.Sprintf("%s is %s", par.Number, par.State)}
		}
		for anc, depth := par, 0; anc.Parent != uuid.Nil; depth++ {
			if anc.Parent == child {
				return fmt.Errorf("%w: the child is already an ancestor of %s", ErrCycle, par.Number)
			}
			if depth == maxDepth {
				return &itil.ValidationError{Field: "parent", Reason: fmt.Sprintf("more than %d ancestors", maxDepth)}
			}
			if anc, err = d.getIn(ctx, tx, anc.Parent); err != nil {
				return fmt.Errorf("ancestor: %w", err)
			}
		}
		a := a
		if a.Note == "" {
			a.Note = "child of " + par.Number
		}
		a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
			if !inc.Open() {
				return d.def.TransitionError("link_parent", inc.State)
			}
			lifecycle.Set(ed, "parent", &inc.Parent, par.ID)
			return nil
		}
		out, err = d.proc.FireIn(ctx, tx, child, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getIn reads an incident through tx, which pins its version.
func (d *Desk) getIn(ctx context.Context, tx *lifecycle.Tx, id uuid.UUID) (*Incident, error) {
	e, err := tx.Get(ctx, id, func() lifecycle.Entity { return new(Incident) })
	if err != nil {
		return nil, err
	}
	inc, ok := e.(*Incident)
	if !ok || inc.Kind != Kind {
		return nil, fmt.Errorf("incident %s: %w", id, lifecycle.ErrNotFound)
	}
	return inc, nil
}

// UnlinkParent makes the incident stand alone again.
func (d *Desk) UnlinkParent(ctx context.Context, p Params) (*Incident, error) {
	a, err := common(p, "")
	if err != nil {
		return nil, err
	}
	a.Name = "unlink_parent"
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		if inc.Parent == uuid.Nil {
			return &itil.ValidationError{Field: "parent", Reason: "the incident has no parent"}
		}
		lifecycle.Set(ed, "parent", &inc.Parent, uuid.Nil)
		return nil
	}
	return d.proc.Fire(ctx, p.ID, a)
}

// Children yields the incident's children.
func (d *Desk) Children(ctx context.Context, parent uuid.UUID) iter.Seq2[*Incident, error] {
	return d.Find(ctx, Query{Parent: parent})
}

// Link records a link from the incident to p.Ref, a problem or change
// record, or removes it with p.Remove set. The journal note is p.Note, or
// the reference. Linking a closed or cancelled incident, linking twice, or
// removing a link that is not there, is a *itil.ValidationError.
func (d *Desk) Link(ctx context.Context, p LinkParams) (*Incident, error) {
	return d.link(ctx, nil, p)
}

// LinkIn is Link staged in tx, for a caller that writes the other side of
// the link in the same commit (see lifecycle.Tx): the incident's change is
// saved when tx commits, or not at all.
func (d *Desk) LinkIn(ctx context.Context, tx *lifecycle.Tx, p LinkParams) (*Incident, error) {
	if tx == nil {
		return nil, &itil.ValidationError{Field: "tx", Reason: "required"}
	}
	return d.link(ctx, tx, p)
}

func (d *Desk) link(ctx context.Context, tx *lifecycle.Tx, p LinkParams) (*Incident, error) {
	ref, remove := p.Ref, p.Remove
	if err := ref.Validate("ref"); err != nil {
		return nil, err
	}
	if ref.Kind != "problem" && ref.Kind != "change" {
		return nil, &itil.ValidationError{Field: "ref.kind", Reason: fmt.Sprintf("incidents link to problems and changes, not %q", ref.Kind)}
	}
	if err := itil.CheckText("ref.number", ref.Number, MaxName); err != nil {
		return nil, err
	}
	a, err := action(p.ID, p.Version, p.By, p.Note, "", p.Fields)
	if err != nil {
		return nil, err
	}
	a.Name = "link_" + ref.Kind
	if remove {
		a.Name = "unlink_" + ref.Kind
	}
	if a.Note == "" {
		a.Note = ref.String()
	}
	a.Apply = func(inc *Incident, ed *lifecycle.Edit) error {
		list := &inc.Problems
		if ref.Kind == "change" {
			list = &inc.Changes
		}
		i := slices.IndexFunc(*list, func(r itil.Ref) bool { return r.ID == ref.ID })
		switch {
		case !remove && inc.StateCategory.Terminal():
			return &itil.ValidationError{Field: "incident", Reason: fmt.Sprintf("%s is %s", inc.Number, inc.State)}
		case !remove && i >= 0:
			return &itil.ValidationError{Field: "ref", Reason: fmt.Sprintf("%s is already linked", ref)}
		case remove && i < 0:
			return &itil.ValidationError{Field: "ref", Reason: fmt.Sprintf("%s is not linked", ref)}
		case remove:
			*list = slices.Delete(slices.Clone(*list), i, i+1)
			ed.Field(ref.Kind+"s", ref.String(), "")
		default:
			*list = append(slices.Clone(*list), ref)
			ed.Field(ref.Kind+"s", "", ref.String())
		}
		return nil
	}
	if tx != nil {
		return d.proc.FireIn(ctx, tx, p.ID, a)
	}
	return d.proc.Fire(ctx, p.ID, a)
}
