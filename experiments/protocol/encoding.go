package protocol

import "fmt"

// MarshalText encodes the metric as its key, such as "ndcg@10".
func (m Metric) MarshalText() ([]byte, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	return []byte(m.String()), nil
}

// UnmarshalText decodes a metric key with ParseMetric.
func (m *Metric) UnmarshalText(text []byte) error {
	parsed, err := ParseMetric(string(text))
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}

// MarshalText encodes the order as "shuffled" or "input-order".
func (o CandidateOrder) MarshalText() ([]byte, error) {
	if o != Shuffled && o != InputOrder {
		return nil, fmt.Errorf("invalid candidate order %d; use Shuffled or InputOrder", uint8(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes "shuffled" or "input-order".
func (o *CandidateOrder) UnmarshalText(text []byte) error {
	switch string(text) {
	case Shuffled.String():
		*o = Shuffled
	case InputOrder.String():
		*o = InputOrder
	default:
		return fmt.Errorf("invalid candidate order %q; use %q or %q", text, Shuffled, InputOrder)
	}
	return nil
}
