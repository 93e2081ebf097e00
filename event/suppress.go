package event

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/itil-go/itil"
)

// suppression returns why ev is suppressed, or "" when it is not: a
// maintenance window, a change window of its CI, or an inhibition rule,
// whose name it then returns as rule. a.mu is held.
func (e *Engine) suppression(ctx context.Context, a *alert, ev *Event, at time.Time) (reason, rule string) {
	for _, m := range *e.maint.Load() {
		if m.active(at) && m.matchLabels(ev.Labels) && m.matchCI(ev) {
			m.suppressed.Add(1)
			return m.reason, ""
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
			return "change window of " + a.rec.CI, ""
		}
	}
	if k := a.target; k != nil && k.inhibits(a) {
		return k.rule.reason, k.rule.Name
	}
	if a.moreTarget {
		for _, k := range a.targets[1:] {
			if k.inhibits(a) {
				return k.rule.reason, k.rule.Name
			}
		}
	}
	return "", ""
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
	if err := itil.CheckText(field+".name", r.Name, MaxKeyLen); err != nil {
		return err
	}
	if err := checkLabelMap(field+".source", r.Source); err != nil {
		return err
	}
	if err := checkLabelMap(field+".target", r.Target); err != nil {
		return err
	}
	if err := itil.CheckTexts(field+".equal", r.Equal, MaxKeyLen); err != nil {
		return err
	}
	names[r.Name] = true
	if r.SourceSeverity == 0 {
		r.SourceSeverity = SeverityWarning
	}
	return nil
}

// inhibitRule is an inhibition rule as the engine holds it: its open
// source alerts counted by their values of the Equal labels.
type inhibitRule struct {
	InhibitRule
	reason string
	mu     sync.Mutex // guards keys and their refs
	keys   map[string]*inhibitKey
}

func newInhibitRule(r InhibitRule) *inhibitRule {
	return &inhibitRule{InhibitRule: r, reason: "inhibited by rule " + r.Name, keys: map[string]*inhibitKey{}}
}

// inhibitKey counts a rule's open source alerts that share one set of
// Equal values. The alerts that are sources or targets of the rule with
// those values hold it, so that checking a target is one atomic load.
type inhibitKey struct {
	rule *inhibitRule
	open atomic.Int64
	refs int // alerts holding it; guarded by rule.mu
	key  string
}

// acquire returns the rule's key for labels, counting one more holder.
// r.mu is held.
func (r *inhibitRule) acquire(labels map[string]string) *inhibitKey {
	key := r.equalKey(labels)
	k := r.keys[key]
	if k == nil {
		k = &inhibitKey{rule: r, key: key}
		r.keys[key] = k
	}
	k.refs++
	return k
}

// release counts a holder of k out, forgetting k with its last. r.mu is
// held.
func (r *inhibitRule) release(k *inhibitKey) {
	if k.refs--; k.refs == 0 {
		delete(r.keys, k.key)
	}
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
			r.mu.Lock()
			a.targets = append(a.targets, r.acquire(a.rec.Labels))
			r.mu.Unlock()
		}
	}
	if len(a.targets) > 0 {
		a.target, a.moreTarget = a.targets[0], len(a.targets) > 1
	}
}

// releaseInhibit lets go of the alert's target keys once it is gone.
func (e *Engine) releaseInhibit(a *alert) {
	for _, k := range a.targets {
		k.rule.mu.Lock()
		k.rule.release(k)
		k.rule.mu.Unlock()
	}
	a.target, a.moreTarget, a.targets = nil, false, nil
}

// inhibits reports whether k's rule mutes the target alert a: a source
// alert with the same Equal values is open, other than a itself.
func (k *inhibitKey) inhibits(a *alert) bool {
	n := k.open.Load()
	if n > 0 {
		for _, s := range a.sources {
			if s == k {
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
		i := slices.IndexFunc(a.sources, func(k *inhibitKey) bool { return k.rule == r })
		if want == (i >= 0) {
			continue
		}
		r.mu.Lock()
		if want {
			k := r.acquire(a.rec.Labels)
			k.open.Add(1)
			a.sources = append(a.sources, k)
		} else {
			k := a.sources[i]
			k.open.Add(-1)
			r.release(k)
			a.sources = slices.Delete(a.sources, i, i+1)
		}
		r.mu.Unlock()
	}
}
