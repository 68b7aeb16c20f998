package server

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/raftis/raftis/fsm"
)

// MEMORY USAGE key [SAMPLES count]
//
// The size is fsm's estimate for the key, kept exact as the value changes,
// so SAMPLES is checked as Redis checks it and otherwise not needed. It is
// a read: on a follower it waits for the connection's own writes, and
// --max-staleness refuses it as any read.
func cmdMemoryUsage(s *Server, c *call) {
	floor, errReply := s.readGate(c.sess)
	if errReply != "" {
		c.reject(errReply)
		return
	}
	for j := 3; j < len(c.args); j++ {
		if !strings.EqualFold(string(c.args[j]), "samples") || j+1 == len(c.args) {
			c.conn.WriteError(fsm.ErrSyntax)
			return
		}
		n, ok := fsm.ParseInt(c.args[j+1])
		switch {
		case !ok:
			c.conn.WriteError(fsm.ErrNotInteger)
			return
		case n < 0:
			c.conn.WriteError(fsm.ErrSyntax)
			return
		}
		j++
	}
	n, ok := s.data.MemoryUsage(c.sess.db, c.args[2], max(s.now().UnixMilli(), floor))
	if !ok {
		c.conn.WriteNull()
		return
	}
	c.conn.WriteInt64(n)
}

// MEMORY MALLOC-STATS: Redis's answer when its allocator is not jemalloc;
// the Go runtime's figures are in INFO memory.
func cmdMemoryMallocStats(_ *Server, c *call) {
	c.conn.WriteBulkString("Stats not supported for the current allocator")
}

// MEMORY PURGE returns the heap the Go runtime does not use to the
// operating system.
func cmdMemoryPurge(_ *Server, c *call) {
	debug.FreeOSMemory()
	c.conn.WriteString("OK")
}

// infoMemory is INFO memory. used_memory is the data set's estimated size
// (fsm.UsedMemory: keys, values and their share of the keyspace), the
// figure maxmemory will be checked against, not the Go heap, which also
// holds the Raft log cache, connection buffers and garbage not yet
// collected: the process's figures are used_memory_rss and the go_*
// fields. Fields keep Redis's order; those Redis's allocator reports
// (allocator_*, fragmentation) have no counterpart and are left out.
func (s *Server) infoMemory() string {
	used := s.updateMemoryPeak()
	peak := s.memoryPeak.Load()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	rss := processRSS()
	if rss == 0 {
		rss = int64(m.Sys)
	}
	maxMemory := s.params.maxMemory.Load()
	kv := []any{
		"used_memory", used, "used_memory_human", humanBytes(uint64(used)),
		"used_memory_rss", rss, "used_memory_rss_human", humanBytes(uint64(rss)),
		"used_memory_peak", peak, "used_memory_peak_human", humanBytes(uint64(peak)),
		"used_memory_peak_perc", percent(used, peak),
		"used_memory_overhead", 0, "used_memory_startup", 0,
		"used_memory_dataset", used, "used_memory_dataset_perc", percent(used, used),
	}
	if total := systemMemory(); total > 0 {
		kv = append(kv, "total_system_memory", total, "total_system_memory_human", humanBytes(uint64(total)))
	}
	kv = append(kv,
		"maxmemory", maxMemory, "maxmemory_human", humanBytes(maxMemory),
		"maxmemory_policy", *s.params.maxMemoryPolicy.Load(),
		"mem_allocator", "go",
		"go_heap_alloc", m.HeapAlloc, "go_heap_inuse", m.HeapInuse, "go_heap_idle", m.HeapIdle,
		"go_heap_released", m.HeapReleased, "go_sys", m.Sys, "go_gc_cycles", m.NumGC,
		"go_goroutines", runtime.NumGoroutine())
	return section("Memory", kv...)
}

// updateMemoryPeak reads used_memory and raises the recorded peak to it.
func (s *Server) updateMemoryPeak() int64 {
	used := s.data.UsedMemory()
	for {
		peak := s.memoryPeak.Load()
		if used <= peak || s.memoryPeak.CompareAndSwap(peak, used) {
			return used
		}
	}
}

// percent formats part/whole as Redis's *_perc fields ("0.00%" when whole
// is zero).
func percent(part, whole int64) string {
	if whole == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", float64(part)*100/float64(whole))
}

// humanBytes formats n as Redis's *_human fields.
func humanBytes(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	d := float64(n)
	for _, unit := range "KMGTP" {
		if d /= 1024; d < 1024 {
			return fmt.Sprintf("%.2f%c", d, unit)
		}
	}
	return strconv.FormatUint(n, 10) + "B" // beyond petabytes, as Redis
}

// processRSS is the resident set size of this process in bytes (Linux;
// 0 where /proc is not available).
func processRSS() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// systemMemory is the machine's memory in bytes (Linux; 0 elsewhere).
func systemMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
