package commands

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/bot"
)

// TestSecondClaimIsAnswered: each member's Claim click is answered where
// Slack shows it (the click's response_url), the second one too.
func TestSecondClaimIsAnswered(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	card := e.postCard(t, req)
	for _, user := range []string{member, member2} {
		if _, shown := e.click(t, user, card, bot.ActionClaim); shown != "You have claimed "+req.ID+"." {
			t.Fatalf("%s's Claim: shown %q, want the answer", user, shown)
		}
	}
	if got := e.get(t, req.ID).Assignee; got != member2 {
		t.Fatalf("assignee: got %s, want %s", got, member2)
	}
}

// TestOutsiderSubmission: someone no longer on the team submits a modal
// they had open; Slack accepts only an empty ack or a response_action,
// so the refusal shows as the modal's field error and nothing changes.
func TestOutsiderSubmission(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	e.legal(t, member, "checklist "+req.ID)
	view := e.lastView(t)
	e.fake.SetUserGroup(group, member2) // member leaves the team
	e.now = e.now.Add(2 * time.Minute)  // past the membership cache
	a, err := e.fake.Submit(member, view.ID, map[string]map[string]any{
		"items": {"items": map[string]any{"type": "checkboxes", "selected_options": []any{}}}})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Wait()
	if a.Error != "" {
		t.Fatalf("Slack showed %s for the ack %s", a.Error, a.Body)
	}
	if msg := a.ViewErrors["items"]; !strings.Contains(msg, "only for the legal team") {
		t.Fatalf("field errors: got %v, want the refusal under the first input", a.ViewErrors)
	}
	if got := e.get(t, req.ID); got.Version != req.Version {
		t.Fatalf("version: got %d, want %d (unchanged)", got.Version, req.Version)
	}
}

// TestNoteEncodedOnce: Slack sends "R&D" as "R&amp;D"; the note is
// stored as typed and shown in the thread escaped exactly once.
func TestNoteEncodedOnce(t *testing.T) {
	e := newEnv(t)
	req := e.create(t, subpoenaFacts())
	e.drainOutbox(t, e.now.Add(time.Hour))
	e.legal(t, member, "note "+req.ID+" R&D <draft> for <@"+member2+">")
	audit := e.audit(t, req.ID)
	if got := audit[len(audit)-1].Note; got != "R&D <draft> for <@"+member2+">" {
		t.Fatalf("audit note: got %q, want it as typed", got)
	}
	items := e.drainOutbox(t, e.now.Add(2*time.Hour))
	var th bot.ThreadPayload
	for _, it := range items {
		if it.Kind == bot.KindThread {
			_ = json.Unmarshal(it.Payload, &th)
		}
	}
	if want := "noted: R&amp;D &lt;draft&gt; for <@" + member2 + ">"; !strings.HasSuffix(th.Text, want) {
		t.Fatalf("thread line: got %q, want it ending %q", th.Text, want)
	}
}

// TestShowListsEveryIdentifier: the card shows 25 identifiers and points
// to /legal show for the rest; /legal show must then list them all.
func TestShowListsEveryIdentifier(t *testing.T) {
	e := newEnv(t)
	f := subpoenaFacts()
	f.Identifiers = nil
	for i := range 180 {
		f.Identifiers = append(f.Identifiers, fmt.Sprintf("+1415555%04d", i))
	}
	req := e.create(t, f)
	got := e.legal(t, member, "show "+req.ID)
	for _, id := range f.Identifiers {
		if !strings.Contains(got, id) {
			t.Fatalf("/legal show lacks %s", id)
		}
	}
}
