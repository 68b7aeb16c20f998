"""Tags of articles in sets, and the tags articles share."""
from example import check, clients, eventually

app, peer, prefix = clients()
a1, a2, a3 = (prefix + f"article:{i}:tags" for i in (1, 2, 3))

check("SADD", app.sadd(a1, "go", "redis", "raft", "databases"), 4)
check("SADD", app.sadd(a2, "go", "databases", "testing"), 3)
check("SADD", app.sadd(a3, "go", "raft"), 2)
check("SADD of a tag already there", app.sadd(a3, "go"), 0)
check("SINTER", app.sinter(a1, a2), {"databases", "go"})
check("SMEMBERS", app.smembers(a1), {"databases", "go", "raft", "redis"})
check("SISMEMBER article:2 raft", app.sismember(a2, "raft"), False)
check("SUNIONSTORE", app.sunionstore(prefix + "tags:all", a1, a2, a3), 5)
check("SREM", app.srem(a3, "raft"), 1)
eventually("SCARD article:3 on the peer", lambda: peer.scard(a3), 1)
eventually("SINTERCARD on the peer", lambda: peer.sintercard(3, [a1, a2, a3]), 1)
