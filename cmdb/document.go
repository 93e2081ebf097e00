package cmdb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Limits of a document Import takes.
const (
	// MaxImportCIs caps the CIs of one document.
	MaxImportCIs = 10000
	// MaxImportRelations caps the relationships of one document, those of
	// its CIs included.
	MaxImportRelations = 50000
	// MaxDocument caps the size of the JSON ParseDocument reads, in bytes.
	MaxDocument = 64 << 20
)

// Document is what Import loads, all or nothing: CIs to create and
// relationships to add, between them or to CIs already stored. Its JSON
// form:
//
//	{
//	  "cis": [
//	    {"key": "dc1", "class": "site"},
//	    {"key": "web", "class": "cluster", "quorum": 2, "state": "live"},
//	    {"key": "web-1", "class": "server", "owner_group": "unix", "criticality": "high",
//	     "attributes": {"serial": "X1"}, "state": "live",
//	     "relations": [{"type": "member_of", "to": "web"}]}
//	  ],
//	  "relations": [
//	    {"from": "dc1", "type": "contains", "to": "web-1"}
//	  ]
//	}
//
// A CI's "key" and "class" (a Class name) are required; "owner_group",
// "criticality" ("high", "medium", "low"), "attributes", "quorum" (for a
// cluster: required), "state" ("planned", the default, "live" or
// "maintenance") and "relations" (from the CI) are optional. A
// relationship names "from", "type" (a RelType name) and "to" by key.
// Unknown members are refused.
type Document struct {
	CIs       []Item
	Relations []Link
}

// Link is a relationship of a Document: "From Type To", by keys.
type Link struct {
	From string
	Type RelType
	To   string
}

// documentJSON is the JSON form of a Document, with the enumerations as
// text so that a bad one is named by its path.
type documentJSON struct {
	CIs []struct {
		Key         string            `json:"key"`
		Class       string            `json:"class"`
		OwnerGroup  string            `json:"owner_group"`
		Criticality string            `json:"criticality"`
		Quorum      int               `json:"quorum"`
		State       string            `json:"state"`
		Attributes  map[string]string `json:"attributes"`
		Relations   []struct {
			Type string `json:"type"`
			To   string `json:"to"`
		} `json:"relations"`
	} `json:"cis"`
	Relations []struct {
		From string `json:"from"`
		Type string `json:"type"`
		To   string `json:"to"`
	} `json:"relations"`
}

// ParseDocument decodes a Document from JSON. Every error is a
// *itil.ValidationError naming what is wrong: "document" for JSON that is
// malformed, too large or holds unknown members, else the path
// ("cis[2].class", "relations[0].type"). It checks the form only; Import
// checks the rest.
func ParseDocument(data []byte) (*Document, error) {
	if len(data) > MaxDocument {
		return nil, invalidf("document", "larger than %d bytes", MaxDocument)
	}
	if err := itil.CheckJSONText("document", data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw documentJSON
	if err := dec.Decode(&raw); err != nil {
		return nil, invalid("document", jsonReason(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, invalid("document", "more than one JSON value")
	}
	if len(raw.CIs) > MaxImportCIs {
		return nil, invalidf("cis", "more than %d CIs (%d)", MaxImportCIs, len(raw.CIs))
	}
	if len(raw.Relations) > MaxImportRelations {
		return nil, invalidf("relations", "more than %d relationships (%d)", MaxImportRelations, len(raw.Relations))
	}
	doc := &Document{CIs: make([]Item, len(raw.CIs)), Relations: make([]Link, len(raw.Relations))}
	for i, c := range raw.CIs {
		f := fmt.Sprintf("cis[%d]", i)
		cl, err := classNames.ParseAt(f+".class", c.Class)
		if err != nil {
			return nil, err
		}
		it := Item{Key: c.Key, Class: cl, OwnerGroup: c.OwnerGroup, Quorum: c.Quorum, State: c.State, Attributes: c.Attributes}
		if c.Criticality != "" {
			imp, err := itil.ParseImpact(c.Criticality)
			if err != nil {
				return nil, invalidf(f+".criticality", "unknown impact %q (want high, medium or low)", c.Criticality)
			}
			it.Criticality = imp
		}
		for j, r := range c.Relations {
			t, err := relNames.ParseAt(fmt.Sprintf("%s.relations[%d].type", f, j), r.Type)
			if err != nil {
				return nil, err
			}
			it.Relations = append(it.Relations, Relation{Type: t, To: r.To})
		}
		doc.CIs[i] = it
	}
	for j, r := range raw.Relations {
		t, err := relNames.ParseAt(fmt.Sprintf("relations[%d].type", j), r.Type)
		if err != nil {
			return nil, err
		}
		doc.Relations[j] = Link{From: r.From, Type: t, To: r.To}
	}
	return doc, nil
}

// jsonReason words a decoding error for a *itil.ValidationError.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "not a complete JSON document"
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s holds a JSON %s, want %s", typ.Field, typ.Value, typ.Type)
	}
	return err.Error()
}

// ImportParams loads a Document (Registry.Import).
type ImportParams struct {
	// By is who imports; required. Note is journaled on every CI written.
	By   itil.Actor
	Note string
	// Document holds the CIs and relationships.
	Document *Document
}

// Import creates the document's CIs, in the states they name, and adds
// its relationships, in one commit: all of them, or, on any error, none.
// The rules are those of Register and Relate, over the document and the
// store together; fields are named by their path in the document
// ("cis[3].relations[0].to", "relations[7].from"). It returns the CIs
// created, in the document's order, then the stored CIs that gained
// relationships.
func (r *Registry) Import(ctx context.Context, p ImportParams) ([]*CI, error) {
	if p.Document == nil {
		return nil, invalid("Document", "required")
	}
	d := p.Document
	if len(d.CIs) > MaxImportCIs {
		return nil, invalidf("cis", "more than %d CIs (%d)", MaxImportCIs, len(d.CIs))
	}
	total := len(d.Relations)
	for _, it := range d.CIs {
		total += len(it.Relations)
	}
	if total > MaxImportRelations {
		return nil, invalidf("relations", "more than %d relationships (%d)", MaxImportRelations, total)
	}
	items := make([]Item, len(d.CIs))
	fields := make([]string, len(d.CIs))
	for i, it := range d.CIs {
		items[i] = cloneItem(it)
		fields[i] = fmt.Sprintf("cis[%d]", i)
	}
	links := make([]link, len(d.Relations))
	for j, l := range d.Relations {
		links[j] = link{from: l.From, rel: Relation{Type: l.Type, To: l.To}, field: fmt.Sprintf("relations[%d]", j)}
	}
	pl, err := r.newPlan(p.By, p.Note, items, fields, links)
	if err != nil {
		return nil, err
	}
	var out []*CI
	err = r.atomic(ctx, func(tx *lifecycle.Tx) error {
		out, err = pl.run(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, c := range out {
		out[i] = c.Clone().(*CI)
	}
	return out, nil
}
