package cmdb

import "github.com/itil-go/itil/lifecycle"

// The states of a CI's lifecycle.
const (
	StatePlanned     = "planned"     // ordered, being built: a cluster need not have its quorum yet
	StateLive        = "live"        // in service
	StateMaintenance = "maintenance" // out of service for planned work, coming back
	StateRetired     = "retired"     // out of service for good, with no relationships
)

// The events of a CI's lifecycle.
const (
	EventGoLive           = "go_live"
	EventStartMaintenance = "start_maintenance"
	EventEndMaintenance   = "end_maintenance"
	EventRetire           = "retire"
)

// EventRelate and EventUnrelate are the journal's names for the edits that
// add and remove a relationship; EventEdit for other edits.
const (
	EventRelate   = "relate"
	EventUnrelate = "unrelate"
	EventEdit     = "edit"
)

// Lifecycle returns the lifecycle of CIs:
//
//	planned → live (go_live)
//	live → maintenance (start_maintenance)
//	maintenance → live (end_maintenance)
//	planned, live, maintenance → retired (retire)
//
// Planned is of category open, live open, maintenance paused and retired
// closed, for good.
func Lifecycle() *lifecycle.Definition {
	d, err := lifecycle.NewDefinition(Kind, []lifecycle.State{
		{Name: StatePlanned, Category: lifecycle.Open, Initial: true, Requires: []string{"key", "class", "owner_group"}},
		{Name: StateLive, Category: lifecycle.Open},
		{Name: StateMaintenance, Category: lifecycle.Paused},
		{Name: StateRetired, Category: lifecycle.Closed},
	}, []lifecycle.Event{
		{Name: EventGoLive, From: []string{StatePlanned}, To: StateLive},
		{Name: EventStartMaintenance, From: []string{StateLive}, To: StateMaintenance},
		{Name: EventEndMaintenance, From: []string{StateMaintenance}, To: StateLive},
		{Name: EventRetire, From: []string{StatePlanned, StateLive, StateMaintenance}, To: StateRetired},
	})
	if err != nil { // the definition above is fixed and valid; tests build it
		panic(err)
	}
	return d
}
