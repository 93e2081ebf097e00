package lifecycle

import (
	"maps"
	"time"

	"github.com/google/uuid"
)

// Record is the part every process entity shares. Entities embed it:
//
//	type Incident struct {
//		lifecycle.Record
//		Title string
//		…
//	}
//
// The process runner owns these fields; hosts read them but change records
// only through their process's service.
type Record struct {
	// ID is a UUIDv7: unique and ordered by creation time.
	ID uuid.UUID `json:"id"`
	// Kind is the lifecycle name: "incident", "change", …
	Kind string `json:"kind"`
	// Number is the human number: a prefix and a sequence from the store
	// (INC0000001).
	Number string `json:"number"`
	// State is the current state's name.
	State string `json:"state"`
	// StateCategory is the current state's category. (Processes use
	// "category" for their own classification of records.)
	StateCategory Category `json:"state_category"`
	// Version counts saved changes; the store updates a record only when the
	// caller read the version it holds (compare-and-set).
	Version int64 `json:"version"`
	// CreatedAt and UpdatedAt are set by the runner from its clock.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Fields holds a host's custom fields, such as a vendor ticket number
	// that its "awaiting_vendor" state requires as "fields.vendor_ticket".
	Fields map[string]string `json:"fields,omitempty"`
}

// Base returns r itself. Embedding Record gives an entity this method, which
// is how the kernel reaches the shared fields.
func (r *Record) Base() *Record { return r }

// CloneRecord returns a deep copy of r. Entities' Clone methods copy
// themselves and take it:
//
//	c := *inc
//	c.Record = inc.CloneRecord()
//	c.CIs = slices.Clone(inc.CIs)
func (r *Record) CloneRecord() Record {
	c := *r
	c.Fields = maps.Clone(r.Fields)
	return c
}

// Ref returns a link to the record.
func (r *Record) Ref() Ref { return Ref{Kind: r.Kind, ID: r.ID, Number: r.Number} }

// Attr is one indexed attribute of a record: a key and one value. A key may
// occur several times (one "ci" attribute per configuration item).
type Attr struct {
	Key   string
	Value string
}

// AppendAttr appends an attribute key=v to dst for each non-empty v: the
// usual way to write Entity.Attrs.
//
//	dst = lifecycle.AppendAttr(dst, "group", inc.Group)
//	dst = lifecycle.AppendAttr(dst, "ci", inc.CIs...)
func AppendAttr(dst []Attr, key string, values ...string) []Attr {
	for _, v := range values {
		if v != "" {
			dst = append(dst, Attr{Key: key, Value: v})
		}
	}
	return dst
}

// AppendRefAttrs appends an attribute key=<ID> for each linked record.
func AppendRefAttrs(dst []Attr, key string, refs []Ref) []Attr {
	for _, r := range refs {
		dst = append(dst, Attr{Key: key, Value: r.ID.String()})
	}
	return dst
}

// Entity is a process record as a Store keeps it. Implementations embed
// Record (which provides Base).
type Entity interface {
	// Base returns the embedded Record.
	Base() *Record
	// Clone returns a deep copy that shares no mutable memory with the
	// receiver: stores hand out and keep clones.
	Clone() Entity
	// Attrs appends the entity's indexed attributes to dst and returns it.
	// The store indexes kind, state, category and number by itself.
	Attrs(dst []Attr) []Attr
}

// FieldChecker is implemented by entities whose fields states and events may
// require. FieldSet reports whether the named field holds a value and whether
// the entity knows the name at all.
type FieldChecker interface {
	FieldSet(name string) (set, known bool)
}
