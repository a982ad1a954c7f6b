package intake

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lebot-dev/lebot/internal/metrics"
)

// HTTPConfig configures the inbound e-mail endpoint.
type HTTPConfig struct {
	Accepter Accepter // required
	// Secret is the bearer token senders must present (INBOUND_SECRET).
	// Empty: the endpoint is off and answers 503.
	Secret       string
	MaxBytes     int64         // largest body (default 25 MiB); larger: 413
	StoreTimeout time.Duration // for Accept (default 1m)
	Logger       *slog.Logger
	Metrics      *metrics.Metrics // counts responses by status; nil: none
}

// InboundHandler serves POST /inbound/email: the body is one raw RFC 5322
// message, as inbound-mail webhooks deliver it. Responses (JSON bodies):
//
//	201 {"id": "LE-2026-0042", "created": true}   stored as a new request
//	200 {"id": "LE-2026-0042", "created": false}  already stored (same Message-ID or bytes)
//	400 empty body
//	401 missing or wrong Authorization: Bearer token
//	405 not a POST
//	413 body larger than SMTP_MAX_BYTES
//	503 INBOUND_SECRET not configured, or the store failed (Retry-After: 30; nothing was stored)
type InboundHandler struct {
	cfg    HTTPConfig
	secret [32]byte
	log    *slog.Logger
}

// NewInboundHandler checks cfg and fills defaults.
func NewInboundHandler(cfg HTTPConfig) (*InboundHandler, error) {
	if cfg.Accepter == nil {
		return nil, errors.New("intake: HTTPConfig.Accepter is required")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 25 << 20
	}
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = time.Minute
	}
	h := &InboundHandler{cfg: cfg, secret: sha256.Sum256([]byte(cfg.Secret)), log: cfg.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h, nil
}

func (h *InboundHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() { h.cfg.Metrics.InboundResponse(sw.status) }()
	h.serve(sw, r)
}

func (h *InboundHandler) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		httpError(w, http.StatusMethodNotAllowed, "use POST with the raw message as the body")
		return
	}
	if h.cfg.Secret == "" {
		httpError(w, http.StatusServiceUnavailable, "inbound e-mail is not configured (INBOUND_SECRET)")
		return
	}
	if !h.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lebot inbound"`)
		httpError(w, http.StatusUnauthorized, "missing or wrong bearer token")
		return
	}
	if r.ContentLength > h.cfg.MaxBytes {
		httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("message larger than %d bytes", h.cfg.MaxBytes))
		return
	}
	raw, err := readMessage(http.MaxBytesReader(w, r.Body, h.cfg.MaxBytes), min(r.ContentLength, h.cfg.MaxBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("message larger than %d bytes", h.cfg.MaxBytes))
		return
	case err != nil:
		httpError(w, http.StatusBadRequest, "could not read the body")
		return
	case len(raw) == 0:
		httpError(w, http.StatusBadRequest, "empty body; send the raw RFC 5322 message")
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), h.cfg.StoreTimeout)
	defer cancel()
	req, created, err := h.cfg.Accepter.Accept(ctx, raw, "http", nil)
	if err != nil {
		w.Header().Set("Retry-After", "30")
		httpError(w, http.StatusServiceUnavailable, "temporary failure storing the message; nothing was stored, retry later")
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, map[string]any{"id": req.ID, "created": created})
}

// authorized compares the bearer token in constant time; hashing both
// sides first keeps the secret's length from leaking too.
func (h *InboundHandler) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(auth) < len(prefix) || !strings.EqualFold(auth[:len(prefix)], prefix) {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(auth[len(prefix):])))
	return subtle.ConstantTimeCompare(got[:], h.secret[:]) == 1
}

// statusWriter remembers the status written, for the metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.MaxBytesReader and http.ResponseController reach the
// underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func httpError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
