package memstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// Commit implements lifecycle.Store. It checks the batch and the text of
// every write, takes the write locks of the shards the batch touches, in
// shard order (so two commits never wait on each other in a circle),
// checks every version, then applies every write. The batch's changes are
// published to the log under one hold of its lock: they have consecutive
// Seqs, and a reader of the log sees all of them or none. The store keeps
// copies of the entities: the batch stays the caller's.
func (s *Store) Commit(ctx context.Context, b lifecycle.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	n := len(b.Writes)
	// A batch of a few writes keeps its working memory on the stack.
	var clonesBuf [4]lifecycle.Entity
	var attrsBuf [4][]lifecycle.Attr
	clones, attrs := clonesBuf[:0], attrsBuf[:0]
	if n > len(clonesBuf) {
		clones, attrs = make([]lifecycle.Entity, 0, n), make([][]lifecycle.Attr, 0, n)
	}
	var touched [shards]bool
	for i, w := range b.Writes {
		if err := lifecycle.CheckStorable(w.Entity, w.Change, ""); err != nil {
			return inWrite(err, i)
		}
		c := w.Entity.Clone()
		clones = append(clones, c)
		touched[shardOf(c.Base().ID)] = true
	}
	for _, rd := range b.Reads {
		touched[shardOf(rd.ID)] = true
	}
	for i := range s.shards {
		if touched[i] {
			s.shards[i].mu.Lock()
		}
	}
	defer func() {
		for i := range s.shards {
			if touched[i] {
				s.shards[i].mu.Unlock()
			}
		}
	}()
	if n > 0 {
		// The attributes of every write, in one list: the scratch of the
		// first write's shard, whose lock is held, as Update uses it.
		sh := s.shard(clones[0].Base().ID)
		all := sh.scratch[:0]
		for i, c := range clones {
			from := len(all)
			all = attrsOf(c, all)
			if err := lifecycle.CheckStorableAttrs(all[from:], ""); err != nil {
				return inWrite(err, i)
			}
			attrs = append(attrs, all[from:len(all):len(all)])
		}
		sh.scratch = all[:0]
	}
	if err := s.checkBatch(b, clones); err != nil {
		return err
	}
	var stagedBuf [4]staged
	changes := stagedBuf[:0]
	for i, w := range b.Writes {
		c := clones[i]
		r := c.Base()
		sh := s.shard(r.ID)
		en, ok := sh.m[r.ID]
		if !ok {
			en = &entry{e: c}
			sh.m[r.ID] = en
			sh.index(r.ID, r.Kind, attrs[i])
		} else {
			sh.replace(en, c, attrs[i])
		}
		if w.Change != nil {
			changes = append(changes, staged{en: en, ch: w.Change, pos: s.encode(sh, w.Change)})
		}
	}
	if len(changes) > 0 {
		s.logMu.Lock()
		for _, st := range changes {
			st.ch.Seq = s.log.publish(st.pos)
		}
		s.wake()
		s.logMu.Unlock()
		for _, st := range changes {
			st.en.seqs = append(st.en.seqs, st.ch.Seq)
		}
	}
	return nil
}

// staged is a change of a commit encoded into its shard's chunk, to be
// published.
type staged struct {
	en  *entry
	ch  *lifecycle.Change
	pos uint64
}

// inWrite names the field of a *itil.ValidationError under the write of
// the batch it came from.
func inWrite(err error, i int) error {
	var verr *itil.ValidationError
	if errors.As(err, &verr) {
		return &itil.ValidationError{Field: "writes[" + strconv.Itoa(i) + "]." + verr.Field, Reason: verr.Reason}
	}
	return err
}

// checkBatch checks the versions b expects against the stored records,
// following the versions that earlier writes of the batch set. The locks
// of every shard b touches must be held.
func (s *Store) checkBatch(b lifecycle.Batch, clones []lifecycle.Entity) error {
	var after map[uuid.UUID]int64 // version after the batch's last write so far, for long batches
	if len(b.Writes) > 8 {
		after = make(map[uuid.UUID]int64, len(b.Writes))
	}
	for i, w := range b.Writes {
		r := w.Entity.Base()
		var stored int64
		seen := false
		if after != nil {
			stored, seen = after[r.ID]
		} else {
			for j := i - 1; j >= 0 && !seen; j-- {
				if c := clones[j].Base(); c.ID == r.ID {
					stored, seen = c.Version, true
				}
			}
		}
		if !seen {
			if en, ok := s.shard(r.ID).m[r.ID]; ok {
				stored = en.e.Base().Version
			}
		}
		switch {
		case w.Expect == 0 && stored != 0:
			return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrExists)
		case w.Expect != 0 && stored == 0:
			return fmt.Errorf("%s %s: %w", r.Kind, r.ID, lifecycle.ErrNotFound)
		case w.Expect != stored:
			return fmt.Errorf("%s %s: stored version %d, expected %d: %w", r.Kind, r.Number, stored, w.Expect, lifecycle.ErrConflict)
		}
		if after != nil {
			after[r.ID] = clones[i].Base().Version
		}
	}
	for _, rd := range b.Reads {
		var stored int64
		if en, ok := s.shard(rd.ID).m[rd.ID]; ok {
			stored = en.e.Base().Version
		}
		if stored != rd.Version {
			return &lifecycle.StaleReadError{ID: rd.ID, Read: rd.Version, Stored: stored}
		}
	}
	return nil
}

// ReadLog implements lifecycle.Outbox.
func (s *Store) ReadLog(ctx context.Context, after int64, limit int) ([]lifecycle.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	after = max(after, 0)
	s.logMu.Lock()
	end := min(after+int64(limit), s.log.len())
	raws := make([][]byte, 0, max(end-after, 0))
	for seq := after + 1; seq <= end; seq++ {
		raws = append(raws, s.log.raw(seq))
	}
	s.logMu.Unlock()
	out := make([]lifecycle.Change, len(raws))
	for i, raw := range raws {
		var err error
		if out[i], err = decodeAt(raw, after+1+int64(i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
