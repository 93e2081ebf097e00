package clocktest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/itil-go/itil/internal/clocktest"
)

func TestClock(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	c := clocktest.New(t0)
	assert.Equal(t, t0, c.Now())
	assert.Equal(t, t0.Add(time.Hour), c.Advance(time.Hour))
	assert.Equal(t, t0.Add(time.Hour), c.Now())
	c.Set(t0)
	assert.Equal(t, t0, c.Now())

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.Advance(time.Second) })
	}
	wg.Wait()
	assert.Equal(t, t0.Add(8*time.Second), c.Now())
}

func ExampleClock() {
	c := clocktest.New(time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC))
	c.Advance(90 * time.Minute)
	fmt.Println(c.Now().Format(time.Kitchen))
	// Output: 10:30AM
}
