// Package notify holds lifecycle.Notifier implementations: an in-process
// publish/subscribe Bus, a signed HTTP Webhook and a Log that writes one
// structured log/slog record per change.
//
// Notifiers are fed by a lifecycle.Dispatcher, which drains the store's
// outbox in log order and retries a failing notifier with backoff until it
// takes the change. Delivery is therefore at least once: a change can arrive
// again after a failure, and every receiver should deduplicate on
// lifecycle.Change.ID. Each notifier here returns an error whenever a
// delivery did not fully succeed, so that nothing is lost.
//
//	bus := notify.NewBus()
//	cancel := bus.Subscribe(notify.Filter{Kinds: []string{"incident"}, States: []string{"resolved"}},
//		func(ctx context.Context, ch lifecycle.Change) error {
//			return mailCaller(ctx, ch) // deduplicate on ch.ID
//		})
//	defer cancel()
//
//	hook, err := notify.NewWebhook(notify.WebhookConfig{URL: "https://hooks.example.com/itil", Secret: secret})
//	if err != nil { … }
//
//	d, err := lifecycle.NewDispatcher(st, []lifecycle.Subscription{
//		{Name: "bus", Notifier: bus},
//		{Name: "webhook", Notifier: hook},
//		{Name: "log", Notifier: notify.NewLog(nil, slog.LevelInfo)},
//	}, lifecycle.DispatcherConfig{})
//	go d.Run(ctx)
//
// # Webhook signatures
//
// A Webhook POSTs the change as JSON with these headers:
//
//	Content-Type:     application/json
//	X-Itil-Delivery:  the change ID (the same on every redelivery)
//	X-Itil-Event:     kind.event, such as "incident.resolve"
//	X-Itil-Timestamp: unix seconds when this attempt was sent
//	X-Itil-Signature: sha256=HEX (only when a secret is configured)
//
// HEX is the lower-case hex HMAC-SHA256, keyed with the secret, of the
// timestamp, a full stop and the exact body bytes:
//
//	HMAC-SHA256(secret, X-Itil-Timestamp + "." + body)
//
// Signing the timestamp with the body lets a receiver refuse replays of old
// deliveries. Receivers written in Go call Verify with the raw body before
// they decode it; others compute the same HMAC and compare in constant time.
package notify
