package assign

import (
	"context"
	"fmt"
	"slices"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Limits on the text of rules.
const (
	// MaxName bounds names, groups, members, skills and condition values,
	// in characters.
	MaxName = 200
	// MaxMembers bounds a rule's members.
	MaxMembers = 1000
)

// Directory says which skills people have. Implementations must be safe
// for concurrent use.
type Directory interface {
	Skills(ctx context.Context, person string) ([]string, error)
}

// Load returns how many open records person holds, for LeastLoaded and
// BySkills: a process's count of its own open records assigned to them.
type Load func(ctx context.Context, person string) (int, error)

// Config configures Rules.
type Config struct {
	// Rules are tried in order; the first that matches a record applies.
	Rules []Rule
	// Directory is required when a rule chooses BySkills.
	Directory Directory
}

// Rules is a validated, ordered list of assignment rules. It is read-only
// once built and safe for concurrent use.
type Rules struct {
	rules []Rule
	dir   Directory
}

// New validates cfg and returns its rules. A bad rule is a
// *itil.ValidationError naming its field ("rules[1].members").
func New(cfg Config) (*Rules, error) {
	seen := map[string]bool{}
	for i := range cfg.Rules {
		r := &cfg.Rules[i]
		at := func(f string) string { return fmt.Sprintf("rules[%d].%s", i, f) }
		if err := checkName(at("name"), r.Name); err != nil {
			return nil, err
		}
		if seen[r.Name] {
			return nil, &itil.ValidationError{Field: at("name"), Reason: fmt.Sprintf("%q names another rule too", r.Name)}
		}
		seen[r.Name] = true
		if err := checkName(at("group"), r.Group); err != nil {
			return nil, err
		}
		if !r.Strategy.Valid() {
			return nil, &itil.ValidationError{Field: at("strategy"), Reason: "want " + strategyNames.Want()}
		}
		switch {
		case r.Strategy != GroupOnly && len(r.Members) == 0:
			return nil, &itil.ValidationError{Field: at("members"), Reason: "required by the " + r.Strategy.String() + " strategy"}
		case len(r.Members) > MaxMembers:
			return nil, &itil.ValidationError{Field: at("members"), Reason: fmt.Sprintf("more than %d", MaxMembers)}
		case r.Strategy == BySkills && len(r.Skills) == 0:
			return nil, &itil.ValidationError{Field: at("skills"), Reason: "required by the skills strategy"}
		case r.Strategy == BySkills && cfg.Directory == nil:
			return nil, &itil.ValidationError{Field: "directory", Reason: "required by rule " + r.Name + ", which chooses by skills"}
		}
		for _, l := range []struct {
			field string
			list  []string
		}{
			{"members", r.Members}, {"skills", r.Skills}, {"when.categories", r.When.Categories},
			{"when.ci_classes", r.When.CIClasses}, {"when.services", r.When.Services}, {"when.channels", r.When.Channels},
		} {
			for j, v := range l.list {
				if err := checkName(fmt.Sprintf("%s[%d]", at(l.field), j), v); err != nil {
					return nil, err
				}
			}
		}
		for j, m := range r.Members {
			if slices.Index(r.Members, m) != j {
				return nil, &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", at("members"), j), Reason: fmt.Sprintf("%q is listed twice", m)}
			}
		}
		for j, p := range r.When.Priorities {
			if !p.Valid() {
				return nil, &itil.ValidationError{Field: fmt.Sprintf("%s[%d]", at("when.priorities"), j), Reason: "not a priority"}
			}
		}
	}
	rules := slices.Clone(cfg.Rules)
	for i := range rules {
		r := &rules[i]
		r.Members, r.Skills = slices.Clone(r.Members), slices.Clone(r.Skills)
		r.When.Categories, r.When.CIClasses = slices.Clone(r.When.Categories), slices.Clone(r.When.CIClasses)
		r.When.Services, r.When.Channels = slices.Clone(r.When.Services), slices.Clone(r.When.Channels)
		r.When.Priorities = slices.Clone(r.When.Priorities)
	}
	return &Rules{rules: rules, dir: cfg.Directory}, nil
}

func checkName(field, s string) error {
	if s == "" {
		return &itil.ValidationError{Field: field, Reason: "required"}
	}
	return itil.CheckText(field, s, MaxName)
}

// Match returns the first rule that f meets.
func (rs *Rules) Match(f Facts) (Rule, bool) {
	for _, r := range rs.rules {
		if r.When.matches(&f) {
			return r, true
		}
	}
	return Rule{}, false
}

// ForGroup returns the first rule that assigns to group, whose strategy
// chooses the person when a record is handed to the group with no one
// named.
func (rs *Rules) ForGroup(group string) (Rule, bool) {
	for _, r := range rs.rules {
		if r.Group == group {
			return r, true
		}
	}
	return Rule{}, false
}

// Choose returns the person of r's group whom r's strategy picks, or ""
// for GroupOnly, staging in tx what the choice writes: RoundRobin takes the
// lock of the rule's rotation (lifecycle.Tx.Lock), whose version turns it,
// so that hosts sharing the store take the members in one order and two
// commits never take the same turn. load is required by LeastLoaded and
// BySkills. A BySkills rule whose members all lack a skill chooses no one.
func (rs *Rules) Choose(ctx context.Context, tx *lifecycle.Tx, r Rule, load Load) (string, error) {
	switch r.Strategy {
	case GroupOnly:
		return "", nil
	case RoundRobin:
		if tx == nil {
			return "", &itil.ValidationError{Field: "tx", Reason: "required by the round_robin strategy"}
		}
		l, err := tx.Lock(ctx, rotationKey(r.Name))
		if err != nil {
			return "", err
		}
		// The lock's version is 1 at its first use, and one more at each.
		return r.Members[int((l.Version-1)%int64(len(r.Members)))], nil
	case LeastLoaded:
		return leastLoaded(ctx, r.Members, load)
	case BySkills:
		var able []string
		for _, m := range r.Members {
			has, err := rs.dir.Skills(ctx, m)
			if err != nil {
				return "", fmt.Errorf("assign: the skills of %s: %w", m, err)
			}
			if !slices.ContainsFunc(r.Skills, func(s string) bool { return !slices.Contains(has, s) }) {
				able = append(able, m)
			}
		}
		if len(able) == 0 {
			return "", nil
		}
		return leastLoaded(ctx, able, load)
	}
	return "", &itil.ValidationError{Field: "strategy", Reason: "want " + strategyNames.Want()}
}

// rotationKey is the lock key of a round-robin rule's rotation.
func rotationKey(rule string) string { return "assign.round_robin/" + rule }

// leastLoaded returns the person of people who holds the fewest open
// records, the first on a tie.
func leastLoaded(ctx context.Context, people []string, load Load) (string, error) {
	if load == nil {
		return "", &itil.ValidationError{Field: "load", Reason: "required by the least_loaded and skills strategies"}
	}
	best, least := "", 0
	for _, p := range people {
		n, err := load(ctx, p)
		if err != nil {
			return "", fmt.Errorf("assign: the load of %s: %w", p, err)
		}
		if best == "" || n < least {
			best, least = p, n
		}
	}
	return best, nil
}
