package plot

// Point is one plotted value: the mean over seeds at X, with the sample standard deviation as
// error bar.
type Point struct {
	X    float64
	Mean float64
	Std  float64
	// N is the number of seeds averaged.
	N int
}

// Series is one line of a panel.
type Series struct {
	Label  string
	Points []Point
}

// Panel is one plot area of a figure.
type Panel struct {
	Title  string
	XLabel string
	YLabel string
	// LogX draws the x axis on a log scale, zero at a marked position (see the package doc).
	LogX   bool
	Series []Series
}

// Figure is a row of panels written to one image.
type Figure struct {
	// Name is the file name without extension.
	Name   string
	Panels []Panel
}
