package assign

import (
	"slices"

	"github.com/itil-go/itil"
)

// Strategy is how a rule chooses the person within its group.
type Strategy int8

// The strategies. The zero value, GroupOnly, chooses the group and no
// person: the group's queue takes the record.
const (
	GroupOnly Strategy = iota
	// RoundRobin takes the rule's members in turn, in their order, one
	// turn per record assigned, on every host sharing the store.
	RoundRobin
	// LeastLoaded takes the member who holds the fewest open records (the
	// host's Load says how many), the first in order on a tie.
	LeastLoaded
	// BySkills takes, among the members who have every skill of the rule
	// (the Directory says who has which), the least loaded.
	BySkills
)

var strategyNames = itil.Names[Strategy]{Field: "strategy",
	List: []string{"group_only", "round_robin", "least_loaded", "skills"}}

// Valid reports whether s is one of the strategies.
func (s Strategy) Valid() bool { return strategyNames.Valid(s) }

// String returns "group_only", "round_robin", "least_loaded" or "skills".
func (s Strategy) String() string { return strategyNames.String(s) }

// MarshalText encodes the strategy by name.
func (s Strategy) MarshalText() ([]byte, error) { return strategyNames.Marshal(s) }

// UnmarshalText decodes a strategy by name.
func (s *Strategy) UnmarshalText(b []byte) error { return strategyNames.Unmarshal(s, b) }

// When holds a rule's conditions. Each list that is not empty must hold
// the record's value (for CI classes and services: one of them); empty
// lists match anything, so a rule without conditions matches every record.
type When struct {
	Categories []string        `json:"categories,omitempty"`
	CIClasses  []string        `json:"ci_classes,omitempty"`
	Services   []string        `json:"services,omitempty"`
	Priorities []itil.Priority `json:"priorities,omitempty"`
	Channels   []string        `json:"channels,omitempty"`
}

// matches reports whether f meets every condition of w.
func (w *When) matches(f *Facts) bool {
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(have, func(h string) bool { return slices.Contains(want, h) })
	}
	return (len(w.Categories) == 0 || slices.Contains(w.Categories, f.Category)) &&
		anyOf(w.CIClasses, f.CIClasses) && anyOf(w.Services, f.Services) &&
		(len(w.Priorities) == 0 || slices.Contains(w.Priorities, f.Priority)) &&
		(len(w.Channels) == 0 || slices.Contains(w.Channels, f.Channel))
}

// Rule is an assignment rule, as data: the records it applies to, the
// group they go to, and how the person is chosen.
type Rule struct {
	// Name identifies the rule in journals; required and unique.
	Name string `json:"name"`
	// When says which records the rule applies to.
	When When `json:"when,omitzero"`
	// Group is the assignment group; required.
	Group string `json:"group"`
	// Strategy chooses the person; GroupOnly chooses none.
	Strategy Strategy `json:"strategy"`
	// Members are the people of the group the strategy chooses among, in
	// order; required by every strategy but GroupOnly.
	Members []string `json:"members,omitempty"`
	// Skills are what the person BySkills chooses must have, all of them;
	// required by BySkills.
	Skills []string `json:"skills,omitempty"`
}

// Facts are what the rules know of a record.
type Facts struct {
	Category string
	// CIClasses and Services are those of the record's CIs.
	CIClasses []string
	Services  []string
	Priority  itil.Priority
	Channel   string
}
