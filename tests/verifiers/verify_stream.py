#!/usr/bin/python3
"""The seed's Python stream verifier (seeds: "JWKS Signature Verification Example"), kept
unchanged in verify_message, wrapped as a test tool with the replay checks a client should add.

Online:  verify_stream.py URL SECRET COUNT      -> verifies COUNT sequenced messages, prints a JSON summary
Offline: verify_stream.py --stdin SECRET         -> one verdict per input line: ok, bad_signature, replayed, stale, spliced
Exit code 1 if any message failed.
"""
import asyncio, base64, hashlib, hmac, json, sys, time

import websockets

WINDOW_MS = 30_000


async def verify_message(msg, key):
    # The seed's code, verbatim apart from being called per message.
    meta = msg["meta"]
    data = json.dumps(msg["data"], separators=(',',':'))
    body = f"{meta['ts']}|{data}".encode()
    calc = base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()
    assert calc == meta["sig"], "Invalid HMAC signature"


class ReplayGuard:
    """Rejects a message whose seq does not increase or whose ts is outside the window (replayed, stale),
    and one bound to another connection or out of this connection's order (spliced): the desk signs
    data.connection = {stream, account, seq} into every message of a connection."""

    def __init__(self):
        self.last_seq = 0
        self.bound = None
        self.connection_seq = 0

    def check(self, msg):
        meta, data = msg["meta"], msg["data"]
        if abs(time.time() * 1000 - meta["ts"]) > WINDOW_MS:
            return "stale"
        seq = meta.get("seq")
        if seq is not None and (seq != data.get("seq") or seq <= self.last_seq):
            return "replayed"
        connection = data.get("connection")
        if connection is not None:
            bound = (connection.get("stream"), connection.get("account"))
            if self.bound is not None and (bound != self.bound or connection.get("seq") != self.connection_seq + 1):
                return "spliced"
            self.bound, self.connection_seq = bound, connection.get("seq")
        if seq is not None:
            self.last_seq = seq
        return "ok"


async def verdict(raw, secret, guard):
    msg = json.loads(raw)
    try:
        await verify_message(msg, secret)
    except AssertionError:
        return msg, "bad_signature"
    return msg, guard.check(msg)


async def online(url, secret, count):
    guard, summary = ReplayGuard(), {"verified": 0, "failed": [], "types": {}, "first_seq": None, "last_seq": None}
    async with websockets.connect(url, max_size=None) as ws:
        async for raw in ws:
            msg, result = await verdict(raw, secret, guard)
            if result != "ok":
                summary["failed"].append({"verdict": result, "raw": raw})
                break
            kind = msg["data"]["type"]
            summary["types"][kind] = summary["types"].get(kind, 0) + 1
            if "seq" in msg["meta"]:
                summary["verified"] += 1
                summary["first_seq"] = summary["first_seq"] or msg["meta"]["seq"]
                summary["last_seq"] = msg["meta"]["seq"]
                if summary["verified"] >= count:
                    break
    print(json.dumps(summary), flush=True)
    return not summary["failed"]


async def offline(secret):
    guard, ok = ReplayGuard(), True
    for line in sys.stdin:
        if line.strip():
            _, result = await verdict(line.strip(), secret, guard)
            ok = ok and result == "ok"
            print(result, flush=True)
    return ok


if __name__ == "__main__":
    if sys.argv[1] == "--stdin":
        passed = asyncio.run(offline(sys.argv[2]))
    else:
        print("ready", flush=True)
        passed = asyncio.run(online(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    sys.exit(0 if passed else 1)
