package cmdb

import (
	"maps"
	"slices"
	"strconv"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Kind is the lifecycle name, and so the record kind, of configuration
// items. Their numbers start "CI" (CI0000001).
const Kind = "configuration_item"

// Limits on the text of a CI, in characters.
const (
	// MaxKey caps a key, an owner group and an attribute's name.
	MaxKey = 200
	// MaxValue caps an attribute's value.
	MaxValue = 4000
	// MaxAttributes caps how many attributes a CI has.
	MaxAttributes = 100
	// MaxRelations caps how many relationships a CI stores (those it is the
	// From of).
	MaxRelations = 1000
)

// CI is a configuration item: a record of the kernel (with ID, number,
// state and journal) named by a unique Key, the name the other processes
// of the library use for it (incident.Incident.CIs, change.Change.CIs,
// event alerts' CI). The relationships it is the From of are stored with
// it, in Relations, so that a CI and its outgoing relationships change in
// one write and are journaled together.
type CI struct {
	lifecycle.Record

	// Key names the CI uniquely and for good: "shop-db-1".
	Key string `json:"key"`
	// Class is what the CI is.
	Class Class `json:"class"`
	// Attributes are the host's facts about the CI: serial number, IP
	// address, version.
	Attributes map[string]string `json:"attributes,omitempty"`
	// OwnerGroup supports the CI; by default the group of its class's
	// function (see Config.Groups).
	OwnerGroup string `json:"owner_group"`
	// Criticality is how much an outage of the CI matters on its own;
	// unset (zero) for most CIs, whose outage matters through the services
	// it takes down (see Graph.Criticality).
	Criticality itil.Impact `json:"criticality,omitempty"`
	// Quorum, for a cluster, is how many of its members must be up for it
	// to be up; at least 1, and at most its members while the cluster is
	// live or in maintenance. Zero for every other class.
	Quorum int `json:"quorum,omitempty"`
	// Relations are the relationships the CI is the From of, ordered by
	// type and target.
	Relations []Relation `json:"relations,omitempty"`
}

// Retired reports whether the CI is retired.
func (c *CI) Retired() bool { return c.State == StateRetired }

// Related reports whether the CI stores the relationship "c t to".
func (c *CI) Related(t RelType, to string) bool {
	return slices.Contains(c.Relations, Relation{Type: t, To: to})
}

// newCI makes a CI for the stores that decode records.
func newCI() lifecycle.Entity { return new(CI) }

// Clone implements lifecycle.Entity.
func (c *CI) Clone() lifecycle.Entity {
	d := *c
	d.Record = c.CloneRecord()
	d.Attributes = maps.Clone(c.Attributes)
	d.Relations = slices.Clone(c.Relations)
	return &d
}

// Attrs implements lifecycle.Entity: the indexed attributes are key,
// class, function, group (the owner group), criticality, to (the target
// of each relationship) and member_of (the cluster of each membership).
func (c *CI) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	dst = lifecycle.AppendAttr(dst, "key", c.Key)
	if c.Class.Valid() {
		dst = append(dst, lifecycle.Attr{Key: "class", Value: c.Class.String()},
			lifecycle.Attr{Key: "function", Value: c.Class.Function().String()})
	}
	dst = lifecycle.AppendAttr(dst, "group", c.OwnerGroup)
	if c.Criticality.Valid() {
		dst = append(dst, lifecycle.Attr{Key: "criticality", Value: c.Criticality.String()})
	}
	for _, r := range c.Relations {
		dst = lifecycle.AppendAttr(dst, "to", r.To)
		if r.Type == MemberOf {
			dst = lifecycle.AppendAttr(dst, "member_of", r.To)
		}
	}
	return dst
}

// FieldSet implements lifecycle.FieldChecker, for the fields that states
// of a host's CI lifecycle may require.
func (c *CI) FieldSet(name string) (set, known bool) {
	switch name {
	case "key":
		return c.Key != "", true
	case "class":
		return c.Class.Valid(), true
	case "owner_group":
		return c.OwnerGroup != "", true
	case "criticality":
		return c.Criticality.Valid(), true
	case "quorum":
		return c.Quorum > 0, true
	case "relations":
		return len(c.Relations) > 0, true
	}
	return false, false
}

// setQuorum sets the quorum, journaled.
func setQuorum(c *CI, ed *lifecycle.Edit, q int) {
	if c.Quorum != q {
		ed.Field("quorum", strconv.Itoa(c.Quorum), strconv.Itoa(q))
		c.Quorum = q
	}
}
