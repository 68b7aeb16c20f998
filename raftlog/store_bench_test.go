package raftlog

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	"go.etcd.io/bbolt"
)

// BenchmarkBoltStoreLogs measures one durable append of a batch of small
// entries, the unit of work behind every write's commit latency.
func BenchmarkBoltStoreLogs(b *testing.B) {
	for _, batch := range []int{1, 16, 64} {
		b.Run(time.Duration(batch).String()[:len(time.Duration(batch).String())-2]+"-entries", func(b *testing.B) {
			store, err := raftboltdb.New(raftboltdb.Options{
				Path:        filepath.Join(b.TempDir(), "raft.db"),
				BoltOptions: &bbolt.Options{Timeout: time.Second, NoFreelistSync: true},
			})
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
