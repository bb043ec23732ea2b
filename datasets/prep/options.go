package prep

import (
	"errors"
	"fmt"
)

// Options holds every threshold of preprocessing. DefaultOptions gives the values of the UniSAR
// line of work; keys are flat snake_case for experiment files.
type Options struct {
	// Seed seeds the evaluation candidates and the training negatives.
	Seed uint64 `toml:"seed"`
	// MaxClicks caps the clicked items of one search session that become samples (the first
	// MaxClicks in click order) and that a search history entry keeps.
	MaxClicks int `toml:"max_clicks"`
	// MinSamplesPerTask is the number of samples a user needs in each scenario to be kept.
	MinSamplesPerTask int `toml:"min_samples_per_task"`
	// MaxRecHistory and MaxSearchHistory are the history lengths: the last recommendation
	// clicks and the last search sessions before a sample.
	MaxRecHistory    int `toml:"max_rec_history"`
	MaxSearchHistory int `toml:"max_search_history"`
	// MaxQueryWords is the width of the query-word table; longer queries keep their first words.
	MaxQueryWords int `toml:"max_query_words"`
	// EvalNegatives is the number of negatives ranked with each validation and test positive.
	EvalNegatives int `toml:"eval_negatives"`
	// TrainNegatives is the number of negatives drawn per training positive and epoch.
	TrainNegatives int `toml:"train_negatives"`
	// Workers is the number of goroutines Prepare uses; 0 means GOMAXPROCS. Results do not
	// depend on it, so it is not part of Fingerprint.
	Workers int `toml:"workers"`
}

// DefaultOptions returns the UniSAR preprocessing: 5 clicks per session, 3 samples per scenario,
// histories of 30 recommendation clicks and 30 search sessions, 50 query words, 99 evaluation
// negatives and 4 training negatives, seed 1.
func DefaultOptions() Options {
	return Options{
		Seed:              1,
		MaxClicks:         5,
		MinSamplesPerTask: 3,
		MaxRecHistory:     30,
		MaxSearchHistory:  30,
		MaxQueryWords:     50,
		EvalNegatives:     99,
		TrainNegatives:    4,
	}
}

// Validate returns an error naming each invalid field with its value and the accepted range.
func (o Options) Validate() error {
	var errs []error
	check := func(ok bool, field string, value int, want string) {
		if !ok {
			errs = append(errs, fmt.Errorf("prep options: %s = %d is invalid: want %s", field, value, want))
		}
	}
	check(o.MaxClicks >= 1, "max_clicks", o.MaxClicks, "at least 1")
	// Leave-one-out needs one test, one validation and at least one training sample.
	check(o.MinSamplesPerTask >= 3, "min_samples_per_task", o.MinSamplesPerTask, "at least 3 (test, validation and one training sample)")
	check(o.MaxRecHistory >= 1, "max_rec_history", o.MaxRecHistory, "at least 1")
	check(o.MaxSearchHistory >= 1, "max_search_history", o.MaxSearchHistory, "at least 1")
	check(o.MaxQueryWords >= 1, "max_query_words", o.MaxQueryWords, "at least 1")
	check(o.EvalNegatives >= 1, "eval_negatives", o.EvalNegatives, "at least 1")
	check(o.TrainNegatives >= 1, "train_negatives", o.TrainNegatives, "at least 1")
	check(o.Workers >= 0, "workers", o.Workers, "0 (all CPUs) or more")
	return errors.Join(errs...)
}

// Fingerprint returns a canonical text of every option that changes the prepared data, for cache
// keys. Workers is left out because it never changes the result.
func (o Options) Fingerprint() []byte {
	return fmt.Appendf(nil, "prep seed=%d max_clicks=%d min_samples_per_task=%d max_rec_history=%d max_search_history=%d max_query_words=%d eval_negatives=%d train_negatives=%d",
		o.Seed, o.MaxClicks, o.MinSamplesPerTask, o.MaxRecHistory, o.MaxSearchHistory, o.MaxQueryWords, o.EvalNegatives, o.TrainNegatives)
}

// Candidates returns the number of candidates ranked per evaluation case, EvalNegatives+1.
func (o Options) Candidates() int { return o.EvalNegatives + 1 }
