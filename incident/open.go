package incident

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/assign"
)

// Draft is a new incident as reported.
type Draft struct {
	// ID, when set, is the new incident's ID, for a caller that opens an
	// incident at most once (a retried automation): an ID that is taken
	// fails with an error wrapping lifecycle.ErrExists, and nothing is
	// written. Zero means a new UUIDv7.
	ID          uuid.UUID
	Title       string
	Description string
	// Caller is who is affected and reported it; required.
	Caller      itil.Actor
	Category    string
	Subcategory string
	// Impact and Urgency are required; Priority follows from them.
	Impact  itil.Impact
	Urgency itil.Urgency
	CIs     []string
	// Channel defaults to ChannelPortal.
	Channel Channel
	// Group and Assignee may be set at once; the incident still starts new.
	Group    string
	Assignee string
	// Parent makes the incident a child of an open incident.
	Parent uuid.UUID
	// By is who records the incident; default the caller.
	By itil.Actor
	// Note is journaled with the incident's creation.
	Note string
	// Fields sets custom fields, as the desk's lifecycle declares them
	// (see lifecycle.Field); a *itil.ValidationError names a bad one as
	// "fields.NAME".
	Fields map[string]string
}

func (dr *Draft) validate() error {
	if strings.TrimSpace(dr.Title) == "" {
		return &itil.ValidationError{Field: "title", Reason: "required"}
	}
	if dr.Caller.ID == "" {
		return &itil.ValidationError{Field: "caller", Reason: "required"}
	}
	for _, t := range []struct {
		field, text string
		max         int
	}{
		{"title", dr.Title, MaxTitle},
		{"description", dr.Description, MaxText},
		{"category", dr.Category, MaxName},
		{"subcategory", dr.Subcategory, MaxName},
		{"group", dr.Group, MaxName},
		{"assignee", dr.Assignee, MaxName},
		{"note", dr.Note, MaxText},
	} {
		if err := itil.CheckText(t.field, t.text, t.max); err != nil {
			return err
		}
	}
	if err := checkActor("caller", dr.Caller); err != nil {
		return err
	}
	if dr.By.ID != "" || dr.By.Name != "" || len(dr.By.Groups) > 0 {
		if err := checkActor("by", dr.By); err != nil {
			return err
		}
	}
	switch {
	case !dr.Impact.Valid():
		return &itil.ValidationError{Field: "impact", Reason: "required: high, medium or low"}
	case !dr.Urgency.Valid():
		return &itil.ValidationError{Field: "urgency", Reason: "required: high, medium or low"}
	case dr.Channel != "" && !slices.Contains(channels, dr.Channel):
		return &itil.ValidationError{Field: "channel", Reason: fmt.Sprintf("unknown channel %q", dr.Channel)}
	case dr.Assignee != "" && dr.Group == "":
		return &itil.ValidationError{Field: "group", Reason: "an assignee needs an assignment group"}
	}
	return validCIs("cis", dr.CIs)
}

// Open records a new incident in the initial state, with its priority from
// the desk's matrix and its SLA clocks started. A Draft with a Parent is
// saved in one commit that also checks the parent is still open. When a
// rule of Config.Paging matches the new incident, its paging starts and
// the first level is paged at once: Open returns the incident as paged.
func (d *Desk) Open(ctx context.Context, dr Draft) (*Incident, error) {
	inc, err := d.draft(dr)
	if err != nil {
		return nil, err
	}
	defer d.release(inc)
	if inc.Parent == uuid.Nil && (d.cfg.Assignment == nil || dr.Group != "") {
		note, err := d.describe(ctx, inc, dr.Group != "", dr.Note)
		if err != nil {
			return nil, err
		}
		out, err := d.proc.Create(ctx, inc, d.openedBy(dr), d.startPaging(inc, note))
		if err != nil {
			return nil, err
		}
		return d.pageNow(ctx, out), nil
	}
	var out *Incident
	err = lifecycle.Atomic(ctx, d.proc.Store(), d.cfg.Retries, func(tx *lifecycle.Tx) error {
		var err error
		out, err = d.openIn(ctx, tx, inc, dr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d.pageNow(ctx, out), nil
}

// OpenIn is Open staged in tx, for a caller that writes other records in
// the same commit (see lifecycle.Tx): the incident is saved when tx
// commits, or not at all. Its number is drawn at once. When a rule of
// Config.Paging matches it, its paging starts with it, and the next Sweep
// pages its first level.
func (d *Desk) OpenIn(ctx context.Context, tx *lifecycle.Tx, dr Draft) (*Incident, error) {
	if tx == nil {
		return nil, &itil.ValidationError{Field: "tx", Reason: "required"}
	}
	inc, err := d.draft(dr)
	if err != nil {
		return nil, err
	}
	defer d.release(inc)
	return d.openIn(ctx, tx, inc, dr)
}

func (d *Desk) openIn(ctx context.Context, tx *lifecycle.Tx, inc *Incident, dr Draft) (*Incident, error) {
	if inc.ID != uuid.Nil {
		// A taken ID stays taken: refuse it here, as an error of the Tx's
		// function, so that Atomic returns it rather than run it again as
		// it would after a commit's ErrExists.
		_, err := tx.Get(ctx, inc.ID, func() lifecycle.Entity { return new(Incident) })
		switch {
		case err == nil:
			return nil, fmt.Errorf("incident %s: %w", inc.ID, lifecycle.ErrExists)
		case !errors.Is(err, lifecycle.ErrNotFound):
			return nil, err
		}
	}
	if inc.Parent != uuid.Nil {
		parent, err := d.getIn(ctx, tx, inc.Parent)
		if err != nil {
			return nil, fmt.Errorf("parent: %w", err)
		}
		if !parent.Open() {
			return nil, &itil.ValidationError{Field: "parent", Reason: fmt.Sprintf("%s is %s", parent.Number, parent.State)}
		}
	}
	note, ruled := dr.Note, false
	if d.cfg.Assignment != nil && dr.Group == "" {
		// From the draft, not inc, which an earlier try of the Tx assigned.
		f := assign.Facts{Category: inc.Category, Priority: inc.Priority, Channel: string(inc.Channel)}
		if err := assign.Describe(ctx, d.cfg.Classifier, &f, inc.CIs); err != nil {
			return nil, err
		}
		dec, ok, err := d.cfg.Assignment.Decide(ctx, tx, f, d.load)
		if err != nil {
			return nil, err
		}
		inc.Group, inc.Assignee = dec.Group, dec.Assignee
		if ok {
			note, ruled = joinNote(note, dec.Note()), true
		}
	}
	note, err := d.describe(ctx, inc, ruled || dr.Group != "", note)
	if err != nil {
		return nil, err
	}
	return d.proc.CreateIn(ctx, tx, inc, d.openedBy(dr), d.startPaging(inc, note))
}

// load is how many open incidents person holds, for the assignment
// strategies that weigh it.
func (d *Desk) load(ctx context.Context, person string) (int, error) {
	n := 0
	for _, err := range d.Find(ctx, Query{Open: true, Assignee: person}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// joinNote appends more to a journal note.
func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "\n" + more
}

func (d *Desk) openedBy(dr Draft) itil.Actor {
	if dr.By.ID == "" {
		return dr.Caller
	}
	return dr.By
}

// draft validates dr and makes the incident it describes: a template
// that the kernel copies (Process.Create clones what it is given), so it
// shares dr's slices and map and is handed back with release once the
// incident is created.
func (d *Desk) draft(dr Draft) (*Incident, error) {
	if err := dr.validate(); err != nil {
		return nil, err
	}
	prio, err := d.cfg.Matrix.Priority(dr.Impact, dr.Urgency)
	if err != nil {
		return nil, err
	}
	if dr.Channel == "" {
		dr.Channel = ChannelPortal
	}
	inc := d.drafts.Get().(*Incident)
	*inc = Incident{
		Title: strings.TrimSpace(dr.Title), Description: dr.Description, Caller: dr.Caller,
		Category: dr.Category, Subcategory: dr.Subcategory,
		Impact: dr.Impact, Urgency: dr.Urgency, Priority: prio,
		Group: dr.Group, Assignee: dr.Assignee, CIs: dr.CIs, Channel: dr.Channel,
		Tier: 1, Parent: dr.Parent,
	}
	inc.ID = dr.ID
	inc.Fields = dr.Fields
	if _, err := d.applySLA(inc, &lifecycle.Edit{}, d.initial.Category, d.now()); err != nil {
		d.release(inc)
		return nil, err
	}
	return inc, nil
}

// release clears a template of draft, which the kernel has copied, and
// keeps it for the next.
func (d *Desk) release(inc *Incident) {
	*inc = Incident{}
	d.drafts.Put(inc)
}
