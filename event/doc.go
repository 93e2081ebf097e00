// Package event is ITIL event management: it ingests events from
// monitoring, folds them into alerts, suppresses, correlates and detects
// flapping, watches heartbeats, and raises one incident per correlation
// group.
//
//	engine, err := event.NewEngine(st, event.Config{
//		Correlation: []event.CorrelationRule{{Name: "by-service", By: []string{"service"}}},
//		Incidents: event.IncidentConfig{Desk: desk,
//			Rules: []event.IncidentRule{{Name: "major", MinSeverity: event.SeverityMajor}}},
//	})
//	err = engine.Start(ctx) // takes over the open alerts st holds
//	disp, err := lifecycle.NewDispatcher(st, engine.Reactions(), lifecycle.DispatcherConfig{})
//	go disp.Run(ctx) // the incidents follow the alerts from the log
//	err = engine.Ingest(ctx, event.Event{Source: "nagios", Node: "web-1", Check: "http",
//		Severity: event.SeverityCritical, Message: "HTTP 503"})
//	a, err := engine.Acknowledge(ctx, event.AcknowledgeParams{Key: "nagios/web-1/http", By: alice, Note: "on it"})
//	for a, err := range engine.Find(ctx, event.Query{Open: true, Severities: []event.Severity{event.SeverityCritical}}) { … }
//	http.Handle("/hooks/alertmanager", event.AlertmanagerHandler(engine, event.HandlerConfig{Secret: token}))
//	go func() { for now := range time.Tick(10 * time.Second) { engine.Sweep(ctx, now) } }()
//
// # Alerts
//
// Events with the same dedup key (by default source/node/check) fold into
// one Alert: count, first and last seen, current and highest severity, the
// last HistoryLen severity changes, the last event with its raw payload. An
// alert follows Lifecycle() — open → acknowledged → closed, and suppressed —
// on the lifecycle kernel, as records of kind "alert" numbered ALR…. An ok
// event clears it (unless it flaps: see Flapping); so does Sweep after
// Config.ClearAfter without events. An event for the key of a cleared
// alert opens a new one.
//
// # What is persisted when
//
// Open alerts live in memory, in a map sharded by dedup key with a lock per
// shard and per alert, so that a duplicate event costs no store access: it
// updates the count, last seen, severity and flap state in place. The store
// (journal and notifications included) sees lifecycle-relevant changes only,
// each carrying the live counters:
//
//   - the alert opened (create);
//   - its severity changed while it was not flapping (edit "severity");
//   - it started or stopped flapping (edit "flapping");
//   - it was first suppressed, or no longer (events suppress, unsuppress);
//   - it was acknowledged (event acknowledge) or linked to an incident
//     (edit "incident", by the incident automation);
//   - it joined the group of an ancestor of its CI, which went down
//     within the group wait (edit "group");
//   - it cleared (event clear), with its final counters.
//
// Engine.Alert and Engine.Alerts return the live view; Engine.Get,
// GetByNumber, Journal and Find the persisted one.
//
// # Commands
//
// The engine's commands take the services' params (see lifecycle.Params):
// Acknowledge(ctx, AcknowledgeParams{ID or Key, Version, By, Note,
// Fields}) and Edit(ctx, Params), which journals a note and sets custom
// fields on an open or closed alert. A non-zero Version fails with
// lifecycle.ErrConflict when the alert changed since; zero acts on the
// alert as it is. Custom fields are declared with Config.Fields and set
// through those commands only: an Event carries none, since monitoring
// speaks in labels, which the alert keeps.
//
// There is no Fire: the engine, not its callers, owns an alert's life. It
// suppresses, unsuppresses, restores and clears alerts as windows,
// inhibitions, ok events and timeouts come and go, and keeps the dedup
// key's lock, the correlation group and the live state in step with each
// write; an event fired on the stored record past it would leave them
// behind.
//
// # Restarts
//
// NewEngine does no I/O. Start (or else the first Ingest, Acknowledge,
// Edit, Alert, Alerts, Flush or Sweep) takes over the open alerts (open,
// acknowledged, suppressed) that the store holds, so that a restarted host
// resumes them: an event for one folds into it, an ok event or the timeout
// clears it, and it keeps its state, acknowledgement, suppression,
// severity history, flapping flag, correlation group and incident. Closed
// alerts are never resumed. Groups are rebuilt from the group and incident
// each alert recorded, so that further alerts of a group link to the
// incident raised before the restart, and the group's last alert to clear
// resolves it. Open alerts mark their CIs down for Topology and count for
// the inhibition rules again; a heartbeat alert clears at its source's next
// event once the host registers the heartbeat again. Stats.Restored counts
// them. Of two open alerts with one dedup key (stored before engines kept
// locks), the one the key's lock names is resumed, else the newer, with a
// warning; Start writes the lock of such an alert, and of such a group's
// incident, so that engines sharing the store hold to them.
//
// What is not persisted is not resumed: counts, last seen and last event are
// those of the alert's last persisted change, so a host calls Flush before
// it stops, or the duplicates folded since are lost; the flap ring is
// rebuilt to the persisted FlapPercent, its changes the newest; groups whose
// alerts have all cleared are gone, so an alert of such a group after the
// restart raises a new incident rather than reopening the resolved one.
// Sweep's ClearAfter counts from Start at the earliest, since events that
// arrived while the host was down went unheard. Records that cannot be open
// alerts (no dedup key, no severity) are skipped with a warning.
//
// # Hosts sharing a store
//
// Engines on several hosts may share one store; the store, not an engine's
// memory, holds the rules that span them. Opening an alert takes the lock
// of its dedup key (a lifecycle.Lock) in the same commit: when the lock
// names an alert the store holds open, the event folds into that alert,
// which the engine takes into its memory instead of opening another, so
// that the store never holds two open alerts for one dedup key. An ok
// event or an acknowledgement for a key the engine does not hold looks at
// the lock before it is counted an orphan. Clearing an alert releases the
// lock in the same commit. Every write of an alert compares and sets on
// the version the engine holds: when another engine wrote it meanwhile,
// the engine takes in what it wrote (state, acknowledgement, incident) and
// writes again; when another engine closed it, the engine drops it from
// memory, writes nothing to it, and takes the event for one of a new alert.
//
// Duplicates stay on the in-memory fast path, so an engine learns that
// another closed an alert it holds only at its next write of the alert (a
// change of severity, flapping or suppression, an acknowledgement, Flush,
// the timeout): until then its duplicates fold into the closed alert in
// memory. Correlation groups and the ClearAfter timeout are each engine's
// own, as its events are. Hosts that want one engine per alert partition
// their events by correlation key (see the project's design notes).
//
// # Suppression
//
// An event is suppressed while a maintenance window matches it (one-off or
// weekly, on labels or CIs), while its CI is in an approved change's
// implementation window (ChangeWindows, which the change package provides),
// or while an inhibition rule's source alert is open. A suppressed event is
// recorded, never dropped: it folds into its alert like any other, the
// alert counts it and keeps the last one with the reason, the window counts
// it, and the alert's first suppression is journaled. Suppressed alerts
// raise no incidents.
//
// # Correlation and topology
//
// Correlation rules group alerts by label values or CI within a time
// window; an alert no rule groups has a group of its own. When an
// ancestor of an alert's CI is down — a parent Topology names, or a
// parent's parent, up to 16 levels and 256 CIs, nearest first — (it has an
// open alert at DownSeverity or above), the alert joins that ancestor's
// group instead and raises no incident of its own: a server's alert joins
// the alert of the cooling unit its room depends on, though its rack and
// room do not alarm. An alert of the child that came first, within the
// group wait (see Incidents), joins the ancestor's group when Sweep finds
// the ancestor down, journaled as edit "group". With package cmdb's Graph
// as Topology, Incidents.Criticality and Incidents.Owners, an incident's
// impact is that of the business services its CI's outage takes down, and
// its group that of the team owning the CI.
//
// # Flapping
//
// Flap detection is Nagios's: over the last 21 states (one per event), each
// change between consecutive states counts, weighted linearly from 0.75 for
// the oldest to 1.25 for the newest; the percent state change is the
// weighted sum over 20 × 100 (see FlapPercent). An alert starts flapping at
// FlapConfig.High (30%) and stops at FlapConfig.Low (20%) or below, the
// thresholds and the rule of Nagios's defaults. As in Nagios, a key's
// history runs through its recoveries: the ok event that clears an alert
// is a state of it, and the key's next alert, within FlapConfig.Memory,
// starts from that history, so that ok and critical alternating is seen
// flapping from its sixth change. While it flaps it raises no incident,
// and its record says so; it stays open through its ok events (its
// severity ok), so that one alert carries the flapping, until an ok event
// ends the flapping, which clears it, or Sweep finds it at ok without
// events for FlapConfig.Memory.
//
// # Heartbeats
//
// Engine.Heartbeat registers a source that promises an event every
// interval. Sweep, called by the host on a ticker, raises an alert (source
// "heartbeat") for a source that missed it; the source's next event clears
// it.
//
// # Business services
//
// With Config.Services (a ServiceHealth, such as package cmdb's Graph) and
// Topology, Sweep asks what the CIs down do to the business services: a
// service that runs without redundancy (a cluster below it lost members
// but keeps its quorum) gets an alert of source ServiceSource at warning,
// one that is down at major, and the alert clears when its CIs are up. The
// service depends on the CIs down, so its alert joins their group and the
// incident they raised rather than raising one of its own.
//
// # Incidents
//
// With IncidentConfig.Desk set (an *incident.Desk), the first alert of a
// group that an IncidentRule matches (without Rules, DefaultIncidentRule:
// every alert, as PagerDuty opens an incident for every event) opens one
// incident, its impact and urgency mapped from the group's highest
// severity and raised to the CI's criticality. Further alerts of the group
// are linked to it with a work note. When every alert
// of the group has cleared, the incident resolves itself (or only gets a
// note); a new alert of the group within IncidentConfig.ReopenWindow
// reopens it.
//
// As Alertmanager's group_wait holds a group's first notification, a new
// group waits IncidentConfig.GroupWait (30s) from its first alert before
// its incident opens: the alerts of one outage that arrive together make
// one incident with their highest priority, and the alerts of child CIs
// that came before their parent's join the parent's group. Sweep, on a
// ticker no slower than the wait, opens the incidents of the groups whose
// wait is over, from the alerts as stored, on any host and after a
// restart. A negative GroupWait opens the incident with the first alert.
// Alerts of a group whose incident is open, or resolved within the reopen
// window, never wait.
//
// This work follows the alerts from durable state, never from the caller:
// Engine.Reactions is a subscription for the host's lifecycle.Dispatcher
// that, for every change of an alert, reads the alert as stored and brings
// its group's incident in line, each step idempotent, and is retried until
// it succeeds, so that an alert persisted open that a rule matches ends
// with its incident even when the caller hangs up, the desk fails for a
// while or the host restarts in between. The group's incident is named by
// a lock per group: its ID is reserved there in one commit before the desk
// opens it with that ID (incident.Draft.ID), so that neither a retry nor
// another host opens a second one. Ingest attempts the same at once for
// the alerts it wrote, on a context of its own bounded by
// IncidentConfig.InlineTimeout, so that the reaction usually finds nothing
// left to do; its failures are logged, never returned by Ingest. A refusal
// of the desk's (a *itil.ValidationError, a transition it does not allow)
// is logged, and that alert's automation given up.
//
// # Adapters
//
// DecodeAlertmanager (webhook version 4), DecodePagerDuty (Events API v2),
// DecodeCloudEvents (1.0, structured JSON and batches) and
// DecodeCloudEventsHeaders (binary mode) turn payloads into events, with
// *itil.ValidationError naming the bad field in the payload's terms; a
// body that decoding would alter (not UTF-8, half a surrogate pair) is
// refused, never repaired, while text that is only too long is cut and
// marked, so that a sender's retry of the same group is not refused for
// ever. An Alertmanager group is a correlation group (Event.Group) and the
// incident says how many alerts its notification left out
// (Event.Truncated); a PagerDuty dedup key is one routing key's.
// AlertmanagerHandler, PagerDutyHandler (answering in PagerDuty's shape)
// and CloudEventsHandler serve them over HTTP with a size limit, a bearer
// secret or HMAC-SHA256 signature, and all-or-nothing ingestion (see
// HandlerConfig).
//
// # Errors
//
// Every error is in one class of the library's (see lifecycle.Class), to
// compare with errors.Is: *itil.ValidationError naming the field
// (itil.ErrInvalid); ErrNoAlert (lifecycle.ErrNotFound); lifecycle.ErrConflict
// for a stale Version; *lifecycle.TransitionError (lifecycle.ErrRefused) for
// an alert whose state does not allow the command. Anything else is the
// store's or the context's.
package event
