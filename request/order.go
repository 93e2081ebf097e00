package request

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
)

// RoleBeneficiary is the role under which the user a request is for, when
// not the requester, is excluded from approving it.
const RoleBeneficiary = "beneficiary"

// Order is what a requester orders: the draft of a request.
type Order struct {
	// ID, when set, is the new request's ID, for a caller that orders at
	// most once (a retried form): an ID that is taken fails with an error
	// wrapping lifecycle.ErrExists, and nothing is written. Zero means a
	// new UUIDv7.
	ID uuid.UUID
	// By is who orders, the requester; required.
	By itil.Actor
	// Note is journaled with the creation.
	Note string
	// Fields sets the request's custom fields, as the request lifecycle
	// declares them (see lifecycle.Field).
	Fields map[string]string
	// For is the ID of the user the order is for; default the requester.
	For string
	// Description is the requester's own words.
	Description string
	// Lines are the items ordered: at least one.
	Lines []OrderLine
}

// OrderLine is one item of an order.
type OrderLine struct {
	// Item is the catalog item's ID.
	Item string
	// Quantity defaults to 1.
	Quantity int
	// Values are the variable values as text, by variable name, as a form
	// sends them.
	Values map[string]string
}

// Order records a new request and submits it: for approval when its items
// need one, else straight to fulfilment, whose tasks it creates. All of it
// is one commit: the request and its tasks are stored together, or, when
// any step fails, nothing is. It returns the request as it stands after
// these steps.
//
// Errors: *itil.ValidationError on "by" ("by.id", "by.name",
// "by.groups[N]"), "for", "description", "note", "fields.NAME", "lines",
// and, wrapped in a *LineError that names the line, "item" (not in the
// catalog), "quantity", a variable ("variables[NAME]") or a task template
// without a group that no rule of Config.Assignment gives one
// ("tasks[N].group", "access.revoke_tasks[N].group"); an error
// wrapping ErrRetired that names the line; a *itil.ValidationError on
// "lines[N].approval" when every approver of an item is excluded (the
// requester owns the service, say); lifecycle.ErrExists for an ID that is
// taken. Texts must be UTF-8 without NUL characters: "for" at most
// MaxNameLength characters, the description and the note at most
// MaxTextLength.
func (d *Desk) Order(ctx context.Context, o Order) (*Request, error) {
	if err := checkActor("by", o.By); err != nil {
		return nil, err
	}
	if err := checkTexts(text{"for", o.For, MaxNameLength}, text{"description", o.Description, MaxTextLength},
		text{"note", o.Note, MaxTextLength}); err != nil {
		return nil, err
	}
	if err := d.def.CheckFields(o.Fields); err != nil {
		return nil, err
	}
	if len(o.Lines) == 0 {
		return nil, &itil.ValidationError{Field: "lines", Reason: "order at least one item"}
	}
	if o.For == "" {
		o.For = o.By.ID
	}
	now := d.now()
	r := &Request{Requester: o.By, For: strings.TrimSpace(o.For), Description: o.Description}
	r.ID = o.ID
	r.Fields = maps.Clone(o.Fields)
	for i, ol := range o.Lines {
		l, err := d.line(ctx, ol, now)
		switch {
		case errors.Is(err, itil.ErrInvalid):
			return nil, &LineError{Line: i, Item: ol.Item, Err: err}
		case err != nil:
			return nil, fmt.Errorf("%s: %w", lineIndex(i), err)
		}
		r.Lines = append(r.Lines, l)
	}
	r.SLATargets = targets(r.Lines)
	round, err := d.round(r, now)
	if err != nil {
		return nil, err
	}
	if _, err := d.applySLA(r, &lifecycle.Edit{}, d.def.Initial().Category, false, now); err != nil {
		return nil, err
	}
	var out *Request
	err = d.atomic(ctx, func(x *txn) error {
		if o.ID != uuid.Nil {
			if _, err := d.requestIn(ctx, x, o.ID); !errors.Is(err, lifecycle.ErrNotFound) {
				if err == nil {
					err = fmt.Errorf("request %s: %w", o.ID, lifecycle.ErrExists)
				}
				return err
			}
		}
		created, err := d.proc.CreateIn(ctx, x.Tx, r, o.By, o.Note)
		if err != nil {
			return err
		}
		out, err = d.submitIn(ctx, x, created.ID, round)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// line checks one order line against the catalog.
func (d *Desk) line(ctx context.Context, ol OrderLine, at time.Time) (Line, error) {
	if !validID(ol.Item) {
		return Line{}, &itil.ValidationError{Field: "item", Reason: fmt.Sprintf("%q is not a catalog item ID", ol.Item)}
	}
	it, err := d.cfg.Catalog.Get(ol.Item)
	if err != nil {
		return Line{}, &itil.ValidationError{Field: "item", Reason: fmt.Sprintf("no catalog item %q", ol.Item)}
	}
	if it.Retired {
		return Line{}, fmt.Errorf("%s: %w", it.ID, ErrRetired)
	}
	if ol.Quantity == 0 {
		ol.Quantity = 1
	}
	if ol.Quantity < 1 || ol.Quantity > 1000 {
		return Line{}, &itil.ValidationError{Field: "quantity", Reason: "must be between 1 and 1000"}
	}
	if it.kind() == KindAccess && ol.Quantity != 1 {
		return Line{}, &itil.ValidationError{Field: "quantity", Reason: "access is granted once"}
	}
	if err := checkAssignable(d.cfg.Assignment, &it); err != nil {
		return Line{}, err
	}
	values, err := d.values(ctx, &it, ol.Values, at)
	if err != nil {
		return Line{}, err
	}
	return Line{Item: it, Quantity: ol.Quantity, Values: values}, nil
}

// values checks values against the item and users against the directory.
func (d *Desk) values(ctx context.Context, it *Item, in map[string]string, at time.Time) (map[string]string, error) {
	values, err := it.Values(in, at)
	if err != nil || d.cfg.Directory == nil {
		return values, err
	}
	for _, v := range it.Variables {
		id, ok := values[v.Name]
		if v.Kind != VarUser || !ok {
			continue
		}
		known, err := d.cfg.Directory.UserExists(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("directory: %w", err)
		}
		if !known {
			return nil, unknownUser{v.invalid("no user %q in the directory", id)}
		}
	}
	return values, nil
}

// targets returns the SLA targets of a request of lines: those of the line
// with the longest fulfilment target, since the request is fulfilled only
// when every line is.
func targets(lines []Line) sla.Targets {
	var t sla.Targets
	for _, l := range lines {
		if s := l.Item.SLA; s != nil && (t == sla.Targets{} || s.Resolution.Within > t.Resolution.Within) {
			t = *s
		}
	}
	return t
}

// round builds the approval round a request needs: the slots of every
// line's rule and the service owner of every access line, less the slots
// of people excluded from deciding (the requester, and the user the
// request is for). A single line's rule keeps its policy; otherwise every
// slot must approve. It returns the zero Approval when nothing needs
// approval.
func (d *Desk) round(r *Request, at time.Time) (approval.Approval, error) {
	if r.Revocation() {
		return approval.Approval{}, nil
	}
	excluded := []approval.Exclusion{{Actor: r.Requester.ID, Role: approval.RoleRequester}}
	if r.For != r.Requester.ID {
		excluded = append(excluded, approval.Exclusion{Actor: r.For, Role: RoleBeneficiary})
	}
	isExcluded := func(s approval.Slot) bool {
		return s.Person != "" && (s.Person == r.Requester.ID || s.Person == r.For)
	}
	var slots []approval.Slot
	var policy *approval.Policy
	rules, plain := 0, true
	for i, l := range r.Lines {
		var need []approval.Slot
		if rule := l.Item.Approval; rule != nil {
			need = append(need, rule.Slots...)
			rules++
			policy = &rule.Policy
		}
		if a := l.Item.Access; a != nil {
			need = append(need, approval.Person(a.Owner))
			plain = false
		}
		kept := 0
		for _, s := range need {
			if isExcluded(s) {
				plain = false
				continue
			}
			kept++
			if !containsSlot(slots, s) {
				slots = append(slots, s)
			}
		}
		if len(need) > 0 && kept == 0 {
			return approval.Approval{}, &itil.ValidationError{Field: lineIndex(i) + ".approval",
				Reason: fmt.Sprintf("every approver of %s is excluded from deciding on this request", l.Item.ID)}
		}
	}
	if len(slots) == 0 {
		return approval.Approval{}, nil
	}
	p := approval.All()
	if rules == 1 && plain && len(r.Lines) == 1 {
		p = *policy
	}
	a, err := approval.New(approval.Request{Policy: p, Slots: slots, Excluded: excluded, At: at})
	if err != nil {
		return approval.Approval{}, prefixed("approval.", err)
	}
	return a, nil
}

func containsSlot(slots []approval.Slot, s approval.Slot) bool {
	for _, x := range slots {
		if x == s {
			return true
		}
	}
	return false
}

// isTransition reports whether err is a *lifecycle.TransitionError or a
// version conflict: someone else took the step first.
func isTransition(err error) bool {
	return errors.Is(err, lifecycle.ErrTransition) || errors.Is(err, lifecycle.ErrConflict)
}
