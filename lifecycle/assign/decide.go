package assign

import (
	"context"
	"fmt"
	"slices"

	"github.com/itil-go/itil/lifecycle"
)

// Classifier says what a CI is, for the rules' CI class and service
// conditions: its class and the business services it serves. A CMDB
// implements it. Implementations must be safe for concurrent use.
type Classifier interface {
	Classify(ctx context.Context, ci string) (class string, services []string, err error)
}

// Describe adds to f the classes and services of cis, as c tells them; a
// nil c adds nothing.
func Describe(ctx context.Context, c Classifier, f *Facts, cis []string) error {
	if c == nil {
		return nil
	}
	for _, ci := range cis {
		class, services, err := c.Classify(ctx, ci)
		if err != nil {
			return fmt.Errorf("assign: classifying %s: %w", ci, err)
		}
		if class != "" && !slices.Contains(f.CIClasses, class) {
			f.CIClasses = append(f.CIClasses, class)
		}
		for _, s := range services {
			if !slices.Contains(f.Services, s) {
				f.Services = append(f.Services, s)
			}
		}
	}
	return nil
}

// Decision is what the rules decided for a record.
type Decision struct {
	// Rule names the rule that applied.
	Rule string
	// Group and Assignee are its choice; Assignee is "" when the rule
	// chooses the group only, or no member qualified.
	Group, Assignee string
}

// Note is the decision as a journal note: "assigned to network (bob) by
// rule vpn".
func (d Decision) Note() string {
	to := d.Group
	if d.Assignee != "" {
		to += " (" + d.Assignee + ")"
	}
	return "assigned to " + to + " by rule " + d.Rule
}

// Decide applies the first rule that f meets: its group, and the person
// its strategy chooses (see Choose), staged in tx. ok is false when no
// rule matches.
func (rs *Rules) Decide(ctx context.Context, tx *lifecycle.Tx, f Facts, load Load) (d Decision, ok bool, err error) {
	r, ok := rs.Match(f)
	if !ok {
		return Decision{}, false, nil
	}
	who, err := rs.Choose(ctx, tx, r, load)
	if err != nil {
		return Decision{}, false, err
	}
	return Decision{Rule: r.Name, Group: r.Group, Assignee: who}, true, nil
}
