package cluster

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/event"
	"github.com/itil-go/itil/lifecycle"
)

// Config configures a Host. JetStream, Store and every host's Engine must
// agree across the hosts of one deployment, as must Stream, Subject,
// Partitions, Group and PartitionLabel; the zero value of each of those
// means its default.
type Config struct {
	// JetStream is the host's connection to JetStream. Required.
	JetStream jetstream.JetStream
	// Store is the store every host shares (PostgreSQL; SQLite for one
	// machine). Required.
	Store lifecycle.Store
	// Engine is the configuration of every partition's engine. The host
	// sets its Resume, to the alerts of the partition.
	Engine event.Config

	// Stream is the JetStream stream of the events. Default "ITIL_EVENTS".
	Stream string
	// Subject is the subject the events are published on, after their
	// partition's number: "<partition>.<Subject>". Default "itil.events".
	Subject string
	// Partitions is the number of partitions, fixed for the life of the
	// stream: the most hosts that can share the work. Default 8.
	Partitions int
	// Group is the name of the partitioned consumer group. Default
	// "itil-events".
	Group string
	// PartitionLabel, when set, partitions events by the value of that
	// label (a site, a room, a cluster), so that alerts that topology or
	// inhibition relate share a partition; events without it go by their
	// correlation group, the default for all.
	PartitionLabel string
	// DeadLetter is the subject that messages which do not decode, or
	// that came in the wrong partition, are published on, with the reason
	// in header Itil-Error, before they are acknowledged. Default Subject
	// + ".dead" (which the stream does not take).
	DeadLetter string

	// Preferred are the partitions this host joins as soon as it starts;
	// it joins the others AckWait later, as their standby, so that the
	// hosts of a deployment started together each own their preferred
	// partitions rather than the first host owning all. Default every
	// partition.
	Preferred []int

	// Name names the host in the logs. Default the host name and a random
	// suffix.
	Name string
	// Batch is the most events a partition applies before it saves them
	// and acknowledges them. Default 500.
	Batch int
	// AckWait is how long JetStream waits for an acknowledgement before it
	// delivers a message again, and how long a host that stopped pulling
	// keeps its partitions (the pinned-client timeout, at least one
	// second). Default 5 seconds.
	AckWait time.Duration
	// Logger receives what the host cannot return. Default slog.Default().
	Logger *slog.Logger
}

// Limits on a Config.
const (
	// MaxPartitions bounds Config.Partitions.
	MaxPartitions = 1024
	// MaxBatch bounds Config.Batch.
	MaxBatch = 10000
)

func (c *Config) defaults() error {
	if c.JetStream == nil {
		return itil.Invalid("JetStream", "required")
	}
	if c.Store == nil {
		return itil.Invalid("Store", "required")
	}
	if c.Engine.Resume != nil {
		return itil.Invalid("Engine.Resume", "is the host's to set, to each partition's alerts")
	}
	if c.Stream == "" {
		c.Stream = "ITIL_EVENTS"
	}
	if c.Subject == "" {
		c.Subject = "itil.events"
	}
	if c.Group == "" {
		c.Group = "itil-events"
	}
	if c.DeadLetter == "" {
		c.DeadLetter = c.Subject + ".dead"
	}
	if c.Partitions == 0 {
		c.Partitions = 8
	}
	if c.Batch == 0 {
		c.Batch = 500
	}
	if c.AckWait == 0 {
		c.AckWait = 5 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Name == "" {
		name, _ := os.Hostname()
		c.Name = name + "-" + uuid.NewString()[:8]
	}
	switch {
	case c.Partitions < 1 || c.Partitions > MaxPartitions:
		return itil.Invalid("Partitions", fmt.Sprintf("%d is not between 1 and %d", c.Partitions, MaxPartitions))
	case c.Batch < 1 || c.Batch > MaxBatch:
		return itil.Invalid("Batch", fmt.Sprintf("%d is not between 1 and %d", c.Batch, MaxBatch))
	case c.AckWait < time.Second:
		return itil.Invalid("AckWait", c.AckWait.String()+" is under one second")
	}
	for _, f := range [...]struct{ name, v string }{{"Stream", c.Stream}, {"Subject", c.Subject}, {"Group", c.Group}, {"DeadLetter", c.DeadLetter}} {
		if err := checkName(f.name, f.v, f.name == "Subject" || f.name == "DeadLetter"); err != nil {
			return err
		}
	}
	seen := map[int]bool{}
	for i, p := range c.Preferred {
		field := fmt.Sprintf("Preferred[%d]", i)
		switch {
		case p < 0 || p >= c.Partitions:
			return itil.Invalid(field, fmt.Sprintf("%d is not a partition (0 to %d)", p, c.Partitions-1))
		case seen[p]:
			return itil.Invalid(field, fmt.Sprintf("partition %d is named twice", p))
		}
		seen[p] = true
	}
	if c.DeadLetter == c.Subject {
		return itil.Invalid("DeadLetter", "must differ from Subject")
	}
	return nil
}

// checkName refuses a stream, group or subject name that NATS would not
// take: empty, or holding white space, wildcards, or (unless dots) dots.
func checkName(field, s string, dots bool) error {
	if s == "" {
		return itil.Invalid(field, "required")
	}
	for i, r := range s {
		switch {
		case r <= ' ' || r == 0x7f || r == '*' || r == '>' || r == '/' || r == '\\':
			return itil.Invalid(field, fmt.Sprintf("%q at %d is not allowed", r, i))
		case r == '.' && !dots:
			return itil.Invalid(field, "must not hold a dot")
		}
	}
	if dots && (s[0] == '.' || s[len(s)-1] == '.') {
		return itil.Invalid(field, "must not begin or end with a dot")
	}
	return nil
}

// subject is the subject of partition p's events.
func (c *Config) subject(p int) string { return strconv.Itoa(p) + "." + c.Subject }

// member is the name of partition p's member of the consumer group.
func member(p int) string { return "p" + strconv.Itoa(p) }
