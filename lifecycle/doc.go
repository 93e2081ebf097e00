// Package lifecycle is the kernel that every ITIL process of the library
// runs on: lifecycle definitions executed by looplab/fsm, the Record that
// every entity embeds, its journal, the Store and Notifier interfaces, and
// the dispatcher that delivers changes reliably.
//
// # Definitions
//
// A Definition is built once per process from States and Events and is
// validated then: one initial state, every state reachable, no event from an
// unknown state, no way out of a closed or cancelled state unless declared.
// Each state has a Category (open, paused, resolved, closed, cancelled), so
// that process code and SLA clocks reason about categories and a host can add
// its own states with Extend. States and events may require fields, checked
// on entry with a *itil.ValidationError naming the field. Guards run as
// looplab/fsm before-event callbacks and hooks as enter-state callbacks; the
// machines are built once per definition and pooled. A definition encodes to
// JSON and back (ParseDefinition validates it the same way) and draws itself
// as a Mermaid diagram.
//
// # Running a process
//
// A Process loads a record from a Store, asks the Authorizer, applies the
// action's edits, fires the event, journals a Change (who, when, event, from,
// to, note, changed fields) and saves with compare-and-set on Version, in
// one store write with the change. Conflicts are retried on a fresh copy.
//
//	def, _ := lifecycle.NewDefinition("ticket", states, events)
//	p, _ := lifecycle.NewProcess[Ticket](memstore.New(memstore.Config{}), def, lifecycle.ProcessConfig{})
//	t, _ := p.Create(ctx, &Ticket{Title: "printer jammed"}, alice, "")
//	t, err := p.Fire(ctx, t.ID, lifecycle.Action[*Ticket]{Event: "assign", Actor: alice})
//
// # Notifications
//
// The store's log is at once the journal and the outbox. A Dispatcher reads
// it through a cursor per subscription and delivers every change to its
// Notifier at least once, in order, with exponential backoff on failure;
// Change.ID lets receivers drop duplicates. A failing notifier never fails a
// transition. Package notify has an in-process bus, a signed webhook and a
// slog notifier.
//
// # Errors
//
// Compare with errors.Is and errors.As: ErrNotFound, ErrExists, ErrConflict,
// ErrForbidden, *TransitionError (matching ErrTransition) and
// *itil.ValidationError (matching itil.ErrInvalid).
package lifecycle
