package bot

import (
	"bytes"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/lebot-dev/lebot/legal"
)

// chartColors colour the open statuses in the digest chart.
var chartColors = map[legal.Status]color.RGBA{
	legal.StatusNew:       {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	legal.StatusInReview:  {R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	legal.StatusDeficient: {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	legal.StatusProducing: {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}

// ChartPNG draws the digest's chart: open requests stacked by status in
// each age bucket (days since receipt), as a small PNG.
func ChartPNG(d DigestPayload) ([]byte, error) {
	p := plot.New()
	p.Title.Text = "Open requests by age and status"
	p.Y.Label.Text = "requests"
	p.X.Label.Text = "days since receipt"
	p.Y.Min = 0
	p.Legend.Top = true
	var below *plotter.BarChart
	for _, st := range legal.Statuses {
		if !st.Open() {
			continue
		}
		vals := make(plotter.Values, len(AgeBuckets))
		for i, n := range d.Ages[st] {
			if i < len(vals) {
				vals[i] = float64(n)
			}
		}
		bars, err := plotter.NewBarChart(vals, vg.Points(28))
		if err != nil {
			return nil, fmt.Errorf("bars for %s: %w", st, err)
		}
		bars.Color = chartColors[st]
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(statusLabel(st), bars)
	}
	p.NominalX(AgeBuckets...)
	if maxStack(d) < 5 {
		p.Y.Max = 5 // an empty or near-empty day still draws a readable axis
	}
	w, err := p.WriterTo(6*vg.Inch, 3.5*vg.Inch, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func maxStack(d DigestPayload) int {
	m := 0
	for i := range AgeBuckets {
		sum := 0
		for _, st := range legal.Statuses {
			if i < len(d.Ages[st]) {
				sum += d.Ages[st][i]
			}
		}
		m = max(m, sum)
	}
	return m
}
