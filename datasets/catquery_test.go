package datasets

import (
	"slices"
	"testing"
)

func TestCategoryPathQuery(t *testing.T) {
	cases := []struct {
		path []string
		want []string
	}{
		{[]string{"Books", "Literature & Fiction", "Mystery, Thriller & Suspense"},
			[]string{"books", "literature", "fiction", "mystery", "thriller", "suspense"}},
		{[]string{"Kindle Store", "Kindle eBooks", "Children's eBooks"}, []string{"kindle", "store", "ebooks", "children"}},
		{[]string{"Books for Kids", "Books"}, []string{"books", "kids"}},
		{[]string{"Café", "Sci-Fi 2000"}, []string{"café", "sci", "fi", "2000"}},
		{[]string{"The", "&"}, []string{}},
		{nil, []string{}},
	}
	for _, tc := range cases {
		if got := CategoryPathQuery(tc.path); !slices.Equal(got, tc.want) {
			t.Errorf("CategoryPathQuery(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestCleanQueryWords(t *testing.T) {
	got := CleanQueryWords([]string{"c1_17", "", "c2_143", "of", "c1_17", "c3_7"})
	want := []string{"c1_17", "c2_143", "c3_7"}
	if !slices.Equal(got, want) {
		t.Errorf("CleanQueryWords = %q, want %q", got, want)
	}
}

func TestQueryTable(t *testing.T) {
	qt := NewQueryTable()
	a := qt.Add([]string{"kindle", "store"})
	b := qt.Add([]string{"store", "kindle"})
	c := qt.Add([]string{"kindle", "store"})
	empty := qt.Add(nil)
	if a != 0 || b != 1 || c != 0 || empty != 2 {
		t.Errorf("query ids = %d, %d, %d, %d; want 0, 1, 0, 2", a, b, c, empty)
	}
	if want := []string{"kindle", "store"}; !slices.Equal(qt.Words.Keys(), want) {
		t.Errorf("words = %q, want %q", qt.Words.Keys(), want)
	}
	if got := qt.Queries()[b].Words; !slices.Equal(got, []int32{1, 0}) {
		t.Errorf("query %d words = %v, want [1 0]", b, got)
	}
	if _, ok := qt.Words.Lookup("absent"); ok || qt.Words.Len() != 2 {
		t.Errorf("Lookup added a word or found an absent one")
	}
}
