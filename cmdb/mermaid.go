package cmdb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/itil-go/itil/lifecycle"
)

// Mermaid draws the map of a service, or of any CI: the CI of key and
// everything it depends on (DependsOn), with the relationships between
// them, as a Mermaid flowchart. Nodes are listed by key and edges by their
// From, type and To, so that the same map always draws the same text. A CI
// the graph does not hold is an error wrapping lifecycle.ErrNotFound.
func (g *Graph) Mermaid(ctx context.Context, key string) (string, error) {
	if err := g.catchUp(ctx); err != nil {
		return "", err
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	i := g.lookup(key)
	if i < 0 {
		return "", fmt.Errorf("cmdb: CI %q: %w", key, lifecycle.ErrNotFound)
	}
	var ids []int32
	for _, j := range append(g.upstream(i), i) {
		if g.nodes[j].known() {
			ids = append(ids, j)
		}
	}
	slices.SortFunc(ids, func(a, b int32) int { return strings.Compare(g.nodes[a].key, g.nodes[b].key) })
	name := make(map[int32]string, len(ids))
	var b strings.Builder
	b.WriteString("flowchart BT\n")
	for k, j := range ids {
		name[j] = fmt.Sprintf("n%d", k)
		n := &g.nodes[j]
		shape := `["%s<br/>%s"]`
		switch n.class.Function() {
		case Service:
			shape = `(["%s<br/>%s"])`
		case Facilities:
			shape = `[/"%s<br/>%s"/]`
		}
		fmt.Fprintf(&b, "  %s"+shape+"\n", name[j], mermaidText(n.key), n.class)
	}
	type line struct{ order, text string }
	var lines []line
	for _, j := range ids {
		for _, e := range g.nodes[j].out {
			to, ok := name[edgeNode(e)]
			if !ok {
				continue
			}
			lines = append(lines, line{g.nodes[j].key + "\x00" + edgeType(e).String() + "\x00" + g.nodes[edgeNode(e)].key,
				fmt.Sprintf("  %s -->|%s| %s\n", name[j], edgeType(e), to)})
		}
	}
	slices.SortFunc(lines, func(a, b line) int { return strings.Compare(a.order, b.order) })
	for _, l := range lines {
		b.WriteString(l.text)
	}
	return b.String(), nil
}

// mermaidText escapes what a Mermaid label cannot hold as it is.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ", "\r", " ")
	return r.Replace(s)
}
