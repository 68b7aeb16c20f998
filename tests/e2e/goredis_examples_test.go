package e2e

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The programs below are what Redis users write with go-redis, one per
// data type, unchanged: a plain redis.NewClient with the library's
// defaults (it asks for RESP3 with HELLO and falls back to RESP2). Each
// runs with app, a client of the node under test, and peer, a client of
// another node of the same cluster; a value peer reads may lag app's
// writes by the replication delay, so peer reads are polled.

// goRedisExample is one such program. keys prefixes every key it uses.
type goRedisExample struct {
	name string
	run  func(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string)
}

var goRedisExamples = []goRedisExample{
	{"session store (hashes, expiry)", sessionStoreExample},
	{"job queue (LPUSH, BRPOP, BLMOVE)", jobQueueExample},
	{"leaderboard (sorted sets)", leaderboardExample},
	{"tags (sets)", tagsExample},
	{"rate limiter (INCR, EXPIRE, sorted-set window)", rateLimiterExample},
	{"daily active users (bitmaps)", dailyActiveUsersExample},
	{"unique visitors (HyperLogLog)", uniqueVisitorsExample},
}

// Every example against the leader and against a follower of one 3-node
// cluster (a follower forwards the writes and serves the reads), and
// against redis-server, which shows that the examples expect what Redis
// does.
func TestGoRedisExamples(t *testing.T) {
	runOnTargets(t, userClient, func(t *testing.T, target string, app, peer *redis.Client) {
		for _, ex := range goRedisExamples {
			t.Run(ex.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				ex.run(t, ctx, app, peer, target+":")
			})
		}
	})
}

// userClient is a go-redis client of addr as an application makes one: the
// library's defaults, nothing tuned for raftis.
func userClient(t testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// must fails the test when err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eventually polls read until it returns want, for reads on the peer node.
func eventually[T comparable](t *testing.T, what string, want T, read func() (T, error)) {
	t.Helper()
	poll(t, 10*time.Second, fmt.Sprintf("%s to be %v", what, want), func() (bool, string) {
		got, err := read()
		return err == nil && got == want, fmt.Sprintf("got %v, %v", got, err)
	})
}

// A web session in a hash with a sliding expiry.
func sessionStoreExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	sid := keys + "session:8f14e45f"
	must(t, "HSET", app.HSet(ctx, sid, "user_id", 42, "name", "Ada", "cart_items", 0).Err())
	must(t, "EXPIRE", app.Expire(ctx, sid, 30*time.Minute).Err())
	if n, err := app.HIncrBy(ctx, sid, "cart_items", 3).Result(); err != nil || n != 3 {
		t.Errorf("HINCRBY cart_items 3 = %d, %v; want 3", n, err)
	}
	got, err := app.HGetAll(ctx, sid).Result()
	want := map[string]string{"user_id": "42", "name": "Ada", "cart_items": "3"}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("HGETALL = %v, %v; want %v", got, err, want)
	}
	var session struct {
		UserID int    `redis:"user_id"`
		Name   string `redis:"name"`
		Items  int    `redis:"cart_items"`
	}
	if err := app.HGetAll(ctx, sid).Scan(&session); err != nil || session.UserID != 42 || session.Name != "Ada" || session.Items != 3 {
		t.Errorf("HGETALL scanned into a struct = %+v, %v", session, err)
	}
	if ttl, err := app.TTL(ctx, sid).Result(); err != nil || ttl <= 29*time.Minute || ttl > 30*time.Minute {
		t.Errorf("TTL = %v, %v; want just under 30m", ttl, err)
	}
	if vals, err := app.HMGet(ctx, sid, "name", "missing").Result(); err != nil || len(vals) != 2 || vals[0] != "Ada" || vals[1] != nil {
		t.Errorf("HMGET name missing = %v, %v; want [Ada <nil>]", vals, err)
	}
	must(t, "HDEL", app.HDel(ctx, sid, "cart_items").Err())
	if ok, err := app.HExists(ctx, sid, "cart_items").Result(); err != nil || ok {
		t.Errorf("HEXISTS after HDEL = %v, %v; want false", ok, err)
	}
	eventually(t, "HLEN on the peer", int64(2), func() (int64, error) { return peer.HLen(ctx, sid).Result() })

	// A session that is not renewed expires, on every node.
	short := keys + "session:short"
	must(t, "HSET", app.HSet(ctx, short, "user_id", 7).Err())
	must(t, "PEXPIRE", app.PExpire(ctx, short, 300*time.Millisecond).Err())
	for _, c := range []*redis.Client{app, peer} {
		eventually(t, "EXISTS of the expired session", int64(0), func() (int64, error) { return c.Exists(ctx, short).Result() })
	}
	if got, err := app.HGetAll(ctx, short).Result(); err != nil || len(got) != 0 {
		t.Errorf("HGETALL of an expired session = %v, %v; want empty", got, err)
	}
}

// A work queue: a worker blocks on one node, a producer pushes on another;
// jobs come out first in, first out, each once.
func jobQueueExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	queue := keys + "queue:emails"
	producer, worker := app, peer
	blockedBefore := blockedClients(t, ctx, worker)
	type popped struct {
		kv  []string
		err error
	}
	first := make(chan popped, 1)
	go func() {
		kv, err := worker.BRPop(ctx, 10*time.Second, queue).Result()
		first <- popped{kv, err}
	}()
	poll(t, 10*time.Second, "the worker to block on BRPOP", func() (bool, string) {
		n := blockedClients(t, ctx, worker)
		return n > blockedBefore, fmt.Sprintf("blocked_clients %d", n)
	})
	if n, err := producer.LPush(ctx, queue, "job:1", "job:2", "job:3").Result(); err != nil || n != 3 {
		t.Fatalf("LPUSH of 3 jobs = %d, %v; want 3", n, err)
	}
	var p popped
	select {
	case p = <-first:
	case <-ctx.Done():
		t.Fatal("the blocked worker got no job")
	}
	if p.err != nil || !slices.Equal(p.kv, []string{queue, "job:1"}) {
		t.Fatalf("blocked BRPOP = %q, %v; want [%s job:1]", p.kv, p.err, queue)
	}
	for _, want := range []string{"job:2", "job:3"} {
		kv, err := worker.BRPop(ctx, time.Second, queue).Result()
		if err != nil || len(kv) != 2 || kv[1] != want {
			t.Errorf("BRPOP = %q, %v; want %s", kv, err, want)
		}
	}
	// An empty queue times out with a nil reply (go-redis sends whole
	// seconds: 1 is its shortest timeout).
	start := time.Now()
	if kv, err := worker.BRPop(ctx, time.Second, queue).Result(); !errors.Is(err, redis.Nil) {
		t.Errorf("BRPOP on an empty queue = %q, %v; want redis.Nil", kv, err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("BRPOP with a 1s timeout returned after %v", waited)
	}
	if n, err := producer.Exists(ctx, queue).Result(); err != nil || n != 0 {
		t.Errorf("EXISTS of the drained queue = %d, %v; want 0", n, err)
	}

	// Reliable queue: BLMOVE to a processing list, then LREM when done.
	processing := keys + "queue:processing"
	must(t, "RPUSH", producer.RPush(ctx, queue, "job:4").Err())
	if job, err := worker.BLMove(ctx, queue, processing, "RIGHT", "LEFT", time.Second).Result(); err != nil || job != "job:4" {
		t.Errorf("BLMOVE = %q, %v; want job:4", job, err)
	}
	if items, err := worker.LRange(ctx, processing, 0, -1).Result(); err != nil || !slices.Equal(items, []string{"job:4"}) {
		t.Errorf("LRANGE processing = %q, %v; want [job:4]", items, err)
	}
	if n, err := worker.LRem(ctx, processing, 1, "job:4").Result(); err != nil || n != 1 {
		t.Errorf("LREM processing 1 job:4 = %d, %v; want 1", n, err)
	}
}

// blockedClients is INFO clients' blocked_clients of c's node.
func blockedClients(t *testing.T, ctx context.Context, c *redis.Client) int {
	t.Helper()
	info, err := c.Info(ctx, "clients").Result()
	must(t, "INFO clients", err)
	n, err := strconv.Atoi(infoFields(info)["blocked_clients"])
	must(t, "blocked_clients", err)
	return n
}

// A game's leaderboard.
func leaderboardExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	board := keys + "leaderboard:weekly"
	added, err := app.ZAdd(ctx, board,
		redis.Z{Score: 100, Member: "alice"}, redis.Z{Score: 85, Member: "bob"}, redis.Z{Score: 120, Member: "carol"}).Result()
	if err != nil || added != 3 {
		t.Fatalf("ZADD of 3 players = %d, %v; want 3", added, err)
	}
	if score, err := app.ZIncrBy(ctx, board, 50, "bob").Result(); err != nil || score != 135 {
		t.Errorf("ZINCRBY bob 50 = %v, %v; want 135", score, err)
	}
	top, err := app.ZRevRangeWithScores(ctx, board, 0, 2).Result()
	want := []redis.Z{{Score: 135, Member: "bob"}, {Score: 120, Member: "carol"}, {Score: 100, Member: "alice"}}
	if err != nil || !slices.Equal(top, want) {
		t.Errorf("ZREVRANGE 0 2 WITHSCORES = %v, %v; want %v", top, err, want)
	}
	if rank, err := app.ZRank(ctx, board, "alice").Result(); err != nil || rank != 0 {
		t.Errorf("ZRANK alice = %d, %v; want 0", rank, err)
	}
	if rank, err := app.ZRevRank(ctx, board, "alice").Result(); err != nil || rank != 2 {
		t.Errorf("ZREVRANK alice = %d, %v; want 2", rank, err)
	}
	if _, err := app.ZRank(ctx, board, "nobody").Result(); !errors.Is(err, redis.Nil) {
		t.Errorf("ZRANK of a missing player: %v, want redis.Nil", err)
	}
	// Only raise a score (a player's best), never lower it.
	must(t, "ZADD GT", app.ZAddGT(ctx, board, redis.Z{Score: 90, Member: "carol"}, redis.Z{Score: 150, Member: "alice"}).Err())
	if n, err := app.ZCount(ctx, board, "(120", "+inf").Result(); err != nil || n != 2 {
		t.Errorf("ZCOUNT (120 +inf = %d, %v; want 2 (alice 150, bob 135)", n, err)
	}
	eventually(t, "ZSCORE carol on the peer", 120.0, func() (float64, error) { return peer.ZScore(ctx, board, "carol").Result() })
	eventually(t, "the peer's leader", "alice", func() (string, error) {
		top, err := peer.ZRangeArgs(ctx, redis.ZRangeArgs{Key: board, Start: 0, Stop: 0, Rev: true}).Result()
		if len(top) == 0 {
			return "", err
		}
		return top[0], err
	})
}

// Tags of articles, and the articles two tags share.
func tagsExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	a1, a2, a3 := keys+"article:1:tags", keys+"article:2:tags", keys+"article:3:tags"
	must(t, "SADD", app.SAdd(ctx, a1, "go", "redis", "raft", "databases").Err())
	must(t, "SADD", app.SAdd(ctx, a2, "go", "databases", "testing").Err())
	must(t, "SADD", app.SAdd(ctx, a3, "go", "raft").Err())
	if n, err := app.SAdd(ctx, a3, "go").Result(); err != nil || n != 0 {
		t.Errorf("SADD of a tag already there = %d, %v; want 0", n, err)
	}
	common, err := app.SInter(ctx, a1, a2).Result()
	slices.Sort(common)
	if err != nil || !slices.Equal(common, []string{"databases", "go"}) {
		t.Errorf("SINTER = %q, %v; want [databases go]", common, err)
	}
	all, err := app.SMembers(ctx, a1).Result()
	slices.Sort(all)
	if err != nil || !slices.Equal(all, []string{"databases", "go", "raft", "redis"}) {
		t.Errorf("SMEMBERS = %q, %v", all, err)
	}
	if ok, err := app.SIsMember(ctx, a2, "raft").Result(); err != nil || ok {
		t.Errorf("SISMEMBER article:2 raft = %v, %v; want false", ok, err)
	}
	if n, err := app.SUnionStore(ctx, keys+"tags:all", a1, a2, a3).Result(); err != nil || n != 5 {
		t.Errorf("SUNIONSTORE = %d, %v; want 5", n, err)
	}
	must(t, "SREM", app.SRem(ctx, a3, "raft").Err())
	eventually(t, "SCARD article:3 on the peer", int64(1), func() (int64, error) { return peer.SCard(ctx, a3).Result() })
	eventually(t, "SINTERCARD on the peer", int64(1), func() (int64, error) { return peer.SInterCard(ctx, 0, a1, a2, a3).Result() })
}

// Two rate limiters: a fixed window (INCR, EXPIRE on the first hit) and a
// sliding window in a sorted set of request times.
func rateLimiterExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	const limit = 5
	window := keys + "ratelimit:user:42:" + strconv.FormatInt(time.Now().Unix()/60, 10)
	allowed := 0
	for range 8 {
		pipe := app.Pipeline()
		incr := pipe.Incr(ctx, window)
		pipe.ExpireNX(ctx, window, time.Minute)
		_, err := pipe.Exec(ctx)
		must(t, "INCR+EXPIRE NX pipeline", err)
		if incr.Val() <= limit {
			allowed++
		}
	}
	if allowed != limit {
		t.Errorf("fixed window let %d of 8 requests through, want %d", allowed, limit)
	}
	if ttl, err := app.TTL(ctx, window).Result(); err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("TTL of the window = %v, %v; want (0, 1m]", ttl, err)
	}

	// Sliding window of 1000 ms, with request times given in ms.
	sliding := keys + "ratelimit:sliding:42"
	hit := func(now int64) bool {
		pipe := app.Pipeline()
		pipe.ZRemRangeByScore(ctx, sliding, "-inf", strconv.FormatInt(now-1000, 10))
		count := pipe.ZCard(ctx, sliding)
		_, err := pipe.Exec(ctx)
		must(t, "sliding window count", err)
		if count.Val() >= 3 {
			return false
		}
		must(t, "ZADD", app.ZAdd(ctx, sliding, redis.Z{Score: float64(now), Member: strconv.FormatInt(now, 10)}).Err())
		must(t, "EXPIRE", app.Expire(ctx, sliding, time.Minute).Err()) // idle users' windows go away
		return true
	}
	var got []bool
	for _, now := range []int64{1000, 1200, 1400, 1600, 2100, 2300, 2350} {
		got = append(got, hit(now))
	}
	// 1600 would be the 4th in (600, 1600]; at 2100 the hit at 1000 has
	// left the window, at 2300 the one at 1200; 2350 finds 1400, 2100 and
	// 2300 in (1350, 2350].
	if want := []bool{true, true, true, false, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("sliding window decisions = %v, want %v", got, want)
	}
	eventually(t, "ZCARD of the window on the peer", int64(3), func() (int64, error) { return peer.ZCard(ctx, sliding).Result() })
}

// Daily active users as bitmaps, one bit per user id, and the users active
// on both days.
func dailyActiveUsersExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	day1, day2, both := keys+"dau:2024-05-01", keys+"dau:2024-05-02", keys+"dau:retained"
	for _, id := range []int64{1, 5, 1000, 77777} {
		must(t, "SETBIT", app.SetBit(ctx, day1, id, 1).Err())
	}
	for _, id := range []int64{5, 3, 77777} {
		must(t, "SETBIT", app.SetBit(ctx, day2, id, 1).Err())
	}
	if old, err := app.SetBit(ctx, day2, 3, 1).Result(); err != nil || old != 1 {
		t.Errorf("SETBIT of a bit already set = %d, %v; want 1", old, err)
	}
	if n, err := app.BitCount(ctx, day1, nil).Result(); err != nil || n != 4 {
		t.Errorf("BITCOUNT day1 = %d, %v; want 4", n, err)
	}
	if n, err := app.BitOpAnd(ctx, both, day1, day2).Result(); err != nil || n != 77777/8+1 {
		t.Errorf("BITOP AND = %d, %v; want %d bytes", n, err, 77777/8+1)
	}
	if n, err := app.BitCount(ctx, both, nil).Result(); err != nil || n != 2 {
		t.Errorf("BITCOUNT of the users active both days = %d, %v; want 2", n, err)
	}
	if bit, err := app.GetBit(ctx, day1, 1000).Result(); err != nil || bit != 1 {
		t.Errorf("GETBIT day1 1000 = %d, %v; want 1", bit, err)
	}
	if pos, err := app.BitPos(ctx, day2, 1).Result(); err != nil || pos != 3 {
		t.Errorf("BITPOS day2 1 = %d, %v; want 3 (the lowest active id)", pos, err)
	}
	eventually(t, "BITCOUNT day2 on the peer", int64(3), func() (int64, error) {
		return peer.BitCount(ctx, day2, nil).Result()
	})
}

// Unique visitors of two pages counted with HyperLogLogs, and of the site.
func uniqueVisitorsExample(t *testing.T, ctx context.Context, app, peer *redis.Client, keys string) {
	home, docs, site := keys+"visitors:home", keys+"visitors:docs", keys+"visitors:site"
	batch := func(from, to int) []any {
		var ids []any
		for i := from; i < to; i++ {
			ids = append(ids, "visitor:"+strconv.Itoa(i))
		}
		return ids
	}
	for from := 0; from < 1000; from += 250 {
		must(t, "PFADD", app.PFAdd(ctx, home, batch(from, from+250)...).Err())
	}
	must(t, "PFADD", app.PFAdd(ctx, home, batch(0, 100)...).Err()) // returning visitors
	must(t, "PFADD", app.PFAdd(ctx, docs, batch(800, 1500)...).Err())
	if changed, err := app.PFAdd(ctx, docs, "visitor:900").Result(); err != nil || changed != 0 {
		t.Errorf("PFADD of a visitor already counted = %d, %v; want 0", changed, err)
	}
	near := func(got int64, want float64) bool { return math.Abs(float64(got)-want) <= 0.02*want }
	if n, err := app.PFCount(ctx, home).Result(); err != nil || !near(n, 1000) {
		t.Errorf("PFCOUNT home = %d, %v; want 1000 ± 2%%", n, err)
	}
	if n, err := app.PFCount(ctx, home, docs).Result(); err != nil || !near(n, 1500) {
		t.Errorf("PFCOUNT home docs = %d, %v; want 1500 ± 2%%", n, err)
	}
	must(t, "PFMERGE", app.PFMerge(ctx, site, home, docs).Err())
	want, err := app.PFCount(ctx, site).Result()
	if err != nil || !near(want, 1500) {
		t.Errorf("PFCOUNT of the merge = %d, %v; want 1500 ± 2%%", want, err)
	}
	eventually(t, "PFCOUNT of the merge on the peer", want, func() (int64, error) { return peer.PFCount(ctx, site).Result() })
}
