package cache

import (
	"github.com/srbench/srbench/datasets"
	"github.com/srbench/srbench/datasets/prep"
)

// encodeDataset writes a dataset as flat arrays: per table, one array per field.
func encodeDataset(e *encoder, ds *datasets.Dataset) {
	e.bytes([]byte(ds.Name))
	e.strings(len(ds.Words), func(i int) string { return ds.Words[i] })
	e.strings(len(ds.Categories), func(i int) string { return ds.Categories[i] })
	e.u64(uint64(len(ds.FeatureCardinality)))
	for _, c := range ds.FeatureCardinality {
		e.put64(int64(c))
	}
	e.endArray()

	e.strings(len(ds.Items), func(i int) string { return ds.Items[i].Key })
	e.ragged(len(ds.Items), func(i int) []int32 { return ds.Items[i].Categories })
	e.ragged(len(ds.Items), func(i int) []int32 { return ds.Items[i].Tokens })
	e.ragged(len(ds.Queries), func(i int) []int32 { return ds.Queries[i].Words })

	e.strings(len(ds.Users), func(i int) string { return ds.Users[i].Key })
	e.ragged(len(ds.Users), func(i int) []int32 { return ds.Users[i].Features })
	encodeStreams(e, ds.Users)
}

// encodeStreams writes the stream lengths, then each Behavior field over all users in order,
// streaming every array so that no copy of the events is built.
func encodeStreams(e *encoder, users []datasets.User) {
	total := 0
	e.u64(uint64(len(users)))
	for i := range users {
		e.put32(int32(len(users[i].Stream)))
		total += len(users[i].Stream)
	}
	e.endArray()
	each := func(put func(b *datasets.Behavior)) {
		e.u64(uint64(total))
		for i := range users {
			for j := range users[i].Stream {
				put(&users[i].Stream[j])
			}
		}
		e.endArray()
	}
	each(func(b *datasets.Behavior) { e.put64(b.Time) })
	each(func(b *datasets.Behavior) { e.put8(byte(b.Kind)) })
	each(func(b *datasets.Behavior) { e.put32(b.Item) })
	each(func(b *datasets.Behavior) { e.put32(b.Query) })
	each(func(b *datasets.Behavior) { e.put32(int32(len(b.Clicks))) })
	clicks := 0
	for i := range users {
		for j := range users[i].Stream {
			clicks += len(users[i].Stream[j].Clicks)
		}
	}
	e.u64(uint64(clicks))
	for i := range users {
		for j := range users[i].Stream {
			for _, c := range users[i].Stream[j].Clicks {
				e.put32(c)
			}
		}
	}
	e.endArray()
}

func decodeDataset(d *decoder) *datasets.Dataset {
	ds := &datasets.Dataset{Name: string(d.bytes("name"))}
	ds.Words = d.strings("words")
	ds.Categories = d.strings("categories")
	for _, c := range d.int64s("feature cardinality") {
		ds.FeatureCardinality = append(ds.FeatureCardinality, int(c))
	}

	keys := d.strings("item keys")
	cats := d.ragged("item categories")
	tokens := d.ragged("item tokens")
	if d.err == nil && (len(cats) != len(keys) || len(tokens) != len(keys)) {
		d.fail("items: %d keys, %d category paths, %d token lists", len(keys), len(cats), len(tokens))
	}
	if d.err != nil {
		return nil
	}
	ds.Items = make([]datasets.Item, len(keys))
	for i := range keys {
		ds.Items[i] = datasets.Item{Key: keys[i], Categories: cats[i], Tokens: tokens[i]}
	}
	for _, w := range d.ragged("query words") {
		ds.Queries = append(ds.Queries, datasets.Query{Words: w})
	}

	keys = d.strings("user keys")
	features := d.ragged("user features")
	if d.err == nil && len(features) != len(keys) {
		d.fail("users: %d keys, %d feature lists", len(keys), len(features))
	}
	if d.err != nil {
		return nil
	}
	ds.Users = make([]datasets.User, len(keys))
	for i := range keys {
		ds.Users[i] = datasets.User{Key: keys[i], Features: features[i]}
	}
	decodeStreams(d, ds.Users)
	return ds
}

func decodeStreams(d *decoder, users []datasets.User) {
	lens := d.int32s("stream lengths")
	times := d.int64s("event times")
	kinds := d.bytes("event kinds")
	items := d.int32s("event items")
	queries := d.int32s("event queries")
	clicks := d.ragged("event clicks")
	if d.err != nil {
		return
	}
	if len(lens) != len(users) {
		d.fail("streams: %d lengths for %d users", len(lens), len(users))
		return
	}
	total := 0
	for _, n := range lens {
		if n < 0 {
			d.fail("streams: negative length %d", n)
			return
		}
		total += int(n)
	}
	if len(times) != total || len(kinds) != total || len(items) != total || len(queries) != total || len(clicks) != total {
		d.fail("streams: lengths sum to %d events, fields hold %d/%d/%d/%d/%d", total, len(times), len(kinds), len(items), len(queries), len(clicks))
		return
	}
	all := make([]datasets.Behavior, total)
	for i := range all {
		all[i] = datasets.Behavior{Time: times[i], Kind: datasets.Kind(kinds[i]), Item: items[i], Query: queries[i], Clicks: clicks[i]}
	}
	at := 0
	for u, n := range lens {
		users[u].Stream = all[at : at+int(n) : at+int(n)]
		at += int(n)
	}
}

// optionFields lists the options that Fingerprint covers, in a fixed order.
func optionFields(o *prep.Options) []*int {
	return []*int{&o.MaxClicks, &o.MinSamplesPerTask, &o.MaxRecHistory, &o.MaxSearchHistory,
		&o.MaxQueryWords, &o.EvalNegatives, &o.TrainNegatives}
}

func encodePrepared(e *encoder, p *prep.Prepared) {
	encodeDataset(e, p.Dataset)
	opts := p.Options
	fields := []int64{int64(opts.Seed)}
	for _, f := range optionFields(&opts) {
		fields = append(fields, int64(*f))
	}
	e.int64s(fields)
	e.int64s(p.Report.Fields())
	for k := range p.Tasks {
		t := &p.Tasks[k]
		for _, split := range []prep.Split{prep.Train, prep.Valid, prep.Test} {
			e.int32s(flattenSamples(t.Samples(split)))
		}
		e.int32s(t.ValidCandidates)
		e.int32s(t.TestCandidates)
	}
}

func decodePrepared(d *decoder) (ds *datasets.Dataset, opts prep.Options, tasks [2]prep.Task, report prep.Report) {
	ds = decodeDataset(d)
	fields := d.int64s("options")
	if d.err == nil && len(fields) != 1+len(optionFields(&opts)) {
		d.fail("options: %d values, want %d", len(fields), 1+len(optionFields(&opts)))
	}
	if d.err != nil {
		return
	}
	opts.Seed = uint64(fields[0])
	for i, f := range optionFields(&opts) {
		*f = int(fields[1+i])
	}
	if r := d.int64s("report"); d.err == nil && !report.SetFields(r) {
		d.fail("report: %d values", len(r))
	}
	for k := range tasks {
		t := &tasks[k]
		t.Train = unflattenSamples(d, "train samples")
		t.Valid = unflattenSamples(d, "validation samples")
		t.Test = unflattenSamples(d, "test samples")
		t.ValidCandidates = d.int32s("validation candidates")
		t.TestCandidates = d.int32s("test candidates")
	}
	return
}

func flattenSamples(s []prep.Sample) []int32 {
	out := make([]int32, 0, 3*len(s))
	for _, x := range s {
		out = append(out, x.User, x.Event, x.Target)
	}
	return out
}

func unflattenSamples(d *decoder, what string) []prep.Sample {
	flat := d.int32s(what)
	if d.err == nil && len(flat)%3 != 0 {
		d.fail("%s: %d values, not a multiple of 3", what, len(flat))
	}
	if d.err != nil {
		return nil
	}
	out := make([]prep.Sample, len(flat)/3)
	for i := range out {
		out[i] = prep.Sample{User: flat[3*i], Event: flat[3*i+1], Target: flat[3*i+2]}
	}
	return out
}
