package reports

import (
	"strings"
	"unicode"
)

// FullVariant is the variant name of the full model in an ablation study. A record with an
// empty variant is the full model too.
const FullVariant = "full"

// MergedSingleTaskVariant and MergedSingleTaskLabel name the row that joins the only-rec and
// only-src runs: the paper prints the two single-task models as one row, "only Rec/Src".
const (
	MergedSingleTaskVariant = "only-rec-src"
	MergedSingleTaskLabel   = "only Rec/Src"
)

// Variant names of the single-task DHIM runs that Ablations merges into one row.
const (
	OnlyRecVariant    = "only-rec"
	OnlySearchVariant = "only-src"
)

// Methods returns the methods of the paper's Table 1 in its row order: recommendation
// baselines, search baselines, joint baselines, then DHIM.
func Methods() []string {
	return []string{"DIN", "FMLP-Rec", "BSARec", "AEM", "ZAM", "MAI", "SESRec", "UnifiedSSR", "UniSAR", "DHIM"}
}

// AblationRow pairs a variant name of result records with the row label of the paper's
// Table 2 data (results/paper/table2.csv).
type AblationRow struct {
	Variant    string
	PaperLabel string
}

// AblationRows returns the rows of the paper's Table 2 in its order. The variant names are
// those of the DHIM presets; the last row is the merged single-task row.
func AblationRows() []AblationRow {
	return []AblationRow{
		{FullVariant, "full"},
		{"no-rec-long", "w/o rec-long"},
		{"no-rec-short", "w/o rec-short"},
		{"no-src-long", "w/o src-long"},
		{"no-src-short", "w/o src-short"},
		{"no-csf", "w/o CSF"},
		{"no-rec-intra", "w/o L_con^r_intra"},
		{"no-src-intra", "w/o L_con^s_intra"},
		{"no-inter", "w/o L_con^inter"},
		{"no-lq", "w/o L_Q"},
		{"no-ple", "w/o PLE"},
		{MergedSingleTaskVariant, "only Rec/Src"},
	}
}

// Families returns the paper's dataset columns in its order.
func Families() []string {
	return []string{"KuaiSAR", "Amazon"}
}

// NormalizeName lowercases name and drops everything but letters and digits, so that
// "FMLP-Rec", "fmlp_rec" and "fmlprec" compare equal.
func NormalizeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// IsMethod reports whether the group runs the paper's method: its label or its model name
// equals method after NormalizeName.
func (g *Group) IsMethod(method string) bool {
	want := NormalizeName(method)
	return NormalizeName(g.Label) == want || NormalizeName(g.Model) == want
}

// ReferenceModel is the registry name of the popularity ranker. It is no method of the paper
// and learns nothing about users, so reports show it as the floor of each row group and leave
// it out of the paper's claims.
const ReferenceModel = "pop"

// IsReferenceModel reports whether model is ReferenceModel.
func IsReferenceModel(model string) bool { return model == ReferenceModel }

// IsReference reports whether the group runs ReferenceModel.
func (g *Group) IsReference() bool { return IsReferenceModel(g.Model) }

// MethodRank returns the position of the group's method in Methods, len(Methods()) for a
// method the paper does not list, and len(Methods())+1 for the reference model, so it sorts
// last.
func (g *Group) MethodRank() int {
	methods := Methods()
	if g.IsReference() {
		return len(methods) + 1
	}
	for i, m := range methods {
		if g.IsMethod(m) {
			return i
		}
	}
	return len(methods)
}

// FamilyRank returns the position of family in Families, or len(Families()) for another
// family.
func FamilyRank(family string) int {
	families := Families()
	for i, f := range families {
		if f == family {
			return i
		}
	}
	return len(families)
}

// VariantRank returns the position of variant in AblationRows, or len(AblationRows()) for a
// variant the paper does not list. The empty variant ranks as FullVariant.
func VariantRank(variant string) int {
	rows := AblationRows()
	for i, row := range rows {
		if row.Variant == NormalizeVariant(variant) {
			return i
		}
	}
	return len(rows)
}

// NormalizeVariant returns FullVariant for the empty variant and variant otherwise.
func NormalizeVariant(variant string) string {
	if variant == "" {
		return FullVariant
	}
	return variant
}
