// The seed's Node stream verifier (seeds: "JWKS Signature Verification Example"), kept unchanged
// in verify(), wrapped as a test tool. With --es256 it verifies against the public key from the
// desk's JWKS instead, for clients that hold no shared secret.
//
//   node verify_stream.mjs URL SECRET COUNT            HMAC (the seed's way)
//   node verify_stream.mjs URL --es256 JWKS_URL COUNT  ES256 with the JWKS public key
// Prints a JSON summary; exit code 1 if any message failed.
import crypto from "crypto";
import WebSocket from "ws";

function verify(meta, data, secret) {
  const body = meta.ts + "|" + JSON.stringify(data);
  const calc = crypto.createHmac("sha256", secret).update(body).digest("base64");
  if (calc !== meta.sig) throw new Error("Invalid HMAC");
  return true;
}

function verifyEs256(meta, data, keys) {
  const jwk = keys.find((k) => k.kid === meta.kid);
  if (!jwk || meta.alg !== "ES256") throw new Error("Unknown ES256 key " + meta.kid);
  const body = Buffer.from(meta.ts + "|" + JSON.stringify(data));
  const key = crypto.createPublicKey({ key: jwk, format: "jwk" });
  if (!crypto.verify("sha256", body, { key, dsaEncoding: "ieee-p1363" }, Buffer.from(meta.sig, "base64")))
    throw new Error("Invalid ES256 signature");
  return true;
}

const [url, secretOrFlag, third, fourth] = process.argv.slice(2);
const es256 = secretOrFlag === "--es256";
const count = Number(es256 ? fourth : third);
const keys = es256 ? (await (await fetch(third)).json()).keys : null;
const summary = { verified: 0, failed: [], types: {}, first_seq: null, last_seq: null };
let lastSeq = 0;
let bound = null; // data.connection of this connection's messages: the same stream and account, seq counting from 1
let connectionSeq = 0;

const ws = new WebSocket(url);
ws.on("open", () => console.log("ready"));
ws.on("message", (raw) => {
  const msg = JSON.parse(raw.toString());
  try {
    if (es256) verifyEs256(msg.meta, msg.data, keys);
    else verify(msg.meta, msg.data, process.argv[3]);
    if (Math.abs(Date.now() - msg.meta.ts) > 30000) throw new Error("stale ts");
    if (msg.meta.seq !== undefined && (msg.meta.seq !== msg.data.seq || msg.meta.seq <= lastSeq)) throw new Error("replayed seq");
    const connection = msg.data.connection;
    if (connection !== undefined) {
      const key = connection.stream + "\u0000" + connection.account;
      if (bound !== null && (key !== bound || connection.seq !== connectionSeq + 1)) throw new Error("spliced");
      bound = key;
      connectionSeq = connection.seq;
    }
  } catch (e) {
    summary.failed.push({ verdict: e.message, raw: raw.toString() });
    return finish();
  }
  summary.types[msg.data.type] = (summary.types[msg.data.type] || 0) + 1;
  if (msg.meta.seq !== undefined) {
    lastSeq = msg.meta.seq;
    summary.verified++;
    summary.first_seq ??= lastSeq;
    summary.last_seq = lastSeq;
    if (summary.verified >= count) finish();
  }
});
ws.on("error", (e) => { summary.failed.push({ verdict: "socket error: " + e.message }); finish(); });

function finish() {
  console.log(JSON.stringify(summary));
  ws.terminate();
  process.exit(summary.failed.length ? 1 : 0);
}
