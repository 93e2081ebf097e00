package change

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/approval"
)

// Config configures a Manager. The zero value means the defaults.
type Config struct {
	// Normal, Standard and Emergency are the lifecycles of the three types.
	// Defaults NormalLifecycle(), StandardLifecycle(), EmergencyLifecycle().
	// A host's own definition (extended with Definition.Extend, or loaded
	// from JSON) must be named "change" and keep the events the Manager
	// fires for the type; the Manager attaches its guards and hooks itself.
	Normal, Standard, Emergency *lifecycle.Definition

	// Templates are the pre-approved standard changes. A standard change
	// names one.
	Templates []Template

	// Questionnaire, when it has questions, lets Assess score answers.
	Questionnaire Questionnaire
	// RiskMatrix maps impact × likelihood to risk. Default
	// DefaultRiskMatrix().
	RiskMatrix RiskMatrix

	// Approvals picks the approval rule of normal changes by risk, labelled
	// by Risk.String(): build it with approval.MatrixOf and a
	// map[Risk]approval.Rule, which needs a rule for each of RiskLow,
	// RiskModerate and RiskHigh and no other label. Default
	// DefaultApprovals().
	//
	//	Approvals: approval.MatrixOf(map[change.Risk]approval.Rule{
	//		change.RiskLow:      {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupChangeManagers)}},
	//		change.RiskModerate: {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}},
	//		change.RiskHigh:     {Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}},
	//	}),
	Approvals approval.Matrix
	// EmergencyApprovals is the rule of emergency changes: the emergency
	// CAB. Default DefaultEmergencyApprovals().
	EmergencyApprovals approval.Rule

	// Freezes are the freeze (blackout) windows. They can be replaced later
	// with Manager.SetFreezes. A freeze that names business services needs
	// Services.
	Freezes []Freeze
	// Topology, when set, relates CIs so that a change on a CI conflicts
	// with changes on its parents and children or, when it is also a
	// Dependencies (as a CMDB's graph is), on every CI upstream and
	// downstream of it. Nil means no topology.
	Topology Topology
	// Services, when set, tells the business services an outage of a
	// change's CIs would affect: recorded in Change.Services, counted by
	// Assess (with the criticality, when it is also a Criticality) and
	// matched by the freezes that name services. A CMDB's graph implements
	// both. Nil means none.
	Services ServiceImpact
	// RefuseConflicts makes Schedule refuse a window that conflicts with
	// another change (a *ConflictError) instead of only reporting it. The
	// rule holds in the store, across every host that shares it: of
	// changes scheduled over each other at once, one is scheduled.
	RefuseConflicts bool

	// Authorizer, when set, is asked before every action.
	Authorizer lifecycle.Authorizer
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives the Manager's warnings (an emergency change let into
	// a freeze) and, at debug level, Start's reading of the calendar.
	// Default slog.Default().
	Logger *slog.Logger
}

// Template is a standard change: a low-risk, pre-approved procedure that is
// scheduled without a CAB. A draft naming the template takes the template's
// values for the fields it leaves empty.
type Template struct {
	// Name identifies the template; Draft.Template refers to it.
	Name string `json:"name"`
	// Title, Description, Category, Impact and the plans fill the change's
	// fields of those names; Title and the implementation and backout
	// plans are required: the template is approved for a known procedure.
	Title              string      `json:"title"`
	Description        string      `json:"description,omitempty"`
	Category           string      `json:"category,omitempty"`
	Impact             itil.Impact `json:"impact,omitzero"`
	ImplementationPlan string      `json:"implementation_plan"`
	BackoutPlan        string      `json:"backout_plan"`
	TestPlan           string      `json:"test_plan,omitempty"`
	// Risk is low or moderate; default low. A high-risk change is never
	// standard.
	Risk Risk `json:"risk,omitzero"`
	// MaxDuration, when positive, caps the length of the window the change
	// may be scheduled for.
	MaxDuration time.Duration `json:"max_duration,omitempty"`
}

// DefaultApprovals returns the default approval rules of normal changes:
// low risk needs any one change manager (approval.GroupChangeManagers),
// moderate the CAB (approval.GroupCAB), and high both the CAB and a change
// manager, where the first rejection rejects.
func DefaultApprovals() approval.Matrix {
	return approval.MatrixOf(map[Risk]approval.Rule{
		RiskLow:      {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupChangeManagers)}},
		RiskModerate: {Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}},
		RiskHigh: {
			Policy: approval.Policy{Kind: approval.KindAll, FirstRejectionRejects: true},
			Slots:  []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers)},
		},
	})
}

// DefaultEmergencyApprovals returns the default rule of emergency changes:
// any one member of the emergency CAB (approval.GroupECAB).
func DefaultEmergencyApprovals() approval.Rule {
	return approval.Rule{Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupECAB)}}
}

// withDefaults fills in the defaults and validates cfg.
func (cfg Config) withDefaults() (Config, error) {
	defs := []struct {
		field string
		t     Type
		def   **lifecycle.Definition
		std   func() *lifecycle.Definition
	}{
		{"normal", Normal, &cfg.Normal, NormalLifecycle},
		{"standard", Standard, &cfg.Standard, StandardLifecycle},
		{"emergency", Emergency, &cfg.Emergency, EmergencyLifecycle},
	}
	for _, d := range defs {
		if *d.def == nil {
			*d.def = d.std()
		}
		if err := checkDefinition(d.field, d.t, *d.def); err != nil {
			return cfg, err
		}
	}
	if cfg.RiskMatrix == (RiskMatrix{}) {
		cfg.RiskMatrix = DefaultRiskMatrix()
	}
	if err := cfg.RiskMatrix.validate(); err != nil {
		return cfg, err
	}
	if err := cfg.Questionnaire.validate(); err != nil {
		return cfg, err
	}
	// Keep copies, so that a caller changing its Config later changes
	// nothing here.
	cfg.Questionnaire = cfg.Questionnaire.clone()
	cfg.Approvals = cloneMatrix(cfg.Approvals)
	cfg.EmergencyApprovals.Slots = slices.Clone(cfg.EmergencyApprovals.Slots)
	if cfg.Approvals == nil {
		cfg.Approvals = DefaultApprovals()
	}
	if err := cfg.Approvals.Validate(); err != nil {
		return cfg, renameField("matrix", "approvals", err)
	}
	for _, r := range []Risk{RiskLow, RiskModerate, RiskHigh} {
		if _, ok := cfg.Approvals[r.String()]; !ok {
			return cfg, &itil.ValidationError{Field: "approvals[" + r.String() + "]", Reason: "no approval rule for this risk"}
		}
	}
	for _, label := range slices.Sorted(maps.Keys(cfg.Approvals)) {
		if _, err := ParseRisk(label); err != nil {
			return cfg, &itil.ValidationError{Field: "approvals[" + label + "]", Reason: "not a risk: the labels are " + riskNames.Want()}
		}
	}
	if len(cfg.EmergencyApprovals.Slots) == 0 && cfg.EmergencyApprovals.Policy == (approval.Policy{}) {
		cfg.EmergencyApprovals = DefaultEmergencyApprovals()
	}
	if err := (approval.Matrix{"emergency": cfg.EmergencyApprovals}).Validate(); err != nil {
		return cfg, renameField("matrix[emergency]", "emergency_approvals", err)
	}
	templates := slices.Clone(cfg.Templates)
	for i := range templates {
		if err := templates[i].validate(fmt.Sprintf("templates[%d]", i), templates[:i]); err != nil {
			return cfg, err
		}
	}
	cfg.Templates = templates
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg, nil
}

// cloneMatrix returns a deep copy of m.
func cloneMatrix(m approval.Matrix) approval.Matrix {
	if m == nil {
		return nil
	}
	out := make(approval.Matrix, len(m))
	for k, r := range m {
		r.Slots = slices.Clone(r.Slots)
		out[k] = r
	}
	return out
}

// renameField replaces the prefix from of a *itil.ValidationError's field
// with to; from "" puts to in front.
func renameField(from, to string, err error) error {
	if ve, ok := err.(*itil.ValidationError); ok {
		if rest, cut := strings.CutPrefix(ve.Field, from); cut {
			return &itil.ValidationError{Field: to + rest, Reason: ve.Reason}
		}
	}
	return err
}

// validate checks t and fills in its default risk; before are the templates
// already checked.
func (t *Template) validate(field string, before []Template) error {
	bad := func(f, reason string) error { return &itil.ValidationError{Field: field + "." + f, Reason: reason} }
	for _, x := range []struct {
		f, s string
		max  int
	}{
		{"name", t.Name, MaxNameLength},
		{"title", t.Title, MaxTitleLength},
		{"description", t.Description, MaxTextLength},
		{"category", t.Category, MaxNameLength},
		{"implementation_plan", t.ImplementationPlan, MaxTextLength},
		{"backout_plan", t.BackoutPlan, MaxTextLength},
		{"test_plan", t.TestPlan, MaxTextLength},
	} {
		if err := itil.CheckText(field+"."+x.f, x.s, x.max); err != nil {
			return err
		}
	}
	t.Name = strings.TrimSpace(t.Name)
	switch {
	case t.Name == "":
		return bad("name", "required")
	case slices.ContainsFunc(before, func(o Template) bool { return o.Name == t.Name }):
		return bad("name", fmt.Sprintf("%q is used twice", t.Name))
	case strings.TrimSpace(t.Title) == "":
		return bad("title", "required")
	case strings.TrimSpace(t.ImplementationPlan) == "":
		return bad("implementation_plan", "required: a standard change is pre-approved for a known procedure")
	case strings.TrimSpace(t.BackoutPlan) == "":
		return bad("backout_plan", "required: a standard change is pre-approved for a known procedure")
	case t.Impact != 0 && !t.Impact.Valid():
		return bad("impact", fmt.Sprintf("undefined value %d", int8(t.Impact)))
	case t.MaxDuration < 0:
		return bad("max_duration", "must not be negative")
	}
	switch t.Risk {
	case 0:
		t.Risk = RiskLow
	case RiskLow, RiskModerate:
	default:
		return bad("risk", "a standard change must be low or moderate risk")
	}
	return nil
}
