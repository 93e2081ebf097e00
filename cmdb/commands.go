package cmdb

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Params is what every command on one CI carries, and all that a command
// with no inputs of its own takes (GoLive, StartMaintenance,
// EndMaintenance, Retire): the CI (ID), the version the caller read
// (Version: a CI changed since fails with lifecycle.ErrConflict; zero acts
// on the latest version), who acts (By, required) and the note journaled
// (Note, at most MaxValue characters). Custom Fields are set as the
// lifecycle declares them.
type Params = lifecycle.Params

// RegisterParams registers one CI (Registry.Register).
type RegisterParams struct {
	// By is who registers it; required. Note is journaled.
	By   itil.Actor
	Note string
	// Item is the CI, with its relationships to stored CIs. Its State may
	// be left empty (planned).
	Item Item
}

// RelateParams adds or removes one relationship (Registry.Relate,
// Registry.Unrelate): ID is its From CI.
type RelateParams struct {
	// ID, Version, By and Note are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	// Type is the relationship's type; required.
	Type RelType
	// To is the key of the CI it leads to; required.
	To string
}

// UpdateParams edits a CI's facts (Registry.Update). Zero values keep what
// the CI has.
type UpdateParams struct {
	// ID, Version, By, Note and Fields are those of Params.
	ID      uuid.UUID
	Version int64
	By      itil.Actor
	Note    string
	Fields  map[string]string
	// Attributes sets attributes; an empty value removes one.
	Attributes map[string]string
	// OwnerGroup, when set, is the new owner group.
	OwnerGroup string
	// Criticality, when set, is the new criticality.
	Criticality itil.Impact
	// Quorum, when set, is a cluster's new quorum; a live cluster or one in
	// maintenance must have as many members.
	Quorum int
}

// Register creates a CI in the state its Item names (planned by default),
// with its relationships, in one commit. Errors: *itil.ValidationError
// naming the field ("item.class"); ErrDuplicateKey; lifecycle.ErrNotFound
// for a relationship to a CI that is not stored; *RuleError for a
// relationship to a retired CI, a cycle of contains or a quorum a live
// cluster does not have.
func (r *Registry) Register(ctx context.Context, p RegisterParams) (*CI, error) {
	pl, err := r.newPlan(p.By, p.Note, []Item{cloneItem(p.Item)}, []string{"item"}, nil)
	if err != nil {
		return nil, err
	}
	var out []*CI
	err = r.atomic(ctx, func(tx *lifecycle.Tx) error {
		out, err = pl.run(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out[0].Clone().(*CI), nil
}

// Relate adds the relationship "ID Type To" to the CI ID. Both CIs must
// be stored and not retired; the To of member_of must be a cluster; a
// contains must not close a cycle. Errors as for Register, the field
// named "to" or "from" (the CI ID).
func (r *Registry) Relate(ctx context.Context, p RelateParams) (*CI, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	var out *CI
	err := r.atomic(ctx, func(tx *lifecycle.Tx) error {
		from, err := ciIn(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		pl, err := r.newPlan(p.By, p.Note, nil, nil, []link{{from: from.Key, rel: Relation{Type: p.Type, To: p.To}, field: "relation"}})
		if err != nil {
			return err
		}
		pl.version[from.Key] = p.Version
		cis, err := pl.run(ctx, tx)
		if err != nil {
			return err
		}
		out = cis[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out.Clone().(*CI), nil
}

// Unrelate removes the relationship "ID Type To" from the CI ID. Removing
// a member from a live cluster, or one in maintenance, that would leave
// fewer members than its quorum is refused with a *RuleError matching
// ErrQuorum. A relationship the CI does not store is a
// *itil.ValidationError naming "to".
func (r *Registry) Unrelate(ctx context.Context, p RelateParams) (*CI, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	if err := itil.CheckText("Note", p.Note, MaxValue); err != nil {
		return nil, err
	}
	rel := Relation{Type: p.Type, To: p.To}
	if err := checkRelation("relation", "", rel); err != nil {
		return nil, err
	}
	var out *CI
	err := r.atomic(ctx, func(tx *lifecycle.Tx) error {
		from, err := ciIn(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if !from.Related(rel.Type, rel.To) {
			return invalidf("relation.to", "%s stores no %s %s", from.Key, rel.Type, rel.To)
		}
		if _, err := tx.Lock(ctx, keyLock(rel.To)); err != nil {
			return err
		}
		if rel.Type == MemberOf {
			if err := r.keepsQuorum(ctx, tx, rel.To, 1); err != nil {
				return err
			}
		}
		out, err = r.proc.FireIn(ctx, tx, p.ID, lifecycle.Action[*CI]{Name: EventUnrelate, Actor: p.By, Note: p.Note,
			Version: p.Version, Apply: func(c *CI, ed *lifecycle.Edit) error {
				c.Relations = slices.DeleteFunc(c.Relations, func(x Relation) bool { return x == rel })
				if len(c.Relations) == 0 {
					c.Relations = nil
				}
				ed.Field("relations", "", relationsDiff("-", []Relation{rel}))
				return nil
			}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out.Clone().(*CI), nil
}

// keepsQuorum refuses, with a *RuleError matching ErrQuorum, to take
// leaving members from the cluster of key when it is live or in
// maintenance and would keep fewer members than its quorum. The caller
// holds the cluster's key lock.
func (r *Registry) keepsQuorum(ctx context.Context, tx *lifecycle.Tx, key string, leaving int) error {
	c, err := r.byKeyIn(ctx, tx, key)
	if err != nil {
		return err
	}
	if !inService(c.State) {
		return nil
	}
	n, err := r.members(ctx, key)
	if err != nil {
		return err
	}
	if n-leaving < c.Quorum {
		return &RuleError{Rule: ErrQuorum, Field: "quorum", CIs: []string{key},
			Reason: fmt.Sprintf("the %s cluster would keep %d members, below its quorum of %d", c.State, n-leaving, c.Quorum)}
	}
	return nil
}

// Update edits a CI's attributes, owner group, criticality or quorum.
// Errors: *itil.ValidationError naming the field; *RuleError matching
// ErrQuorum for a quorum a live cluster does not have; *RuleError matching
// ErrRetired for a retired CI; lifecycle.ErrNotFound, ErrConflict.
func (r *Registry) Update(ctx context.Context, p UpdateParams) (*CI, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	if err := itil.CheckText("Note", p.Note, MaxValue); err != nil {
		return nil, err
	}
	for _, k := range sortedKeys(p.Attributes) {
		if err := checkName("Attributes", k); err != nil {
			return nil, err
		}
		if err := itil.CheckText("Attributes["+k+"]", p.Attributes[k], MaxValue); err != nil {
			return nil, err
		}
	}
	if p.OwnerGroup != "" {
		if err := checkName("OwnerGroup", p.OwnerGroup); err != nil {
			return nil, err
		}
	}
	if p.Criticality != 0 && !p.Criticality.Valid() {
		return nil, invalidf("Criticality", "unknown impact %d (want high, medium or low)", p.Criticality)
	}
	if p.Quorum < 0 {
		return nil, invalidf("Quorum", "a quorum is at least 1, not %d", p.Quorum)
	}
	var out *CI
	err := r.atomic(ctx, func(tx *lifecycle.Tx) error {
		c, err := ciIn(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if c.Retired() {
			return &RuleError{Rule: ErrRetired, CIs: []string{c.Key}, Reason: "a retired CI is kept as it was"}
		}
		attrs := maps.Clone(c.Attributes)
		if attrs == nil {
			attrs = map[string]string{}
		}
		for k, v := range p.Attributes {
			if v == "" {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		if len(attrs) > MaxAttributes {
			return invalidf("Attributes", "more than %d attributes (%d)", MaxAttributes, len(attrs))
		}
		if p.Quorum != 0 && p.Quorum != c.Quorum {
			if err := checkQuorum("Quorum", c.Class, p.Quorum); err != nil {
				return err
			}
			if _, err := tx.Lock(ctx, keyLock(c.Key)); err != nil {
				return err
			}
			if inService(c.State) {
				n, err := r.members(ctx, c.Key)
				if err != nil {
					return err
				}
				if n < p.Quorum {
					return &RuleError{Rule: ErrQuorum, Field: "Quorum", CIs: []string{c.Key},
						Reason: fmt.Sprintf("the %s cluster has %d members, below a quorum of %d", c.State, n, p.Quorum)}
				}
			}
		}
		out, err = r.proc.FireIn(ctx, tx, p.ID, lifecycle.Action[*CI]{Name: EventEdit, Actor: p.By, Note: p.Note,
			Version: p.Version, Fields: p.Fields, Apply: func(c *CI, ed *lifecycle.Edit) error {
				for _, k := range sortedKeys(p.Attributes) {
					ed.Field("attributes."+k, c.Attributes[k], p.Attributes[k])
				}
				if len(attrs) == 0 {
					attrs = nil
				}
				c.Attributes = attrs
				if p.OwnerGroup != "" {
					lifecycle.Set(ed, "owner_group", &c.OwnerGroup, p.OwnerGroup)
				}
				if p.Criticality != 0 {
					if c.Criticality != p.Criticality {
						ed.Field("criticality", impactText(c.Criticality), p.Criticality.String())
						c.Criticality = p.Criticality
					}
				}
				if p.Quorum != 0 {
					setQuorum(c, ed, p.Quorum)
				}
				return nil
			}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out.Clone().(*CI), nil
}

// GoLive puts a planned CI in service. A cluster needs at least its quorum
// of members (*RuleError matching ErrQuorum).
func (r *Registry) GoLive(ctx context.Context, p Params) (*CI, error) {
	return r.fire(ctx, p, EventGoLive, func(ctx context.Context, tx *lifecycle.Tx, c *CI) error {
		if c.Class != ClassCluster {
			return nil
		}
		if _, err := tx.Lock(ctx, keyLock(c.Key)); err != nil {
			return err
		}
		n, err := r.members(ctx, c.Key)
		if err != nil {
			return err
		}
		if n < c.Quorum {
			return &RuleError{Rule: ErrQuorum, Field: "quorum", CIs: []string{c.Key},
				Reason: fmt.Sprintf("the cluster has %d members, below its quorum of %d", n, c.Quorum)}
		}
		return nil
	})
}

// StartMaintenance takes a live CI out of service for planned work.
func (r *Registry) StartMaintenance(ctx context.Context, p Params) (*CI, error) {
	return r.fire(ctx, p, EventStartMaintenance, nil)
}

// EndMaintenance puts a CI in maintenance back in service.
func (r *Registry) EndMaintenance(ctx context.Context, p Params) (*CI, error) {
	return r.fire(ctx, p, EventEndMaintenance, nil)
}

// Retire takes a CI out of service for good and removes the relationships
// it stores. It is refused with a *RuleError matching ErrInUse while other
// CIs relate to it (naming some of them), and with one matching ErrQuorum
// when a live cluster it is a member of would fall below its quorum.
func (r *Registry) Retire(ctx context.Context, p Params) (*CI, error) {
	return r.fire(ctx, p, EventRetire, func(ctx context.Context, tx *lifecycle.Tx, c *CI) error {
		if _, err := tx.Lock(ctx, keyLock(c.Key)); err != nil {
			return err
		}
		var users []string
		total := 0
		for u, err := range r.proc.Find(ctx, lifecycle.Query{Where: []lifecycle.Cond{lifecycle.Eq("to", c.Key)}}) {
			if err != nil {
				return err
			}
			if u.ID == c.ID {
				continue
			}
			if total++; len(users) < 10 {
				users = append(users, u.Key)
			}
		}
		if total > 0 {
			return &RuleError{Rule: ErrInUse, CIs: users,
				Reason: fmt.Sprintf("%d CIs still relate to %s", total, c.Key)}
		}
		for _, rel := range c.Relations {
			if _, err := tx.Lock(ctx, keyLock(rel.To)); err != nil {
				return err
			}
			if rel.Type == MemberOf {
				if err := r.keepsQuorum(ctx, tx, rel.To, 1); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// fire runs check (when set) on the CI as read in a Tx, then fires event
// on it, removing its relationships if the event retires it.
func (r *Registry) fire(ctx context.Context, p Params, event string, check func(context.Context, *lifecycle.Tx, *CI) error) (*CI, error) {
	if err := checkActor(p.By); err != nil {
		return nil, err
	}
	if err := itil.CheckText("Note", p.Note, MaxValue); err != nil {
		return nil, err
	}
	var out *CI
	err := r.atomic(ctx, func(tx *lifecycle.Tx) error {
		c, err := ciIn(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if _, ok := r.proc.Definition().Target(event, c.State); !ok {
			return r.proc.Definition().TransitionError(event, c.State)
		}
		if check != nil {
			if err := check(ctx, tx, c); err != nil {
				return err
			}
		}
		a := lifecycle.Action[*CI]{Event: event, Actor: p.By, Note: p.Note, Version: p.Version, Fields: p.Fields}
		if event == EventRetire && len(c.Relations) > 0 {
			a.Apply = func(c *CI, ed *lifecycle.Edit) error {
				ed.Field("relations", "", relationsDiff("-", c.Relations))
				c.Relations = nil
				return nil
			}
		}
		out, err = r.proc.FireIn(ctx, tx, p.ID, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out.Clone().(*CI), nil
}

// cloneItem copies what a plan changes of an item, so that the caller's
// stays as given.
func cloneItem(it Item) Item {
	it.Attributes = maps.Clone(it.Attributes)
	it.Relations = slices.Clone(it.Relations)
	return it
}

// impactText is the journal's text of a criticality: "" when unset.
func impactText(i itil.Impact) string {
	if !i.Valid() {
		return ""
	}
	return i.String()
}
