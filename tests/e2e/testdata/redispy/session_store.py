"""A web session in a hash with a sliding expiry."""
from example import check, clients, eventually

app, peer, prefix = clients()
sid = prefix + "session:8f14e45f"

check("HSET", app.hset(sid, mapping={"user_id": 42, "name": "Ada", "cart_items": 0}), 3)
check("EXPIRE", app.expire(sid, 1800), True)
check("HINCRBY cart_items 3", app.hincrby(sid, "cart_items", 3), 3)
check("HGETALL", app.hgetall(sid), {"user_id": "42", "name": "Ada", "cart_items": "3"})
check("TTL within 30 minutes", 1790 < app.ttl(sid) <= 1800, True)
check("HMGET name missing", app.hmget(sid, ["name", "missing"]), ["Ada", None])
check("HDEL", app.hdel(sid, "cart_items"), 1)
check("HEXISTS after HDEL", app.hexists(sid, "cart_items"), False)
check("HKEYS", sorted(app.hkeys(sid)), ["name", "user_id"])
eventually("HLEN on the peer", lambda: peer.hlen(sid), 2)

# A session that is not renewed expires, on every node.
short = prefix + "session:short"
app.hset(short, "user_id", 7)
check("PEXPIRE", app.pexpire(short, 300), True)
for client in (app, peer):
    eventually("EXISTS of the expired session", lambda: client.exists(short), 0)
check("HGETALL of an expired session", app.hgetall(short), {})
