package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lebot-dev/lebot/internal/testpdf"
	"github.com/lebot-dev/lebot/legal"
)

// followUpWithPDF answers the request with Message-ID orig, attaching
// the signed order as a PDF with a text layer.
func followUpWithPDF(orig, msgID string, pdf []byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Agent Dana Smith <dana.smith@fbi.gov>\r\nTo: legal@example.com\r\n"+
		"Subject: Re: Grand jury subpoena\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"+
		"The signed subpoena is attached.\r\n"+
		"--B\r\nContent-Type: application/pdf; name=\"subpoena.pdf\"\r\n"+
		"Content-Disposition: attachment; filename=\"subpoena.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", msgID, orig)
	enc := base64.StdEncoding.EncodeToString(pdf)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--B--\r\n")
	return []byte(b.String())
}

// TestFollowUpReadsAttachedPDF: the period the original lacked is in the
// follow-up's attached PDF only, and passes from what intake read of it.
func TestFollowUpReadsAttachedPDF(t *testing.T) {
	pdf := testpdf.Build(testpdf.TextPage("GRAND JURY SUBPOENA",
		"Subscriber information for (415) 555-0100 from January 1, 2026 through March 1, 2026"))
	for name, st := range sinkStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			svc := sinkService(t, st)
			orig := "pdf-orig-" + name + "@fbi.gov"
			req, created, err := svc.Accept(ctx, fmt.Appendf(nil, testMail, orig), "smtp", nil)
			if err != nil || !created {
				t.Fatalf("original: %v, %v", created, err)
			}
			if !slices.Contains(legal.Missing(req.Checklist()), legal.ItemTimePeriod) {
				t.Fatalf("original misses %v; the test needs the period missing", legal.Missing(req.Checklist()))
			}
			got, created, err := svc.Accept(ctx, followUpWithPDF(orig, "pdf-fu-"+name+"@fbi.gov", pdf), "smtp", nil)
			if err != nil || created || got.ID != req.ID {
				t.Fatalf("follow-up: got %v created=%v, %v; want %s joined", got, created, err, req.ID)
			}
			after := getReq(t, st, req.ID)
			if slices.Contains(legal.Missing(after.Checklist()), legal.ItemTimePeriod) {
				t.Errorf("after the follow-up: still missing the period (%v)", legal.Missing(after.Checklist()))
			}
			if fu, ok := after.MetBy(legal.ItemTimePeriod); !ok || fu.MessageID != "pdf-fu-"+name+"@fbi.gov" {
				t.Errorf("period met by: got %+v, %v, want the follow-up", fu, ok)
			}
		})
	}
}
