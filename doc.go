// Package itil holds the vocabulary that every process package of the library
// shares: how bad a disruption is (Impact), how soon it must be handled
// (Urgency), the Priority that follows from both through a PriorityMatrix, who
// acts (Actor), links between records of any process (Ref) and the
// ValidationError that names a bad field.
//
// The processes themselves live in their own packages: incident, problem,
// change, request and event, all running on the kernel in package lifecycle.
//
//	p, err := itil.DefaultMatrix().Priority(itil.ImpactHigh, itil.UrgencyMedium)
//	// p == itil.P2, err == nil
//
// Every value marshals to and from JSON by name ("high", "P1"); an unknown name
// is an error, never a silent zero.
package itil
