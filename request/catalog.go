package request

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/itil-go/itil/lifecycle"
)

// Catalog is the service catalog: the items that can be ordered. It is
// in memory and safe for concurrent use; a host loads it at start (from
// JSON with ParseItem, say) and changes it with Add and Update. Items go in
// and come out as copies.
type Catalog struct {
	mu    sync.RWMutex
	items map[string]Item
}

// NewCatalog returns a catalog holding items, each checked as Add checks it.
func NewCatalog(items ...Item) (*Catalog, error) {
	c := &Catalog{items: make(map[string]Item, len(items))}
	for _, it := range items {
		if err := c.Add(it); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Add validates the item (see Item.Validate) and adds it. An item with the
// same ID is an error wrapping lifecycle.ErrExists.
func (c *Catalog) Add(it Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = make(map[string]Item)
	}
	if _, ok := c.items[it.ID]; ok {
		return fmt.Errorf("catalog item %s: %w", it.ID, lifecycle.ErrExists)
	}
	c.items[it.ID] = it.Clone()
	return nil
}

// Update validates the item and replaces the one with its ID, which must
// exist (else an error wrapping lifecycle.ErrNotFound). Requests already
// ordered keep the item as it was when they were ordered.
func (c *Catalog) Update(it Item) error {
	if err := it.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[it.ID]; !ok {
		return fmt.Errorf("catalog item %s: %w", it.ID, lifecycle.ErrNotFound)
	}
	c.items[it.ID] = it.Clone()
	return nil
}

// Get returns the item with the given ID, retired or not, or an error
// wrapping lifecycle.ErrNotFound.
func (c *Catalog) Get(id string) (Item, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[id]
	if !ok {
		return Item{}, fmt.Errorf("catalog item %s: %w", id, lifecycle.ErrNotFound)
	}
	return it.Clone(), nil
}

// Categories returns the categories of the items that can be ordered,
// sorted.
func (c *Catalog) Categories() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for _, it := range c.items {
		if !it.Retired && !slices.Contains(out, it.Category) {
			out = append(out, it.Category)
		}
	}
	slices.Sort(out)
	return out
}

// Browse yields the items of category that can be ordered, by name; an
// empty category yields every such item. The items are copied when Browse
// is called.
func (c *Catalog) Browse(category string) iter.Seq[Item] {
	c.mu.RLock()
	var out []Item
	for _, it := range c.items {
		if !it.Retired && (category == "" || it.Category == category) {
			out = append(out, it.Clone())
		}
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b Item) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return slices.Values(out)
}

// Search yields the items that can be ordered and match every word of
// query, best match first. A word matches an item when it starts a word of
// the item's name, category, keywords or description, ignoring case; a
// match in the name counts most, then the category and keywords, then the
// description. Ties go by name. An empty query yields nothing.
func (c *Catalog) Search(query string) iter.Seq[Item] {
	words := tokens(query)
	if len(words) == 0 {
		return func(func(Item) bool) {}
	}
	type hit struct {
		it    Item
		score int
	}
	var hits []hit
	c.mu.RLock()
	for _, it := range c.items {
		if it.Retired {
			continue
		}
		fields := [...]struct {
			words  []string
			weight int
		}{
			{tokens(it.Name), 4},
			{tokens(it.Category + " " + strings.Join(it.Keywords, " ")), 2},
			{tokens(it.Description), 1},
		}
		score := 0
		for _, w := range words {
			best := 0
			for _, f := range fields {
				if f.weight > best && slices.ContainsFunc(f.words, func(t string) bool { return strings.HasPrefix(t, w) }) {
					best = f.weight
				}
			}
			if best == 0 {
				score = 0
				break
			}
			score += best
		}
		if score > 0 {
			hits = append(hits, hit{it.Clone(), score})
		}
	}
	c.mu.RUnlock()
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.it.Name, b.it.Name), cmp.Compare(a.it.ID, b.it.ID))
	})
	return func(yield func(Item) bool) {
		for _, h := range hits {
			if !yield(h.it) {
				return
			}
		}
	}
}

// tokens splits s into lower-case words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
