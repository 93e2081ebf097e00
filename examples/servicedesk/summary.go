package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
)

// summary prints the desk's measures at the end of the day.
func (d *day) summary(ctx context.Context) error {
	m, err := d.desk.Metrics(ctx, incident.Query{})
	if err != nil {
		return err
	}
	fmt.Fprintln(d.w)
	fmt.Fprintln(d.w, "End of the run")
	fmt.Fprintf(d.w, "  incidents            %d\n", m.Incidents)
	fmt.Fprintf(d.w, "  MTTA                 mean %s, median %s, p90 %s\n", minutes(m.MTTA.Mean), minutes(m.MTTA.Median), minutes(m.MTTA.P90))
	fmt.Fprintf(d.w, "  MTTR                 mean %s, median %s, p90 %s\n", minutes(m.MTTR.Mean), minutes(m.MTTR.Median), minutes(m.MTTR.P90))
	fmt.Fprintf(d.w, "  SLA attainment       response %s, resolution %s\n", pct(m.ResponseAttainment), pct(m.ResolutionAttainment))
	fmt.Fprintf(d.w, "  first-contact rate   %s, reopen rate %s\n", pct(m.FirstContactRate), pct(m.ReopenRate))
	prios := make([]itil.Priority, 0, len(m.BacklogByPriority))
	for p := range m.BacklogByPriority {
		prios = append(prios, p)
	}
	slices.Sort(prios)
	fmt.Fprintf(d.w, "  backlog              %d open", len(prios))
	for _, p := range prios {
		fmt.Fprintf(d.w, ", %s: %d", p, m.BacklogByPriority[p])
	}
	fmt.Fprintln(d.w)
	return nil
}

func minutes(d time.Duration) string { return d.Round(time.Minute).String() }

func pct(v float64) string {
	if v < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", v)
}
