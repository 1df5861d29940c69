// Package ibbridge reads Interactive Brokers market data from the jax bridge
// (the IB Gateway extension for VS Code, or its headless `node dist/bridge.js`)
// over HTTP, with the Go standard library only. Copy it into a jax service and
// point it at IBBridgeURL (http://127.0.0.1:8092, or
// http://host.docker.internal:8092 from a container).
package ibbridge

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Quote is GET /quotes/{symbol} and the data of an SSE "quote" event.
type Quote struct {
	Symbol    string    `json:"symbol"`
	Price     float64   `json:"price"`
	Bid       float64   `json:"bid"`
	Ask       float64   `json:"ask"`
	BidSize   int64     `json:"bid_size"`
	AskSize   int64     `json:"ask_size"`
	Volume    int64     `json:"volume"`
	Timestamp time.Time `json:"timestamp"`
	Exchange  string    `json:"exchange"`
	// MarketDataType is the kind of data as IB marks it: "live", "frozen" (the
	// last of a closed market, when frozen data was asked for), "delayed" (15
	// minutes old: no live subscription) or "delayed-frozen". The bridge says
	// it beside the quote (a header of GET /quotes, an event of the stream),
	// not in the quote's JSON. A closed market shows in Timestamp (the last
	// trade's time), not here.
	MarketDataType string `json:"-"`
	// PriceCurrency is the unit of the prices (GET /quotes' X-IB-Price-Currency
	// header): the contract's currency, or "GBp" for a London share, whose
	// prices are pence while its contract says GBP (4294 is 42.94 pounds).
	PriceCurrency string `json:"-"`
}

// HasData is false for a quote with no price at all.
func (q Quote) HasData() bool { return q.Price != 0 || q.Bid != 0 || q.Ask != 0 }

// Delayed is true for a quote 15 minutes old (no live market data subscription).
func (q Quote) Delayed() bool { return strings.HasPrefix(q.MarketDataType, "delayed") }

// Candle is one bar of GET /candles/{symbol}.
type Candle struct {
	Timestamp time.Time `json:"timestamp"`
	Open      float64   `json:"open"`
	High      float64   `json:"high"`
	Low       float64   `json:"low"`
	Close     float64   `json:"close"`
	Volume    int64     `json:"volume"`
	VWAP      float64   `json:"vwap"`
}

// Health is GET /health.
type Health struct {
	Status         string `json:"status"`
	Connected      bool   `json:"connected"`
	Version        string `json:"version"`
	MarketDataMode string `json:"market_data_mode"`
	PaperTrading   bool   `json:"paper_trading"`
	// Gateway is the host:port of the gateway the bridge connects to.
	Gateway string `json:"gateway"`
	// Simulated says whether that gateway is a simulated one.
	Simulated bool `json:"simulated"`
	// Simulator is the host:port of the simulated gateway a bridge started
	// with --simulated runs itself (empty otherwise).
	Simulator string `json:"simulator,omitempty"`
	// Detail is the connection in one sentence: where it is connected, or
	// why not (a gateway not up yet, a client id in use).
	Detail string `json:"detail"`
}

// Error is any answer other than 200: the status and the bridge's sentence,
// with IB's error code and its category where the failure has them (Code 200,
// Category "contract" for a symbol IB does not know; Category "connectivity":
// ask again later; "permission": the account's market data).
type Error struct {
	Status   int
	Detail   string
	Code     int
	Category string
}

func (e *Error) Error() string { return fmt.Sprintf("ib bridge: %d: %s", e.Status, e.Detail) }

// Client talks to one bridge.
type Client struct {
	BaseURL string       // e.g. http://127.0.0.1:8092
	Token   string       // only when the bridge listens beyond its machine
	HTTP    *http.Client // nil: a client with a 30 s time limit
	// Strict refuses answers with fields this package does not know (tests use it).
	Strict bool
}

// New returns a client for baseURL.
func New(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/")}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values) (*http.Request, error) {
	u := c.BaseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return req, nil
}

func readError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var d struct {
		Detail   string `json:"detail"`
		Code     int    `json:"code"`
		Category string `json:"category"`
	}
	if json.Unmarshal(body, &d) != nil || d.Detail == "" {
		d.Detail = strings.TrimSpace(string(body))
	}
	return &Error{Status: resp.StatusCode, Detail: d.Detail, Code: d.Code, Category: d.Category}
}

func (c *Client) getJSON(ctx context.Context, path string, query url.Values, out interface{}) (http.Header, error) {
	req, err := c.newRequest(ctx, http.MethodGet, path, query)
	if err != nil {
		return nil, err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readError(resp)
	}
	dec := json.NewDecoder(resp.Body)
	if c.Strict {
		dec.DisallowUnknownFields()
	}
	return resp.Header, dec.Decode(out)
}

// Health reports the bridge and its gateway connection.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	_, err := c.getJSON(ctx, "/health", nil, &h)
	return h, err
}

// GetQuote returns the latest quote of a symbol ("AAPL", "EUR.USD", "ES 202612 FUT@CME").
func (c *Client) GetQuote(ctx context.Context, symbol string) (Quote, error) {
	var q Quote
	header, err := c.getJSON(ctx, "/quotes/"+url.PathEscape(symbol), nil, &q)
	if err == nil {
		q.MarketDataType = header.Get("X-IB-Market-Data-Type")
		q.PriceCurrency = header.Get("X-IB-Price-Currency")
	}
	return q, err
}

// GetCandles returns the limit (1..1000) most recent bars, oldest first, of a
// timeframe: 1m, 5m, 15m, 1h, 1d, 1w (or 1, 5, 15, 60, 1D, 1W).
func (c *Client) GetCandles(ctx context.Context, symbol, timeframe string, limit int) ([]Candle, error) {
	var out struct {
		Symbol  string   `json:"symbol"`
		Candles []Candle `json:"candles"`
		Count   int      `json:"count"`
	}
	q := url.Values{"timeframe": {timeframe}, "limit": {strconv.Itoa(limit)}}
	if _, err := c.getJSON(ctx, "/candles/"+url.PathEscape(symbol), q, &out); err != nil {
		return nil, err
	}
	if out.Count != len(out.Candles) {
		return nil, fmt.Errorf("ib bridge: count %d but %d candles", out.Count, len(out.Candles))
	}
	return out.Candles, nil
}

// StreamQuotes streams quotes of the symbols over Server-Sent Events
// (GET /stream/quotes). The channel closes when ctx ends or the stream
// breaks; the error (nil after ctx ended) is then in Err of the Stream.
func (c *Client) StreamQuotes(ctx context.Context, symbols []string) (*Stream, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/stream/quotes", url.Values{"symbols": {strings.Join(symbols, ",")}})
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	httpc := *c.httpClient()
	httpc.Timeout = 0 // a stream has no end
	resp, err := httpc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, readError(resp)
	}
	s := &Stream{Quotes: make(chan Quote, 64), done: make(chan struct{})}
	go s.read(ctx, resp.Body, c.Strict)
	return s, nil
}

// Stream is a running StreamQuotes.
type Stream struct {
	Quotes chan Quote
	// Events other than quotes and their kind of data ("status", "error",
	// "dropped"), as raw JSON, for logging.
	OnEvent func(event string, data []byte)
	err     error
	done    chan struct{}
}

// Err is why the stream ended (after Quotes was closed).
func (s *Stream) Err() error {
	<-s.done
	return s.err
}

func (s *Stream) read(ctx context.Context, body io.ReadCloser, strict bool) {
	defer close(s.done)
	defer close(s.Quotes)
	defer body.Close()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			body.Close()
		case <-finished:
		}
	}()
	r := bufio.NewReaderSize(body, 64<<10)
	event, data := "", ""
	// each symbol's kind of data, from its "market_data_type" events
	kinds := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if ctx.Err() == nil {
				s.err = fmt.Errorf("ib bridge: stream ended: %w", err)
			}
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if event == "quote" {
				var q Quote
				dec := json.NewDecoder(strings.NewReader(data))
				if strict {
					dec.DisallowUnknownFields()
				}
				if err := dec.Decode(&q); err != nil {
					s.err = fmt.Errorf("ib bridge: a quote event could not be read: %w", err)
					return
				}
				q.MarketDataType = kinds[q.Symbol]
				select {
				case s.Quotes <- q:
				case <-ctx.Done():
					return
				}
			} else if event == "market_data_type" {
				var k struct {
					Symbol         string `json:"symbol"`
					MarketDataType string `json:"market_data_type"`
				}
				if json.Unmarshal([]byte(data), &k) == nil {
					kinds[k.Symbol] = k.MarketDataType
				}
			} else if event != "" && s.OnEvent != nil {
				s.OnEvent(event, []byte(data))
			}
			event, data = "", ""
		case strings.HasPrefix(line, ":"):
			// a comment (keep-alive)
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			if data != "" {
				data += "\n"
			}
			data += strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
		}
	}
}

// IsNotConnected tells a 503: the bridge is up, its gateway is not.
func IsNotConnected(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusServiceUnavailable
}
