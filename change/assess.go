package change

import (
	"context"
	"maps"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Assess records a change's risk, which picks its approval rule. A new
// normal change moves to assess; a change that may still request approval
// is assessed again in place. With Config.Services it records the
// business services the change puts at risk again, on the change and in
// the Assessment, and lets their criticality raise the risk (see
// Assessment); the impact of a matrix assessment then defaults to the
// criticality.
//
// Errors: *itil.ValidationError on "answers" (both or neither method given,
// no questionnaire configured), "answers[ID]" (a question unanswered or an
// answer unknown), "impact" (none given, the change has none and its CIs
// have no criticality) or "likelihood"; *lifecycle.TransitionError
// (event "assess") once approval has been requested; the ServiceImpact's
// errors; lifecycle.ErrNotFound, lifecycle.ErrConflict.
func (m *Manager) Assess(ctx context.Context, p AssessParams) (*Change, error) {
	if err := checkParams(p.params()); err != nil {
		return nil, err
	}
	for _, q := range slices.Sorted(maps.Keys(p.Answers)) {
		a := p.Answers[q]
		if err := checkName("answers", q); err != nil {
			return nil, err
		}
		if err := checkName("answers["+q+"]", a); err != nil {
			return nil, err
		}
	}
	switch {
	case len(p.Answers) > 0 && p.Likelihood != 0:
		return nil, &itil.ValidationError{Field: "answers", Reason: "give answers to the questionnaire or a likelihood, not both"}
	case len(p.Answers) == 0 && p.Likelihood == 0:
		return nil, &itil.ValidationError{Field: "answers", Reason: "required: answers to the questionnaire, or a likelihood"}
	case p.Impact != 0 && !p.Impact.Valid():
		return nil, &itil.ValidationError{Field: "impact", Reason: "must be high, medium or low"}
	}
	var a Assessment
	if len(p.Answers) > 0 {
		score, risk, err := m.cfg.Questionnaire.Assess(p.Answers)
		if err != nil {
			return nil, err
		}
		a = Assessment{Method: MethodQuestionnaire, Answers: maps.Clone(p.Answers), Score: score, Risk: risk, By: p.By.ID}
	}
	return m.fire(ctx, p.ID, func(def *lifecycle.Definition) lifecycle.Action[*Change] {
		act := action(p.params())
		act.Name, act.Always = EventAssess, true
		act.EventFor = func(c *Change) string {
			if _, ok := def.Target(EventAssess, c.State); ok {
				return EventAssess
			}
			return ""
		}
		act.Apply = func(c *Change, ed *lifecycle.Edit) error {
			_, enters := def.Target(EventAssess, c.State)
			_, requestable := def.Target(EventRequestApproval, c.State)
			if !enters && !requestable {
				return &lifecycle.TransitionError{Kind: Kind, Event: EventAssess, State: c.State, Allowed: def.Allowed(c.State)}
			}
			if p.Impact != 0 {
				lifecycle.Set(ed, "impact", &c.Impact, p.Impact)
			}
			// The services at risk now: the CMDB may have changed since
			// the change was proposed.
			if err := m.setServices(ctx, c, ed); err != nil {
				return err
			}
			crit, err := m.criticalityOf(ctx, c.CIs)
			if err != nil {
				return err
			}
			next := a
			if next.Method == "" {
				impact := wider(c.Impact, crit)
				risk, err := m.cfg.RiskMatrix.Risk(impact, p.Likelihood)
				if err != nil {
					return err
				}
				next = Assessment{Method: MethodMatrix, Impact: impact, Likelihood: p.Likelihood, Risk: risk, By: p.By.ID}
			}
			next.Answers = maps.Clone(next.Answers)
			next.Services = slices.Clone(c.Services)
			next.Criticality = crit
			if crit.Valid() {
				floor, err := m.cfg.RiskMatrix.Risk(crit, LikelihoodLow)
				if err != nil {
					return err
				}
				next.Floor, next.Risk = floor, max(next.Risk, floor)
			}
			next.At = m.cfg.Now()
			lifecycle.Set(ed, "risk", &c.Risk, next.Risk)
			ed.Field("assessment", c.Assessment.Method, next.Method)
			c.Assessment = next
			return nil
		}
		return act
	})
}
