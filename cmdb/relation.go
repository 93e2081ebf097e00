package cmdb

import (
	"cmp"
	"slices"

	"github.com/itil-go/itil"
)

// RelType is the type of a relationship. A relationship is directed: it is
// written "From Type To" ("shop-app runs_on vm-7") and stored on its From
// CI. Each type says which way an outage travels (impact):
//
//	type         example                         an outage of … takes down …
//	runs_on      app runs_on vm                  To → From (the vm takes the app down)
//	depends_on   app depends_on db               To → From
//	connects_to  server connects_to switch       To → From (the server loses its link)
//	contains     rack contains server            From → To (the rack takes its contents down)
//	provides     app provides business service   From → To
//	member_of    node member_of cluster          From counts against the cluster's quorum
//
// A cluster is down when fewer of its members are up than its Quorum, and
// degraded when some member is down or degraded but a quorum is up; what
// depends on a degraded CI is degraded, not down.
type RelType int8

// The relationship types.
const (
	RunsOn     RelType = iota + 1 // From runs on To: an application on a VM, a VM on a server
	DependsOn                     // From needs To: an application needs its database
	ConnectsTo                    // From reaches the network through To: a server through a switch
	Contains                      // From holds To: a site its rooms, a rack its servers; never in a cycle
	Provides                      // From delivers To: an application delivers a service
	MemberOf                      // From is one of the redundant members of the cluster To
)

var relNames = itil.Names[RelType]{Field: "type", List: []string{"", "runs_on", "depends_on", "connects_to", "contains", "provides", "member_of"}}

// String returns the type's name ("runs_on"), or "type(N)".
func (t RelType) String() string { return relNames.String(t) }

// Valid reports whether t is one of the types.
func (t RelType) Valid() bool { return relNames.Valid(t) }

// ParseRelType returns the type named s, or a *itil.ValidationError naming
// "type".
func ParseRelType(s string) (RelType, error) { return relNames.Parse(s) }

// MarshalText returns the type's name; a value that is no type is a
// *itil.ValidationError.
func (t RelType) MarshalText() ([]byte, error) { return relNames.Marshal(t) }

// UnmarshalText decodes a type by name; any other text is a
// *itil.ValidationError naming "type", and leaves t as it was.
func (t *RelType) UnmarshalText(b []byte) error { return relNames.Unmarshal(t, b) }

// downstream reports whether an outage travels from the relationship's
// From CI to its To CI (contains, provides, member_of); otherwise it
// travels from To to From.
func (t RelType) downstream() bool { return t == Contains || t == Provides || t == MemberOf }

// Relation is one relationship as its From CI stores it: the type and the
// key of the To CI.
type Relation struct {
	Type RelType `json:"type"`
	To   string  `json:"to"`
}

// compareRelations orders relations by type, then target.
func compareRelations(a, b Relation) int {
	if c := cmp.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return cmp.Compare(a.To, b.To)
}

// sortRelations puts rs in the order a CI keeps them.
func sortRelations(rs []Relation) { slices.SortFunc(rs, compareRelations) }
