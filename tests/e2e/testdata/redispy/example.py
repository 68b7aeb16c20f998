"""What every redis-py example shares: its two clients and its checks.

An example is run as `python3 <example>.py APP_PORT PEER_PORT PREFIX`:
APP_PORT is the node under test, PEER_PORT another node of the same
cluster, PREFIX starts every key. It exits 0 when every check held, else
non-zero with what was expected and what came on stderr.
"""
import sys
import time

import redis


def clients():
    """The app and peer clients, as an application makes them, and the key prefix."""
    app_port, peer_port, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    app = redis.Redis(host="127.0.0.1", port=app_port, decode_responses=True)
    peer = redis.Redis(host="127.0.0.1", port=peer_port, decode_responses=True)
    return app, peer, prefix


def check(what, got, want):
    """Stops the example when got is not want."""
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")


def eventually(what, read, want, timeout=10.0):
    """Polls read() until it returns want: the peer may lag the app's writes."""
    deadline = time.monotonic() + timeout
    while True:
        got = read()
        if got == want:
            return
        if time.monotonic() > deadline:
            sys.exit(f"{what}: still {got!r} after {timeout}s, want {want!r}")
        time.sleep(0.025)
