package e2e

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// client is a go-redis client of n that never retries: a write counts as
// acknowledged only when this one attempt got OK.
func client(t testing.TB, n *node) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: n.addr(), Protocol: 2, DisableIdentity: true, MaxRetries: -1,
		DialTimeout: 2 * time.Second, ReadTimeout: 6 * time.Second, WriteTimeout: 6 * time.Second,
		PoolSize: 8,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// writer SETs distinct keys continuously from a few goroutines, spread
// over clients, and records every write that was acknowledged with OK.
type writer struct {
	mu     sync.Mutex
	acked  map[string]string
	errs   int
	last   error
	quit   chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
	cancel context.CancelFunc
}

// startWriter starts workers goroutines writing prefix:<worker>:<i>; each
// stops after perWorker writes, after limit, or when stop is called.
func startWriter(clients []*redis.Client, prefix string, workers, perWorker int, limit time.Duration) *writer {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	w := &writer{acked: map[string]string{}, quit: make(chan struct{}), cancel: cancel}
	for wk := range workers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for i := 0; i < perWorker && ctx.Err() == nil; i++ {
				select {
				case <-w.quit:
					return
				default:
				}
				key := fmt.Sprintf("%s:%d:%d", prefix, wk, i)
				val := fmt.Sprintf("v%d-%d", wk, i)
				cctx, ccancel := context.WithTimeout(ctx, 8*time.Second)
				err := clients[(wk+i)%len(clients)].Set(cctx, key, val, 0).Err()
				ccancel()
				w.mu.Lock()
				if err == nil {
					w.acked[key] = val
				} else {
					w.errs++
					w.last = err
				}
				w.mu.Unlock()
				if err != nil {
					// Pace retries while the cluster has no leader or a
					// node is down: errors come back at once.
					select {
					case <-w.quit:
						return
					case <-ctx.Done():
						return
					case <-time.After(20 * time.Millisecond):
					}
				}
			}
		}()
	}
	return w
}

func (w *writer) count() (int, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked), fmt.Sprintf("%d acknowledged, %d errors, last error: %v", len(w.acked), w.errs, w.last)
}

// waitAcked waits until at least n writes have been acknowledged.
func (w *writer) waitAcked(t testing.TB, n int, timeout time.Duration, what string) {
	t.Helper()
	poll(t, timeout, what, func() (bool, string) {
		c, detail := w.count()
		return c >= n, detail
	})
}

// stop ends the writes and returns the acknowledged ones. It may be
// called more than once.
func (w *writer) stop() map[string]string {
	w.once.Do(func() {
		close(w.quit)
		w.wg.Wait()
		w.cancel()
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make(map[string]string, len(w.acked))
	for k, v := range w.acked {
		out[k] = v
	}
	return out
}

// missingKeys reads every key of want from n (pipelined GETs) and returns
// the ones whose value is not the expected one, sorted, with a detail.
func missingKeys(c *redis.Client, want map[string]string) ([]string, error) {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var missing []string
	for start := 0; start < len(keys); start += 500 {
		chunk := keys[start:min(start+500, len(keys))]
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		pipe := c.Pipeline()
		cmds := make([]*redis.StringCmd, len(chunk))
		for i, k := range chunk {
			cmds[i] = pipe.Get(ctx, k)
		}
		_, err := pipe.Exec(ctx)
		cancel()
		if err != nil && err != redis.Nil {
			return nil, err
		}
		for i, cmd := range cmds {
			if v, err := cmd.Result(); err != nil || v != want[chunk[i]] {
				missing = append(missing, chunk[i])
			}
		}
	}
	return missing, nil
}

// waitKeys waits until n serves every key of want with its value: a
// follower may apply the last entries a moment after the leader.
func waitKeys(t testing.TB, n *node, want map[string]string, timeout time.Duration) {
	t.Helper()
	c := client(t, n)
	poll(t, timeout, fmt.Sprintf("%s to serve all %d acknowledged writes", n.id, len(want)), func() (bool, string) {
		missing, err := missingKeys(c, want)
		if err != nil {
			return false, err.Error()
		}
		if len(missing) > 0 {
			return false, fmt.Sprintf("%d missing or wrong, e.g. %q", len(missing), missing[:min(5, len(missing))])
		}
		return true, ""
	})
}
