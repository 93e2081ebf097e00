package event

import "time"

// Flap detection follows Nagios: the last FlapStates states of an alert (one
// per event), each change between consecutive states weighted linearly from
// 0.75 for the oldest to 1.25 for the newest (the curve of Nagios's flapping.c), summed and divided by the
// FlapStates-1 possible changes.

// FlapStates is how many states flap detection looks at.
const FlapStates = 21

const (
	flapLowWeight  = 0.75
	flapHighWeight = 1.25
)

// flapWeights[i] is the weight of the change between states i and i+1 of the
// window, oldest first.
var flapWeights = func() (w [FlapStates - 1]float64) {
	for i := range w {
		w[i] = flapLowWeight + float64(i)*(flapHighWeight-flapLowWeight)/float64(FlapStates-2)
	}
	return w
}()

// FlapPercent returns the weighted percent state change of states, oldest
// first, as Nagios computes it. Only the last FlapStates count; a shorter
// slice is padded at the old end with its first state, as Nagios fills a new
// history with the current state.
func FlapPercent(states []Severity) float64 {
	var w [FlapStates]Severity
	if len(states) == 0 {
		return 0
	}
	if len(states) > FlapStates {
		states = states[len(states)-FlapStates:]
	}
	pad := FlapStates - len(states)
	for i := range pad {
		w[i] = states[0]
	}
	copy(w[pad:], states)
	return flapPercent(&w, 0)
}

// flapPercent computes over the ring w whose oldest state is at start.
func flapPercent(w *[FlapStates]Severity, start int) float64 {
	var sum float64
	prev := w[start]
	for i := 1; i < FlapStates; i++ {
		j := start + i
		if j >= FlapStates {
			j -= FlapStates
		}
		if w[j] != prev {
			sum += flapWeights[i-1]
		}
		prev = w[j]
	}
	return sum * 100 / (FlapStates - 1)
}

// FlapConfig sets flap detection's thresholds, in percent. The zero value
// means the Nagios defaults.
type FlapConfig struct {
	// High starts flapping when the percent state change reaches it.
	// Default 30, as Nagios's high_service_flap_threshold.
	High float64
	// Low ends flapping when the percent falls to it or below, as Nagios
	// ends it. Default 20, as Nagios's low_service_flap_threshold.
	Low float64
	// Disabled turns flap detection off.
	Disabled bool
	// Memory is how long a dedup key's state history outlives its cleared
	// alert, so that an alert flapping through recoveries (ok, critical,
	// ok, …) is seen flapping, as Nagios keeps a service's history across
	// its recoveries: the ok event that clears an alert counts as a state,
	// and the key's next alert starts from that history, flapping if it
	// was. Once flapping, an alert stays open through its ok events (its
	// severity ok) until an ok event ends the flapping, which clears it,
	// or Sweep finds it at ok without events for Memory. Zero means one
	// hour; negative forgets the history when the alert clears, and
	// clears a flapping alert at ok at the next Sweep. The history of a
	// cleared alert is kept in the memory of the engine that cleared it,
	// and a restart forgets it.
	Memory time.Duration
}

// flapMemory is the state history of a dedup key whose alert cleared.
type flapMemory struct {
	ring     flapRing
	flapping bool
	at       time.Time // when the last state was pushed
}

// next returns whether an alert is flapping after a state that brought
// its percent state change to pct, when it was flapping before or not:
// it starts at High and stops at Low or below.
func (c *FlapConfig) next(was bool, pct float64) bool {
	if was {
		return pct > c.Low
	}
	return pct >= c.High
}

// flapsOn reports whether the flapping alert a stays flapping after an ok
// event, which then leaves it open; a.mu is held.
func (e *Engine) flapsOn(a *alert) bool {
	if e.cfg.Flap.Disabled || !a.flapping {
		return false
	}
	r := a.flap
	return e.cfg.Flap.next(true, r.push(SeverityOK))
}

// foldFlappingOK folds an ok event into the flapping alert a, which stays
// open and flapping, its severity ok, as Nagios keeps a flapping service's
// problem open through its recoveries: nothing is persisted, as for any
// severity change while flapping. The alert clears when an ok event ends
// its flapping, or when Sweep finds it at ok without events for
// FlapConfig.Memory. a.mu is held.
func (e *Engine) foldFlappingOK(sh *shard, a *alert, ev *Event, at time.Time) {
	a.count++
	if at.After(a.lastSeen) {
		a.lastSeen = at
	}
	if ev.Message != "" {
		a.message = ev.Message
	}
	a.last = *ev
	a.flap.push(SeverityOK)
	if prev := a.severity; prev != SeverityOK {
		a.hist.push(SeverityChange{At: at, From: prev, To: SeverityOK})
		a.setSeverity(SeverityOK)
		e.markDown(a)
		e.markSource(a)
	}
	sh.duplicates.Add(1)
}

// settledAt reports whether Sweep at now clears the live alert a: flapping
// at ok, with no event for FlapConfig.Memory (at the next Sweep when
// Memory is negative) since since. a.mu is held.
func (e *Engine) settledAt(a *alert, since, now time.Time) bool {
	return !e.cfg.Flap.Disabled && a.flapping && a.severity == SeverityOK && now.Sub(since) >= max(e.cfg.Flap.Memory, 0)
}

// remember keeps the history of a's key when a clears on an ok event,
// after pushing the ok into it; sh.mu must not be held, a.mu is.
func (e *Engine) remember(a *alert, at time.Time) {
	if e.cfg.Flap.Disabled || e.cfg.Flap.Memory < 0 {
		return
	}
	m := flapMemory{ring: a.flap, flapping: a.flapping, at: at}
	m.flapping = e.cfg.Flap.next(m.flapping, m.ring.push(SeverityOK))
	sh := a.shard
	sh.mu.Lock()
	if sh.recent == nil {
		sh.recent = map[string]flapMemory{}
	}
	sh.recent[a.key] = m
	sh.mu.Unlock()
}

// recall starts the flap history of the new alert a, from its first
// event's severity s, from the history its key left within Memory, if it
// left one; a.mu is held.
func (e *Engine) recall(a *alert, s Severity, at time.Time) {
	sh := a.shard
	sh.mu.Lock()
	m, ok := sh.recent[a.key]
	if ok {
		delete(sh.recent, a.key)
	}
	sh.mu.Unlock()
	if !ok || at.Sub(m.at) > e.cfg.Flap.Memory {
		return
	}
	a.flap = m.ring
	a.setFlapping(e.cfg.Flap.next(m.flapping, a.flap.push(s)))
}

// recallOK pushes an ok event for a key without an open alert into the
// history its cleared alert left, if it left one, as Nagios records every
// check.
func (e *Engine) recallOK(sh *shard, key string, at time.Time) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	m, ok := sh.recent[key]
	switch {
	case !ok:
	case at.Sub(m.at) > e.cfg.Flap.Memory:
		delete(sh.recent, key)
	default:
		m.flapping = e.cfg.Flap.next(m.flapping, m.ring.push(SeverityOK))
		m.at = at
		sh.recent[key] = m
	}
}

// forget drops the histories older than Memory at now.
func (e *Engine) forget(now time.Time) {
	for i := range e.shards {
		sh := &e.shards[i]
		sh.mu.Lock()
		for k, m := range sh.recent {
			if now.Sub(m.at) > e.cfg.Flap.Memory {
				delete(sh.recent, k)
			}
		}
		sh.mu.Unlock()
	}
}

func (c *FlapConfig) defaults() error {
	if c.High == 0 {
		c.High = 30
	}
	if c.Low == 0 {
		c.Low = 20
	}
	if c.Memory == 0 {
		c.Memory = time.Hour
	}
	// Written so that NaN, which compares false with everything, fails.
	switch {
	case !(c.High > 0 && c.High <= 100):
		return invalid("Flap.High", "must be above 0 and at most 100")
	case !(c.Low > 0 && c.Low <= c.High):
		return invalid("Flap.Low", "must be above 0 and at most Flap.High")
	}
	return nil
}

// flapRing is an alert's last FlapStates states. It keeps the number of
// changes inside the window so that a steady alert costs no summing.
type flapRing struct {
	w       [FlapStates]Severity
	next    int8 // index of the oldest state, where the next one goes
	changes int8
}

func (r *flapRing) init(s Severity) {
	for i := range r.w {
		r.w[i] = s
	}
}

// push adds a state and returns the percent state change.
func (r *flapRing) push(s Severity) float64 {
	oldest := r.next
	second := oldest + 1
	if second == FlapStates {
		second = 0
	}
	newest := oldest - 1
	if newest < 0 {
		newest = FlapStates - 1
	}
	if r.w[oldest] != r.w[second] {
		r.changes--
	}
	if r.w[newest] != s {
		r.changes++
	}
	r.w[oldest] = s
	r.next = second
	return r.percent()
}

// percent returns the percent state change of the states in the ring.
func (r *flapRing) percent() float64 {
	if r.changes == 0 {
		return 0
	}
	return flapPercent(&r.w, int(r.next))
}

// approximate refills the ring, whose states are not persisted, so that its
// percent state change comes as close to pct as it can without passing it:
// the newest state is cur, and the changes, to and from alt, are the newest
// ones, so that they age out as a steady alert's events arrive. Without an
// alt other than cur, or a positive pct, the ring holds cur alone.
func (r *flapRing) approximate(cur, alt Severity, pct float64) {
	r.init(cur)
	r.next, r.changes = 0, 0
	if alt == cur || !(pct > 0) {
		return
	}
	target := pct*(FlapStates-1)/100 + 1e-9
	var sum float64
	s := cur
	for i := FlapStates - 2; i >= 0; i-- { // the change between states i and i+1
		if sum+flapWeights[i] <= target {
			sum += flapWeights[i]
			r.changes++
			if s == cur {
				s = alt
			} else {
				s = cur
			}
		}
		r.w[i] = s
	}
}

// flapAlternate returns the severity a flapping alert at cur most recently
// changed from or to, per its persisted history (oldest first), or cur when
// the history names none.
func flapAlternate(cur Severity, hist []SeverityChange) Severity {
	for i := len(hist) - 1; i >= 0; i-- {
		for _, s := range [2]Severity{hist[i].From, hist[i].To} {
			if s != cur && s != SeverityOK && s.Valid() {
				return s
			}
		}
	}
	return cur
}
