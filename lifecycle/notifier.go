package lifecycle

import "context"

// Notifier receives changes from a Dispatcher. Notify must be safe for
// concurrent use. A returned error makes the dispatcher retry the same
// change later; so a notifier may see a change more than once and should
// deduplicate on Change.ID where that matters.
type Notifier interface {
	Notify(ctx context.Context, ch Change) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, ch Change) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, ch Change) error { return f(ctx, ch) }
