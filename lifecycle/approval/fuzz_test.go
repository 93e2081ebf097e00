package approval_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle/approval"
)

// FuzzApprovalJSON decodes arbitrary input as an Approval. Whatever decodes
// must be valid, encode again to the same bytes, and stay valid under every
// decision its approvers can make; whatever fails must leave the target
// untouched. Seeds are in testdata/fuzz/FuzzApprovalJSON.
func FuzzApprovalJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var a approval.Approval
		if err := json.Unmarshal(b, &a); err != nil {
			require.True(t, a.IsZero(), "a failed decode changed the target")
			return
		}
		if a.IsZero() {
			return // null
		}
		require.NoError(t, a.Validate())
		out, err := json.Marshal(a)
		require.NoError(t, err)
		var back approval.Approval
		require.NoError(t, json.Unmarshal(out, &back))
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))

		_ = a.Summary()
		_ = a.Pending()
		at := a.RequestedAt.Add(1)
		for _, s := range a.Slots {
			actor := itil.Actor{ID: s.Person, Groups: []string{s.Group}}
			if s.Group != "" {
				actor.ID = "member-of-" + s.Group
			}
			for _, v := range []approval.Verdict{approval.Reject, approval.Approve} {
				before := a.Clone()
				eligible := a.Eligible(actor)
				_, err := a.Decide(actor, v, "fuzz", at)
				require.Equal(t, eligible, err == nil, "Eligible disagrees with Decide: %v", err)
				if err != nil {
					require.Equal(t, before, a, "a refused decision changed the approval")
					continue
				}
				require.NoError(t, a.Validate())
				break
			}
		}
		before := a.Clone()
		if err := a.Cancel("fuzz", at); err != nil {
			require.Equal(t, before, a, "a refused cancel changed the approval")
		} else {
			require.NoError(t, a.Validate())
		}
	})
}
