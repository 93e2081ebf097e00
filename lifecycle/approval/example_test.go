package approval_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// A change needs the CAB and the owner of the affected service; its
// requester sits on the CAB but may not approve her own change.
func Example() {
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	a, err := approval.New(approval.Request{
		Policy: approval.All(),
		Slots:  []approval.Slot{approval.Group(approval.GroupCAB), approval.Person("olivia")},
		Excluded: []approval.Exclusion{
			{Actor: "alice", Role: approval.RoleRequester},
			{Actor: "ivan", Role: approval.RoleImplementer},
		},
		At: now,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	alice := itil.Actor{ID: "alice", Groups: []string{approval.GroupCAB}}
	_, err = a.Decide(alice, approval.Approve, "", now.Add(time.Hour))
	fmt.Println(err)
	fmt.Println(errors.Is(err, approval.ErrSegregation))

	bob := itil.Actor{ID: "bob", Groups: []string{approval.GroupCAB}}
	d, _ := a.Decide(bob, approval.Approve, "backout plan tested", now.Add(2*time.Hour))
	fmt.Println(d)
	fmt.Println(a.Summary(), a.Pending())

	olivia := itil.Actor{ID: "olivia"}
	_, _ = a.Decide(olivia, approval.Approve, "", now.Add(3*time.Hour))
	fmt.Println(a.Summary(), a.DecidedAt.Format(time.Kitchen))
	// Output:
	// approval: alice may not decide as the requester (segregation of duties)
	// true
	// bob approved for group:cab: backout plan tested
	// 1/2 approved, all required [person:olivia]
	// 2/2 approved, all required (approved) 12:00PM
}

// A quorum of two among three approver groups; one rejection does not end
// the round, two do.
func ExampleQuorum() {
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	a, _ := approval.New(approval.Request{
		Policy: approval.Quorum(2),
		Slots:  []approval.Slot{approval.Group(approval.GroupCAB), approval.Group("security"), approval.Group("network")},
		At:     now,
	})
	_, _ = a.Decide(itil.Actor{ID: "sue", Groups: []string{"security"}}, approval.Reject, "no vulnerability scan", now)
	fmt.Println(a.Outcome(), "-", a.Summary())
	_, _ = a.Decide(itil.Actor{ID: "nina", Groups: []string{"network"}}, approval.Reject, "window too short", now)
	fmt.Println(a.Outcome(), "-", a.Summary())
	// Output:
	// pending - 0/3 approved, 1 rejected, quorum 2
	// rejected - 0/3 approved, 2 rejected, quorum 2 (rejected)
}

// When a change goes back to new, its pending round is cancelled.
func ExampleApproval_Cancel() {
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	a, _ := approval.New(approval.Request{Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupCAB)}, At: now})
	if err := a.Cancel("change went back to new", now.Add(time.Hour)); err != nil {
		fmt.Println(err)
	}
	_, err := a.Decide(itil.Actor{ID: "bob", Groups: []string{approval.GroupCAB}}, approval.Approve, "", now.Add(2*time.Hour))
	fmt.Println(a.Outcome(), errors.Is(err, approval.ErrClosed))
	// Output:
	// cancelled true
}

// A Matrix picks the rule from a change's risk; the service owner, who
// depends on the change, is added when the round is requested.
func ExampleMatrix() {
	m := approval.Matrix{
		"low":  {Policy: approval.Any(), Slots: []approval.Slot{approval.Group(approval.GroupChangeManagers)}},
		"high": {Policy: approval.All(), Slots: []approval.Slot{approval.Group(approval.GroupCAB), approval.Group(approval.GroupChangeManagers)}},
	}
	if err := m.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	rule, err := m.Rule("high")
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := approval.New(approval.Request{
		Policy:   rule.Policy,
		Slots:    append(rule.Slots, approval.Person("olivia")),
		Excluded: []approval.Exclusion{{Actor: "alice", Role: approval.RoleRequester}},
		At:       time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Summary(), a.Pending())

	_, err = m.Rule("extreme")
	fmt.Println(err)
	// Output:
	// 0/3 approved, all required [group:cab group:change-managers person:olivia]
	// invalid label: no approval rule for "extreme" (known: high, low)
}

// costBand is a process's own enumeration, such as a request's cost band.
type costBand int8

func (b costBand) String() string { return [...]string{"small", "large"}[b] }

// MatrixOf keys a matrix by a typed value, so that no caller writes the
// labels; RuleOf reads it back by the same value.
func ExampleMatrixOf() {
	const small, large costBand = 0, 1
	m := approval.MatrixOf(map[costBand]approval.Rule{
		small: {Policy: approval.Any(), Slots: []approval.Slot{approval.Group("managers")}},
		large: {Policy: approval.All(), Slots: []approval.Slot{approval.Group("managers"), approval.Group("finance")}},
	})
	rule, err := m.RuleOf(large)
	fmt.Println(rule.Slots, err, m.Validate())
	// Output:
	// [group:managers group:finance] <nil> <nil>
}
