package change

import (
	"bytes"

	"github.com/google/uuid"
)

// intervalTree is an AVL tree of spans ordered by (start, ID), each node
// augmented with the greatest end in its subtree, so that the spans
// overlapping a query window are found in O(log n + k): a subtree whose
// greatest end is not after the query's start holds nothing that overlaps,
// and nothing right of a node that starts at or after the query's end does.
// It is not safe for concurrent use; the calendar guards it.
type intervalTree struct {
	root *node
	n    int
}

type node struct {
	s           *span
	left, right *node
	height      int8
	maxEnd      int64
}

// less orders spans by start, then ID, so that equal starts stay distinct.
func less(a, b *span) bool {
	if a.start != b.start {
		return a.start < b.start
	}
	return bytes.Compare(a.id[:], b.id[:]) < 0
}

func height(n *node) int8 {
	if n == nil {
		return 0
	}
	return n.height
}

// fix recomputes n's height and greatest end from its children.
func (n *node) fix() {
	n.height = max(height(n.left), height(n.right)) + 1
	n.maxEnd = n.s.end
	if n.left != nil && n.left.maxEnd > n.maxEnd {
		n.maxEnd = n.left.maxEnd
	}
	if n.right != nil && n.right.maxEnd > n.maxEnd {
		n.maxEnd = n.right.maxEnd
	}
}

func rotateRight(n *node) *node {
	l := n.left
	n.left = l.right
	l.right = n
	n.fix()
	l.fix()
	return l
}

func rotateLeft(n *node) *node {
	r := n.right
	n.right = r.left
	r.left = n
	n.fix()
	r.fix()
	return r
}

// balance restores the AVL property at n after one of its subtrees changed
// height by one.
func balance(n *node) *node {
	n.fix()
	switch bf := height(n.left) - height(n.right); {
	case bf > 1:
		if height(n.left.left) < height(n.left.right) {
			n.left = rotateLeft(n.left)
		}
		return rotateRight(n)
	case bf < -1:
		if height(n.right.right) < height(n.right.left) {
			n.right = rotateRight(n.right)
		}
		return rotateLeft(n)
	}
	return n
}

// insert adds s, which must not be in the tree.
func (t *intervalTree) insert(s *span) {
	t.root = insertNode(t.root, s)
	t.n++
}

func insertNode(n *node, s *span) *node {
	if n == nil {
		return &node{s: s, height: 1, maxEnd: s.end}
	}
	if less(s, n.s) {
		n.left = insertNode(n.left, s)
	} else {
		n.right = insertNode(n.right, s)
	}
	return balance(n)
}

// remove deletes s, found by its start and ID; it reports whether s was in
// the tree.
func (t *intervalTree) remove(s *span) bool {
	var found bool
	t.root, found = removeNode(t.root, s)
	if found {
		t.n--
	}
	return found
}

func removeNode(n *node, s *span) (*node, bool) {
	if n == nil {
		return nil, false
	}
	var found bool
	switch {
	case n.s.id == s.id && n.s.start == s.start:
		found = true
		if n.left == nil {
			return n.right, true
		}
		if n.right == nil {
			return n.left, true
		}
		// Replace n's span with its successor's and remove that from the
		// right subtree.
		succ := n.right
		for succ.left != nil {
			succ = succ.left
		}
		n.s = succ.s
		n.right, _ = removeNode(n.right, succ.s)
	case less(s, n.s):
		n.left, found = removeNode(n.left, s)
	default:
		n.right, found = removeNode(n.right, s)
	}
	if !found {
		return n, false
	}
	return balance(n), true
}

// overlapping calls fn, in start order, for each span that overlaps
// [lo, hi), until fn returns false.
func (t *intervalTree) overlapping(lo, hi int64, fn func(*span) bool) {
	overlapping(t.root, lo, hi, fn)
}

func overlapping(n *node, lo, hi int64, fn func(*span) bool) bool {
	if n == nil || n.maxEnd <= lo {
		return true
	}
	if !overlapping(n.left, lo, hi, fn) {
		return false
	}
	if n.s.start >= hi {
		return true // n and everything right of it start too late
	}
	if n.s.end > lo && !fn(n.s) {
		return false
	}
	return overlapping(n.right, lo, hi, fn)
}

// span is one change on the calendar, as the index keeps it: its window in
// Unix nanoseconds and what conflicts are judged by.
type span struct {
	id          uuid.UUID
	number      string
	start, end  int64
	cis         []string
	implementer string
	state       string
	typ         Type
	live        bool // approved, and scheduled or being implemented
}
