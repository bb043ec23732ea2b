package prep

// Report counts what preprocessing kept and what each filter removed. Arrays are indexed by
// datasets.Kind (Rec, then Search). For each scenario,
//
//	Formed = NoEarlierRec + NoEarlierSearch + FewSamples + FewNegatives + Kept
//
// and Formed counts one sample per recommendation click and one per clicked item among the
// first Options.MaxClicks of each search session.
type Report struct {
	// Users is the number of users in the dataset and KeptUsers the number with samples.
	Users, KeptUsers int
	// Behaviors counts the stream events of each scenario.
	Behaviors [2]int
	// EmptySessions counts search sessions without a clicked item, which give no sample.
	EmptySessions int
	// ExtraClicks counts clicked items past Options.MaxClicks in a session, which give no sample.
	ExtraClicks int
	// Formed counts candidate samples before any filter.
	Formed [2]int
	// NoEarlierRec counts samples dropped because no recommendation click precedes them
	// (whether or not a search does).
	NoEarlierRec [2]int
	// NoEarlierSearch counts samples dropped because a recommendation click but no search
	// session precedes them.
	NoEarlierSearch [2]int
	// FewSamplesUsers counts users dropped for having fewer than Options.MinSamplesPerTask
	// samples in a scenario after the filters above; FewSamples counts their samples.
	FewSamplesUsers int
	FewSamples      [2]int
	// FewNegativesUsers counts users dropped because fewer than Options.EvalNegatives (or
	// TrainNegatives, if larger) items remain that they never interacted with; FewNegatives
	// counts their samples.
	FewNegativesUsers int
	FewNegatives      [2]int
	// Kept counts samples in the splits (train + valid + test).
	Kept [2]int
}

// add accumulates another partial report (one user's counts) into r.
func (r *Report) add(o *Report) {
	r.Users += o.Users
	r.KeptUsers += o.KeptUsers
	r.EmptySessions += o.EmptySessions
	r.ExtraClicks += o.ExtraClicks
	r.FewSamplesUsers += o.FewSamplesUsers
	r.FewNegativesUsers += o.FewNegativesUsers
	for k := range 2 {
		r.Behaviors[k] += o.Behaviors[k]
		r.Formed[k] += o.Formed[k]
		r.NoEarlierRec[k] += o.NoEarlierRec[k]
		r.NoEarlierSearch[k] += o.NoEarlierSearch[k]
		r.FewSamples[k] += o.FewSamples[k]
		r.FewNegatives[k] += o.FewNegatives[k]
		r.Kept[k] += o.Kept[k]
	}
}

// Fields returns the report as named integers in a fixed order, for serialisation; SetFields is
// its inverse.
func (r *Report) Fields() []int64 {
	out := []int64{int64(r.Users), int64(r.KeptUsers), int64(r.EmptySessions), int64(r.ExtraClicks),
		int64(r.FewSamplesUsers), int64(r.FewNegativesUsers)}
	for k := range 2 {
		out = append(out, int64(r.Behaviors[k]), int64(r.Formed[k]), int64(r.NoEarlierRec[k]),
			int64(r.NoEarlierSearch[k]), int64(r.FewSamples[k]), int64(r.FewNegatives[k]), int64(r.Kept[k]))
	}
	return out
}

// reportFieldCount is len(Report.Fields()).
const reportFieldCount = 6 + 2*7

// SetFields sets r from the output of Fields. It returns false, leaving r unchanged, if the
// count of values is wrong.
func (r *Report) SetFields(v []int64) bool {
	if len(v) != reportFieldCount {
		return false
	}
	r.Users, r.KeptUsers, r.EmptySessions, r.ExtraClicks = int(v[0]), int(v[1]), int(v[2]), int(v[3])
	r.FewSamplesUsers, r.FewNegativesUsers = int(v[4]), int(v[5])
	for k := range 2 {
		w := v[6+7*k:]
		r.Behaviors[k], r.Formed[k], r.NoEarlierRec[k] = int(w[0]), int(w[1]), int(w[2])
		r.NoEarlierSearch[k], r.FewSamples[k], r.FewNegatives[k], r.Kept[k] = int(w[3]), int(w[4]), int(w[5]), int(w[6])
	}
	return true
}
