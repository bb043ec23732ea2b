package dhim

import "fmt"

// Variant is one row of the DHIM paper's ablation table (its Table 2): a stable machine name,
// the label the paper prints and the switch it turns off.
type Variant struct {
	// Name is the machine name used in experiment files and result records ("no-rec-long").
	Name string
	// Label is the paper's row label ("w/o rec-long").
	Label string
	// apply turns the variant's component off.
	apply func(o *Options)
}

// variants lists the ablation rows in the paper's order. The paper prints one row for
// "only Rec/Src"; it is two runs here, one per task.
var variants = []Variant{
	{"full", "Full Model", func(o *Options) {}},
	{"no-rec-long", "w/o rec-long", func(o *Options) { o.RecLong = false }},
	{"no-rec-short", "w/o rec-short", func(o *Options) { o.RecShort = false }},
	{"no-src-long", "w/o src-long", func(o *Options) { o.SearchLong = false }},
	{"no-src-short", "w/o src-short", func(o *Options) { o.SearchShort = false }},
	{"no-csf", "w/o CSF", func(o *Options) { o.CSF = false }},
	{"no-rec-intra", "w/o L_con^r_intra", func(o *Options) { o.RecIntra = false }},
	{"no-src-intra", "w/o L_con^s_intra", func(o *Options) { o.SearchIntra = false }},
	{"no-inter", "w/o L_con^inter", func(o *Options) { o.Inter = false }},
	{"no-lq", "w/o L_Q", func(o *Options) { o.QueryAlign = false }},
	{"no-ple", "w/o PLE", func(o *Options) { o.PLE = false }},
	{"only-rec", "only Rec", func(o *Options) { o.Tasks = TasksRec }},
	{"only-src", "only Src", func(o *Options) { o.Tasks = TasksSearch }},
}

// Variants returns the ablation rows in the paper's order, full model first.
func Variants() []Variant { return append([]Variant(nil), variants...) }

// Preset returns DefaultOptions with the named variant's component turned off. Names are
// those of Variants ("full", "no-rec-long", ..., "only-rec", "only-src").
func Preset(name string) (Options, error) {
	for _, v := range variants {
		if v.Name == name {
			o := DefaultOptions()
			v.apply(&o)
			return o, nil
		}
	}
	names := make([]string, len(variants))
	for i, v := range variants {
		names[i] = v.Name
	}
	return Options{}, fmt.Errorf("dhim: unknown preset %q: use one of %q", name, names)
}
