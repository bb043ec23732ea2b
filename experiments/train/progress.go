package train

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// stepBar shows the steps of a running epoch with steps per second and the time left. A nil
// *stepBar is valid and shows nothing.
type stepBar struct {
	bar *progressbar.ProgressBar
}

// newStepBar returns a bar over total steps that writes to w, or nil when quiet is set or w is
// not a terminal, so logs redirected to a file stay free of control characters.
func newStepBar(w io.Writer, quiet bool, epoch, total int) *stepBar {
	if quiet || total < 1 || !isTerminal(w) {
		return nil
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d", epoch)),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &stepBar{bar: bar}
}

// add advances the bar by one step.
func (b *stepBar) add() {
	if b != nil {
		_ = b.bar.Add(1) // a failed terminal write must not stop training
	}
}

// finish clears the bar from the terminal.
func (b *stepBar) finish() {
	if b != nil {
		_ = b.bar.Finish()
	}
}

// isTerminal reports whether w is an *os.File on a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
