"""Two rate limiters: a fixed window (INCR, EXPIRE NX) and a sliding
window in a sorted set of request times."""
import time

from example import check, clients, eventually

app, peer, prefix = clients()
LIMIT = 5

window = prefix + f"ratelimit:user:42:{int(time.time()) // 60}"
allowed = 0
for _ in range(8):
    pipe = app.pipeline(transaction=False)
    pipe.incr(window)
    pipe.expire(window, 60, nx=True)
    count, _ = pipe.execute()
    allowed += count <= LIMIT
check("requests the fixed window let through", allowed, LIMIT)
check("TTL of the window", 0 < app.ttl(window) <= 60, True)

# Sliding window of 1000 ms, with request times given in ms.
sliding = prefix + "ratelimit:sliding:42"


def hit(now):
    pipe = app.pipeline(transaction=False)
    pipe.zremrangebyscore(sliding, "-inf", now - 1000)
    pipe.zcard(sliding)
    _, count = pipe.execute()
    if count >= 3:
        return False
    app.zadd(sliding, {str(now): now})
    app.expire(sliding, 60)  # idle users' windows go away
    return True


# 1600 would be the 4th in (600, 1600]; at 2100 the hit at 1000 has left
# the window, at 2300 the one at 1200; 2350 finds 1400, 2100 and 2300.
decisions = [hit(now) for now in (1000, 1200, 1400, 1600, 2100, 2300, 2350)]
check("sliding window decisions", decisions, [True, True, True, False, True, True, False])
eventually("ZCARD of the window on the peer", lambda: peer.zcard(sliding), 3)
