package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium returns the path of the Chromium binary, skipping the test when
// there is none, except in CI, where the browser test must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "install chromium (apt-get install -y chromium) to run the browser test"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestBrowser drives headless Chromium through the portal: alice orders a
// laptop (after the form refuses too much memory), mike approves it, tom
// completes its fulfilment tasks, and alice sees it fulfilled. With -update
// it saves that last page as testdata/portal.png for the README.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	srv := httptest.NewServer(newTestServer(t))
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)

	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		require.NoError(t, err)
		return strings.TrimSpace(s)
	}
	signIn := func(user string) {
		t.Helper()
		do(chromedp.Navigate(srv.URL+"/signin"),
			chromedp.Click(chromedp.ID("signin-"+user)),
			chromedp.WaitVisible(chromedp.ID("signed-in")))
	}

	// Alice orders a laptop; the form first refuses 128 GB of memory.
	signIn("alice")
	do(chromedp.Navigate(srv.URL+"/catalog"),
		chromedp.Click(chromedp.ID("order-laptop")),
		chromedp.WaitVisible(chromedp.ID("place-order")),
		chromedp.SetValue(chromedp.ID("var-os"), "linux"),
		chromedp.SetValue(chromedp.ID("var-ram"), "128"),
		chromedp.Click(chromedp.ID("place-order")))
	assert.Contains(t, text("#error-var-ram"), "more than the maximum 64")

	do(chromedp.SetValue(chromedp.ID("var-ram"), "32"),
		chromedp.SendKeys(chromedp.ID("description"), "For the new starter in finance"),
		chromedp.Click(chromedp.ID("place-order")))
	assert.Equal(t, "awaiting approval", text("#request-state"))
	number := text("h1")
	require.True(t, strings.HasPrefix(number, "REQ"), number)

	// Mike, her manager, approves it from his approvals.
	signIn("mike")
	do(chromedp.Navigate(srv.URL+"/approvals"),
		chromedp.Click(chromedp.ID("approve-"+number)))
	assert.Equal(t, "in fulfilment", text("#request-state"))

	// Tom works the fulfilment tasks, which open one after the other.
	signIn("tom")
	do(chromedp.Navigate(srv.URL + "/queue"))
	for {
		next, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(".complete-task") || {}).id || ""`))
		require.NoError(t, err)
		if next == "" {
			break
		}
		do(chromedp.Click(chromedp.ID(next)), chromedp.WaitNotPresent(chromedp.ID(next)),
			chromedp.WaitReady(chromedp.CSS("h1")))
	}

	// Alice sees it fulfilled.
	signIn("alice")
	do(chromedp.Navigate(srv.URL + "/requests/" + number))
	assert.Equal(t, "fulfilled", text("#request-state"))

	if *update {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join("testdata", "portal.png"), png, 0o644))
	}
}
