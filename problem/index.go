package problem

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// wordIndex is the known error database's index: the words of every known
// error's title, description, root cause and workaround, its CIs and its
// category, each mapped to the problems that have it. It is safe for
// concurrent use.
type wordIndex struct {
	mu       sync.RWMutex
	versions map[uuid.UUID]int64 // of every problem put, known error or not
	entries  map[uuid.UUID]*indexEntry
	words    postings
	cis      postings
	cats     postings
}

// indexEntry is what the index knows of one known error.
type indexEntry struct {
	words    []string
	cis      []string
	category string
	closed   bool
}

// postings maps a term to the IDs of the problems that have it.
type postings map[string]map[uuid.UUID]struct{}

func (ps postings) add(term string, id uuid.UUID) {
	set := ps[term]
	if set == nil {
		set = make(map[uuid.UUID]struct{})
		ps[term] = set
	}
	set[id] = struct{}{}
}

func (ps postings) remove(term string, id uuid.UUID) {
	delete(ps[term], id)
	if len(ps[term]) == 0 {
		delete(ps, term)
	}
}

func newWordIndex() *wordIndex {
	return &wordIndex{
		versions: make(map[uuid.UUID]int64),
		entries:  make(map[uuid.UUID]*indexEntry),
		words:    make(postings),
		cis:      make(postings),
		cats:     make(postings),
	}
}

// seen reports whether the index holds the problem at version or later.
func (x *wordIndex) seen(id uuid.UUID, version int64) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.versions[id] >= version
}

// put brings the index up to date with p as saved. A version older than the
// one indexed is ignored.
func (x *wordIndex) put(p *Problem) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.versions[p.ID] >= p.Version {
		return
	}
	x.versions[p.ID] = p.Version
	if old := x.entries[p.ID]; old != nil {
		x.drop(p.ID, old)
	}
	if !p.KnownError {
		return
	}
	e := &indexEntry{
		words:    tokens(p.Title, p.Description, p.RootCause, p.Workaround),
		cis:      slices.Clone(p.CIs),
		category: p.Category,
		closed:   p.StateCategory.Terminal(),
	}
	x.entries[p.ID] = e
	for _, w := range e.words {
		x.words.add(w, p.ID)
	}
	for _, ci := range e.cis {
		x.cis.add(ci, p.ID)
	}
	if e.category != "" {
		x.cats.add(e.category, p.ID)
	}
}

func (x *wordIndex) drop(id uuid.UUID, e *indexEntry) {
	delete(x.entries, id)
	for _, w := range e.words {
		x.words.remove(w, id)
	}
	for _, ci := range e.cis {
		x.cis.remove(ci, id)
	}
	if e.category != "" {
		x.cats.remove(e.category, id)
	}
}

// candidate is a known error that shares something with a query: which of
// its words, which of its CIs, whether its category.
type candidate struct {
	id       uuid.UUID
	words    []string
	cis      []string
	category bool
	closed   bool
}

// candidates returns the known errors that have any of words, any of cis or
// category, in ID order.
func (x *wordIndex) candidates(words, cis []string, category string) []candidate {
	x.mu.RLock()
	defer x.mu.RUnlock()
	found := make(map[uuid.UUID]*candidate)
	get := func(id uuid.UUID) *candidate {
		c := found[id]
		if c == nil {
			c = &candidate{id: id, closed: x.entries[id].closed}
			found[id] = c
		}
		return c
	}
	for _, w := range words {
		for id := range x.words[w] {
			c := get(id)
			c.words = append(c.words, w)
		}
	}
	for _, ci := range cis {
		for id := range x.cis[ci] {
			c := get(id)
			c.cis = append(c.cis, ci)
		}
	}
	if category != "" {
		for id := range x.cats[category] {
			get(id).category = true
		}
	}
	out := make([]candidate, 0, len(found))
	for _, c := range found {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b candidate) int { return bytes.Compare(a.id[:], b.id[:]) })
	return out
}

// stopWords are too common to tell one symptom from another.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "but": true,
	"by": true, "can": true, "cannot": true, "do": true, "does": true, "for": true, "from": true,
	"has": true, "have": true, "in": true, "is": true, "it": true, "its": true, "no": true,
	"not": true, "of": true, "on": true, "or": true, "the": true, "this": true, "to": true,
	"was": true, "when": true, "with": true,
}

// tokens returns the distinct searchable words of texts, in order of first
// appearance: lower-cased runs of letters and digits of two characters or
// more, without stop words, with a plural "s" taken off so that "drops"
// finds "drop".
func tokens(texts ...string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, text := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if utf8.RuneCountInString(w) < 2 || stopWords[w] {
				continue
			}
			if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
				w = w[:len(w)-1]
			}
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
