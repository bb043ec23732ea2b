package train

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestEpochLog(t *testing.T) {
	data := loadTiny(t)
	var buf bytes.Buffer
	opts := quietOptions()
	opts.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
	cfg := smallConfig()
	cfg.Epochs = 1
	if _, err := Train(context.Background(), newDotModel(data, 8, 1), data, cfg, opts); err != nil {
		t.Fatal(err)
	}

	var epoch map[string]any
	for line := range bytes.Lines(buf.Bytes()) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		if rec["msg"] == "epoch" {
			epoch = rec
		}
	}
	if epoch == nil {
		t.Fatalf("no epoch record in the log:\n%s", buf.String())
	}

	loss, _ := epoch["loss"].(map[string]any)
	for _, key := range []string{"total", "click_rec", "click_src"} {
		if _, ok := loss[key]; !ok {
			t.Errorf("epoch record lacks loss.%s: %v", key, epoch)
		}
	}
	valid, _ := epoch["valid"].(map[string]any)
	for _, scope := range []string{"rec", "search", "overall"} {
		s, _ := valid[scope].(map[string]any)
		if _, ok := s["ndcg@5"]; !ok {
			t.Errorf("epoch record lacks valid.%s.ndcg@5: %v", scope, epoch)
		}
	}
	for _, key := range []string{"lr", "steps", "steps_per_second", "seconds", "peak_rss_mb", "selection"} {
		if _, ok := epoch[key]; !ok {
			t.Errorf("epoch record lacks %s: %v", key, epoch)
		}
	}
}

func TestStepBarHidden(t *testing.T) {
	var buf bytes.Buffer
	if bar := newStepBar(&buf, false, 1, 10); bar != nil {
		t.Error("a progress bar was created for a writer that is not a terminal")
	}
	bar := newStepBar(&buf, true, 1, 10)
	bar.add()
	bar.finish()
	if buf.Len() != 0 {
		t.Errorf("a hidden bar wrote %q", buf.String())
	}
}
