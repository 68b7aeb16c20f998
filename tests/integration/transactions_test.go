package integration

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	tc "github.com/raftis/raftis/internal/testcluster"
)

// Clients on the leader and on both followers move amounts between a few
// accounts at once: read-check-write transfers under WATCH (a lost update
// would change the total) and blind MULTI/EXEC transfers without WATCH.
// Every node must end with the same balances, the total conserved, no
// account driven negative by a checked transfer, and some WATCHed
// transactions aborted by the others' writes.
func TestTransactionsConserveTotalAcrossNodes(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	ctx := tc.Ctx(t)
	accounts := []string{"acct:0", "acct:1", "acct:2", "acct:3"}
	const opening, workers, transfers = 1000, 6, 40
	total := int64(opening * len(accounts))
	for _, a := range accounts {
		if err := c.Leader().Client().Set(ctx, a, opening, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}

	var commits, aborts, blind atomic.Int64
	nodes := c.Running()
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		client := nodes[w%len(nodes)].Client()
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range transfers {
				from, to := twoAccounts(r, accounts)
				amount := int64(1 + r.IntN(50))
				if i%4 == 3 {
					_, err := client.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.DecrBy(ctx, from, amount)
						p.IncrBy(ctx, to, amount)
						return nil
					})
					if err != nil {
						errs <- err
						return
					}
					blind.Add(1)
					continue
				}
				err := client.Watch(ctx, func(tx *redis.Tx) error {
					balance, err := tx.Get(ctx, from).Int64()
					if err != nil || balance < amount {
						return err
					}
					_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, from, balance-amount, 0)
						p.IncrBy(ctx, to, amount)
						return nil
					})
					return err
				}, from)
				switch {
				case errors.Is(err, redis.TxFailedErr):
					aborts.Add(1)
				case err != nil:
					errs <- err
					return
				default:
					commits.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("transfer failed: %v", err)
	}
	t.Logf("%d checked transfers ran, %d aborted by WATCH, %d blind transfers", commits.Load(), aborts.Load(), blind.Load())
	if aborts.Load() == 0 {
		t.Errorf("no WATCHed transaction aborted among %d concurrent transfers on %d accounts", workers*transfers, len(accounts))
	}

	c.WaitConverged()
	for _, nd := range c.Running() {
		vals, err := nd.Client().MGet(ctx, accounts...).Result()
		if err != nil {
			t.Fatal(err)
		}
		sum := int64(0)
		for i, v := range vals {
			n, err := strconv.ParseInt(v.(string), 10, 64)
			if err != nil {
				t.Fatalf("%s on %s: %v", accounts[i], nd.ID, err)
			}
			sum += n
		}
		if sum != total {
			t.Errorf("%s: accounts %v sum to %d, want %d", nd.ID, vals, sum, total)
		}
	}
}

func twoAccounts(r *rand.Rand, accounts []string) (from, to string) {
	i := r.IntN(len(accounts))
	j := (i + 1 + r.IntN(len(accounts)-1)) % len(accounts)
	return accounts[i], accounts[j]
}

// A WATCH taken on a follower fails the transaction when the key is
// changed through the leader or through the other follower, deleted by
// FLUSHALL, or expires; a write to another key does not fail it.
func TestWatchOnFollowerSeesWritesMadeElsewhere(t *testing.T) {
	c := tc.Start(t, 3, tc.Options{})
	followers := c.Followers()
	onLeader := dialRaw(t, c.Leader().RedisAddr)
	onFollower := dialRaw(t, followers[0].RedisAddr)
	onOther := dialRaw(t, followers[1].RedisAddr)
	expect := func(conn rawConn, want string, args ...string) {
		t.Helper()
		if got := conn.do(args...); got != want {
			t.Fatalf("%v: %q, want %q", args, got, want)
		}
	}
	// seen waits until the follower serves reply to GET key.
	seen := func(key, reply string) {
		t.Helper()
		tc.Poll(t, 10*time.Second, "follower applies the write to "+key, func() bool { return onFollower.do("GET", key) == reply })
	}
	// watchedTransaction runs WATCH key, then change on another
	// connection, then MULTI SET key EXEC on the follower.
	watchedTransaction := func(key string, change func()) string {
		t.Helper()
		expect(onFollower, "+OK\r\n", "WATCH", key)
		change()
		expect(onFollower, "+OK\r\n", "MULTI")
		expect(onFollower, "+QUEUED\r\n", "SET", key, "from-follower")
		return onFollower.do("EXEC")
	}

	expect(onLeader, "+OK\r\n", "SET", "k", "1")
	seen("k", "$1\r\n1\r\n")
	if got := watchedTransaction("k", func() { expect(onLeader, "+OK\r\n", "SET", "k", "2") }); got != "*-1\r\n" {
		t.Fatalf("EXEC on a follower after the leader changed the watched key: %q, want *-1", got)
	}
	c.WaitConverged()
	expect(onLeader, "$1\r\n2\r\n", "GET", "k")

	if got := watchedTransaction("k", func() { expect(onLeader, "+OK\r\n", "SET", "other", "x") }); got != "*1\r\n+OK\r\n" {
		t.Fatalf("EXEC on a follower after the leader changed another key: %q, want *1 +OK", got)
	}
	if got := watchedTransaction("k", func() { expect(onOther, ":1\r\n", "DEL", "k") }); got != "*-1\r\n" {
		t.Fatalf("EXEC on a follower after the other follower deleted the watched key: %q, want *-1", got)
	}
	if got := watchedTransaction("missing", func() { expect(onOther, "+OK\r\n", "SET", "missing", "now") }); got != "*-1\r\n" {
		t.Fatalf("EXEC on a follower after the other follower created the watched key: %q, want *-1", got)
	}

	expect(onLeader, "+OK\r\n", "SET", "k", "3")
	seen("k", "$1\r\n3\r\n")
	if got := watchedTransaction("k", func() { expect(onLeader, "+OK\r\n", "FLUSHALL") }); got != "*-1\r\n" {
		t.Fatalf("EXEC on a follower after FLUSHALL on the leader: %q, want *-1", got)
	}

	// A watched key that expires fails EXEC, as in Redis 7.0.
	expect(onLeader, "+OK\r\n", "SET", "e", "v", "PX", "1500")
	seen("e", "$1\r\nv\r\n")
	if got := watchedTransaction("e", func() { seen("e", "$-1\r\n") }); got != "*-1\r\n" {
		t.Fatalf("EXEC on a follower after the watched key expired: %q, want *-1", got)
	}
	c.WaitConverged()
}
