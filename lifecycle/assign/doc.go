// Package assign is assignment rules as data: conditions on a record's
// category, the classes and services of its CIs, its priority and its
// channel choose an assignment group, and within the group a strategy
// chooses the person: round robin, the least loaded, or by skills. The
// processes apply them when a record is opened and when it is handed to a
// group with no one named, and journal the rule's name (see
// incident.Config.Assignment).
//
//	rules, err := assign.New(assign.Config{Rules: []assign.Rule{
//		{Name: "vpn", When: assign.When{Categories: []string{"vpn"}},
//			Group: "network", Strategy: assign.RoundRobin, Members: []string{"bob", "carol"}},
//		{Name: "rest", Group: "service-desk"},
//	}})
//	desk, err := incident.NewDesk(st, incident.Config{Assignment: rules})
//
// Rules are tried in order and the first whose conditions the record
// meets applies; an empty condition matches anything. A round-robin
// rotation lives in the store, as a lock record per rule whose version
// turns it in the commit that assigns, so that hosts sharing the store
// take the members in one order and no two records take one turn.
// Least-loaded and skills strategies ask the process for a person's open
// records and, for skills, the host's Directory for what they can do.
// New refuses a bad rule with a *itil.ValidationError naming its field.
package assign
