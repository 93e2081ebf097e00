package itil_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/change"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/incident"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/problem"
	"github.com/itil-go/itil/request"
)

// readmeDiagrams are the lifecycles whose diagrams the README shows, by the
// name of their marker.
var readmeDiagrams = map[string]func() *lifecycle.Definition{
	"incident":         incident.DefaultLifecycle,
	"problem":          problem.DefaultLifecycle,
	"request":          request.DefaultLifecycle,
	"task":             request.TaskLifecycle,
	"grant":            request.GrantLifecycle,
	"change-normal":    change.NormalLifecycle,
	"change-standard":  change.StandardLifecycle,
	"change-emergency": change.EmergencyLifecycle,
	"alert":            event.Lifecycle,
}

// TestReadmeDiagrams keeps the README's Mermaid diagrams equal to what the
// code draws. Run with -update to rewrite them.
func TestReadmeDiagrams(t *testing.T) {
	data, err := os.ReadFile("README.md")
	require.NoError(t, err)
	readme := string(data)
	for name, def := range readmeDiagrams {
		block := "<!-- mermaid:" + name + " -->\n```mermaid\n" + def().Mermaid() + "```\n<!-- /mermaid:" + name + " -->"
		re := regexp.MustCompile(`(?s)<!-- mermaid:` + name + ` -->.*?<!-- /mermaid:` + name + ` -->`)
		require.True(t, re.MatchString(readme), "README.md lacks the markers for %s", name)
		if *update {
			readme = re.ReplaceAllLiteralString(readme, block)
			continue
		}
		assert.Contains(t, readme, block, "the %s diagram is stale: go test -run TestReadmeDiagrams -update .", name)
	}
	if *update {
		require.NoError(t, os.WriteFile("README.md", []byte(readme), 0o644))
	}
}
