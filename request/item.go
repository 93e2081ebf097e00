package request

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
	"github.com/itil-go/itil/lifecycle/sla"
)

// ItemKind says what ordering an item does.
type ItemKind string

// The item kinds.
const (
	// KindStandard items are goods and services: a laptop, a mailbox. The
	// empty kind means standard.
	KindStandard ItemKind = "standard"
	// KindAccess items grant a role or entitlement on a service (see
	// Access); their fulfilment creates a Grant.
	KindAccess ItemKind = "access"
)

// TaskOrder says how an item's fulfilment tasks run.
type TaskOrder string

// The task orders.
const (
	// Ordered tasks run one after another, in the order listed: each opens
	// when the one before it is done. The empty order means ordered.
	Ordered TaskOrder = "ordered"
	// Parallel tasks all open at once.
	Parallel TaskOrder = "parallel"
)

// TaskTemplate is one fulfilment task an item's approval creates.
type TaskTemplate struct {
	// Title says what to do: "Image the laptop".
	Title string `json:"title"`
	// Description gives details.
	Description string `json:"description,omitempty"`
	// Group is the fulfilment group that does it. Empty leaves it to the
	// desk's assignment rules (Config.Assignment), which choose it, by the
	// item, when the task is created; a desk without a rule for the item
	// refuses to order it.
	Group string `json:"group"`
	// Assignee, when set, is the member of Group who does it; otherwise
	// the group's assignment rule, if any, chooses one when the task is
	// created.
	Assignee string `json:"assignee,omitempty"`
}

// Access describes what an access item grants.
type Access struct {
	// Service is the service the access is to: "erp".
	Service string `json:"service"`
	// Role is the role or entitlement granted: "ap-clerk".
	Role string `json:"role"`
	// Owner is the service owner's actor ID; the owner approves every
	// grant, besides the approvers of the item's own rule.
	Owner string `json:"owner"`
	// Days, when positive, makes grants time-bound: they expire that many
	// days after they are granted, and Desk.Sweep opens their revocation.
	Days int `json:"days,omitempty"`
	// RevokeTasks are the tasks of a revocation request; with none, a
	// revocation is fulfilled as soon as it is opened.
	RevokeTasks []TaskTemplate `json:"revoke_tasks,omitempty"`
}

// Item is an entry of the service catalog: what can be ordered, the
// questions the order answers (Variables), who approves it, the tasks that
// fulfil it, its SLA and its price. Items are plain values; a Catalog keeps
// them and checks them with Validate when they are added.
//
// Items marshal to JSON with the field names tagged below; ParseItem
// decodes and validates one.
type Item struct {
	// ID identifies the item: lower-case letters, digits, '-' and '_', at
	// most 64 ("laptop-standard").
	ID string `json:"id"`
	// Name is what portals show; required.
	Name string `json:"name"`
	// Category groups items for browsing: "hardware", "access"; required.
	Category string `json:"category"`
	// Description and Keywords are searched with the name.
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	// Kind is standard or access; default standard.
	Kind ItemKind `json:"kind,omitempty"`
	// Variables are the questions the order answers, in form order.
	Variables []Variable `json:"variables,omitempty"`
	// Approval is who approves an order; nil for none. Access items add
	// their service owner.
	Approval *approval.Rule `json:"approval,omitempty"`
	// Tasks are the fulfilment tasks an approved order creates, run in
	// TaskOrder.
	Tasks     []TaskTemplate `json:"tasks,omitempty"`
	TaskOrder TaskOrder      `json:"task_order,omitempty"`
	// SLA, when set, is the time allowed to respond to and to fulfil an
	// order, on the desk's calendars (see Config.Calendars).
	SLA *sla.Targets `json:"sla,omitempty"`
	// Price is what one unit costs the orderer.
	Price Money `json:"price,omitzero"`
	// Access is what an access item grants; required for that kind and
	// refused for others.
	Access *Access `json:"access,omitempty"`
	// Retired items can no longer be ordered and are not browsed or
	// searched; Get still finds them.
	Retired bool `json:"retired,omitempty"`
}

// Clone returns a deep copy of the item.
func (it Item) Clone() Item {
	it.Keywords = slices.Clone(it.Keywords)
	if it.Variables != nil {
		vs := make([]Variable, len(it.Variables))
		for i, v := range it.Variables {
			vs[i] = v.clone()
		}
		it.Variables = vs
	}
	if it.Approval != nil {
		r := *it.Approval
		r.Slots = slices.Clone(r.Slots)
		it.Approval = &r
	}
	it.Tasks = slices.Clone(it.Tasks)
	if it.SLA != nil {
		t := *it.SLA
		it.SLA = &t
	}
	if it.Access != nil {
		a := *it.Access
		a.RevokeTasks = slices.Clone(a.RevokeTasks)
		it.Access = &a
	}
	return it
}

// kind returns the item's kind with the default filled in.
func (it *Item) kind() ItemKind {
	if it.Kind == "" {
		return KindStandard
	}
	return it.Kind
}

// Variable returns the variable called name.
func (it *Item) Variable(name string) (Variable, bool) {
	i := slices.IndexFunc(it.Variables, func(v Variable) bool { return v.Name == name })
	if i < 0 {
		return Variable{}, false
	}
	return it.Variables[i].clone(), true
}

// validID reports whether s is a valid item ID.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Validate checks the item and reports the first problem as a
// *itil.ValidationError naming the field: "id", "name", "category",
// "kind", "variables[NAME].max" (or "variables[3].name" for a bad name),
// "approval.slots[0]", "tasks[1].group", "task_order",
// "sla.resolution.within", "price.currency", "access.owner". Every text
// must be UTF-8 without NUL characters and within its limit in characters:
// MaxNameLength for names, categories, keywords, labels, choices, titles,
// groups, assignees, approvers, calendars, services, roles and owners,
// MaxTextLength for descriptions, help and patterns. A task template
// without a group is valid here; the desk that takes the order checks
// that its assignment rules give one.
func (it *Item) Validate() error {
	switch {
	case !validID(it.ID):
		return &itil.ValidationError{Field: "id", Reason: fmt.Sprintf("%q is not lower-case letters, digits, '-' and '_' (at most 64)", it.ID)}
	case strings.TrimSpace(it.Name) == "":
		return &itil.ValidationError{Field: "name", Reason: "required"}
	}
	if err := checkTexts(text{"name", it.Name, MaxNameLength}, text{"category", it.Category, MaxNameLength},
		text{"description", it.Description, MaxTextLength}); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(it.Category) == "":
		return &itil.ValidationError{Field: "category", Reason: "required"}
	case it.Kind != "" && it.Kind != KindStandard && it.Kind != KindAccess:
		return &itil.ValidationError{Field: "kind", Reason: fmt.Sprintf("unknown kind %q (want standard or access)", it.Kind)}
	case it.TaskOrder != "" && it.TaskOrder != Ordered && it.TaskOrder != Parallel:
		return &itil.ValidationError{Field: "task_order", Reason: fmt.Sprintf("unknown order %q (want ordered or parallel)", it.TaskOrder)}
	}
	for i, k := range it.Keywords {
		f := fmt.Sprintf("keywords[%d]", i)
		if err := itil.CheckText(f, k, MaxNameLength); err != nil {
			return err
		}
		if strings.TrimSpace(k) == "" {
			return &itil.ValidationError{Field: f, Reason: "empty keyword"}
		}
	}
	for i, v := range it.Variables {
		if !validName(v.Name, 64) {
			return &itil.ValidationError{Field: fmt.Sprintf("variables[%d].name", i), Reason: fmt.Sprintf("%q is not a letter, then letters, digits or '_' (at most 64)", v.Name)}
		}
		if slices.ContainsFunc(it.Variables[:i], func(o Variable) bool { return o.Name == v.Name }) {
			return &itil.ValidationError{Field: v.field() + ".name", Reason: "declared twice"}
		}
		if err := v.validate(); err != nil {
			return err
		}
	}
	if it.Approval != nil {
		for i, s := range it.Approval.Slots {
			if err := itil.CheckText(fmt.Sprintf("approval.slots[%d]", i), s.Group+s.Person, MaxNameLength); err != nil {
				return err
			}
		}
		// approval.New checks the rule as a round would use it.
		if _, err := approval.New(approval.Request{Policy: it.Approval.Policy, Slots: it.Approval.Slots, At: time.Unix(1, 0)}); err != nil {
			return prefixed("approval.", err)
		}
	}
	if err := validTasks("tasks", it.Tasks); err != nil {
		return err
	}
	if it.SLA != nil {
		for _, t := range [...]struct {
			name string
			sla.Target
		}{{"response", it.SLA.Response}, {"resolution", it.SLA.Resolution}} {
			if t.Within < 0 {
				return &itil.ValidationError{Field: "sla." + t.name + ".within", Reason: "must not be negative"}
			}
			if err := itil.CheckText("sla."+t.name+".calendar", t.Calendar, MaxNameLength); err != nil {
				return err
			}
		}
	}
	if err := it.Price.validate("price"); err != nil {
		return err
	}
	switch a := it.Access; {
	case it.kind() == KindAccess && a == nil:
		return &itil.ValidationError{Field: "access", Reason: "required for an access item"}
	case it.kind() != KindAccess && a != nil:
		return &itil.ValidationError{Field: "access", Reason: "only an access item grants access"}
	case a != nil:
		for _, f := range [...][2]string{{"service", a.Service}, {"role", a.Role}, {"owner", a.Owner}} {
			if err := itil.CheckText("access."+f[0], f[1], MaxNameLength); err != nil {
				return err
			}
			if strings.TrimSpace(f[1]) == "" {
				return &itil.ValidationError{Field: "access." + f[0], Reason: "required"}
			}
		}
		if a.Days < 0 {
			return &itil.ValidationError{Field: "access.days", Reason: "must not be negative"}
		}
		if err := validTasks("access.revoke_tasks", a.RevokeTasks); err != nil {
			return err
		}
	}
	return nil
}

func validTasks(field string, ts []TaskTemplate) error {
	for i, t := range ts {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkTexts(text{f + ".title", t.Title, MaxNameLength}, text{f + ".description", t.Description, MaxTextLength},
			text{f + ".group", t.Group, MaxNameLength}, text{f + ".assignee", t.Assignee, MaxNameLength}); err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(t.Title) == "":
			return &itil.ValidationError{Field: f + ".title", Reason: "required"}
		case t.Group != "" && strings.TrimSpace(t.Group) == "":
			return &itil.ValidationError{Field: f + ".group", Reason: "blank: name the fulfilment group, or leave it empty for the desk's assignment rules"}
		case t.Assignee != "" && strings.TrimSpace(t.Assignee) == "":
			return &itil.ValidationError{Field: f + ".assignee", Reason: "blank"}
		case t.Assignee != "" && t.Group == "":
			return &itil.ValidationError{Field: f + ".group", Reason: "an assignee needs a fulfilment group"}
		}
	}
	return nil
}

// prefixed returns err with prefix put before the field of a
// *itil.ValidationError; other errors are returned as they are.
func prefixed(prefix string, err error) error {
	var ve *itil.ValidationError
	if asValidation(err, &ve) {
		return &itil.ValidationError{Field: prefix + ve.Field, Reason: ve.Reason}
	}
	return err
}

// ParseItem decodes an item from JSON and validates it. Unknown fields and
// trailing data are errors, so that a misspelt "required" is not ignored,
// and so is text that is not UTF-8 (bytes, or \u escapes of half a
// character), which decoding would replace. Errors are
// *itil.ValidationError: "item" for JSON that does not decode, else the
// field Validate names.
func ParseItem(data []byte) (Item, error) {
	if err := itil.CheckJSONText("item", data); err != nil {
		return Item{}, err
	}
	var it Item
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		return Item{}, &itil.ValidationError{Field: "item", Reason: err.Error()}
	}
	if dec.More() {
		return Item{}, &itil.ValidationError{Field: "item", Reason: "trailing data after the JSON object"}
	}
	if err := it.Validate(); err != nil {
		return Item{}, err
	}
	return it, nil
}
