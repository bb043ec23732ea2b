package optim

import (
	"fmt"
	"math"

	"github.com/srbench/srbench/nn"
)

// Optimizer updates parameters from their gradients.
type Optimizer interface {
	// Step applies one update to every parameter that has a gradient. It returns an error,
	// and changes nothing, when a gradient is malformed.
	Step() error
	// LR returns the current learning rate.
	LR() float64
	// SetLR sets the learning rate used by later steps.
	SetLR(lr float64)
}

// validateParams checks what the optimizers need from a parameter list: non-nil values,
// unique names and a first dimension for every row-sparse parameter.
func validateParams(params []*nn.Param) error {
	seen := make(map[string]int, len(params))
	for i, p := range params {
		if p == nil || p.Value == nil {
			return fmt.Errorf("optim: parameter %d is nil or has no Value", i)
		}
		if j, dup := seen[p.Name]; dup {
			return fmt.Errorf("optim: parameters %d and %d share the name %q; names must be unique", j, i, p.Name)
		}
		seen[p.Name] = i
		if p.RowSparse && len(p.Value.Shape) == 0 {
			return fmt.Errorf("optim: parameter %q is RowSparse but is a scalar; a row-sparse parameter needs a first dimension", p.Name)
		}
	}
	return nil
}

// validateGrad checks that a parameter's gradient can be read: it has Value's length and,
// for a row-sparse parameter, Rows is sorted, free of repeats and inside the first dimension.
func validateGrad(p *nn.Param) error {
	if len(p.Grad.Data) != len(p.Value.Data) {
		return fmt.Errorf("optim: parameter %q: gradient has %d elements, value has %d; the backward pass must give Grad the value's shape",
			p.Name, len(p.Grad.Data), len(p.Value.Data))
	}
	if !p.RowSparse {
		return nil
	}
	rows := int32(p.Value.Shape[0])
	for i, r := range p.Rows {
		if r < 0 || r >= rows {
			return fmt.Errorf("optim: parameter %q: Rows[%d] = %d is outside [0, %d)", p.Name, i, r, rows)
		}
		if i > 0 && r <= p.Rows[i-1] {
			return fmt.Errorf("optim: parameter %q: Rows[%d] = %d follows %d; Rows must be sorted without repeats",
				p.Name, i, r, p.Rows[i-1])
		}
	}
	return nil
}

// validateGrads runs validateGrad on every parameter that has a gradient.
func validateGrads(params []*nn.Param) error {
	for i, p := range params {
		if p == nil || p.Value == nil {
			return fmt.Errorf("optim: parameter %d is nil or has no Value", i)
		}
		if p.Grad == nil {
			continue
		}
		if p.RowSparse && len(p.Value.Shape) == 0 {
			return fmt.Errorf("optim: parameter %q is RowSparse but is a scalar; a row-sparse parameter needs a first dimension", p.Name)
		}
		if err := validateGrad(p); err != nil {
			return err
		}
	}
	return nil
}

// rowWidth returns the number of elements in one row of a parameter's first dimension.
func rowWidth(p *nn.Param) int {
	rows := p.Value.Shape[0]
	if rows == 0 {
		return 0
	}
	return len(p.Value.Data) / rows
}

// validateLR rejects a learning rate that is not a finite positive number.
func validateLR(lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("optim: learning rate %v is invalid; it must be a finite positive number", lr)
	}
	return nil
}
