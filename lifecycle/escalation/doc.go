// Package escalation pages people in the manner of PagerDuty's escalation
// policies: a record that needs someone at once notifies the first level
// of a policy, and while nobody acknowledges it the next level after the
// first level's delay, and so on, the whole policy repeated a number of
// times. A level's targets are people, groups, or on-call schedules
// (package oncall), whose target is the person on call at the instant the
// page is due.
//
// The package is pure: it keeps no store and reads no clock. A Config is
// plain values; New validates it into a Policy, which is immutable, safe
// for concurrent use and round-trips through JSON. A State is the
// escalation of one record, plain state that lives inside the record, so
// that a restarted host resumes the escalation where it was.
//
//	p, err := escalation.New(escalation.Config{
//		Name: "p1-major",
//		Levels: []escalation.Level{
//			{Targets: []escalation.Target{{Schedule: "primary"}}, Delay: 15 * time.Minute},
//			{Targets: []escalation.Target{{Schedule: "secondary"}, {User: "mia"}}, Delay: 30 * time.Minute},
//		},
//		Repeats: 1, // once more from the first level, 30 minutes after the second
//	})
//	err = p.Check(escalation.Schedules{"primary": primary, "secondary": secondary})
//
//	var s escalation.State
//	_, err = s.Start(p, opened)                // the first page is due at once
//	pages, err := s.Pages(p, schedules, now)   // every page due by now, each once
//	_, err = s.Acknowledge("ann", later)       // no more pages
//	s.Stop("resolved", later)                  // nor after this
//
// State.Next tells when the next page is due, for a sweep that visits only
// the records it needs to. A page goes to the people on call at its due
// instant, not at the instant a late sweep sends it, so a night of pages
// follows the schedule's hand-offs and overrides.
//
// # Sweeps
//
// Sweeper sends the pages that fall due on a process's records, in the
// style of sla.Sweeper: it finds the records still active with a page
// due, and writes each page once, with compare-and-set, as a change named
// EventPage whose fields say the policy, level, round, instant and
// recipients (Page.Journal; PageOf reads them back). The change is the
// record's journal entry and the outbox's message: a lifecycle.Dispatcher
// delivers it to the notifiers subscribed to EventPage, which send the
// page by phone, text or chat.
//
//	sw := escalation.Sweeper[*Incident]{
//		Process:   proc,
//		State:     func(inc *Incident) *escalation.State { return &inc.Paging },
//		Policies:  map[string]*escalation.Policy{p.Name(): p},
//		Schedules: schedules,
//	}
//	swept, err := sw.Sweep(ctx, now) // swept.Pages, swept.Records
//
// Two hosts sweeping one store send each page once: the second write of a
// page fails its compare-and-set and is dropped. A host that stops between
// two levels and starts again sends the next level, not the first again.
//
// # JSON
//
//	{"name": "p1-major",
//	 "levels": [{"targets": [{"schedule": "primary"}], "delay": "15m"},
//	            {"targets": [{"schedule": "secondary"}, {"user": "mia"}, {"group": "network"}], "delay": "30m"}],
//	 "repeats": 1}
//
// # Errors
//
// Every error of the package is a *itil.ValidationError that names the
// field (class itil.ErrInvalid), such as "name", "levels",
// "levels[1].delay", "levels[0].targets[2]", "levels[0].targets[2].schedule"
// or "repeats". No input makes the package panic.
package escalation
