package event

// HistoryLen is how many severity changes an alert keeps.
const HistoryLen = 21

// historyRing holds the last HistoryLen severity changes.
type historyRing struct {
	buf  [HistoryLen]SeverityChange
	next int
	n    int
}

func (h *historyRing) push(c SeverityChange) {
	h.buf[h.next] = c
	h.next = (h.next + 1) % HistoryLen
	if h.n < HistoryLen {
		h.n++
	}
}

// list returns the changes oldest first.
func (h *historyRing) list() []SeverityChange {
	if h.n == 0 {
		return nil
	}
	out := make([]SeverityChange, 0, h.n)
	start := (h.next - h.n + HistoryLen) % HistoryLen
	for i := range h.n {
		out = append(out, h.buf[(start+i)%HistoryLen])
	}
	return out
}
