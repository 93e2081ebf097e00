package event

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"time"

	"github.com/itil-go/itil"
)

// HeartbeatSource is the Source of the events the engine raises for missed
// heartbeats; their Node is the silent source and their dedup key
// "heartbeat/" and the source.
const HeartbeatSource = "heartbeat"

func heartbeatKey(source string) string { return HeartbeatSource + "/" + source }

type heartbeat struct {
	source string
	every  time.Duration
	last   atomic.Int64 // Unix nanoseconds of the last event
	missed atomic.Bool  // a heartbeat alert is open
}

// Heartbeat registers a source that promises an event at least every
// interval; any event from it counts. A source that stays silent longer
// raises an alert of its own on Sweep, which its next event clears.
// Registering a source again changes its interval. A source may be at most
// MaxKeyLen characters less the length of its alert's dedup key prefix
// ("heartbeat/").
func (e *Engine) Heartbeat(source string, every time.Duration) error {
	if source == "" {
		return invalid("source", "required")
	}
	// The source is the node of the heartbeat's alert, whose dedup key
	// holds it after a prefix: both must fit MaxKeyLen.
	if err := itil.CheckText("source", source, MaxKeyLen-len(heartbeatKey(""))); err != nil {
		return err
	}
	if every <= 0 {
		return invalid("every", "must be positive")
	}
	e.beatMu.Lock()
	defer e.beatMu.Unlock()
	next := map[string]*heartbeat{}
	if m := e.beats.Load(); m != nil {
		next = maps.Clone(*m)
	}
	hb := &heartbeat{source: source, every: every}
	if old := next[source]; old != nil {
		hb.last.Store(old.last.Load())
		hb.missed.Store(old.missed.Load())
	} else {
		hb.last.Store(e.cfg.Now().UnixNano())
		// A heartbeat alert still open, resumed after a restart or left
		// by StopHeartbeat, is the source's to clear (Start marks those it
		// resumes later).
		hb.missed.Store(e.lookup(heartbeatKey(source)) != nil)
	}
	next[source] = hb
	e.beats.Store(&next)
	return nil
}

// StopHeartbeat forgets a source's heartbeat and reports whether it had one.
// An open heartbeat alert stays until it clears.
func (e *Engine) StopHeartbeat(source string) bool {
	e.beatMu.Lock()
	defer e.beatMu.Unlock()
	m := e.beats.Load()
	if m == nil || (*m)[source] == nil {
		return false
	}
	next := maps.Clone(*m)
	delete(next, source)
	e.beats.Store(&next)
	return true
}

// beat notes an event from source and clears its heartbeat alert.
func (e *Engine) beat(ctx context.Context, m map[string]*heartbeat, source string, at time.Time) {
	hb := m[source]
	if hb == nil {
		return
	}
	if t := at.UnixNano(); t > hb.last.Load() {
		hb.last.Store(t)
	}
	if hb.missed.Load() && hb.missed.CompareAndSwap(true, false) {
		ev := Event{Source: HeartbeatSource, Node: source, Check: "heartbeat", Severity: SeverityOK,
			DedupKey: heartbeatKey(source), Message: "events from " + source + " again", ReceivedAt: at}
		if err := e.ingest(ctx, &ev, at, nil); err != nil {
			e.cfg.Logger.WarnContext(ctx, "clearing a heartbeat alert", "source", source, "error", err)
		}
	}
}

// SweepReport says what a Sweep did.
type SweepReport struct {
	// Heartbeats is how many missed heartbeats raised an alert.
	Heartbeats int
	// Cleared is how many alerts cleared after ClearAfter without events,
	// or at ok while flapping after FlapConfig.Memory without events.
	Cleared int
	// Joined is how many waiting alerts joined the group of their CI's
	// parent, which went down within their group's wait.
	Joined int
	// Linked is how many alerts were linked to their group's incident,
	// raised or joined, once the group's wait (IncidentConfig.GroupWait)
	// was over.
	Linked int
	// Services is how many business services' alerts were raised, moved
	// or cleared (see Config.Services).
	Services int
}

// Sweep raises alerts for heartbeats missed at now, clears alerts that
// had no event for Config.ClearAfter, and flapping alerts left at ok that
// had none for FlapConfig.Memory, counted from the engine's start at the
// earliest (events that arrived while the host was down went unheard),
// raises, moves and clears the alerts of business services that lost
// redundancy or went down (Config.Services), and raises the incidents of
// the groups whose wait (IncidentConfig.GroupWait) is over at now, from
// the alerts as stored.
// Call it on a ticker, with the time of the tick. Errors of the store are
// returned joined; the sweep goes on past them.
func (e *Engine) Sweep(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	if err := e.begin(ctx); err != nil {
		return rep, err
	}
	var errs []error
	if m := e.beats.Load(); m != nil {
		for _, hb := range *m {
			last := time.Unix(0, hb.last.Load())
			if now.Sub(last) <= hb.every || hb.missed.Load() || !hb.missed.CompareAndSwap(false, true) {
				continue
			}
			ev := Event{Source: HeartbeatSource, Node: hb.source, Check: "heartbeat", Severity: e.cfg.HeartbeatSeverity,
				DedupKey: heartbeatKey(hb.source), ReceivedAt: now,
				Message: fmt.Sprintf("no event from %s since %s (promised every %s)", hb.source, last.UTC().Format(time.RFC3339), hb.every),
				Labels:  map[string]string{"heartbeat": hb.source}}
			if err := e.ingest(ctx, &ev, now, nil); err != nil {
				hb.missed.Store(false)
				errs = append(errs, fmt.Errorf("heartbeat %s: %w", hb.source, err))
				continue
			}
			rep.Heartbeats++
		}
	}
	if !e.cfg.Flap.Disabled {
		e.forget(now)
	}
	if e.cfg.ClearAfter > 0 || !e.cfg.Flap.Disabled {
		for _, a := range e.all() {
			if err := ctx.Err(); err != nil {
				return rep, errors.Join(append(errs, err)...)
			}
			a.mu.Lock()
			since := a.lastSeen
			if since.Before(e.started) {
				since = e.started
			}
			var (
				cleared bool
				reason  string
			)
			switch {
			case a.gone:
			case e.cfg.ClearAfter > 0 && !a.heartbeat && now.Sub(since) >= e.cfg.ClearAfter:
				reason = fmt.Sprintf("no event for %s", e.cfg.ClearAfter)
			case e.settledAt(a, since, now):
				reason = fmt.Sprintf("at ok while flapping, and no event for %s", max(e.cfg.Flap.Memory, 0))
			}
			if reason != "" {
				err := e.clear(ctx, a, nil, now, reason)
				switch {
				case errors.Is(err, errGone):
					e.drop(a) // another engine closed it
				case err != nil:
					errs = append(errs, fmt.Errorf("alert %s: %w", a.rec.Number, err))
				default:
					rep.Cleared++
					cleared = e.wantsAutomation(a)
				}
			}
			id := a.rec.ID
			a.mu.Unlock()
			if cleared {
				e.automate(ctx, id, now)
			}
		}
	}
	var err error
	if rep.Services, err = e.sweepServices(ctx, now); err != nil {
		errs = append(errs, err)
	}
	if rep.Joined, rep.Linked, err = e.settleWaiting(ctx, now); err != nil {
		errs = append(errs, err)
	}
	e.expireGroups(now)
	return rep, errors.Join(errs...)
}
