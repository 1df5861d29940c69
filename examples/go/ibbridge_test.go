package ibbridge

// The tests start the headless bridge on the built-in simulator, with the
// simulated clock pinned inside a regular session (Tuesday 2026-11-17 10:00
// New York), so they pass at any hour: `npm run build` first, then `go test`.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

const simStart = "2026-11-17T15:00:00Z"

var (
	baseURL   string
	bridgeIn  io.WriteCloser // the bridge's stdin: simulator fault commands
	bridgeCmd *exec.Cmd
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	script, _ := filepath.Abs(filepath.Join("..", "..", "dist", "bridge.js"))
	if _, err := os.Stat(script); err != nil {
		fmt.Fprintf(os.Stderr, "%s is missing: run `npm run build` first\n", script)
		return 1
	}
	bridgeCmd = exec.Command("node", script, "--simulated", "--sim-start", simStart, "--port", "0")
	bridgeCmd.Stderr = os.Stderr
	in, err := bridgeCmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	bridgeIn = in
	out, _ := bridgeCmd.StdoutPipe()
	if err := bridgeCmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "cannot start the bridge:", err)
		return 1
	}
	defer func() {
		_ = bridgeCmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = bridgeCmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = bridgeCmd.Process.Kill()
		}
	}()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if os.Getenv("BRIDGE_LOG") != "" {
				fmt.Println("    [bridge]", line)
			}
			if i := strings.Index(line, "jax bridge serving at "); i >= 0 {
				found <- strings.TrimSpace(line[i+len("jax bridge serving at "):])
			}
		}
	}()
	select {
	case baseURL = <-found:
	case <-time.After(20 * time.Second):
		fmt.Fprintln(os.Stderr, "the bridge did not say where it serves within 20 s")
		return 1
	}
	if err := waitHealthy(30 * time.Second); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func client() *Client {
	c := New(baseURL)
	c.Strict = true
	return c
}

func waitHealthy(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		h, err := New(baseURL).Health(context.Background())
		if err == nil && h.Connected {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the bridge did not connect to its simulated gateway in time")
}

// keys of a JSON object answer, sorted
func keysOf(t *testing.T, path string) []string {
	t.Helper()
	resp, err := http.Get(baseURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestHealth(t *testing.T) {
	h, err := client().Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "healthy" || !h.Connected || !h.PaperTrading || h.Version == "" || h.MarketDataMode == "" {
		t.Fatalf("health: %+v", h)
	}
	// started with --simulated: connected to its own simulated gateway, which it names
	if !h.Simulated || h.Simulator == "" || h.Gateway != h.Simulator {
		t.Fatalf("health: gateway %q, simulated %v, simulator %q", h.Gateway, h.Simulated, h.Simulator)
	}
	if !strings.HasPrefix(h.Detail, "Connected to IB Gateway/TWS at "+h.Gateway) {
		t.Fatalf("health detail %q", h.Detail)
	}
	want := "connected,detail,gateway,market_data_mode,paper_trading,simulated,simulator,status,version"
	if got := strings.Join(keysOf(t, "/health"), ","); got != want {
		t.Fatalf("health fields %s, want %s", got, want)
	}
}

func TestQuotesForStocks(t *testing.T) {
	for _, sym := range []string{"AAPL", "MSFT", "SPY"} {
		q, err := client().GetQuote(context.Background(), sym)
		if err != nil {
			t.Fatalf("%s: %v", sym, err)
		}
		if q.Symbol != sym || !q.HasData() || q.Bid <= 0 || q.Ask < q.Bid || q.BidSize <= 0 || q.Volume <= 0 || q.Exchange == "" {
			t.Fatalf("%s: %+v", sym, q)
		}
		if q.MarketDataType != "live" || q.Delayed() {
			t.Fatalf("%s: market data type %q, want live", sym, q.MarketDataType)
		}
		if q.PriceCurrency != "USD" {
			t.Fatalf("%s: prices in %q, want USD", sym, q.PriceCurrency)
		}
		if d := q.Timestamp.Sub(time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)); d < -time.Hour || d > time.Hour {
			t.Fatalf("%s: timestamp %s is not near the simulated clock", sym, q.Timestamp)
		}
	}
	want := "ask,ask_size,bid,bid_size,exchange,price,symbol,timestamp,volume"
	if got := strings.Join(keysOf(t, "/quotes/AAPL"), ","); got != want {
		t.Fatalf("quote fields %s, want %s", got, want)
	}
}

func TestDelayedQuotesSaySo(t *testing.T) {
	// SHOP in Toronto: the simulated account has no live subscription there
	q, err := client().GetQuote(context.Background(), "SHOP@TSE")
	if err != nil {
		t.Fatal(err)
	}
	if !q.HasData() || q.MarketDataType != "delayed" || !q.Delayed() {
		t.Fatalf("SHOP@TSE: %+v, want a delayed quote", q)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := client().StreamQuotes(ctx, []string{"AAPL", "SHOP@TSE"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for len(kinds) < 2 {
		q, ok := <-s.Quotes
		if !ok {
			t.Fatalf("the stream ended: %v", s.Err())
		}
		kinds[q.Symbol] = q.MarketDataType
	}
	if kinds["AAPL"] != "live" || kinds["SHOP@TSE"] != "delayed" {
		t.Fatalf("streamed kinds %v, want AAPL live and SHOP@TSE delayed", kinds)
	}
}

func TestUnknownSymbolIs404(t *testing.T) {
	_, err := client().GetQuote(context.Background(), "NOSUCHSYM")
	var e *Error
	if !errors.As(err, &e) || e.Status != 404 || e.Detail == "" {
		t.Fatalf("want a 404 with a detail, got %v", err)
	}
	if e.Code != 200 || e.Category != "contract" {
		t.Fatalf("want IB's code 200 and category contract, got %d %q", e.Code, e.Category)
	}
}

func TestCandlesForEveryTimeframe(t *testing.T) {
	steps := map[string]time.Duration{"1m": time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "1h": time.Hour, "1d": 24 * time.Hour, "1w": 7 * 24 * time.Hour}
	for _, tf := range []string{"1", "5", "15", "60", "1D", "1W", "1m", "5m", "15m", "1h", "1d", "1w"} {
		long := map[string]string{"1": "1m", "5": "5m", "15": "15m", "60": "1h", "1D": "1d", "1W": "1w"}[tf]
		if long == "" {
			long = tf
		}
		candles, err := client().GetCandles(context.Background(), "AAPL", tf, 20)
		if err != nil {
			t.Fatalf("%s: %v", tf, err)
		}
		if len(candles) != 20 {
			t.Fatalf("%s: %d candles, want 20", tf, len(candles))
		}
		for i, c := range candles {
			if c.Low > c.Open || c.Low > c.Close || c.High < c.Open || c.High < c.Close || c.Volume < 0 {
				t.Fatalf("%s: candle %d is not a bar: %+v", tf, i, c)
			}
			if i > 0 && !c.Timestamp.After(candles[i-1].Timestamp) {
				t.Fatalf("%s: candles not oldest first at %d", tf, i)
			}
		}
		// bars of a minute timeframe sit on its step (hourly bars start at 9:30, the open)
		if step := steps[long]; step < time.Hour {
			for _, c := range candles {
				if c.Timestamp.Unix()%int64(step/time.Second) != 0 {
					t.Fatalf("%s: %s is not on a %s step", tf, c.Timestamp, step)
				}
			}
		}
		if long == "1h" {
			for _, c := range candles {
				if c.Timestamp.Minute()%30 != 0 || c.Timestamp.Second() != 0 {
					t.Fatalf("%s: %s is not on the hour or the open", tf, c.Timestamp)
				}
			}
		}
		last := candles[len(candles)-1].Timestamp
		if last.After(time.Date(2026, 11, 17, 15, 1, 0, 0, time.UTC)) {
			t.Fatalf("%s: a bar after the simulated now: %s", tf, last)
		}
	}
}

func TestCandlesRefuseBadParameters(t *testing.T) {
	for _, c := range []struct {
		tf    string
		limit int
	}{{"2h", 10}, {"1m", 0}, {"1m", 1001}} {
		_, err := client().GetCandles(context.Background(), "AAPL", c.tf, c.limit)
		var e *Error
		if !errors.As(err, &e) || (e.Status != 400 && e.Status != 422) || e.Detail == "" {
			t.Fatalf("%+v: want 400/422 with a detail, got %v", c, err)
		}
	}
}

func TestStreamSurvivesGatewayRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := client().StreamQuotes(ctx, []string{"AAPL", "MSFT"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for len(seen) < 2 {
		q, ok := <-s.Quotes
		if !ok {
			t.Fatalf("the stream ended: %v", s.Err())
		}
		seen[q.Symbol] = true
	}
	// the simulated gateway restarts: every connection dropped, down for 2 s
	if _, err := io.WriteString(bridgeIn, "restart 2\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		h, err := New(baseURL).Health(ctx)
		if err == nil && !h.Connected && h.Status == "degraded" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the bridge never saw the gateway go down")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := waitHealthy(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	after := map[string]bool{}
	for len(after) < 2 {
		select {
		case q, ok := <-s.Quotes:
			if !ok {
				t.Fatalf("the stream ended: %v", s.Err())
			}
			if time.Now().After(back) {
				after[q.Symbol] = true
			}
		case <-ctx.Done():
			t.Fatalf("no quotes on the same stream after the gateway came back (got %v)", after)
		}
	}
}
