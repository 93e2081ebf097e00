package incident_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/incident"
)

// TestConcurrentWork has many people assign, comment on and note the same
// incident at once: version conflicts are retried, every call succeeds and
// the journal holds every one of them.
func TestConcurrentWork(t *testing.T) {
	t.Parallel()
	f := newFixture(t, incident.Config{})
	ctx := t.Context()
	inc := f.toState(t, incident.StateInProgress)
	n := len(journal(t, f.desk, inc.ID))

	const workers, rounds = 8, 25
	groups := []string{"network", "desktop", "servers"}
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*3)
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				_, err := f.desk.Assign(ctx, incident.AssignParams{ID: inc.ID, By: carol, Group: groups[(w+r)%len(groups)], Assignee: fmt.Sprintf("tech-%d-%d", w, r)})
				errs <- err
				_, err = f.desk.Comment(ctx, incident.Params{ID: inc.ID, By: alice, Note: fmt.Sprintf("comment %d/%d", w, r)})
				errs <- err
				_, err = f.desk.WorkNote(ctx, incident.Params{ID: inc.ID, By: bob, Note: fmt.Sprintf("note %d/%d", w, r)})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	counts := map[string]int{}
	texts := map[string]bool{}
	for _, c := range journal(t, f.desk, inc.ID)[n:] {
		counts[c.Event]++
		if c.Note != "" {
			texts[c.Note] = true
		}
	}
	assert.Equal(t, workers*rounds, counts["comment"])
	assert.Equal(t, workers*rounds, counts["work_note"])
	assert.Len(t, texts, 2*workers*rounds, "every note is there, once")
	assert.Equal(t, workers*rounds, counts["reassign"], "each assignment names a new assignee")
	got, err := f.desk.Get(ctx, inc.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(len(journal(t, f.desk, inc.ID))), got.Version, "one version per journal entry")
	assert.Equal(t, incident.StateInProgress, got.State)
}
