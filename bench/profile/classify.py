#!/usr/bin/env python3
"""Where the desk's CPU goes: reads `perf script -F comm,tid,ip,sym,dso` (the desk run with
DOTNET_PerfMapEnabled=1) and charges each sample to the first frame, leaf upwards, that names a
known part of the order path. Prints a table of parts, their share and µs per order.
usage: classify.py SCRIPT.txt ORDERS_IN_WINDOW CPU_SECONDS_IN_WINDOW"""
import re, sys

# (part, pattern on a frame); first match from the leaf wins, so specific parts come first.
PARTS = [
    ("journal: SQLite insert + commit", r"libe_sqlite3|Microsoft\.Data\.Sqlite|SQLitePCL"),
    ("journal: record encoding, writer loop", r"Phoenyra\.Trading\.Journal|DateTimeFormat"),
    ("JSON (request/response bodies)", r"System\.Text\.Json"),
    ("engine: risk", r"Phoenyra\.Trading\.Risk|Phoenyra\.Bess\.Envelope"),
    ("engine: matching, ledger, marks", r"Phoenyra\.Trading\.(Engine|Book|Positions|MarketData)"),
    ("history (orders/trades to SQLite view)", r"Phoenyra\.Trading\.History"),
    ("streams: sign and queue every event", r"Phoenyra\.Streams"),
    ("access log (logs/api_access.log)", r"Phoenyra\.Ops\.Http\.AccessLog"),
    ("auth (API key, authorization)", r"Authentication|Authorization|Phoenyra\.Ops\.Auth|ApiKey"),
    ("bus: behaviours + other subscribers", r"Phoenyra\.Core\.Messaging|Phoenyra\.(Strategies|Bess)\.[A-Z]\w*\.(?!Api)"),
    ("metrics (instruments)", r"Phoenyra\.Core\.Metrics|System\.Diagnostics\.Metrics"),
    ("rate limiter", r"RateLimit"),
    ("endpoint (routing, minimal API binding)", r"Microsoft\.AspNetCore\.(Routing|Http\.RequestDelegateFactory|Http\.Extensions|Http\.Result)|Phoenyra\.Trading\.Api"),
    ("middleware (headers, problem details, metrics, logs)", r"Microsoft\.AspNetCore\.(Diagnostics|HostFiltering|HttpsPolicy|WebSockets|HttpOverrides|Builder)|Phoenyra\.Ops\.Http|Phoenyra\.Ops\.Auth\.FailedAuthGuard|SeedControlPaths|Phoenyra\.Core\.Http"),
    ("Kestrel (HTTP/1.1 parse, write, sockets)", r"Kestrel|System\.Net\.Sockets|System\.IO\.Pipelines|tcp_|sock_|inet_|__sys_sendto|__sys_recvfrom|ip_|__dev_queue|net_rx|loopback"),
    ("fsync and file I/O (kernel)", r"fsync|ext4|jbd2|vfs_write|blk_|iowrite|nvme|virtio"),
    ("thread hops: wake-ups, waits, yields", r"futex|sched_yield|schedule|try_to_wake|finish_task_switch|SpinWait|LowLevelLifoSemaphore|ThreadPool|Channels|TaskCompletionSource|Tasks\.Task::|AwaitTaskContinuation|ExecutionContext"),
]
compiled = [(n, re.compile(p)) for n, p in PARTS]

def classify(comm, frames):
    if "GC" in comm: return "GC (collector threads)"
    if "Tiered" in comm: return "JIT (tiered compilation)"
    for f in frames:
        for name, rx in compiled:
            if rx.search(f): return name
    leaf = frames[0] if frames else ""
    if "libcoreclr" in leaf or "libclrjit" in leaf: return "runtime (allocation, casts, GC on workers)"
    if "kernel" in leaf: return "kernel, other"
    return "other managed / libc"

def samples(path):
    comm, frames = None, []
    for line in open(path, errors="replace"):
        if not line.strip():
            if comm is not None: yield comm, frames
            comm, frames = None, []
        elif not line.startswith(("\t", " ")):
            comm = line.rsplit(None, 1)[0].strip()
        else:
            frames.append(line.strip())
    if comm is not None: yield comm, frames

counts, total = {}, 0
for comm, frames in samples(sys.argv[1]):
    part = classify(comm, frames)
    counts[part] = counts.get(part, 0) + 1
    total += 1
orders = float(sys.argv[2]) if len(sys.argv) > 2 else 0
cpu = float(sys.argv[3]) if len(sys.argv) > 3 else 0
print(f"| part | share | µs/order |\n|---|---:|---:|")
for part, n in sorted(counts.items(), key=lambda kv: -kv[1]):
    per = f"{cpu * 1e6 * n / total / orders:.0f}" if orders and cpu else ""
    print(f"| {part} | {100.0 * n / total:.1f} % | {per} |")
print(f"| **total** ({total:,} samples) | 100 % | {cpu * 1e6 / orders:.0f} |" if orders and cpu else f"| total | {total} samples |")
