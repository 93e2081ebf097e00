package main

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
)

// TestWorldRunsReactions: the world's reactions follow the log while it
// runs (a parent resolved, its child resolved with it), and run ends
// without an error when its context does.
func TestWorldRunsReactions(t *testing.T) {
	w, err := newWorld(t.Context(), nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()

	dan := itil.Actor{ID: "dan", Groups: []string{"service-desk"}}
	open := func(title string) *incident.Incident {
		inc, err := w.incidents.Open(ctx, incident.Draft{Title: title, Caller: dan, Impact: itil.ImpactLow, Urgency: itil.UrgencyLow})
		require.NoError(t, err)
		return inc
	}
	parent, child := open("Mail down"), open("Cannot send mail")
	_, err = w.incidents.LinkParent(ctx, incident.ParentParams{ID: child.ID, By: dan, Parent: parent.ID})
	require.NoError(t, err)
	_, err = w.incidents.Resolve(ctx, incident.ResolveParams{ID: parent.ID, By: dan, Code: incident.DefaultResolutionCodes[0], Note: "restarted"})
	require.NoError(t, err)
	require.NoError(t, w.reactions.Drain(ctx), "the cascade subscription is delivered")

	got, err := w.incidents.Get(ctx, child.ID)
	require.NoError(t, err)
	assert.Equal(t, lifecycle.Resolved, got.StateCategory)

	cancel()
	assert.NoError(t, <-done)
}
