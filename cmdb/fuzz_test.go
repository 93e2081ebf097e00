package cmdb_test

import (
	"errors"
	"testing"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/cmdb"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
)

// FuzzParseDocument: any input either fails to parse with a
// *itil.ValidationError, or parses into a document that Import either
// loads whole or refuses with an error of a class, writing nothing.
// Seeds are in testdata/fuzz/FuzzParseDocument.
func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(shopDoc))
	f.Add([]byte(`{"cis": [{"key": "a", "class": "room", "relations": [{"type": "contains", "to": "a"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := cmdb.ParseDocument(data)
		if err != nil {
			var ve *itil.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("ParseDocument: %T %v is no *itil.ValidationError", err, err)
			}
			return
		}
		st := memstore.New(memstore.Config{})
		reg, err := cmdb.NewRegistry(st, cmdb.Config{})
		if err != nil {
			t.Fatal(err)
		}
		cis, err := reg.Import(t.Context(), cmdb.ImportParams{By: alice, Document: doc})
		chs, lerr := st.ReadLog(t.Context(), 0, 1)
		if lerr != nil {
			t.Fatal(lerr)
		}
		if err != nil {
			if lifecycle.Class(err) == nil {
				t.Fatalf("Import: %v is in no class", err)
			}
			if len(chs) > 0 {
				t.Fatalf("a refused import logged %v", chs[0])
			}
			return
		}
		if len(cis) < len(doc.CIs) {
			t.Fatalf("imported %d CIs of %d", len(cis), len(doc.CIs))
		}
		g := reg.Graph()
		n, err := g.Len(t.Context())
		if err != nil || n != len(doc.CIs) {
			t.Fatalf("the graph holds %d CIs of %d (%v)", n, len(doc.CIs), err)
		}
		for _, c := range cis {
			if _, err := g.Impact(t.Context(), c.Key); err != nil {
				t.Fatalf("impact of %s: %v", c.Key, err)
			}
		}
	})
}
