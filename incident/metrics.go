package incident

import (
	"context"
	"math"
	"time"

	"github.com/google/uuid"
	"golang.org/x/exp/stats"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/sla"
)

// Durations summarizes a set of durations.
type Durations struct {
	N      int
	Mean   time.Duration
	Median time.Duration
	P90    time.Duration
}

func summarize(ds []float64) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	q := stats.Quantiles(ds, 0.5, 0.9)
	// Round: interpolation in float64 may land a nanosecond short.
	return Durations{
		N:      len(ds),
		Mean:   time.Duration(math.Round(stats.Mean(ds))),
		Median: time.Duration(math.Round(q[0])),
		P90:    time.Duration(math.Round(q[1])),
	}
}

// Metrics are the service desk's measures over a set of incidents.
type Metrics struct {
	// Incidents is how many incidents the query matched.
	Incidents int
	// MTTA is the time from opening to the first response (assigned or in
	// progress); MTTR from opening to resolution. Wall-clock times.
	MTTA, MTTR Durations
	// ResponseAttainment and ResolutionAttainment are the shares, 0 to 100,
	// of incidents whose response or resolution clock finished without a
	// breach, among those whose clock finished; incidents cancelled before
	// a response, or without a resolution, do not count. -1 when none did.
	ResponseAttainment, ResolutionAttainment float64
	// Backlog counts the incidents that still need work, by priority and by
	// assignment group ("" for unassigned).
	BacklogByPriority map[itil.Priority]int
	BacklogByGroup    map[string]int
	// ReopenRate is the share of resolved incidents reopened at least once;
	// FirstContactRate the share resolved at first contact. 0 to 100, -1
	// when none was resolved.
	ReopenRate, FirstContactRate float64
}

// Metrics computes the desk's measures over the incidents that q selects.
func (d *Desk) Metrics(ctx context.Context, q Query) (Metrics, error) {
	m := Metrics{BacklogByPriority: map[itil.Priority]int{}, BacklogByGroup: map[string]int{}}
	var mtta, mttr []float64
	var respDone, respMet, resDone, resMet, resolved, reopened, first int
	q.After, q.Limit = uuid.Nil, 0
	for inc, err := range d.Find(ctx, q) {
		if err != nil {
			return Metrics{}, err
		}
		m.Incidents++
		if !inc.RespondedAt.IsZero() {
			mtta = append(mtta, float64(inc.RespondedAt.Sub(inc.CreatedAt)))
		}
		if inc.Open() {
			m.BacklogByPriority[inc.Priority]++
			m.BacklogByGroup[inc.Group]++
		}
		// An incident cancelled before anyone responded had no response
		// to measure: its clock stopped, but not because it was met.
		if r := inc.SLA.Response; r.Status == sla.Stopped && (inc.StateCategory != lifecycle.Cancelled || !inc.RespondedAt.IsZero()) {
			respDone++
			if r.BreachedAt.IsZero() {
				respMet++
			}
		}
		if inc.StateCategory == lifecycle.Resolved || (inc.StateCategory == lifecycle.Closed && !inc.ResolvedAt.IsZero()) {
			resolved++
			mttr = append(mttr, float64(inc.ResolvedAt.Sub(inc.CreatedAt)))
			resDone++
			if inc.SLA.Resolution.BreachedAt.IsZero() {
				resMet++
			}
			if inc.Reopens > 0 {
				reopened++
			}
			if inc.FirstContact {
				first++
			}
		}
	}
	m.MTTA, m.MTTR = summarize(mtta), summarize(mttr)
	m.ResponseAttainment = percent(respMet, respDone)
	m.ResolutionAttainment = percent(resMet, resDone)
	m.ReopenRate = percent(reopened, resolved)
	m.FirstContactRate = percent(first, resolved)
	return m, nil
}

func percent(n, of int) float64 {
	if of == 0 {
		return -1
	}
	return 100 * float64(n) / float64(of)
}
