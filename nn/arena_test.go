package nn

import "testing"

func TestClassSize(t *testing.T) {
	cases := []struct{ n, want int }{
		{1, 1}, {16, 16}, {17, 18}, {32, 32}, {33, 36}, {1000, 1024}, {1024, 1024}, {1025, 1152},
	}
	for _, c := range cases {
		if got := classSize(c.n); got != c.want {
			t.Errorf("classSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	for n := 1; n < 5000; n++ {
		c := classSize(n)
		if c < n || float64(c) > 1.125*float64(n) {
			t.Fatalf("classSize(%d) = %d, want within [n, 1.125n]", n, c)
		}
	}
}

// TestPoolReusesClass checks that after recycle a request of another length in the same size
// class gets the same zeroed buffer, and that a released buffer serves the next request of its
// class within a step.
func TestPoolReusesClass(t *testing.T) {
	var p pool[float32]
	a := p.get(1000)
	a[999] = 7
	p.recycle()
	b := p.get(990)
	if len(b) != 990 || &b[0] != &a[0] {
		t.Fatalf("get(990) after recycle: len %d, same buffer %v; want the 1,024-element buffer of get(1000)", len(b), &b[0] == &a[0])
	}
	for i, v := range b {
		if v != 0 {
			t.Fatalf("reused buffer not zeroed at %d: %g", i, v)
		}
	}
	p.release(b)
	c := p.getDirty(1020)
	if &c[0] != &a[0] || len(c) != 1020 {
		t.Fatalf("getDirty(1020) after release: len %d, same buffer %v", len(c), &c[0] == &a[0])
	}
	if d := p.get(1000); &d[0] == &a[0] {
		t.Fatal("a buffer in use was handed out twice")
	}
}
