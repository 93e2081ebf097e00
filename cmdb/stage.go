package cmdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// link is one relationship a command adds: from the CI of key From, and
// the field of the input that holds it.
type link struct {
	from  string
	rel   Relation
	field string
}

// plan is what one command that creates CIs and adds relationships stages
// in its Tx: Register, Relate and Import run one.
type plan struct {
	r    *Registry
	tx   *lifecycle.Tx
	by   itil.Actor
	note string

	items   []Item                // the CIs to create, checked, their Relations moved to links
	fields  []string              // the field of each item
	byKey   map[string]int        // items by key
	links   []link                // every relationship added
	stored  map[string]*CI        // CIs of the store the plan read, by key
	adds    map[string][]Relation // relationships added to stored CIs, by key
	version map[string]int64      // the version a caller read of a stored CI
}

// newPlan checks items and links as far as the store is not needed, and
// returns the plan. Every item's relations join links.
func (r *Registry) newPlan(by itil.Actor, note string, items []Item, fields []string, links []link) (*plan, error) {
	if err := checkActor(by); err != nil {
		return nil, err
	}
	if err := itil.CheckText("Note", note, MaxValue); err != nil {
		return nil, err
	}
	p := &plan{r: r, by: by, note: note, items: items, fields: fields, byKey: make(map[string]int, len(items)),
		stored: map[string]*CI{}, adds: map[string][]Relation{}, version: map[string]int64{}}
	var own []link
	for i := range p.items {
		it := &p.items[i]
		if err := checkItem(fields[i], it, r.cfg.Groups); err != nil {
			return nil, err
		}
		if j, dup := p.byKey[it.Key]; dup {
			return nil, fmt.Errorf("%s.key: %q is also %s.key: %w", fields[i], it.Key, fields[j], ErrDuplicateKey)
		}
		p.byKey[it.Key] = i
		for j, rel := range it.Relations {
			own = append(own, link{from: it.Key, rel: rel, field: fmt.Sprintf("%s.relations[%d]", fields[i], j)})
		}
		it.Relations = nil
	}
	for _, l := range links {
		if err := checkName(l.field+".from", l.from); err != nil {
			return nil, err
		}
		if err := checkRelation(l.field, l.from, l.rel); err != nil {
			return nil, err
		}
	}
	p.links = append(own, links...)
	return p, nil
}

// checkActor requires an actor and checks its text.
func checkActor(by itil.Actor) error {
	if by.ID == "" {
		return invalid("By", "required: who acts")
	}
	if err := itil.CheckText("By.id", by.ID, MaxKey); err != nil {
		return err
	}
	if err := itil.CheckText("By.name", by.Name, MaxKey); err != nil {
		return err
	}
	return itil.CheckTexts("By.groups", by.Groups, MaxKey)
}

// storedCI returns the stored CI of key, read through the Tx once.
func (p *plan) storedCI(ctx context.Context, key string) (*CI, error) {
	if c, ok := p.stored[key]; ok {
		return c, nil
	}
	c, err := p.r.byKeyIn(ctx, p.tx, key)
	if err != nil {
		return nil, err
	}
	p.stored[key] = c
	return c, nil
}

// ci describes the CI of key as the plan will leave it: its class, state
// and relations (including those the plan adds). A stored CI is read.
func (p *plan) ci(ctx context.Context, key string) (class Class, state string, rels []Relation, err error) {
	if i, ok := p.byKey[key]; ok {
		it := &p.items[i]
		return it.Class, it.State, it.Relations, nil
	}
	c, err := p.storedCI(ctx, key)
	if err != nil {
		return 0, "", nil, err
	}
	return c.Class, c.State, append(slices.Clone(c.Relations), p.adds[key]...), nil
}

// run stages the plan in tx and returns the CIs it created, then those it
// changed.
func (p *plan) run(ctx context.Context, tx *lifecycle.Tx) ([]*CI, error) {
	p.tx = tx
	clear(p.stored)
	clear(p.adds)
	for i := range p.items {
		p.items[i].Relations = nil
	}
	// Claim every new key.
	locks := make([]*lifecycle.Lock, len(p.items))
	for i, it := range p.items {
		l, err := tx.Lock(ctx, keyLock(it.Key))
		if err != nil {
			return nil, err
		}
		if l.Holder != uuid.Nil {
			return nil, fmt.Errorf("%s.key: %q: %w", p.fields[i], it.Key, ErrDuplicateKey)
		}
		locks[i] = l
	}
	// Resolve and check every relationship.
	locked := map[string]bool{}
	for _, l := range p.links {
		if err := p.add(ctx, l, locked); err != nil {
			return nil, err
		}
	}
	for _, l := range p.links {
		if l.rel.Type == Contains {
			if err := p.noCycle(ctx, l); err != nil {
				return nil, err
			}
		}
	}
	for i, it := range p.items {
		if it.Class != ClassCluster || !inService(it.State) {
			continue
		}
		n := 0
		for _, l := range p.links {
			if l.rel.Type == MemberOf && l.rel.To == it.Key {
				n++
			}
		}
		if n < it.Quorum {
			return nil, &RuleError{Rule: ErrQuorum, Field: p.fields[i] + ".quorum", CIs: []string{it.Key},
				Reason: fmt.Sprintf("a %s cluster needs its quorum of %d members, it has %d", it.State, it.Quorum, n)}
		}
	}
	// Stage the writes.
	var out []*CI
	for i := range p.items {
		it := &p.items[i]
		sortRelations(it.Relations)
		c, err := p.r.proc.CreateIn(ctx, tx, &CI{Key: it.Key, Class: it.Class, Attributes: it.Attributes,
			OwnerGroup: it.OwnerGroup, Criticality: it.Criticality, Quorum: it.Quorum, Relations: it.Relations}, p.by, p.note)
		if err != nil {
			return nil, err
		}
		locks[i].Holder = c.ID
		var events []string
		switch it.State {
		case StateLive:
			events = []string{EventGoLive}
		case StateMaintenance:
			events = []string{EventGoLive, EventStartMaintenance}
		}
		for _, ev := range events {
			if c, err = p.r.proc.FireIn(ctx, tx, c.ID, lifecycle.Action[*CI]{Event: ev, Actor: p.by, Note: p.note}); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	for _, key := range sortedAddKeys(p.adds) {
		added := p.adds[key]
		sortRelations(added)
		c := p.stored[key]
		if len(c.Relations)+len(added) > MaxRelations {
			return nil, invalidf("relations", "%s would store more than %d relationships", key, MaxRelations)
		}
		c, err := p.r.proc.FireIn(ctx, tx, c.ID, lifecycle.Action[*CI]{Name: EventRelate, Actor: p.by, Note: p.note,
			Version: p.version[key], Apply: func(c *CI, ed *lifecycle.Edit) error {
				c.Relations = append(c.Relations, added...)
				sortRelations(c.Relations)
				ed.Field("relations", "", relationsDiff("+", added))
				return nil
			}})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// add resolves and checks one relationship and adds it to its From CI.
func (p *plan) add(ctx context.Context, l link, locked map[string]bool) error {
	_, fromState, fromRels, err := p.ci(ctx, l.from)
	if err != nil {
		return notFoundAt(l.field+".from", err)
	}
	if fromState == StateRetired {
		return &RuleError{Rule: ErrRetired, Field: l.field + ".from", CIs: []string{l.from}, Reason: "a retired CI has no relationships"}
	}
	toClass, toState, _, err := p.ci(ctx, l.rel.To)
	if err != nil {
		return notFoundAt(l.field+".to", err)
	}
	if toState == StateRetired {
		return &RuleError{Rule: ErrRetired, Field: l.field + ".to", CIs: []string{l.rel.To}, Reason: "no relationship may lead to a retired CI"}
	}
	if l.rel.Type == MemberOf && toClass != ClassCluster {
		return invalidf(l.field+".to", "member_of leads to a cluster, and %q is a %s", l.rel.To, toClass)
	}
	if slices.Contains(fromRels, l.rel) {
		return invalidf(l.field+".to", "%s %s %s is there already", l.from, l.rel.Type, l.rel.To)
	}
	if _, isNew := p.byKey[l.rel.To]; !isNew && !locked[l.rel.To] {
		// A stored target: serialise with its retirement and with the
		// other writes that count its relationships.
		if _, err := p.tx.Lock(ctx, keyLock(l.rel.To)); err != nil {
			return err
		}
		locked[l.rel.To] = true
	}
	if i, isNew := p.byKey[l.from]; isNew {
		p.items[i].Relations = append(p.items[i].Relations, l.rel)
	} else {
		p.adds[l.from] = append(p.adds[l.from], l.rel)
	}
	return nil
}

// noCycle reports a cycle of contains that l would close: a path of
// contains from l's To back to its From. Every stored CI on the way is
// read through the Tx, and so pinned: a concurrent write that adds a
// contains on the way makes one of the two commits fail and run again.
func (p *plan) noCycle(ctx context.Context, l link) error {
	prev := map[string]string{l.rel.To: l.from}
	stack := []string{l.rel.To}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		_, _, rels, err := p.ci(ctx, k)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if r.Type != Contains {
				continue
			}
			if r.To == l.from {
				path := []string{r.To, k}
				for at := k; at != l.from; {
					at = prev[at]
					path = append(path, at)
				}
				slices.Reverse(path)
				return &RuleError{Rule: ErrCycle, Field: l.field + ".to", CIs: path,
					Reason: fmt.Sprintf("%s contains %s would close a cycle", l.from, l.rel.To)}
			}
			if _, seen := prev[r.To]; !seen {
				prev[r.To] = k
				stack = append(stack, r.To)
			}
		}
	}
	return nil
}

// notFoundAt names the field of a CI that is not stored.
func notFoundAt(field string, err error) error {
	if errors.Is(err, lifecycle.ErrNotFound) {
		return fmt.Errorf("%s: %w", field, err)
	}
	return err
}

// relationsDiff is the journal's text of relationships added (sign "+")
// or removed ("-"): "+depends_on db-1, +runs_on vm-3".
func relationsDiff(sign string, rs []Relation) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = sign + r.Type.String() + " " + r.To
	}
	return strings.Join(parts, ", ")
}

// sortedAddKeys returns the keys of adds in order, so that a plan writes
// its records in the same order every time.
func sortedAddKeys(adds map[string][]Relation) []string {
	ks := make([]string, 0, len(adds))
	for k := range adds {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
