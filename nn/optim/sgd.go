package optim

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/nn"
)

// SGD is plain stochastic gradient descent without momentum: θ ← θ − LR·(g + WeightDecay·θ),
// with the decay term only for parameters whose Decay is true. A RowSparse parameter is
// updated only on the rows in Rows. Parameters whose Grad is nil are skipped.
type SGD struct {
	lr          float64
	weightDecay float64
	params      []*nn.Param
	steps       int64
}

// NewSGD returns an SGD optimizer over params. It returns an error for a learning rate that
// is not finite and positive, a negative or non-finite weight decay, nil parameters,
// repeated names or a scalar RowSparse parameter.
func NewSGD(params []*nn.Param, lr, weightDecay float64) (*SGD, error) {
	if err := validateLR(lr); err != nil {
		return nil, err
	}
	if !(weightDecay >= 0) || math.IsInf(weightDecay, 0) {
		return nil, fmt.Errorf("optim: SGD weight decay %v is invalid; it must be finite and non-negative", weightDecay)
	}
	if err := validateParams(params); err != nil {
		return nil, err
	}
	return &SGD{lr: lr, weightDecay: weightDecay, params: append([]*nn.Param(nil), params...)}, nil
}

// LR returns the current learning rate.
func (s *SGD) LR() float64 { return s.lr }

// SetLR sets the learning rate of later steps. It panics if lr is negative, NaN or infinite.
func (s *SGD) SetLR(lr float64) {
	if !(lr >= 0) || math.IsInf(lr, 0) {
		panic(fmt.Sprintf("optim: SGD.SetLR(%v): learning rate must be finite and non-negative", lr))
	}
	s.lr = lr
}

// Steps returns the number of completed calls to Step.
func (s *SGD) Steps() int64 { return s.steps }

// Step applies one update to every parameter with a gradient. It returns an error, and
// changes nothing, if a gradient is malformed (see Adam.Step).
func (s *SGD) Step() error {
	if err := validateGrads(s.params); err != nil {
		return err
	}
	for _, p := range s.params {
		if p.Grad == nil {
			continue
		}
		if !p.RowSparse {
			s.update(p.Value.Data, p.Grad.Data, p.Decay)
			continue
		}
		w := rowWidth(p)
		for _, r := range p.Rows {
			lo, hi := int(r)*w, int(r+1)*w
			s.update(p.Value.Data[lo:hi], p.Grad.Data[lo:hi], p.Decay)
		}
	}
	s.steps++
	return nil
}

func (s *SGD) update(theta, grad []float32, decay bool) {
	lr := float32(s.lr)
	wd := float32(0)
	if decay {
		wd = float32(s.weightDecay)
	}
	theta = theta[:len(grad)]
	for i, g := range grad {
		theta[i] -= lr * (g + wd*theta[i])
	}
}
