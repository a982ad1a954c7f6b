package bot

import (
	"bytes"
	"image/png"
	"slices"
	"testing"
	"time"

	"github.com/lebot-dev/lebot/legal"
)

func TestCountTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		want   []float64
	}{
		{"empty day", 0, 5, []float64{0, 1, 2, 3, 4, 5}},
		{"a dozen", 0, 12, []float64{0, 2, 4, 6, 8, 10, 12}},
		{"forty-two", 0, 50, []float64{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50}},
		{"hundreds", 0, 300, []float64{0, 50, 100, 150, 200, 250, 300}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []float64
			for _, tk := range countTicks(tt.lo, tt.hi) {
				got = append(got, tk.Value)
				if tk.Label == "" || tk.Value != float64(int(tk.Value)) {
					t.Errorf("tick %v %q: want a whole number with a label", tk.Value, tk.Label)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestChartPNG: the chart is a PNG of the same size whatever the day
// holds, so Slack's preview reads the same each morning.
func TestChartPNG(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for name, ages := range map[string]map[legal.Status][]int{
		"empty": nil,
		"busy":  {legal.StatusNew: {3, 1, 0, 0, 40}, legal.StatusInReview: {0, 2, 5, 1, 0}},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := ChartPNG(DigestPayload{At: at, Zone: "UTC", Ages: ages})
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got.X != 8*chartDPI || got.Y != 4*chartDPI {
				t.Errorf("size: got %v, want %dx%d", got, 8*chartDPI, 4*chartDPI)
			}
		})
	}
}

// BenchmarkChartPNG draws a busy day's chart and encodes it, reporting
// the PNG's size: the digest job and the walks in jobs' tests pay it once
// per digest.
func BenchmarkChartPNG(b *testing.B) {
	d := DigestPayload{At: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), Zone: "UTC",
		Ages: map[legal.Status][]int{legal.StatusNew: {3, 1, 0, 0, 40}, legal.StatusInReview: {0, 2, 5, 1, 0}}}
	var size int
	for b.Loop() {
		png, err := ChartPNG(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(png)
	}
	b.ReportMetric(float64(size), "bytes")
}
