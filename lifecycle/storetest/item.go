package storetest

import (
	"maps"
	"slices"

	"github.com/itil-go/itil/lifecycle"
)

// Item is the entity the suite stores. Besides the Record it embeds, it has
// one single-valued indexed attribute (Owner, as "owner"), one multi-valued
// indexed attribute (Tags, one "tag" per element), a map that is not indexed
// (Labels) and a Counter for the concurrency test. It round-trips through
// encoding/json, so stores that keep records as JSON can store it.
type Item struct {
	lifecycle.Record
	// Title is free text.
	Title string `json:"title"`
	// Owner is indexed as the attribute "owner" when it is not empty.
	Owner string `json:"owner,omitempty"`
	// Tags are indexed as the attribute "tag", once per tag.
	Tags []string `json:"tags,omitempty"`
	// Labels are not indexed.
	Labels map[string]string `json:"labels,omitempty"`
	// Counter is incremented by the concurrency test.
	Counter int `json:"counter"`
}

var _ lifecycle.Entity = (*Item)(nil)

// NewItem returns an empty *Item as a lifecycle.Entity: the zero func the
// suite passes to Store.Get and as Query.New.
func NewItem() lifecycle.Entity { return new(Item) }

// Clone returns a deep copy of the item.
func (it *Item) Clone() lifecycle.Entity {
	c := *it
	c.Record = it.CloneRecord()
	c.Tags = slices.Clone(it.Tags)
	c.Labels = maps.Clone(it.Labels)
	return &c
}

// Attrs appends "owner" (when set) and one "tag" per tag to dst.
func (it *Item) Attrs(dst []lifecycle.Attr) []lifecycle.Attr {
	if it.Owner != "" {
		dst = append(dst, lifecycle.Attr{Key: "owner", Value: it.Owner})
	}
	for _, tag := range it.Tags {
		dst = append(dst, lifecycle.Attr{Key: "tag", Value: tag})
	}
	return dst
}
