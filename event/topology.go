package event

import (
	"context"
	"log/slog"
)

// How far up the CI hierarchy an alert looks for a down ancestor: at most
// maxAncestorDepth levels of parents and maxAncestors CIs, so that a large
// or cyclic map costs a bounded number of questions.
const (
	maxAncestorDepth = 16
	maxAncestors     = 256
)

// downAncestor returns the group of an open alert that marks down an
// ancestor of ci — a parent, a parent's parent, and so on, nearest first —
// and that ancestor, leaving out the group skip: a server's alert finds
// the alert of the cooling unit its room depends on, though neither its
// rack nor its room alarms. It returns nil when no ancestor is down or
// the Topology fails, which is logged. The caller holds the alert's mu,
// not e.mu.
func (e *Engine) downAncestor(ctx context.Context, ci string, skip *group) (*group, string) {
	e.mu.Lock()
	none := len(e.down) == 0
	e.mu.Unlock()
	if none {
		return nil, ""
	}
	seen := map[string]bool{ci: true}
	level := []string{ci}
	for depth := 0; depth < maxAncestorDepth && len(level) > 0 && len(seen) < maxAncestors; depth++ {
		var next []string
		for _, c := range level {
			parents, err := e.cfg.Topology.Parents(ctx, c)
			if err != nil {
				e.cfg.Logger.WarnContext(ctx, "asking for a CI's parents", slog.String("ci", c), slog.Any("error", err))
				return nil, ""
			}
			for _, p := range parents {
				if !seen[p] && len(seen) < maxAncestors {
					seen[p] = true
					next = append(next, p)
				}
			}
		}
		e.mu.Lock()
		for _, p := range next {
			for pa := range e.down[p] {
				if pa.group != nil && pa.group != skip {
					e.mu.Unlock()
					return pa.group, p
				}
			}
		}
		e.mu.Unlock()
		level = next
	}
	return nil, ""
}
