#!/usr/bin/env python3
"""Resource bounds of a running RefNum server, measured from outside.

    bench/bounds.py metrics --base http://127.0.0.1:18788 [--count 15000] [--token T]
    bench/bounds.py slow --base http://127.0.0.1:18788 [--clients 1100] [--interval 5]
                         [--duration 40] [--cookie 'refnum_session=…']

`metrics`: the size of `/metrics` before and after COUNT requests whose
method is a random made-up word (one new word per request).

`slow`: opens CLIENTS connections that each send one byte of a request's
headers every INTERVAL seconds and never finish, then, once a second for
DURATION seconds, times `GET /healthz` (and `GET /` with COOKIE, a signed-in
session) on a new connection, with a 10 s limit. It prints the latencies and
how many slow connections the server closed.

Standard library only. Nothing here is a test: numbers depend on the machine.
"""

import argparse
import asyncio
import random
import string
import time
import urllib.parse


def split_base(base):
    u = urllib.parse.urlsplit(base)
    return u.hostname, u.port or 80


async def request(host, port, method, path, headers=None, timeout=10.0):
    """One request on a new connection: (status, body bytes) or raises."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    return status, body


async def metrics_size(host, port, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, body = await request(host, port, "GET", "/metrics", headers)
    return status, len(body)


async def cmd_metrics(args):
    host, port = split_base(args.base)
    before = await metrics_size(host, port, args.token)
    print(f"/metrics before: status {before[0]}, {before[1]} bytes")
    sem = asyncio.Semaphore(32)
    statuses = {}

    async def one():
        method = "".join(random.choices(string.ascii_uppercase, k=12))
        async with sem:
            try:
                s, _ = await request(host, port, method, "/healthz")
            except Exception:
                s = "error"
        statuses[s] = statuses.get(s, 0) + 1

    start = time.monotonic()
    await asyncio.gather(*(one() for _ in range(args.count)))
    print(f"{args.count} requests with random methods in {time.monotonic() - start:.1f} s: {statuses}")
    after = await metrics_size(host, port, args.token)
    print(f"/metrics after: status {after[0]}, {after[1]} bytes")


async def cmd_slow(args):
    host, port = split_base(args.base)
    opened = 0
    closed = 0
    stop = asyncio.Event()

    async def slow_client():
        nonlocal opened, closed
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            return
        opened += 1
        text = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Slow: " + "a" * 10_000
        try:
            for ch in text:
                writer.write(ch.encode())
                await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(1024), args.interval)
                    if not data:  # the server closed the connection
                        closed += 1
                        return
                except asyncio.TimeoutError:
                    pass
                if stop.is_set():
                    return
        except OSError:
            closed += 1
        finally:
            writer.close()

    tasks = [asyncio.create_task(slow_client()) for _ in range(args.clients)]
    await asyncio.sleep(2)
    print(f"{opened} slow connections open")
    worst = 0.0
    failures = 0
    for second in range(args.duration):
        line = f"t={second + 2:3d}s open={opened - closed:5d} closed={closed:5d}"
        for path, headers in [("/healthz", {}), ("/", {"Cookie": args.cookie} if args.cookie else None)]:
            if headers is None:
                continue
            t0 = time.monotonic()
            try:
                status, _ = await request(host, port, "GET", path, headers)
            except Exception as e:  # timeout or refused
                status = type(e).__name__
            dt = time.monotonic() - t0
            if status != 200:
                failures += 1
            worst = max(worst, dt)
            line += f"  {path} {status} {dt * 1000:7.1f} ms"
        print(line, flush=True)
        await asyncio.sleep(max(0.0, 1.0 - dt))
    stop.set()
    for t in tasks:
        t.cancel()
    print(f"worst latency {worst * 1000:.1f} ms, {failures} answers that were not 200")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("metrics")
    m.add_argument("--base", required=True)
    m.add_argument("--count", type=int, default=15000)
    m.add_argument("--token")
    s = sub.add_parser("slow")
    s.add_argument("--base", required=True)
    s.add_argument("--clients", type=int, default=1100)
    s.add_argument("--interval", type=float, default=5.0)
    s.add_argument("--duration", type=int, default=40)
    s.add_argument("--cookie")
    args = p.parse_args()
    asyncio.run(cmd_metrics(args) if args.cmd == "metrics" else cmd_slow(args))


if __name__ == "__main__":
    main()
