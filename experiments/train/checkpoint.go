package train

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/srbench/srbench/experiments/protocol"
	"github.com/srbench/srbench/nn"
	"github.com/srbench/srbench/nn/checkpoint"
	"github.com/srbench/srbench/nn/optim"
)

// Keys of the trainer's entries in a checkpoint's Extra map.
const (
	extraState = "train.state"
	extraBest  = "train.best_weights"
)

// stateVersion is the version of savedState that save writes and resume reads.
const stateVersion = 1

// savedState is the trainer state besides weights and optimizer moments, stored as JSON.
type savedState struct {
	Version   int              `json:"version"`
	Config    Config           `json:"config"`
	Epoch     int              `json:"epoch"`
	Stopped   bool             `json:"stopped"`
	Records   []EpochRecord    `json:"records"`
	Early     savedEarly       `json:"early"`
	Plateau   *savedPlateau    `json:"plateau,omitempty"`
	BestValid *protocol.Result `json:"best_valid,omitempty"`
}

// savedEarly is optim.EarlyStoppingState with Best stored as text, because it is -Inf before
// the first improvement and JSON has no infinities.
type savedEarly struct {
	Best            string `json:"best"`
	BestEpoch       int    `json:"best_epoch"`
	EpochsSinceBest int    `json:"epochs_since_best"`
	Epochs          int    `json:"epochs"`
}

// savedPlateau is optim.PlateauState with Best stored as text, for the same reason.
type savedPlateau struct {
	Best         string `json:"best"`
	BadEpochs    int    `json:"bad_epochs"`
	CooldownLeft int    `json:"cooldown_left"`
	Epochs       int    `json:"epochs"`
	Reductions   int    `json:"reductions"`
}

// savedRNG is the position of the trainer's random streams. Every stream is derived from
// (Seed, epoch, step, shard), so the number of completed epochs fixes all of them.
type savedRNG struct {
	Seed   uint64 `json:"seed"`
	Epochs int    `json:"epochs"`
}

// save writes the whole training state to Options.Checkpoint atomically.
func (t *trainer) save() error {
	state := savedState{
		Version: stateVersion, Config: t.cfg, Epoch: t.epoch, Stopped: t.stopped, Records: t.records,
		BestValid: t.bestValid,
	}
	es := t.early.State()
	state.Early = savedEarly{formatFloat(es.Best), es.BestEpoch, es.EpochsSinceBest, es.Epochs}
	contents := checkpoint.Contents{Epoch: int64(t.epoch)}
	if t.opt != nil {
		ps := t.plateau.State()
		state.Plateau = &savedPlateau{formatFloat(ps.Best), ps.BadEpochs, ps.CooldownLeft, ps.Epochs, ps.Reductions}
		contents.Step = t.opt.Steps()
		contents.Optimizer = t.opt.State()
	}
	stateJSON, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("train: encoding the training state for %s: %w", t.opts.Checkpoint, err)
	}
	rngJSON, err := json.Marshal(savedRNG{Seed: t.cfg.Seed, Epochs: t.epoch})
	if err != nil {
		return fmt.Errorf("train: encoding the random stream positions for %s: %w", t.opts.Checkpoint, err)
	}
	contents.RNG = rngJSON
	contents.Extra = map[string][]byte{extraState: stateJSON, extraBest: encodeWeights(t.best)}
	if err := checkpoint.Save(t.opts.Checkpoint, t.params, contents); err != nil {
		return fmt.Errorf("train: epoch %d: %w", t.epoch, err)
	}
	return nil
}

// resume loads Options.Checkpoint into the model, the optimizer and the trainer. On error the
// model's parameters may already hold the checkpoint's values.
func (t *trainer) resume() error {
	path := t.opts.Checkpoint
	loaded, err := checkpoint.Load(path, t.params, checkpoint.LoadOptions{})
	if err != nil {
		return fmt.Errorf("train: resuming: %w", err)
	}
	var state savedState
	if err := json.Unmarshal(loaded.Extra[extraState], &state); err != nil {
		return fmt.Errorf("train: resuming from %s: entry %q is missing or invalid (was the file written by the trainer?): %w", path, extraState, err)
	}
	if err := t.checkResumable(path, &state, loaded); err != nil {
		return err
	}
	if err := t.restoreSchedules(path, &state, loaded); err != nil {
		return err
	}
	best, err := decodeWeights(loaded.Extra[extraBest], t.params)
	if err != nil {
		return fmt.Errorf("train: resuming from %s: entry %q: %w", path, extraBest, err)
	}
	t.best, t.bestValid = best, state.BestValid
	t.epoch, t.stopped, t.records = state.Epoch, state.Stopped, state.Records
	t.log.Info("resumed training", "path", path, "completed_epochs", t.epoch, "best_epoch", t.early.BestEpoch())
	return nil
}

// checkResumable rejects a checkpoint written by another version, configuration or seed.
func (t *trainer) checkResumable(path string, state *savedState, loaded *checkpoint.Loaded) error {
	if state.Version != stateVersion {
		return fmt.Errorf("train: resuming from %s: training state version %d, this trainer reads %d; start the run again", path, state.Version, stateVersion)
	}
	if state.Config != t.cfg {
		return fmt.Errorf("train: resuming from %s: the checkpoint was written with config %+v, this run has %+v; resume with the same config", path, state.Config, t.cfg)
	}
	var rng savedRNG
	if err := json.Unmarshal(loaded.RNG, &rng); err != nil {
		return fmt.Errorf("train: resuming from %s: invalid random stream positions: %w", path, err)
	}
	if rng.Seed != t.cfg.Seed || rng.Epochs != state.Epoch || int64(state.Epoch) != loaded.Epoch || len(state.Records) != state.Epoch {
		return fmt.Errorf("train: resuming from %s: inconsistent checkpoint (seed %d, epochs %d in the random streams, %d in the file, %d in the state, %d records); start the run again",
			path, rng.Seed, rng.Epochs, loaded.Epoch, state.Epoch, len(state.Records))
	}
	return nil
}

// restoreSchedules restores early stopping, the plateau schedule and the optimizer.
func (t *trainer) restoreSchedules(path string, state *savedState, loaded *checkpoint.Loaded) error {
	best, err := parseFloat(state.Early.Best)
	if err != nil {
		return fmt.Errorf("train: resuming from %s: early-stopping best: %w", path, err)
	}
	es := optim.EarlyStoppingState{Best: best, BestEpoch: state.Early.BestEpoch, EpochsSinceBest: state.Early.EpochsSinceBest, Epochs: state.Early.Epochs}
	if err := t.early.SetState(es); err != nil {
		return fmt.Errorf("train: resuming from %s: %w", path, err)
	}
	if t.opt == nil {
		return nil
	}
	if state.Plateau == nil || loaded.Optimizer == nil {
		return fmt.Errorf("train: resuming from %s: the checkpoint has no optimizer or plateau state but the model has parameters", path)
	}
	if err := t.opt.SetState(loaded.Optimizer); err != nil {
		return fmt.Errorf("train: resuming from %s: %w", path, err)
	}
	sp := state.Plateau
	pbest, err := parseFloat(sp.Best)
	if err != nil {
		return fmt.Errorf("train: resuming from %s: plateau best: %w", path, err)
	}
	ps := optim.PlateauState{Best: pbest, BadEpochs: sp.BadEpochs, CooldownLeft: sp.CooldownLeft, Epochs: sp.Epochs, Reductions: sp.Reductions}
	if err := t.plateau.SetState(ps); err != nil {
		return fmt.Errorf("train: resuming from %s: %w", path, err)
	}
	return nil
}

// encodeWeights concatenates the weights as little-endian float32; nil gives an empty blob.
func encodeWeights(weights [][]float32) []byte {
	n := 0
	for _, w := range weights {
		n += len(w)
	}
	out := make([]byte, 0, 4*n)
	for _, w := range weights {
		for _, x := range w {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(x))
		}
	}
	return out
}

// decodeWeights splits a blob from encodeWeights into one slice per parameter. An empty blob
// gives nil (no best epoch yet).
func decodeWeights(blob []byte, params []*nn.Param) ([][]float32, error) {
	if len(blob) == 0 {
		return nil, nil
	}
	want := 4 * optim.CountParams(params)
	if len(blob) != want {
		return nil, fmt.Errorf("invalid size %d bytes; the model's weights take %d bytes, so the checkpoint belongs to another model", len(blob), want)
	}
	out := make([][]float32, len(params))
	off := 0
	for i, p := range params {
		w := make([]float32, len(p.Value.Data))
		for j := range w {
			w[j] = math.Float32frombits(binary.LittleEndian.Uint32(blob[off:]))
			off += 4
		}
		out[i] = w
	}
	return out, nil
}

// formatFloat writes x as text that parseFloat reads back exactly, infinities included.
func formatFloat(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func parseFloat(s string) (float64, error) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q: %w", s, err)
	}
	return x, nil
}
