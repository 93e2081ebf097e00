package cmdb

import (
	"fmt"
	"slices"

	"github.com/itil-go/itil"
)

// Item is a configuration item to create: what Register and Import take.
type Item struct {
	// Key names the CI; required, unique, at most MaxKey characters.
	Key string
	// Class is required.
	Class Class
	// Attributes are optional; at most MaxAttributes, each name at most
	// MaxKey and each value at most MaxValue characters.
	Attributes map[string]string
	// OwnerGroup defaults to the group of the class's function.
	OwnerGroup string
	// Criticality is optional.
	Criticality itil.Impact
	// Quorum is required for a cluster (at least 1) and must be zero for
	// any other class.
	Quorum int
	// State is the state the CI starts in: StatePlanned (the default),
	// StateLive or StateMaintenance. A cluster that starts live or in
	// maintenance must have at least Quorum members in the same command.
	State string
	// Relations are relationships from the CI, to CIs of the same command
	// or already stored.
	Relations []Relation
}

// checkItem checks what can be checked of it without the store, and sets
// its defaults: owner group and state.
func checkItem(field string, it *Item, groups map[Function]string) error {
	if err := checkName(field+".key", it.Key); err != nil {
		return err
	}
	if !it.Class.Valid() {
		return invalidf(field+".class", "unknown class %d (want %s)", it.Class, classNames.Want())
	}
	if it.OwnerGroup == "" {
		it.OwnerGroup = groups[it.Class.Function()]
	}
	if err := checkName(field+".owner_group", it.OwnerGroup); err != nil {
		return err
	}
	if len(it.Attributes) > MaxAttributes {
		return invalidf(field+".attributes", "more than %d attributes (%d)", MaxAttributes, len(it.Attributes))
	}
	for _, k := range sortedKeys(it.Attributes) {
		if err := checkName(field+".attributes", k); err != nil {
			return err
		}
		if err := itil.CheckText(fmt.Sprintf("%s.attributes[%s]", field, k), it.Attributes[k], MaxValue); err != nil {
			return err
		}
	}
	if it.Criticality != 0 && !it.Criticality.Valid() {
		return invalidf(field+".criticality", "unknown impact %d (want high, medium or low)", it.Criticality)
	}
	if err := checkQuorum(field+".quorum", it.Class, it.Quorum); err != nil {
		return err
	}
	switch it.State {
	case "":
		it.State = StatePlanned
	case StatePlanned, StateLive, StateMaintenance:
	default:
		return invalidf(field+".state", "a new CI starts %s, %s or %s, not %q", StatePlanned, StateLive, StateMaintenance, it.State)
	}
	if len(it.Relations) > MaxRelations {
		return invalidf(field+".relations", "more than %d relationships (%d)", MaxRelations, len(it.Relations))
	}
	for j, rel := range it.Relations {
		if err := checkRelation(fmt.Sprintf("%s.relations[%d]", field, j), it.Key, rel); err != nil {
			return err
		}
	}
	return nil
}

// checkQuorum checks a quorum against the class: at least 1 for a
// cluster, zero otherwise.
func checkQuorum(field string, c Class, q int) error {
	switch {
	case c == ClassCluster && q < 1:
		return invalidf(field, "a cluster needs a quorum of at least 1, not %d", q)
	case c != ClassCluster && q != 0:
		return invalidf(field, "only a cluster has a quorum, not a %s", c)
	}
	return nil
}

// checkRelation checks a relationship from the CI of key.
func checkRelation(field, from string, rel Relation) error {
	if !rel.Type.Valid() {
		return invalidf(field+".type", "unknown relationship type %d (want %s)", rel.Type, relNames.Want())
	}
	if err := checkName(field+".to", rel.To); err != nil {
		return err
	}
	if rel.To == from {
		return invalid(field+".to", "a CI cannot relate to itself")
	}
	return nil
}

// sortedKeys returns the keys of m in order, so that checks report the
// same field every time.
func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
