// Package config resolves the settings of every run of an experiment from layered TOML
// sources, in the style of RecBole: flat snake_case keys, later layers override earlier ones.
//
// The layers, lowest first, are:
//   - the code defaults;
//   - the model layer: the model's default options and its variant preset;
//   - the dataset layer: the family profile, such as Amazon's smaller L2 penalty;
//   - the experiment file, then a sweep point of the experiment;
//   - the profile named on the command line, such as "quick";
//   - the command line's --data-path, --workers and --set overrides.
//
// Each layer holds the sections [train] (train.Config), [prep] (prep.Options), [data.<name>]
// (source.Spec keys plus synthetic generator keys) and [model.<name>] (the model's options).
//
// Every key is checked against the fields of its section: an unknown key, a value of the wrong
// type or an invalid enumeration value is an error that names the layer's file and line, the
// key, and the accepted keys or values.
package config
