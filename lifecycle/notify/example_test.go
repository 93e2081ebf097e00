package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/itil-go/itil"
	"github.com/itil-go/itil/lifecycle"
	"github.com/itil-go/itil/lifecycle/memstore"
	"github.com/itil-go/itil/lifecycle/notify"
)

// A Bus sends each change to the subscriptions whose filter matches it.
func ExampleBus() {
	bus := notify.NewBus()
	bus.Subscribe(notify.Filter{Kinds: []string{"incident"}, States: []string{"resolved"}},
		func(ctx context.Context, ch lifecycle.Change) error {
			fmt.Printf("tell the caller: %s is resolved\n", ch.Number)
			return nil
		})
	cancel := bus.Subscribe(notify.Filter{Events: []string{lifecycle.EventCreate}},
		func(ctx context.Context, ch lifecycle.Change) error {
			fmt.Printf("new %s %s\n", ch.Kind, ch.Number)
			return nil
		})

	ctx := context.Background()
	bus.Notify(ctx, lifecycle.Change{Kind: "incident", Number: "INC0000001", Event: "create", To: "new"})
	bus.Notify(ctx, lifecycle.Change{Kind: "problem", Number: "PRB0000001", Event: "resolve", To: "resolved"})
	bus.Notify(ctx, lifecycle.Change{Kind: "incident", Number: "INC0000001", Event: "resolve", To: "resolved"})
	cancel()
	bus.Notify(ctx, lifecycle.Change{Kind: "incident", Number: "INC0000002", Event: "create", To: "new"})
	// Output:
	// new incident INC0000001
	// tell the caller: INC0000001 is resolved
}

// A Webhook POSTs each change as signed JSON; the receiver checks the
// signature with Verify before it trusts the body.
func ExampleWebhook() {
	const secret = "s3cret"
	sent := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)

	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			err = notify.Verify(secret, r, body, 5*time.Minute, sent.Add(2*time.Second))
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var ch lifecycle.Change
		if err := json.Unmarshal(body, &ch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Println("event:    ", r.Header.Get(notify.HeaderEvent))
		fmt.Println("delivery: ", r.Header.Get(notify.HeaderDelivery))
		fmt.Println("timestamp:", r.Header.Get(notify.HeaderTimestamp))
		fmt.Println("signed:   ", r.Header.Get(notify.HeaderSignature) != "")
		fmt.Printf("change:    %s %s → %s by %s\n", ch.Number, ch.From, ch.To, ch.Actor)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	hook, err := notify.NewWebhook(notify.WebhookConfig{
		URL:    receiver.URL + "/hooks/itil",
		Secret: secret,
		Now:    func() time.Time { return sent },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = hook.Notify(context.Background(), lifecycle.Change{
		ID:   uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a"),
		Kind: "incident", Number: "INC0000042", Version: 3,
		Event: "resolve", From: "in_progress", To: "resolved",
		Actor: itil.Actor{ID: "bob"}, At: sent,
	})
	fmt.Println("error:    ", err)
	// Output:
	// event:     incident.resolve
	// delivery:  0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a
	// timestamp: 1741944420
	// signed:    true
	// change:    INC0000042 in_progress → resolved by bob
	// error:     <nil>
}

// NewWebhook names the field it refuses.
func ExampleNewWebhook() {
	_, err := notify.NewWebhook(notify.WebhookConfig{URL: "ftp://hooks.example.com/itil"})
	fmt.Println(err)
	// Output:
	// invalid URL: scheme "ftp" is not http or https
}

// Signature computes what a Webhook sends in X-Itil-Signature: receivers in
// other languages can check their code against it. The same value is
//
//	printf '1741944420.{"id":"x"}' | openssl dgst -sha256 -hmac s3cret
func ExampleSignature() {
	fmt.Println(notify.Signature("s3cret", 1741944420, []byte(`{"id":"x"}`)))
	// Output:
	// sha256=5b223560f64bcc167a11436a071c4c3996b9c83db6c585e0a6124c6bb38960c7
}

// A Log writes one structured record per change.
func ExampleLog() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // leave the time out, for a stable example
			}
			return a
		},
	}))
	l := notify.NewLog(logger, slog.LevelInfo)
	l.Notify(context.Background(), lifecycle.Change{
		ID:  uuid.MustParse("0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a"),
		Seq: 7, Kind: "incident", Number: "INC0000042", Version: 3,
		Event: "assign", From: "new", To: "assigned", Actor: itil.Actor{ID: "alice"},
	})
	// Output:
	// level=INFO msg="lifecycle change" kind=incident number=INC0000042 event=assign from=new to=assigned actor=alice version=3 seq=7 change_id=0190a7e2-4b7c-7d3e-9a51-3c2f1e0d9b8a
}

// A dispatcher feeds notifiers from the store's outbox: here a bus, drained
// once after the writes as a command-line host would.
func Example() {
	ctx := context.Background()
	def, _ := ticketLifecycle()
	st := memstore.New(memstore.Config{})
	tickets, _ := lifecycle.NewProcess[ticket](st, def, lifecycle.ProcessConfig{Prefix: "TKT", Digits: 4})

	bus := notify.NewBus()
	bus.Subscribe(notify.Filter{Kinds: []string{"ticket"}}, func(ctx context.Context, ch lifecycle.Change) error {
		fmt.Printf("%s v%d %s: %q → %q by %s\n", ch.Number, ch.Version, ch.Event, ch.From, ch.To, ch.Actor)
		return nil
	})
	d, _ := lifecycle.NewDispatcher(st, []lifecycle.Subscription{{Name: "bus", Notifier: bus}}, lifecycle.DispatcherConfig{})

	alice := itil.Actor{ID: "alice"}
	tk, _ := tickets.Create(ctx, &ticket{Title: "printer jam"}, alice, "")
	tickets.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "start", Actor: alice})
	tickets.Fire(ctx, tk.ID, lifecycle.Action[*ticket]{Event: "resolve", Actor: alice, Note: "cleared the tray"})

	if err := d.Drain(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// TKT0001 v1 create: "" → "open" by alice
	// TKT0001 v2 start: "open" → "working" by alice
	// TKT0001 v3 resolve: "working" → "resolved" by alice
}
