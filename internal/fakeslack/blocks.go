package fakeslack

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Block Kit as Slack validates it. Each limit is Slack's documented one
// (docs.slack.dev/reference/block-kit: blocks, block-elements,
// composition-objects; views/modal-views); a message or view that breaks
// one is refused whole, as Slack refuses it (invalid_blocks for messages,
// invalid_arguments for views).

// surface is where blocks are shown: some blocks and limits differ.
type surface int

const (
	inMessage surface = iota
	inModal
	inHome
)

// blockError is a refusal with the path of the offending field, kept for
// the test that wants to know why.
type blockError struct{ path, why string }

func (e *blockError) Error() string { return e.path + ": " + e.why }

func refuse(path, format string, a ...any) error {
	return &blockError{path, fmt.Sprintf(format, a...)}
}

// checkBlocks validates a blocks array for a surface.
func checkBlocks(raw json.RawMessage, where surface) error {
	var blocks []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return refuse("blocks", "not an array of objects")
	}
	limit := 50
	if where != inMessage {
		limit = 100
	}
	if len(blocks) > limit {
		return refuse("blocks", "%d blocks, at most %d", len(blocks), limit)
	}
	ids := map[string]bool{}
	for i, b := range blocks {
		path := fmt.Sprintf("blocks[%d]", i)
		if id := str(b["block_id"]); id != "" {
			if utf8.RuneCountInString(id) > 255 {
				return refuse(path+".block_id", "longer than 255")
			}
			if ids[id] {
				return refuse(path+".block_id", "duplicate %q", id)
			}
			ids[id] = true
		}
		if err := checkBlock(path, b, where); err != nil {
			return err
		}
	}
	return nil
}

func checkBlock(path string, b map[string]json.RawMessage, where surface) error {
	switch typ := str(b["type"]); typ {
	case "section":
		return checkSection(path, b)
	case "header":
		return checkText(path+".text", b["text"], plainOnly, 150)
	case "divider":
		return nil
	case "context":
		return checkContext(path, b)
	case "actions":
		return checkActions(path, b)
	case "input":
		if where == inMessage {
			return refuse(path, "input blocks are for modals and Home tabs")
		}
		return checkInput(path, b)
	case "image":
		return checkImage(path, b)
	default:
		return refuse(path+".type", "unknown block type %q", typ)
	}
}

func checkSection(path string, b map[string]json.RawMessage) error {
	if b["text"] == nil && b["fields"] == nil {
		return refuse(path, "a section needs text or fields")
	}
	if b["text"] != nil {
		if err := checkText(path+".text", b["text"], anyText, 3000); err != nil {
			return err
		}
	}
	if b["fields"] != nil {
		var fields []json.RawMessage
		if err := json.Unmarshal(b["fields"], &fields); err != nil || len(fields) == 0 || len(fields) > 10 {
			return refuse(path+".fields", "1 to 10 text objects")
		}
		for i, f := range fields {
			if err := checkText(fmt.Sprintf("%s.fields[%d]", path, i), f, anyText, 2000); err != nil {
				return err
			}
		}
	}
	if acc := b["accessory"]; acc != nil {
		return checkElement(path+".accessory", acc, accessoryElements)
	}
	return nil
}

func checkContext(path string, b map[string]json.RawMessage) error {
	var els []json.RawMessage
	if err := json.Unmarshal(b["elements"], &els); err != nil || len(els) == 0 || len(els) > 10 {
		return refuse(path+".elements", "1 to 10 image elements or text objects")
	}
	for i, e := range els {
		p := fmt.Sprintf("%s.elements[%d]", path, i)
		var head struct{ Type string }
		_ = json.Unmarshal(e, &head)
		switch head.Type {
		case "image":
			if err := checkElement(p, e, map[string]bool{"image": true}); err != nil {
				return err
			}
		case "plain_text", "mrkdwn":
			if err := checkText(p, e, anyText, 3000); err != nil {
				return err
			}
		default:
			return refuse(p, "context elements are images and text objects, not %q", head.Type)
		}
	}
	return nil
}

func checkActions(path string, b map[string]json.RawMessage) error {
	var els []json.RawMessage
	if err := json.Unmarshal(b["elements"], &els); err != nil || len(els) == 0 || len(els) > 25 {
		return refuse(path+".elements", "1 to 25 interactive elements")
	}
	ids := map[string]bool{}
	for i, e := range els {
		p := fmt.Sprintf("%s.elements[%d]", path, i)
		if err := checkElement(p, e, actionElements); err != nil {
			return err
		}
		var head struct {
			ActionID string `json:"action_id"`
		}
		_ = json.Unmarshal(e, &head)
		if head.ActionID != "" && ids[head.ActionID] {
			return refuse(p+".action_id", "duplicate %q in the block", head.ActionID)
		}
		ids[head.ActionID] = true
	}
	return nil
}

func checkInput(path string, b map[string]json.RawMessage) error {
	if err := checkText(path+".label", b["label"], plainOnly, 2000); err != nil {
		return err
	}
	if b["hint"] != nil {
		if err := checkText(path+".hint", b["hint"], plainOnly, 2000); err != nil {
			return err
		}
	}
	if b["element"] == nil {
		return refuse(path+".element", "required")
	}
	return checkElement(path+".element", b["element"], inputElements)
}

func checkImage(path string, b map[string]json.RawMessage) error {
	if err := checkImageFields(path, b); err != nil {
		return err
	}
	if b["title"] != nil {
		return checkText(path+".title", b["title"], plainOnly, 2000)
	}
	return nil
}

// checkImageFields: an image needs a URL (or a Slack file) and alt text.
func checkImageFields(path string, b map[string]json.RawMessage) error {
	url := str(b["image_url"])
	if url == "" && b["slack_file"] == nil {
		return refuse(path+".image_url", "required")
	}
	if utf8.RuneCountInString(url) > 3000 {
		return refuse(path+".image_url", "longer than 3000")
	}
	alt := str(b["alt_text"])
	if alt == "" || utf8.RuneCountInString(alt) > 2000 {
		return refuse(path+".alt_text", "1 to 2000 characters required")
	}
	return nil
}
