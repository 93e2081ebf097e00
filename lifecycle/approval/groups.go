package approval

// The approver groups that the library's default rules name: package
// change's approval matrix and emergency rule. A host makes an actor an
// approver for one by putting the group in the actor's itil.Actor.Groups,
// and may name its own groups in its own rules.
const (
	// GroupCAB is the change advisory board, which authorizes normal
	// changes of moderate and high risk.
	GroupCAB = "cab"
	// GroupChangeManagers are the change managers, who authorize low-risk
	// changes and, with the CAB, high-risk ones.
	GroupChangeManagers = "change-managers"
	// GroupECAB is the emergency change advisory board, which authorizes
	// emergency changes.
	GroupECAB = "ecab"
)
