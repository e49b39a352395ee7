// Checks a RunnerDesk audit export (`runnerdesk audit export -o FILE`) with nothing of RunnerDesk's: Node's crypto
// and `canonicalize`, the RFC 8785 (JCS) reference implementation. It is also the export format, told in code.
//
//   npm ci && node verify-export.mjs EXPORT.jsonl [PUBLIC_KEY]
//
// PUBLIC_KEY is the base64url Ed25519 key you trust (`runnerdesk audit key`); without it the key the file names is
// used. Prints "ok: N events, M checkpoints, signed to seq S" and exits 0, or the first problem and exits 1.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';

const GENESIS = '0'.repeat(64);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex'); // strings are hashed as UTF-8
// a public key is its 32 raw bytes in base64url; its id is the first 16 hex characters of their SHA-256
const keyId = (base64url) => sha256(Buffer.from(base64url, 'base64url')).slice(0, 16);
const ed25519 = (base64url) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });

class Problem extends Error {}
function must(ok, seq, message) {
  if (!ok) throw new Problem(`fail at seq ${seq}: ${message}`);
}

async function check(file, pinnedKey) {
  let header = null;
  const keys = new Map(); // key id -> public key
  const checkpoints = [];
  const signedAt = new Map(); // seq -> the checkpoint that signed that event's hash
  let prev = null; // the event before, once events have begun
  let signedTo = 0;
  let events = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let json;
    try { json = JSON.parse(line); } catch (e) { must(false, 0, `line ${lineNumber} is not JSON: ${e.message}`); }

    if (header === null) { // line 1: the chain id, its keys, the range, and how hashes are made
      must(json.runnerdesk_audit_export === 1, 0, 'line 1 is not a RunnerDesk audit export header');
      header = json;
      for (const key of pinnedKey ? [pinnedKey] : [header.public_key, ...header.retired_public_keys]) {
        keys.set(keyId(key), ed25519(key));
      }
      if (!pinnedKey) console.error(`note: trusting the key the file names (${header.key_id}); pass yours to pin it`);

    } else if ('checkpoint' in json) { // a signed statement: "event `seq` of this chain has hash `event_hash`"
      const cp = json.checkpoint;
      const before = checkpoints.at(-1);
      const n = cp.checkpoint;
      must(prev === null, 0, `line ${lineNumber}: a checkpoint after the events`);
      must(cp.chain_id === header.chain_id, cp.seq, `checkpoint ${n} is of another chain (${cp.chain_id})`);
      must(keys.has(cp.key_id), cp.seq, `checkpoint ${n} is signed by key ${cp.key_id}, not one trusted here`);
      const signed = Buffer.from(canonicalize(cp), 'utf8');
      must(verify(null, signed, keys.get(cp.key_id), Buffer.from(json.signature, 'base64')), cp.seq,
        `the signature of checkpoint ${n} does not verify`);
      must(!before || n === before.checkpoint + 1, cp.seq, `checkpoint ${before?.checkpoint + 1} is missing`);
      // checkpoint 1 links to 64 zeros; an export that starts later cannot check its first checkpoint's link
      const link = before ? sha256(canonicalize(before)) : n === 1 ? GENESIS : cp.prev_checkpoint_hash;
      must(cp.prev_checkpoint_hash === link, cp.seq, `checkpoint ${n} does not link to checkpoint ${n - 1}`);
      must(!before || cp.seq > before.seq, cp.seq, `checkpoint ${n} does not sign a later seq than the one before`);
      checkpoints.push(cp);
      signedAt.set(cp.seq, cp);

    } else { // an event: hash = hex(SHA-256(prev_hash + JCS(the event without prev_hash and hash)))
      const { prev_hash: prevHash, hash, ...event } = json;
      const contiguous = !header.types; // an export of some event types only has gaps by design
      const seq = prev ? prev.seq + 1 : header.from_seq;
      must(!contiguous || event.seq === seq, seq, `event ${seq} is missing`);
      const link = prev ? prev.hash : header.from_seq === 1 ? GENESIS : prevHash;
      must(!contiguous || prevHash === link, event.seq, 'prev_hash is not the hash of the event before');
      if (event.seq > header.legacy_form_until_seq) { // events up to it were hashed in a form before RFC 8785
        let canonical;
        try {
          canonical = canonicalize(event); // refuses what RFC 8785 cannot canonicalize, such as a lone surrogate
        } catch (e) {
          must(false, event.seq, `not canonicalizable: ${e.message}`);
        }
        must(sha256(prevHash + canonical) === hash, event.seq, 'the content does not match its hash');
      }
      const cp = signedAt.get(event.seq);
      if (cp) {
        must(cp.event_hash === hash, event.seq, `not the event checkpoint ${cp.checkpoint} signed: rewritten`);
        signedTo = event.seq;
      }
      prev = { seq: event.seq, hash };
      events++;
    }
  }
  must(header !== null, 0, 'the file is empty');
  const lastSeq = prev ? prev.seq : header.from_seq - 1;
  const newest = checkpoints.at(-1);
  must(!newest || newest.seq <= lastSeq, lastSeq + 1,
    `the events end at ${lastSeq} but checkpoint ${newest?.checkpoint} signed seq ${newest?.seq}: truncated`);
  must(header.types || lastSeq >= header.to_seq, lastSeq + 1, `the header says the events end at ${header.to_seq}`);
  return `ok: ${events} events, ${checkpoints.length} checkpoints, signed to seq ${signedTo}`;
}

const [file, pinnedKey] = process.argv.slice(2);
if (!file) {
  console.error('usage: node verify-export.mjs EXPORT.jsonl [PUBLIC_KEY]');
  process.exit(2);
}
try {
  console.log(await check(file, pinnedKey?.trim()));
} catch (e) {
  console.log(e instanceof Problem ? e.message : `fail at seq 0: ${e.message}`);
  process.exit(1);
}
