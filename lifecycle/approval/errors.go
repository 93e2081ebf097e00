package approval

import (
	"errors"

	"github.com/itil-go/itil/lifecycle"
)

// Errors of Decide and Cancel. Compare with errors.Is: they come wrapped with
// the actor or slot concerned. ErrNotApprover and every *SegregationError
// also match lifecycle.ErrForbidden, so a host that maps refusals to "403
// Forbidden" needs no case for approvals.
var (
	// ErrNotApprover: the actor holds no slot of the round, neither in person
	// nor through a group.
	ErrNotApprover error = refusal("approval: not an approver")
	// ErrAlreadyDecided: the actor has decided in this round already, or
	// every slot the actor could fill has been decided by someone else.
	ErrAlreadyDecided = errors.New("approval: already decided")
	// ErrClosed: the round is no longer pending: approved, rejected or
	// cancelled.
	ErrClosed = errors.New("approval: no longer pending")
	// ErrSegregation is matched by every *SegregationError.
	ErrSegregation = errors.New("approval: segregation of duties")
)

// refusal is a sentinel for an actor refused, matching lifecycle.ErrForbidden.
type refusal string

func (r refusal) Error() string { return string(r) }

func (r refusal) Is(target error) bool { return target == lifecycle.ErrForbidden }

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
