"""Daily active users as bitmaps, one bit per user id."""
from example import check, clients, eventually

app, peer, prefix = clients()
day1, day2, both = prefix + "dau:2024-05-01", prefix + "dau:2024-05-02", prefix + "dau:retained"

for uid in (1, 5, 1000, 77777):
    app.setbit(day1, uid, 1)
for uid in (5, 3, 77777):
    app.setbit(day2, uid, 1)
check("SETBIT of a bit already set", app.setbit(day2, 3, 1), 1)
check("BITCOUNT day1", app.bitcount(day1), 4)
check("BITOP AND", app.bitop("AND", both, day1, day2), 77777 // 8 + 1)
check("BITCOUNT of the users active both days", app.bitcount(both), 2)
check("GETBIT day1 1000", app.getbit(day1, 1000), 1)
check("BITPOS day2 1 (the lowest active id)", app.bitpos(day2, 1), 3)
eventually("BITCOUNT day2 on the peer", lambda: peer.bitcount(day2), 3)
