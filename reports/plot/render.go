package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strconv"

	gonumplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/srbench/srbench/reports"
)

// Panel size in the written images.
const (
	panelWidth  = 5 * vg.Inch
	panelHeight = 4 * vg.Inch
)

// Write draws fig into dir/<fig.Name>.png and dir/<fig.Name>.svg, each written atomically, and
// returns the two paths.
func Write(fig *Figure, dir string) ([]string, error) {
	width := panelWidth * vg.Length(len(fig.Panels))
	png := vgimg.New(width, panelHeight)
	if err := drawFigure(fig, png); err != nil {
		return nil, err
	}
	var pngData bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: png}).WriteTo(&pngData); err != nil {
		return nil, fmt.Errorf("plot: encoding %s as PNG: %w", fig.Name, err)
	}
	svg := vgsvg.New(width, panelHeight)
	if err := drawFigure(fig, svg); err != nil {
		return nil, err
	}
	var svgData bytes.Buffer
	if _, err := svg.WriteTo(&svgData); err != nil {
		return nil, fmt.Errorf("plot: encoding %s as SVG: %w", fig.Name, err)
	}
	paths := []string{filepath.Join(dir, fig.Name+".png"), filepath.Join(dir, fig.Name+".svg")}
	for i, data := range [][]byte{pngData.Bytes(), svgData.Bytes()} {
		if err := reports.WriteFile(paths[i], data); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// drawFigure draws the panels side by side on c.
func drawFigure(fig *Figure, c vg.CanvasSizer) error {
	if len(fig.Panels) == 0 {
		return fmt.Errorf("plot: figure %s has no panels", fig.Name)
	}
	plots := make([]*gonumplot.Plot, len(fig.Panels))
	for i, panel := range fig.Panels {
		p, err := newPlot(panel)
		if err != nil {
			return fmt.Errorf("plot: figure %s panel %q: %w", fig.Name, panel.Title, err)
		}
		plots[i] = p
	}
	tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
	canvases := gonumplot.Align([][]*gonumplot.Plot{plots}, tiles, draw.New(c))
	for i, p := range plots {
		p.Draw(canvases[0][i])
	}
	return nil
}

// errorPoints feeds a series to gonum's line, scatter and error-bar plotters.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}

func newPlot(panel Panel) (*gonumplot.Plot, error) {
	p := gonumplot.New()
	p.Title.Text = panel.Title
	p.X.Label.Text = panel.XLabel
	p.Y.Label.Text = panel.YLabel
	p.Legend.Top = true
	zeroAt := math.NaN()
	if panel.LogX {
		zeroAt = setLogAxis(p, panel)
	}
	for i, s := range panel.Series {
		pts := errorPoints{XYs: make(plotter.XYs, len(s.Points)), YErrors: make(plotter.YErrors, len(s.Points))}
		hasErrors := false
		for j, pt := range s.Points {
			x := pt.X
			if panel.LogX && x <= 0 {
				x = zeroAt
			}
			pts.XYs[j] = plotter.XY{X: x, Y: pt.Mean}
			pts.YErrors[j] = struct{ Low, High float64 }{pt.Std, pt.Std}
			hasErrors = hasErrors || pt.N > 1
		}
		line, points, err := plotter.NewLinePoints(pts.XYs)
		if err != nil {
			return nil, fmt.Errorf("series %q: %w", s.Label, err)
		}
		line.Color = plotutil.Color(i)
		points.Color = plotutil.Color(i)
		points.Shape = plotutil.Shape(i)
		p.Add(line, points)
		if hasErrors {
			bars, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Label, err)
			}
			bars.Color = plotutil.Color(i)
			p.Add(bars)
		}
		p.Legend.Add(s.Label, line, points)
	}
	return p, nil
}

// setLogAxis puts the x axis on a log scale with ticks at the decades. When the panel has a
// value at or below zero, it adds a tick labelled "0" one decade below the smallest positive
// value and a dashed line half a decade above that tick. It returns the x position of zero, or
// NaN when the panel has no such value.
func setLogAxis(p *gonumplot.Plot, panel Panel) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	hasZero := false
	for _, s := range panel.Series {
		for _, pt := range s.Points {
			if pt.X <= 0 {
				hasZero = true
				continue
			}
			lo, hi = math.Min(lo, pt.X), math.Max(hi, pt.X)
		}
	}
	p.X.Scale = gonumplot.LogScale{}
	ticks := decadeTicks(lo, hi)
	zeroAt := math.NaN()
	if hasZero {
		zeroAt = lo / 10
		ticks = append([]gonumplot.Tick{{Value: zeroAt, Label: "0"}}, ticks...)
		p.Add(verticalLine{X: zeroAt * math.Sqrt(10)})
	}
	p.X.Tick.Marker = gonumplot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = lo/math.Sqrt(10), hi*math.Sqrt(10)
	if hasZero {
		p.X.Min = zeroAt / math.Sqrt(10)
	}
	return zeroAt
}

// decadeTicks returns labelled ticks at the powers of ten from lo to hi.
func decadeTicks(lo, hi float64) []gonumplot.Tick {
	var ticks []gonumplot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		v := math.Pow(10, e)
		ticks = append(ticks, gonumplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
	}
	return ticks
}

// verticalLine is a dashed grey line across the data area at X, the mark between zero and the
// log-scaled values.
type verticalLine struct{ X float64 }

// Plot implements gonum's plot.Plotter.
func (l verticalLine) Plot(c draw.Canvas, p *gonumplot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(l.X)
	style := draw.LineStyle{Color: color.Gray{Y: 128}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	c.StrokeLine2(style, x, c.Min.Y, x, c.Max.Y)
}
