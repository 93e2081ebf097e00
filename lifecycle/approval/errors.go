package approval

import "github.com/itil-go/itil/lifecycle"

// Errors of Decide and Cancel. Compare with errors.Is: they come wrapped with
// the actor or slot concerned. Each is in one class of the kernel's (see
// lifecycle.Class): ErrNotApprover, ErrSegregation and every
// *SegregationError match lifecycle.ErrForbidden, the actor may not decide;
// ErrAlreadyDecided and ErrClosed match lifecycle.ErrRefused, the round's
// current situation refuses the decision. A host that answers errors by
// class (lifecycle.HTTPStatus) needs no case for approvals.
var (
	// ErrNotApprover: the actor holds no slot of the round, neither in person
	// nor through a group. Class: lifecycle.ErrForbidden.
	ErrNotApprover = lifecycle.NewError(lifecycle.ErrForbidden, "approval: not an approver")
	// ErrAlreadyDecided: the actor has decided in this round already, or
	// every slot the actor could fill has been decided by someone else.
	// Class: lifecycle.ErrRefused.
	ErrAlreadyDecided = lifecycle.NewError(lifecycle.ErrRefused, "approval: already decided")
	// ErrClosed: the round is no longer pending: approved, rejected or
	// cancelled. Class: lifecycle.ErrRefused.
	ErrClosed = lifecycle.NewError(lifecycle.ErrRefused, "approval: no longer pending")
	// ErrSegregation is matched by every *SegregationError. Class:
	// lifecycle.ErrForbidden.
	ErrSegregation = lifecycle.NewError(lifecycle.ErrForbidden, "approval: segregation of duties")
)

// Role names for the usual exclusions; a host may use its own.
const (
	// RoleRequester is who asked for the change or request.
	RoleRequester = "requester"
	// RoleImplementer is who will carry the change out.
	RoleImplementer = "implementer"
)

// SegregationError refuses a decision by an excluded actor, such as the
// requester of a change, even one who belongs to an approver group. It
// matches ErrSegregation and lifecycle.ErrForbidden.
type SegregationError struct {
	// Actor is the refused actor's ID.
	Actor string
	// Role is why the actor is excluded: "requester", "implementer".
	Role string
}

// Error names the actor and the role.
func (e *SegregationError) Error() string {
	if e == nil {
		return ErrSegregation.Error()
	}
	return "approval: " + e.Actor + " may not decide as the " + e.Role + " (segregation of duties)"
}

// Is reports whether target is ErrSegregation or lifecycle.ErrForbidden.
func (e *SegregationError) Is(target error) bool {
	return target == ErrSegregation || target == lifecycle.ErrForbidden
}
