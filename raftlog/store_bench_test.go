package raftlog

import (
	"fmt"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// BenchmarkStoreLogs measures one durable append of a batch of small
// entries on each store, the unit of work behind every write's commit
// latency (on each node, in series: leader, then follower).
func BenchmarkStoreLogs(b *testing.B) {
	for _, kind := range stores {
		for _, batch := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/%d-entries", kind, batch), func(b *testing.B) {
				store, err := openStore(kind, b.TempDir(), 0, hclog.NewNullLogger())
				if err != nil {
					b.Fatal(err)
				}
				defer store.Close()
				data := make([]byte, 40)
				index := uint64(1)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					logs := make([]*raft.Log, batch)
					for j := range logs {
						logs[j] = &raft.Log{Index: index, Term: 1, Type: raft.LogCommand, Data: data}
						index++
					}
					if err := store.StoreLogs(logs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
