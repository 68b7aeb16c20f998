"""A work queue: a worker blocks on the peer node, a producer pushes on the
app node; jobs come out first in, first out, each once."""
import threading
import time

from example import check, clients, eventually

producer, worker, prefix = clients()
queue = prefix + "queue:emails"


def blocked():
    return int(worker.info("clients")["blocked_clients"])


before = blocked()
popped = []
thread = threading.Thread(target=lambda: popped.append(worker.brpop(queue, timeout=10)))
thread.start()
eventually("the worker blocked on BRPOP", lambda: blocked() > before, True)
check("LPUSH of 3 jobs", producer.lpush(queue, "job:1", "job:2", "job:3"), 3)
thread.join(15)
check("blocked BRPOP", popped, [(queue, "job:1")])
check("BRPOP", worker.brpop(queue, timeout=1), (queue, "job:2"))
check("BRPOP", worker.brpop(queue, timeout=1), (queue, "job:3"))

# An empty queue times out with None, after the timeout and not before.
start = time.monotonic()
check("BRPOP on an empty queue", worker.brpop(queue, timeout=0.2), None)
check("BRPOP waited at least its 0.2s timeout", time.monotonic() - start >= 0.2, True)
check("EXISTS of the drained queue", producer.exists(queue), 0)

# Reliable queue: BLMOVE to a processing list, LREM when done.
processing = prefix + "queue:processing"
producer.rpush(queue, "job:4")
check("BLMOVE", worker.blmove(queue, processing, 1, "RIGHT", "LEFT"), "job:4")
check("LRANGE processing", worker.lrange(processing, 0, -1), ["job:4"])
check("LREM", worker.lrem(processing, 1, "job:4"), 1)
