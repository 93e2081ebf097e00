// Package sla measures service level targets (SLA, OLA) in business time:
// working hours per weekday in a time zone, less holidays.
//
// The package is pure: it keeps no store and reads no clock. A Calendar is
// configuration; a Clock, and the Set of a record's response and resolution
// clocks, are plain state that lives inside the record and round-trips
// through JSON with it, so a restarted host resumes every clock where it was.
// Every method takes the current time.
//
// # Calendars
//
// A Calendar answers three questions, each without walking the span:
// IsWorking(t), Elapsed(from, to) (business time between two instants) and
// Add(from, d) (the instant d of business time after from: a deadline).
//
//	berlin, _ := time.LoadLocation("Europe/Berlin")
//	cal, err := sla.NewCalendar(sla.CalendarConfig{
//		Zone: berlin,
//		Hours: sla.Weekdays(
//			sla.Interval{Start: 8 * time.Hour, End: 12 * time.Hour},
//			sla.Interval{Start: 13 * time.Hour, End: 17 * time.Hour}),
//		Holidays: []sla.Date{{Year: 2026, Month: time.December, Day: 25}},
//	})
//	due := cal.Add(opened, 8*time.Hour) // one working day later
//
// The zero CalendarConfig, the zero Calendar, a nil *Calendar and Always()
// are all 24x7 in UTC. Calendars decode from JSON with the zone's IANA name:
//
//	{"zone": "Europe/Berlin",
//	 "hours": {"monday": ["08:00-12:00", "13:00-17:00"], "tuesday": […], …},
//	 "holidays": ["2026-12-25", "2026-12-26"]}
//
// # Clocks
//
// A Clock measures one target: Start, Pause, Resume, Stop and Retarget move
// it, Elapsed, Remaining and Percent read it, and Check returns the warning
// (at 75% by default) and the breach once each, when they fall due. A
// priority change retargets the clock and keeps the time accrued.
//
// # Use in a process
//
// A process keeps a Set in its entity and one Policy (targets per priority,
// calendars) in its configuration; DefaultPolicy is a common setup. After
// every transition, and on every sweep, it calls Set.Apply with the record's
// facts and journals the crossings it returns:
//
//	type Incident struct {
//		lifecycle.Record
//		Priority itil.Priority `json:"priority"`
//		Assignee string        `json:"assignee,omitempty"`
//		SLA      sla.Set       `json:"sla"`
//	}
//
//	crossings, err := inc.SLA.Apply(policy, sla.Facts{
//		Priority:  inc.Priority,
//		Category:  inc.Category,
//		Responded: inc.Assignee != "",
//	}, now)
//	for _, c := range crossings {
//		// journal "sla_" + c.Kind.String() for clock c.Clock, due at c.At
//	}
//
// Set.Next tells when the record's next crossing is due, for a sweep that
// visits only the records it needs to.
//
// # Definitions
//
// Definitions are SLA and OLA targets as data, in the manner of ServiceNow's
// condition-based SLA definitions and GLPI's OLAs: a compiled, immutable
// set (NewDefinitions, or JSON) whose clocks a record keeps in a Timers,
// one Timer per definition that has applied to it. A Definition says
//
//   - which records it applies to (When: priorities, record categories,
//     business services, CI classes; an empty list is any);
//
//   - when its clock starts, pauses and stops (Conditions of state
//     categories, named states, and "responded" for a response target),
//     whether a stop is Final, and whether a late start counts from the
//     record's creation (Retroactive);
//
//   - its target, one for every priority or one per priority, each on a
//     calendar of the set;
//
//   - whether it is an SLA or an OLA: an OLA binds an assignment group and
//     runs only while the group holds the record; when the group hands it
//     on, the clock stops and its outcome (met, breached) is kept; when the
//     record comes back, it runs on against the same target;
//
//   - its thresholds (50%, 75%, …; the breach at 100% always), each
//     reported once per clock with its actions: notify someone, escalate or
//     reassign to a group, raise the priority. The process runs them.
//
//     {"calendars": {"business": {"zone": "Europe/Berlin", "hours": {…}}},
//     "definitions": [
//     {"name": "response", "stop": {"categories": ["resolved", "closed", "cancelled"], "responded": true},
//     "final": true, "targets": {"P1": {"within": "15m"}, "P2": {"within": "1h", "calendar": "business"}}},
//     {"name": "ola-network", "type": "ola", "group": "network",
//     "stop": {"categories": ["resolved", "closed", "cancelled"]}, "target": {"within": "2h"},
//     "thresholds": [{"percent": 50, "actions": [{"do": "notify", "to": "network-lead"}]},
//     {"percent": 100, "actions": [{"do": "escalate", "to": "network-2nd"}]}]}]}
//
// After every transition and on every sweep the process calls
// Timers.Apply with the record's Facts (now also its state's name, its
// creation, category, group, services and CI classes), runs the actions
// of the crossings it returns and journals them. Timers.Next says when the
// next threshold falls due, Timers.Stale whether the facts changed since
// the clocks last saw them. A Policy converts to definitions
// (Policy.Definitions) that measure what its Set does: "response" and
// "resolution", its warning share as a threshold, 100% as the breach.
//
// # Sweeps
//
// A crossing that falls due while nobody touches the record is raised by a
// sweep the host runs on a ticker. Sweeper is that sweep for any process:
// it finds the process's records that still need work, skips those with
// nothing due (Set.Next), and writes each crossing once, with
// compare-and-set, as a change named EventWarning or EventBreach, through
// the function the process's enter hook uses to apply its clocks (or as
// EventClocks, for a change that moves clocks and crosses nothing: an OLA
// handed on by an edit):
//
//	sw := sla.Sweeper[*Incident]{
//		Process: proc,
//		Clocks:  func(inc *Incident) *sla.Set { return &inc.SLA },
//		Apply:   func(inc *Incident, ed *lifecycle.Edit, now time.Time) ([]sla.Crossing, error) { … },
//	}
//	swept, err := sw.Sweep(ctx, now) // swept.Warnings, swept.Breaches
//
// TimersSweeper is the same sweep for records that keep Timers: its Due
// returns Timers.Next, or a time past when the record's facts are Stale,
// and it counts the actions of the crossings it journals.
//
// # Errors
//
// Every error of the package is a *itil.ValidationError that names the
// field (class itil.ErrInvalid), with its path: a calendar, policy,
// definition ("definitions[1].thresholds[0].percent"), clock or fact that
// is not fit, or a Sweeper missing what it needs.
package sla
