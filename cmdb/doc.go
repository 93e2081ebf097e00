// Package cmdb is configuration management: the one model of
// configuration items (CIs) and their relationships that the other
// processes of the library ask about through the small interfaces they own
// (change.Dependencies, incident.ServiceImpact and incident.Owners,
// event.Topology, event.ServiceHealth and event.Criticality,
// assign.Classifier; see "What the graph serves" below). The package
// imports none of the processes: its Graph has the methods their
// interfaces ask for, and the host hands it to each.
//
// A CI is a record of the lifecycle kernel, with an ID, a human number
// (CI0000001), a journal and a lifecycle (planned → live ⇄ maintenance →
// retired), named by a unique Key: the string the other packages use for
// a CI ("shop-db-1"). It has a Class, one of those of the Service
// Operation functions (facilities: site, room, rack, power, cooling;
// technical: server, network_device, storage, virtual_machine, cluster;
// application: application, database, queue; service: business_service,
// technical_service), attributes, a criticality and an owner group, by
// default the group of its class's function (facilities_management,
// technical_management, application_management, service_management).
//
//	reg, err := cmdb.NewRegistry(st, cmdb.Config{})
//	db, err := reg.Register(ctx, cmdb.RegisterParams{By: alice,
//		Item: cmdb.Item{Key: "shop-db", Class: cmdb.ClassDatabase, State: cmdb.StateLive}})
//	app, err := reg.Register(ctx, cmdb.RegisterParams{By: alice,
//		Item: cmdb.Item{Key: "shop-app", Class: cmdb.ClassApplication,
//			Relations: []cmdb.Relation{{Type: cmdb.DependsOn, To: "shop-db"}}}})
//	affected, err := reg.Graph().Impact(ctx, "shop-db")
//
// # Relationships
//
// Relationships are typed and directed (see RelType: runs_on, depends_on,
// connects_to, contains, provides, member_of) and stored with the CI they
// start from, in CI.Relations, so that a CI and its outgoing relationships
// are one record, written and journaled together. The rules that span
// records hold however many hosts share the store, because each is
// checked in the commit that writes (lifecycle.Atomic):
//
//   - a key is claimed by a lock record of its own (lifecycle.Tx.Lock),
//     whose holder is the CI: two CIs never share a key, and a key is
//     never reused;
//   - every write that adds or removes a relationship to a CI, retires it
//     or changes what its quorum counts takes that CI's key lock, so such
//     writes on one CI are serialised: no relationship leads to a retired
//     CI, and a live cluster keeps at least its quorum of members;
//   - a new contains is checked for a cycle by walking what its To
//     contains; every CI on the way is read through the Tx, which pins its
//     version, so two writes that would together close a cycle cannot
//     both commit.
//
// Retire removes the CI's own relationships and is refused while other
// CIs relate to it. A cluster carries a Quorum, and its members are
// member_of it; a planned cluster may have fewer members than its quorum,
// a live one may not.
//
// # Import
//
// Import loads a Document (ParseDocument reads its JSON form) of CIs and
// relationships in one commit, all or nothing.
//
// # Impact
//
// Registry.Graph is an in-memory map that follows the store's log (a
// lifecycle.Projection) and catches up before it answers. Impact says
// which business services are down or degraded while some CIs are down,
// transitively along the relationships in the direction RelType
// documents, and honouring redundancy: a cluster of three with a quorum of
// two stays up, degraded, while one member is down. DependsOn answers the
// reverse, Parents and Children the direct neighbours, Ancestors and
// Descendants everything upstream and downstream of a CI, Services and
// Health the business services an outage affects, Criticality the impact
// of a CI's outage, Classify and Owner what a CI is and who supports it,
// and Mermaid draws a service's map.
//
// # What the graph serves
//
// Each process asks the graph through an interface of its own, so that a
// host without a CMDB gives them another implementation, or none:
//
//   - package change, as Config.Topology: Parents and Children, and
//     Ancestors and Descendants, which make it a change.Dependencies.
//     Conflicts follow the whole chain (a change to a rack's power
//     conflicts with a change to an application on a server in the rack),
//     and Windows().Active covers every CI that depends on a CI in a
//     maintenance window (a change on a room's cooling covers the servers
//     in the room's racks). As Config.Services: Services (a
//     change.ServiceImpact: the business services a change puts at risk,
//     and the freezes that name them) and Criticality (a
//     change.Criticality: the risk's floor).
//   - package incident: Services as Config.Services (an
//     incident.ServiceImpact, recorded in Incident.Services), Owner as
//     Config.Owners (an incident.Owners: the group that supports the
//     incident's first CI, when no assignment rule chose one), Classify as
//     Config.Classifier.
//   - package problem: Classify as Config.Classifier.
//   - package event: Parents as Config.Topology (an event.Topology: an
//     alert joins the group of an ancestor that is down), Health as
//     Config.Services (an event.ServiceHealth: the alerts of business
//     services degraded or down), and, in Config.Incidents, Criticality
//     (an event.Criticality: the impact of the incidents it raises) and
//     Owner (an event.Owners).
//   - the assignment rules of package lifecycle/assign: Classify, an
//     assign.Classifier, tells the class and business services of a CI,
//     which the rules of incidents and problems match on.
//
// A host builds one registry over its store and hands its graph to each:
//
//	g := reg.Graph()
//	changes, err := change.NewManager(st, change.Config{Topology: g, Services: g})
//	desk, err := incident.NewDesk(st, incident.Config{Services: g, Owners: g,
//		Assignment: rules, Classifier: g})
//	problems, err := problem.NewManager(st, desk, problem.Config{Assignment: rules, Classifier: g})
//	engine, err := event.NewEngine(st, event.Config{Topology: g, Services: g,
//		ChangeWindows: changes.Windows(),
//		Incidents: event.IncidentConfig{Desk: desk, Criticality: g, Owners: g}})
//
// The graph follows the store's log, so that every host sharing the store
// answers with what any of them registered. CIs the processes name that
// the graph does not hold (an alert's node nobody registered) are no
// error: they have no relations, services, class or owner.
//
// # Errors
//
// Every error is in one of the kernel's classes (lifecycle.Class):
// *itil.ValidationError for bad input, naming the field; ErrDuplicateKey
// (conflict); *RuleError for a rule across CIs, matching ErrCycle,
// ErrRetired, ErrInUse or ErrQuorum (refused); lifecycle.ErrNotFound for a
// CI that is not stored; *lifecycle.TransitionError; lifecycle.ErrConflict.
// A command that fails has written nothing.
package cmdb
