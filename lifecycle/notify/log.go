package notify

import (
	"context"
	"log/slog"

	"github.com/itil-go/itil/lifecycle"
)

// Log is a lifecycle.Notifier that writes one structured record per change
// to a log/slog logger, with the attributes kind, number, event, from, to,
// actor, version, seq and change_id. It never fails. A Log is safe for
// concurrent use.
type Log struct {
	logger *slog.Logger
	level  slog.Level
}

var _ lifecycle.Notifier = (*Log)(nil)

// NewLog returns a Log writing to l at level. A nil l means slog.Default(),
// looked up at each change, so a later slog.SetDefault takes effect.
func NewLog(l *slog.Logger, level slog.Level) *Log {
	return &Log{logger: l, level: level}
}

// Notify writes the record "lifecycle change" for ch and returns nil.
func (g *Log) Notify(ctx context.Context, ch lifecycle.Change) error {
	l := g.logger
	if l == nil {
		l = slog.Default()
	}
	if !l.Enabled(ctx, g.level) {
		return nil
	}
	l.LogAttrs(ctx, g.level, "lifecycle change",
		slog.String("kind", ch.Kind),
		slog.String("number", ch.Number),
		slog.String("event", ch.Event),
		slog.String("from", ch.From),
		slog.String("to", ch.To),
		slog.String("actor", ch.Actor.ID),
		slog.Int64("version", ch.Version),
		slog.Int64("seq", ch.Seq),
		slog.String("change_id", ch.ID.String()),
	)
	return nil
}
