"""A game's leaderboard in a sorted set."""
from example import check, clients, eventually

app, peer, prefix = clients()
board = prefix + "leaderboard:weekly"

check("ZADD of 3 players", app.zadd(board, {"alice": 100, "bob": 85, "carol": 120}), 3)
check("ZINCRBY bob 50", app.zincrby(board, 50, "bob"), 135.0)
check("ZREVRANGE 0 2 WITHSCORES", app.zrevrange(board, 0, 2, withscores=True),
      [("bob", 135.0), ("carol", 120.0), ("alice", 100.0)])
check("ZRANK alice", app.zrank(board, "alice"), 0)
check("ZREVRANK alice", app.zrevrank(board, "alice"), 2)
check("ZRANK of a missing player", app.zrank(board, "nobody"), None)
# Only raise a score (a player's best), never lower it.
app.zadd(board, {"carol": 90, "alice": 150}, gt=True)
check("ZCOUNT (120 +inf", app.zcount(board, "(120", "+inf"), 2)
check("ZRANGEBYSCORE", app.zrangebyscore(board, 100, 140), ["carol", "bob"])
eventually("ZSCORE carol on the peer", lambda: peer.zscore(board, "carol"), 120.0)
eventually("the leader on the peer", lambda: peer.zrevrange(board, 0, 0), ["alice"])
