package train

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// returnMemory runs a garbage collection and returns the freed memory to the OS. The trainer
// calls it between training and evaluation, after dropping the tapes of the phase that ended.
// Without it the next phase would allocate its own tapes before the collector has noticed that
// the old ones are garbage, so the process would briefly hold both phases' buffers. A call
// costs one collection of the live heap (parameters, optimizer state and data), which is small
// next to an epoch.
func returnMemory() {
	debug.FreeOSMemory()
}

// peakRSS returns the process's peak resident set size in bytes, read as VmHWM from
// /proc/self/status on Linux. Where that file is missing or unreadable it returns
// runtime.MemStats.Sys instead: the memory the Go runtime obtained from the OS, which bounds
// the Go heap's share of the RSS from above but is not a peak.
func peakRSS() int64 {
	if n, ok := readVmHWM("/proc/self/status"); ok {
		return n
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.Sys)
}

// readVmHWM parses the "VmHWM:  123456 kB" line of a Linux status file.
func readVmHWM(path string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	return parseVmHWM(data)
}

func parseVmHWM(data []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		rest, found := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:"))
		if !found {
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}
