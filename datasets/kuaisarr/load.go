// Package kuaisarr loads KuaiSAR-R, a real recommendation-only slice of KuaiSAR published with
// the code of "Multifaceted User Modeling in Recommendation: A Federated Foundation Models
// Approach" (AAAI 2025), and adds generated search sessions so that it can serve unified search
// and recommendation.
//
// A KuaiSAR-R directory holds df.csv (user_id, video_id, timestamp, is_click),
// video_features.csv (video_id and four label-encoded category levels) and user_features.csv
// (the KuaiSAR user features). Only rows with is_click = 1 are behaviours. The slice has no
// search log, so Load generates search sessions from the category paths of clicked videos, in
// the way the Amazon benchmark builds queries from product categories (see GenerateSearches).
package kuaisarr

import (
	"cmp"
	"fmt"
	"time"

	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/kuaisar"
)

// Source file names inside a KuaiSAR-R directory.
const (
	InteractionFile = "df.csv"
	VideoFile       = "video_features.csv"
	UserFile        = "user_features.csv"
)

// Defaults for Options.
const (
	// DefaultSearchProb is the probability that a recommendation click is turned into a search
	// session. The slice has 60,451 clicks over 1,791 users, so 0.25 gives a user about 8
	// searches on average. That is enough for most users to pass the UniSAR-style filter of
	// three samples per scenario, and recommendation stays the larger scenario, as in KuaiSAR.
	DefaultSearchProb = 0.25
	// DefaultPlaceholderShare is the share of all videos above which a single code of a
	// category level is read as the release's empty-level placeholder. The label encoding
	// hides the names. In the slice, one third-level code labels 71% of the videos and one
	// fourth-level code 98%, while no first- or second-level code exceeds 30%.
	DefaultPlaceholderShare = 0.5
)

// Options configures Load.
type Options struct {
	// OnBadRow is the policy for malformed rows; the zero value is datasets.Fail.
	OnBadRow datasets.BadRowPolicy
	// Name is the dataset name; empty means "kuaisar-r".
	Name string
	// Seed seeds the search generation.
	Seed uint64
	// SearchProb is the probability in (0, 1] that a click is turned into a search session; 0
	// means DefaultSearchProb.
	SearchProb float64
	// PlaceholderShare is the share in (0, 1] of videos above which one code of a category level
	// is read as "no category at this level"; 0 means DefaultPlaceholderShare, and 1 disables
	// the detection.
	PlaceholderShare float64
}

// Files returns the paths of the three source files that Load reads from dir (plain or ".gz",
// as kuaisar.ResolveFile picks), in the order df, video_features, user_features.
func Files(dir string) []string {
	return []string{
		kuaisar.ResolveFile(dir, InteractionFile),
		kuaisar.ResolveFile(dir, VideoFile),
		kuaisar.ResolveFile(dir, UserFile),
	}
}

// Load reads KuaiSAR-R from dir and generates its search sessions. It returns the dataset and a
// report of every row read, skipped or dropped; on error the dataset is nil.
func Load(dir string, opts Options) (*datasets.Dataset, *datasets.LoadReport, error) {
	start := time.Now()
	opts.Name = cmp.Or(opts.Name, "kuaisar-r")
	opts.SearchProb = cmp.Or(opts.SearchProb, DefaultSearchProb)
	opts.PlaceholderShare = cmp.Or(opts.PlaceholderShare, DefaultPlaceholderShare)
	report := datasets.NewLoadReport(opts.Name, opts.OnBadRow)
	if err := checkOptions(opts); err != nil {
		return nil, report, err
	}
	files := Files(dir)
	b := kuaisar.NewBuilder()
	if err := readInteractions(files[0], b, report); err != nil {
		return nil, report, err
	}
	if err := readVideos(files[1], b, opts.PlaceholderShare, report); err != nil {
		return nil, report, err
	}
	features, err := kuaisar.ReadUserFeatures(files[2], report)
	if err != nil {
		return nil, report, err
	}
	b.SetUserFeatures(features.ByUser, features.Cardinality)
	src := kuaisar.Sources{Rec: InteractionFile, Search: InteractionFile, Items: VideoFile, Users: UserFile}
	d := b.Build(opts.Name, src, report)
	GenerateSearches(d, opts.SearchProb, opts.Seed, report)
	kuaisar.CountScenarios(d, report)
	if err := kuaisar.Finish(d, dir, start); err != nil {
		return nil, report, err
	}
	return d, report, nil
}

func checkOptions(opts Options) error {
	if !(opts.SearchProb > 0 && opts.SearchProb <= 1) {
		return fmt.Errorf("kuaisar-r: invalid search_prob %v: want a probability in (0, 1]: pass --search-prob (srbench data) or --set data.<dataset>.search_prob=P (srbench run)", opts.SearchProb)
	}
	if !(opts.PlaceholderShare > 0 && opts.PlaceholderShare <= 1) {
		return fmt.Errorf("kuaisar-r: invalid PlaceholderShare %v: want a share in (0, 1]", opts.PlaceholderShare)
	}
	return nil
}
