package notify_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/itil-go/itil/lifecycle/notify"
)

func TestLogWritesOneRecordPerChange(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := notify.NewLog(slog.New(slog.NewJSONHandler(&buf, nil)), slog.LevelInfo)
	ch := sampleChange()
	require.NoError(t, l.Notify(t.Context(), ch))
	require.NoError(t, l.Notify(t.Context(), ch))

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	require.Len(t, lines, 2)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(lines[0], &rec))
	delete(rec, "time")
	assert.Equal(t, map[string]any{
		"level":     "INFO",
		"msg":       "lifecycle change",
		"kind":      "incident",
		"number":    "INC0000042",
		"event":     "resolve",
		"from":      "in_progress",
		"to":        "resolved",
		"actor":     "bob",
		"version":   float64(3),
		"seq":       float64(42),
		"change_id": ch.ID.String(),
	}, rec)
}

func TestLogLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	require.NoError(t, notify.NewLog(logger, slog.LevelDebug).Notify(t.Context(), sampleChange()))
	assert.Empty(t, buf.String(), "below the handler's level")
	require.NoError(t, notify.NewLog(logger, slog.LevelWarn).Notify(t.Context(), sampleChange()))
	assert.Contains(t, buf.String(), "level=WARN")
}

// TestLogNilLoggerUsesDefault changes the process-wide default logger, so it
// does not run in parallel.
func TestLogNilLoggerUsesDefault(t *testing.T) {
	prev := slog.Default()
	t.Cleanup(func() { slog.SetDefault(prev) })
	l := notify.NewLog(nil, slog.LevelInfo)

	var buf bytes.Buffer
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	require.NoError(t, l.Notify(t.Context(), sampleChange()))
	assert.Contains(t, buf.String(), "number=INC0000042")
}
