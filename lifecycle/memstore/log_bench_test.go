package memstore

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
)

// The log's binary codec is kept only while it beats the standard
// library's codecs on the same run by at least a fifth: run
//
//	go test -run '^$' -bench 'ChangeCodec|LongLog' -benchmem ./lifecycle/memstore
//
// and compare binary with json and gob.

// benchChange is a change as a service desk writes them: an assignment by
// a person in two groups, with a note and two changed fields.
func benchChange() lifecycle.Change {
	return lifecycle.Change{
		ID: uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a"), RecordID: uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8b"),
		Kind: "incident", Number: "INC0001042", Version: 3, Event: "assign", From: "new", To: "assigned",
		Actor: itil.Actor{ID: "dan", Name: "Dan Ortiz", Groups: []string{"service-desk", "network"}},
		At:    time.Date(2025, time.March, 3, 9, 41, 7, 123456789, time.UTC),
		Note:  "VPN gateway unreachable from site B",
		Fields: []lifecycle.FieldChange{
			{Field: "assignment_group", Old: "", New: "network"},
			{Field: "assignee", Old: "", New: "dan"},
		},
	}
}

// codecs are the ways to keep a change as bytes: the log's own and the
// standard library's. Each appends the encoding of c to b.
var codecs = []struct {
	name   string
	encode func(b []byte, c *lifecycle.Change) []byte
	decode func(b []byte) (lifecycle.Change, error)
}{
	{"binary", encodeChange, decodeChange},
	{"json", func(b []byte, c *lifecycle.Change) []byte {
		j, err := json.Marshal(c)
		if err != nil {
			panic(err)
		}
		return append(b, j...)
	}, func(b []byte) (lifecycle.Change, error) {
		var c lifecycle.Change
		err := json.Unmarshal(b, &c)
		return c, err
	}},
	{"gob", func(b []byte, c *lifecycle.Change) []byte {
		buf := bytes.NewBuffer(b)
		if err := gob.NewEncoder(buf).Encode(c); err != nil {
			panic(err)
		}
		return buf.Bytes()
	}, func(b []byte) (lifecycle.Change, error) {
		var c lifecycle.Change
		err := gob.NewDecoder(bytes.NewReader(b)).Decode(&c)
		return c, err
	}},
}

// BenchmarkChangeCodec encodes and decodes one change per op, as a write
// and a read of the journal do; bytes/change is the size kept in the log.
func BenchmarkChangeCodec(b *testing.B) {
	c := benchChange()
	for _, cd := range codecs {
		b.Run(cd.name, func(b *testing.B) {
			buf := make([]byte, 0, 4096)
			size := 0
			for b.Loop() {
				enc := cd.encode(buf[:0], &c)
				size = len(enc)
				if _, err := cd.decode(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size), "bytes/change")
		})
	}
}

// BenchmarkLongLog keeps 1,000,000 changes as the log does, encoded into
// chunks, and measures one full garbage collection per op and the heap the
// log holds. The chunks hold no pointers whichever the codec, so the
// collector skips them either way; what a codec changes is the memory.
func BenchmarkLongLog(b *testing.B) {
	const n = 1_000_000
	c := benchChange()
	for _, cd := range codecs[:2] { // gob per change costs minutes at this size
		b.Run(fmt.Sprintf("%s/changes=%d", cd.name, n), func(b *testing.B) {
			var log changeLog
			_, chunk := log.newChunk(0)
			id := 0
			for i := range n {
				c.Version = int64(i)
				if len(chunk)+encodedSize(&c)*4 > cap(chunk) { // json is longer than the bound
					id, chunk = log.newChunk(0)
				}
				pos := uint64(id)<<32 | uint64(len(chunk))
				chunk = cd.encode(chunk, &c)
				log.publish(pos)
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			for b.Loop() {
				runtime.GC()
			}
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
			runtime.KeepAlive(&log)
		})
	}
}
