package change

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
)

// Topology relates configuration items, so that a change on a CI conflicts
// with changes on its parents (the host it runs on, the cluster it belongs
// to) and children. The host implements it over its CMDB; implementations
// must be safe for concurrent use. A plain Topology relates only direct
// parents and children; one that is also a Dependencies relates every CI
// upstream and downstream of a change's CIs (cmdb.Graph is both).
type Topology interface {
	// Parents returns the CIs that ci depends on or runs on.
	Parents(ctx context.Context, ci string) ([]string, error)
	// Children returns the CIs that depend on or run on ci.
	Children(ctx context.Context, ci string) ([]string, error)
}

// Dependencies is the optional upgrade of a Topology that knows the whole
// dependency graph, found by a type assertion on Config.Topology (as
// database/sql finds a driver's optional interfaces): a change on a CI then
// conflicts with changes, overlapping in time, on every CI it depends on,
// directly or through others (its ancestors: the VM, server, rack and
// power under an application), and on every CI that depends on it (its
// descendants). A change to a rack's power conflicts with a change
// to an application on a VM on a server in that rack. The Parents and
// Children of the Topology still tell the direct relations from the
// indirect ones (Conflict.Transitive). Implementations must be safe for
// concurrent use; *cmdb.Graph is one.
type Dependencies interface {
	Topology
	// Ancestors returns every CI whose outage reaches ci, directly or
	// through other CIs: its parents, their parents and so on, without ci.
	// A CI it does not know has none.
	Ancestors(ctx context.Context, ci string) ([]string, error)
	// Descendants returns every CI that an outage of ci reaches, directly
	// or through other CIs: its children, theirs and so on, without ci. A
	// CI it does not know has none.
	Descendants(ctx context.Context, ci string) ([]string, error)
}

// ConflictKind says how two changes collide.
type ConflictKind int8

// The kinds of conflict.
const (
	// ConflictCI: both changes touch the same CI.
	ConflictCI ConflictKind = iota + 1
	// ConflictParent: the other change touches a CI upstream of one of
	// this change's CIs, one that it depends on or runs on: a parent or,
	// through a Dependencies topology, an ancestor (Conflict.Transitive).
	ConflictParent
	// ConflictChild: the other change touches a CI downstream of one of
	// this change's CIs, one that depends on it or runs on it: a child or,
	// through a Dependencies topology, a descendant (Conflict.Transitive).
	ConflictChild
	// ConflictImplementer: the same implementer is booked for both.
	ConflictImplementer
)

var conflictNames = itil.Names[ConflictKind]{Field: "conflict", List: []string{"", "ci", "parent", "child", "implementer"}}

// String returns "ci", "parent", "child" or "implementer".
func (k ConflictKind) String() string { return conflictNames.String(k) }

// MarshalText encodes the kind by name.
func (k ConflictKind) MarshalText() ([]byte, error) { return conflictNames.Marshal(k) }

// UnmarshalText decodes a kind by name.
func (k *ConflictKind) UnmarshalText(b []byte) error { return conflictNames.Unmarshal(k, b) }

// Conflict is another change whose window overlaps a change's window on a
// shared CI, a related CI or the same implementer.
type Conflict struct {
	// Kind says how the changes collide.
	Kind ConflictKind `json:"kind"`
	// With is the other change; Window and State are its window and state.
	With   itil.Ref `json:"with"`
	Window Window   `json:"window"`
	State  string   `json:"state"`
	// CI is this change's CI concerned, for the CI kinds.
	CI string `json:"ci,omitempty"`
	// Other is the other change's CI (the same CI, the upstream or the
	// downstream one) or, for ConflictImplementer, the implementer.
	Other string `json:"other"`
	// Transitive is set when Other relates to CI through other CIs (an
	// ancestor or descendant that is no parent or child), which only a
	// Dependencies topology tells.
	Transitive bool `json:"transitive,omitempty"`
}

// String describes the conflict, naming which CI relates how: "CHG0000012
// (scheduled) on parent cluster-a of db-1, 2026-12-01T22:00:00Z/2026-12-02T01:00:00Z"
// for a direct relation, and "on rack-1 upstream of app-1" (app-1 depends on
// rack-1 through other CIs) or "on app-1 downstream of rack-1" for a
// transitive one.
func (c Conflict) String() string {
	var what string
	switch {
	case c.Kind == ConflictCI:
		what = "on " + c.CI
	case c.Kind == ConflictParent && c.Transitive:
		what = fmt.Sprintf("on %s upstream of %s", c.Other, c.CI)
	case c.Kind == ConflictChild && c.Transitive:
		what = fmt.Sprintf("on %s downstream of %s", c.Other, c.CI)
	case c.Kind == ConflictParent, c.Kind == ConflictChild:
		what = fmt.Sprintf("on %s %s of %s", c.Kind, c.Other, c.CI)
	case c.Kind == ConflictImplementer:
		what = "with the same implementer " + c.Other
	}
	return fmt.Sprintf("%s (%s) %s, %s", c.With.Number, c.State, what, c.Window)
}

// related is one tree to look in: the other CI (or implementer) and how it
// relates to our CI.
type related struct {
	kind       ConflictKind
	ci         string // ours
	other      string
	transitive bool
}

// Conflicts returns the changes on the calendar whose windows overlap c's
// planned window and that touch one of c's CIs, a CI upstream or
// downstream of one (through Config.Topology: a parent or child, or with a
// Dependencies topology any ancestor or descendant), or have the same
// implementer. c need not be stored: a host can check a window before
// proposing it. c itself, by ID, is left out. Conflicts are ordered by the
// other change's start; a change related to several of c's CIs is listed
// once for each relation. The calendar first catches up with the store's
// log, so the answer holds every change any host committed before the call.
//
// Errors: a *itil.ValidationError on "change" when c is nil, on "planned"
// when c has no valid window, on "cis[i]" or "implementer" for an empty,
// repeated or unstorable name; the Topology's errors; the store's.
func (m *Manager) Conflicts(ctx context.Context, c *Change) ([]Conflict, error) {
	if c == nil {
		return nil, &itil.ValidationError{Field: "change", Reason: "required"}
	}
	if err := c.Planned.Validate("planned"); err != nil {
		return nil, err
	}
	if err := checkNames("cis", c.CIs); err != nil {
		return nil, err
	}
	if err := checkCIs("cis", c.CIs); err != nil {
		return nil, err
	}
	if err := checkKey("implementer", c.Implementer); err != nil {
		return nil, err
	}
	look, err := m.related(ctx, c.CIs)
	if err != nil {
		return nil, err
	}
	if err := m.catchUp(ctx); err != nil {
		return nil, err
	}
	return m.conflicts(c.ID, c.Planned, look, c.Implementer), nil
}

// related returns the trees to look in for conflicts of a change on cis:
// each CI itself, and its parents and children through the Topology; with
// a Dependencies topology, also its other ancestors and descendants, marked
// transitive. Each relation of one of cis to another CI is one entry.
func (m *Manager) related(ctx context.Context, cis []string) ([]related, error) {
	look := make([]related, 0, len(cis)+1)
	seen := make(map[related]bool, len(cis)+1)
	add := func(r related) {
		if !seen[r] { // a topology may name a CI twice
			seen[r] = true
			look = append(look, r)
		}
	}
	for _, ci := range cis {
		add(related{kind: ConflictCI, ci: ci, other: ci})
	}
	topo := m.cfg.Topology
	if topo == nil {
		return look, nil
	}
	deps, _ := topo.(Dependencies)
	for _, ci := range cis {
		parents, err := topo.Parents(ctx, ci)
		if err != nil {
			return nil, fmt.Errorf("change: parents of %s: %w", ci, err)
		}
		for _, p := range parents {
			add(related{kind: ConflictParent, ci: ci, other: p})
		}
		children, err := topo.Children(ctx, ci)
		if err != nil {
			return nil, fmt.Errorf("change: children of %s: %w", ci, err)
		}
		for _, ch := range children {
			add(related{kind: ConflictChild, ci: ci, other: ch})
		}
		if deps == nil {
			continue
		}
		ancestors, err := deps.Ancestors(ctx, ci)
		if err != nil {
			return nil, fmt.Errorf("change: ancestors of %s: %w", ci, err)
		}
		for _, a := range ancestors {
			if a != ci && !seen[related{kind: ConflictParent, ci: ci, other: a}] {
				add(related{kind: ConflictParent, ci: ci, other: a, transitive: true})
			}
		}
		descendants, err := deps.Descendants(ctx, ci)
		if err != nil {
			return nil, fmt.Errorf("change: descendants of %s: %w", ci, err)
		}
		for _, d := range descendants {
			if d != ci && !seen[related{kind: ConflictChild, ci: ci, other: d}] {
				add(related{kind: ConflictChild, ci: ci, other: d, transitive: true})
			}
		}
	}
	return look, nil
}

// conflicts looks up, in the calendar as it is, the changes other than id
// whose windows overlap w in the trees of look or of implementer.
func (m *Manager) conflicts(id uuid.UUID, w Window, look []related, implementer string) []Conflict {
	var hits []hit // tagged with their index into look, or -1 for the implementer
	x := m.index
	x.mu.RLock()
	for i, r := range look {
		hits = x.query(hits, x.byCI, r.other, w, id, i)
	}
	if implementer != "" {
		hits = x.query(hits, x.byPerson, implementer, w, id, -1)
	}
	x.mu.RUnlock()
	if len(hits) == 0 {
		return nil
	}
	out := make([]Conflict, len(hits))
	for i, h := range hits {
		c := Conflict{
			With:   itil.Ref{Kind: Kind, ID: h.id, Number: h.number},
			Window: h.window(),
			State:  h.state,
		}
		if j := h.tag; j >= 0 {
			c.Kind, c.CI, c.Other, c.Transitive = look[j].kind, look[j].ci, look[j].other, look[j].transitive
		} else {
			c.Kind, c.Other = ConflictImplementer, implementer
		}
		out[i] = c
	}
	slices.SortStableFunc(out, func(a, b Conflict) int {
		return cmp.Or(
			a.Window.Start.Compare(b.Window.Start),
			cmp.Compare(a.With.Number, b.With.Number),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.CI, b.CI),
			cmp.Compare(a.Other, b.Other),
		)
	})
	return out
}
