package change

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Draft is a proposed change, for Propose.
type Draft struct {
	// ID is the new change's ID; zero means a new UUIDv7.
	ID uuid.UUID
	// By is who files the change, and is required; Note is journaled with
	// it. Fields are the change's custom fields, as its type's lifecycle
	// declares them.
	By     itil.Actor
	Note   string
	Fields map[string]string

	// Type is the change type. Zero means Standard when Template is set,
	// else Normal.
	Type Type
	// Template names the standard change template; required for, and only
	// for, standard changes. The template fills the fields the draft
	// leaves empty.
	Template string

	// Title, Description, Justification, Category, Impact and CIs are the
	// Change's fields of those names; Title is required.
	Title         string
	Description   string
	Justification string
	Category      string
	Impact        itil.Impact
	CIs           []string
	// Planned is the window asked for, if known; Schedule sets the one
	// agreed. A planned window puts the change on the calendar, so that
	// conflicts with it are seen early.
	Planned Window

	// ImplementationPlan, BackoutPlan and TestPlan are the plans; a normal
	// or emergency change needs the first two before approval is requested.
	ImplementationPlan string
	BackoutPlan        string
	TestPlan           string

	// Requester is who asks for the change; default By.ID.
	Requester string
	// Implementer is who will carry it out, if known.
	Implementer string
	// Links are problems and incidents the change is for.
	Links []itil.Ref
}

// Propose files a new change in state new. A standard change takes its
// template's plans, impact and risk (the template pre-approves it). With
// Config.Services the change records the business services an outage of
// its CIs would affect (Change.Services).
//
// Errors: a *itil.ValidationError naming the bad field ("title", "type",
// "template", "cis[1]", "planned.end", "links[0].kind", "by",
// "by.name", "note", "fields.NAME"), for a text that is missing, too long (see
// MaxTitleLength and the other limits) or cannot be stored; the
// ServiceImpact's errors; the Authorizer's refusal; the store's errors.
func (m *Manager) Propose(ctx context.Context, d Draft) (*Change, error) {
	if err := checkStep(d.By, d.Note); err != nil {
		return nil, err
	}
	if d.Type == 0 {
		d.Type = Normal
		if d.Template != "" {
			d.Type = Standard
		}
	}
	if !d.Type.Valid() {
		return nil, &itil.ValidationError{Field: "type", Reason: fmt.Sprintf("undefined value %d", int8(d.Type))}
	}
	c := &Change{
		Record:             lifecycle.Record{ID: d.ID, Fields: maps.Clone(d.Fields)},
		Type:               d.Type,
		Title:              strings.TrimSpace(d.Title),
		Description:        d.Description,
		Justification:      d.Justification,
		Category:           strings.TrimSpace(d.Category),
		Impact:             d.Impact,
		CIs:                trimAll(d.CIs),
		Planned:            d.Planned,
		ImplementationPlan: d.ImplementationPlan,
		BackoutPlan:        d.BackoutPlan,
		TestPlan:           d.TestPlan,
		Requester:          strings.TrimSpace(d.Requester),
		Implementer:        strings.TrimSpace(d.Implementer),
		Links:              slices.Clone(d.Links),
	}
	if c.Requester == "" {
		c.Requester = d.By.ID
	}
	if err := m.applyTemplate(c, d.Template, d.By); err != nil {
		return nil, err
	}
	if err := checkDraft(c); err != nil {
		return nil, err
	}
	if err := m.setServices(ctx, c, nil); err != nil {
		return nil, err
	}
	p := m.procs[c.Type]
	if c.Planned.IsZero() {
		c, err := p.Create(ctx, c, d.By, d.Note)
		if err != nil {
			return nil, err
		}
		m.index.put(c, m.live(c))
		return c, nil
	}
	// A requested window puts the change on the calendar: it takes the
	// calendar locks of its CIs and implementer (see calendarLocks), so
	// that a change scheduled over it at the same time sees it.
	var out *Change
	err := lifecycle.Atomic(ctx, m.store, calendarRetries, func(tx *lifecycle.Tx) error {
		if err := m.lockOwn(ctx, tx, c); err != nil {
			return err
		}
		created, err := p.CreateIn(ctx, tx, c, d.By, d.Note)
		out = created
		return err
	})
	if err != nil {
		return nil, err
	}
	m.index.put(out, m.live(out))
	return out, nil
}

// applyTemplate checks the template name against the type and fills the
// fields c leaves empty from the template.
func (m *Manager) applyTemplate(c *Change, name string, by itil.Actor) error {
	if err := checkName("template", name); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if c.Type != Standard {
		if name != "" {
			return &itil.ValidationError{Field: "template", Reason: "only standard changes follow a template"}
		}
		return nil
	}
	if name == "" {
		return &itil.ValidationError{Field: "template", Reason: "required for a standard change"}
	}
	t, ok := m.templates[name]
	if !ok {
		known := strings.Join(slices.Sorted(maps.Keys(m.templates)), ", ")
		if known == "" {
			known = "none"
		}
		return &itil.ValidationError{Field: "template", Reason: fmt.Sprintf("no template %q (known: %s)", name, known)}
	}
	c.Template = t.Name
	fill := func(dst *string, v string) {
		if strings.TrimSpace(*dst) == "" {
			*dst = v
		}
	}
	fill(&c.Title, t.Title)
	fill(&c.Description, t.Description)
	fill(&c.Category, t.Category)
	fill(&c.ImplementationPlan, t.ImplementationPlan)
	fill(&c.BackoutPlan, t.BackoutPlan)
	fill(&c.TestPlan, t.TestPlan)
	if c.Impact == 0 {
		c.Impact = t.Impact
	}
	c.Risk = t.Risk
	c.Assessment = Assessment{Method: MethodTemplate, Risk: t.Risk, By: by.ID, At: m.cfg.Now()}
	return nil
}

// checkDraft validates the fields a new change carries.
func checkDraft(c *Change) error {
	if err := checkTexts(c); err != nil {
		return err
	}
	switch {
	case c.Title == "":
		return &itil.ValidationError{Field: "title", Reason: "required"}
	case c.Impact != 0 && !c.Impact.Valid():
		return &itil.ValidationError{Field: "impact", Reason: fmt.Sprintf("undefined value %d", int8(c.Impact))}
	}
	if err := checkCIs("cis", c.CIs); err != nil {
		return err
	}
	if !c.Planned.IsZero() {
		if err := c.Planned.Validate("planned"); err != nil {
			return err
		}
	}
	return checkLinks(c.Links)
}

// trimAll returns a copy of ss with each string trimmed.
func trimAll(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// checkCIs reports an empty or repeated CI name.
func checkCIs(field string, cis []string) error {
	for i, ci := range cis {
		switch {
		case ci == "":
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: "empty CI name"}
		case slices.Contains(cis[:i], ci):
			return &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", field, i), Reason: fmt.Sprintf("%q is listed twice", ci)}
		}
	}
	return nil
}

// checkLinks reports a link that is not to a problem or an incident, or is
// repeated.
func checkLinks(links []itil.Ref) error {
	for i, l := range links {
		f := fmt.Sprintf("links[%d]", i)
		if err := l.Validate(f); err != nil {
			return err
		}
		if l.Kind != "problem" && l.Kind != "incident" {
			return &itil.ValidationError{Field: f + ".kind", Reason: fmt.Sprintf("a change links to problems and incidents, not %q", l.Kind)}
		}
		if slices.ContainsFunc(links[:i], func(o itil.Ref) bool { return o.Kind == l.Kind && o.ID == l.ID }) {
			return &itil.ValidationError{Field: f, Reason: "linked twice"}
		}
	}
	return nil
}

// Update edits a change being drafted. Once approval is requested the
// change is what the approvers see: revert it to new to edit it again.
// Assess again after changing what the risk depends on. New CIs, with
// Config.Services, record the services they put at risk again (journaled
// as "services" when they change).
//
// Errors: *lifecycle.TransitionError (event "update") past drafting;
// *itil.ValidationError naming the bad field, as Propose's; the
// ServiceImpact's errors; lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) Update(ctx context.Context, p UpdateParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	return m.fireAtomic(ctx, p.ID, func(def *lifecycle.Definition, tx *lifecycle.Tx) lifecycle.Action[*Change] {
		act := action(p.params())
		act.Name = lifecycle.EventUpdate
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			was := placementOf(c)
			if !drafting(def, c.State) {
				return &lifecycle.TransitionError{Kind: Kind, Event: lifecycle.EventUpdate, State: c.State, Allowed: def.Allowed(c.State)}
			}
			setText := func(field string, dst *string, v *string) {
				if v != nil {
					lifecycle.Set(ed, field, dst, strings.TrimSpace(*v))
				}
			}
			setText("title", &c.Title, p.Title)
			setText("description", &c.Description, p.Description)
			setText("justification", &c.Justification, p.Justification)
			setText("category", &c.Category, p.Category)
			setText("implementation_plan", &c.ImplementationPlan, p.ImplementationPlan)
			setText("backout_plan", &c.BackoutPlan, p.BackoutPlan)
			setText("test_plan", &c.TestPlan, p.TestPlan)
			setText("implementer", &c.Implementer, p.Implementer)
			if p.Impact != nil {
				lifecycle.Set(ed, "impact", &c.Impact, *p.Impact)
			}
			if p.CIs != nil {
				cis := trimAll(*p.CIs)
				ed.Field("cis", strings.Join(c.CIs, ","), strings.Join(cis, ","))
				c.CIs = cis
			}
			if p.Planned != nil {
				ed.Field("planned", windowText(c.Planned), windowText(*p.Planned))
				c.Planned = *p.Planned
			}
			if err := checkDraft(c); err != nil {
				return err
			}
			if p.CIs != nil {
				if err := m.setServices(ctx, c, ed); err != nil {
					return err
				}
			}
			// A change put on the calendar, or moved on it, takes the
			// locks of its CIs and implementer (see lock.go).
			if now := placementOf(c); now.on && !now.equal(was) {
				return m.lockOwn(ctx, tx, c)
			}
			return nil
		}
		return act
	})
}

// drafting reports whether a change in state may still be edited: the
// initial state, or one from which approval may be requested.
func drafting(def *lifecycle.Definition, state string) bool {
	if state == def.Initial().Name {
		return true
	}
	_, ok := def.Target(EventRequestApproval, state)
	return ok
}

// windowText formats a window for the journal; the zero window is empty.
func windowText(w Window) string {
	if w.IsZero() {
		return ""
	}
	return w.String()
}

// Link links a change to a problem or incident, in any state: a change
// found later to have caused an incident is linked after it closed.
// Linking twice is a no-op.
//
// Errors: *itil.ValidationError on "to" for a link that is not to a
// problem or an incident ("to.kind", "to.id", "to.number"), on "id", "by",
// "note" or "fields.NAME"; lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) Link(ctx context.Context, p LinkParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	if err := checkRef("to", p.To); err != nil {
		return nil, err
	}
	if err := checkLinks([]itil.Ref{p.To}); err != nil {
		return nil, renameField("links[0]", "to", err)
	}
	return m.fire(ctx, p.ID, func(*lifecycle.Definition) lifecycle.Action[*Change] {
		act := action(p.params())
		act.Name = "link"
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			if slices.ContainsFunc(c.Links, func(o itil.Ref) bool { return o.Kind == p.To.Kind && o.ID == p.To.ID }) {
				return nil
			}
			c.Links = append(c.Links, p.To)
			ed.Field("links", "", p.To.String())
			return nil
		}
		return act
	})
}
