"""Unique visitors of two pages counted with HyperLogLogs, and of the site."""
from example import check, clients, eventually

app, peer, prefix = clients()
home, docs, site = prefix + "visitors:home", prefix + "visitors:docs", prefix + "visitors:site"


def visitors(start, stop):
    return [f"visitor:{i}" for i in range(start, stop)]


for start in range(0, 1000, 250):
    app.pfadd(home, *visitors(start, start + 250))
app.pfadd(home, *visitors(0, 100))  # returning visitors
app.pfadd(docs, *visitors(800, 1500))
check("PFADD of a visitor already counted", app.pfadd(docs, "visitor:900"), 0)


def near(got, want):
    return abs(got - want) <= 0.02 * want


check("PFCOUNT home within 2% of 1000", near(app.pfcount(home), 1000), True)
check("PFCOUNT home docs within 2% of 1500", near(app.pfcount(home, docs), 1500), True)
check("PFMERGE", app.pfmerge(site, home, docs), True)
merged = app.pfcount(site)
check("PFCOUNT of the merge within 2% of 1500", near(merged, 1500), True)
eventually("PFCOUNT of the merge on the peer", lambda: peer.pfcount(site), merged)
