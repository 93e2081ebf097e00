package event

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// suppression returns why ev is suppressed, or "" when it is not: a
// maintenance window, a change window of its CI, or an inhibition rule. a.mu
// is held.
func (e *Engine) suppression(ctx context.Context, a *alert, ev *Event, at time.Time) string {
	for _, m := range *e.maint.Load() {
		if m.active(at) && m.matches(ev) {
			m.suppressed.Add(1)
			return m.reason
		}
	}
	if cw := e.cfg.ChangeWindows; cw != nil && a.rec.CI != "" {
		if a.changeAt.IsZero() || at.Before(a.changeAt) || at.Sub(a.changeAt) >= e.cfg.ChangeRecheck {
			in, err := cw.InChangeWindow(ctx, a.rec.CI, at)
			if err != nil {
				e.cfg.Logger.WarnContext(ctx, "asking for change windows", slog.String("ci", a.rec.CI), slog.Any("error", err))
				in = false
			}
			a.changeAt, a.inChange = at, in
		}
		if a.inChange {
			return "change window of " + a.rec.CI
		}
	}
	if len(e.inhibit) == 0 {
		return ""
	}
	for _, t := range a.targets {
		if e.inhibit[t.rule].inhibits(a, t.key) {
			return t.reason
		}
	}
	return ""
}

// InhibitRule mutes target alerts while a source alert is open, when both
// share the values of the Equal labels (Alertmanager's inhibition). An alert
// that matches both sides is not muted by itself.
type InhibitRule struct {
	// Name identifies the rule; required and unique.
	Name string
	// Source labels a muting alert has; SourceSeverity is the least
	// severity at which it mutes (default SeverityWarning).
	Source         map[string]string
	SourceSeverity Severity
	// Target labels a muted alert has.
	Target map[string]string
	// Equal names the labels whose values source and target share.
	Equal []string
}

func (r *InhibitRule) validate(field string, names map[string]bool) error {
	switch {
	case r.Name == "":
		return invalid(field+".name", "required")
	case names[r.Name]:
		return invalid(field+".name", "rule %q is declared twice", r.Name)
	case len(r.Source) == 0:
		return invalid(field+".source", "required")
	case len(r.Target) == 0:
		return invalid(field+".target", "required")
	case r.SourceSeverity != 0 && (!r.SourceSeverity.Valid() || r.SourceSeverity == SeverityOK):
		return invalid(field+".source_severity", "must be info to critical")
	}
	names[r.Name] = true
	if r.SourceSeverity == 0 {
		r.SourceSeverity = SeverityWarning
	}
	return nil
}

// inhibitRule counts the open source alerts of a rule by Equal values.
type inhibitRule struct {
	InhibitRule
	idx  int
	mu   sync.RWMutex
	open map[string]int
}

type inhibitTarget struct {
	rule   int
	key    string
	reason string
}

func labelsMatch(want, have map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// equalKey joins the alert's values of the rule's Equal labels.
func (r *inhibitRule) equalKey(labels map[string]string) string {
	var b strings.Builder
	for i, l := range r.Equal {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(labels[l])
	}
	return b.String()
}

// prepareInhibit works out, once per alert, the rules it is a target of.
func (e *Engine) prepareInhibit(a *alert) {
	for _, r := range e.inhibit {
		if labelsMatch(r.Target, a.rec.Labels) {
			a.targets = append(a.targets, inhibitTarget{rule: r.idx, key: r.equalKey(a.rec.Labels), reason: "inhibited by rule " + r.Name})
		}
	}
}

func (r *inhibitRule) inhibits(a *alert, key string) bool {
	r.mu.RLock()
	n := r.open[key]
	r.mu.RUnlock()
	if n > 0 {
		for _, s := range a.sources {
			if s.rule == r.idx {
				n-- // not muted by itself
			}
		}
	}
	return n > 0
}

// markSource brings the rules' counts of open sources up to date with the
// alert's severity and state. a.mu is held.
func (e *Engine) markSource(a *alert) {
	for _, r := range e.inhibit {
		want := !a.gone && a.rec.Severity >= r.SourceSeverity && labelsMatch(r.Source, a.rec.Labels)
		i := -1
		for j, s := range a.sources {
			if s.rule == r.idx {
				i = j
			}
		}
		if want == (i >= 0) {
			continue
		}
		r.mu.Lock()
		if want {
			key := r.equalKey(a.rec.Labels)
			r.open[key]++
			a.sources = append(a.sources, inhibitTarget{rule: r.idx, key: key})
		} else {
			key := a.sources[i].key
			if r.open[key]--; r.open[key] <= 0 {
				delete(r.open, key)
			}
			a.sources = append(a.sources[:i], a.sources[i+1:]...)
		}
		r.mu.Unlock()
	}
}
