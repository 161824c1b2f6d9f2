// TensorFlow's two string hashes, which Keras's Hashing layer applies to an integer's decimal
// form: Fingerprint64 (FarmHash's farmhashna Hash64, behind tf.strings.to_hash_bucket_fast) and
// StrongKeyedHash (SipHash-2-4, behind to_hash_bucket_strong). Computed in BigInt on the UTF-8
// bytes; only FarmHash's path for strings of up to 16 bytes is written, which holds every int32
// ("-2147483648" is 11). Verified against published values in the Hashing tests.

const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K2 = 0x9ae16a3b2f90404fn;

const wrap = (v: bigint): bigint => v & MASK;
const rotateRight = (v: bigint, shift: bigint): bigint => wrap((v >> shift) | (v << (64n - shift)));
const rotateLeft = (v: bigint, shift: bigint): bigint => wrap((v << shift) | (v >> (64n - shift)));
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** The little-endian unsigned integer of `count` bytes of `bytes` from `at`. */
function littleEndian(bytes: Uint8Array, at: number, count: number): bigint {
  let v = 0n;
  for (let i = count - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

/** FarmHash's 128-to-64-bit mix of u and v with multiplier `mul`. */
function hashLen16(u: bigint, v: bigint, mul: bigint): bigint {
  let a = wrap((u ^ v) * mul);
  a ^= a >> 47n;
  let b = wrap((v ^ a) * mul);
  b ^= b >> 47n;
  return wrap(b * mul);
}

/** TensorFlow's Fingerprint64 of `text` (its UTF-8 bytes), for texts of at most 16 bytes. */
export function fingerprint64(text: string): bigint {
  const s = new TextEncoder().encode(text);
  const n = s.length;
  if (n > 16) throw new Error(`fingerprint64: only texts of up to 16 bytes are hashed here, got ${n} bytes (${JSON.stringify(text)})`);
  const len = BigInt(n);
  if (n >= 8) {
    const mul = K2 + len * 2n;
    const a = wrap(littleEndian(s, 0, 8) + K2);
    const b = littleEndian(s, n - 8, 8);
    const c = wrap(rotateRight(b, 37n) * mul + a);
    const d = wrap((rotateRight(a, 25n) + b) * mul);
    return hashLen16(c, d, mul);
  }
  if (n >= 4) {
    const mul = K2 + len * 2n;
    return hashLen16(len + (littleEndian(s, 0, 4) << 3n), littleEndian(s, n - 4, 4), mul);
  }
  if (n > 0) {
    // 32-bit arithmetic on the first, middle and last bytes.
    const y = BigInt((s[0]! + (s[n >> 1]! << 8)) >>> 0);
    const z = BigInt((n + (s[n - 1]! << 2)) >>> 0);
    return wrap(shiftMix(wrap(y * K2) ^ wrap(z * K0)) * K2);
  }
  return K2;
}

function sipRounds(v: bigint[], rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    v[0] = wrap(v[0]! + v[1]!); v[1] = rotateLeft(v[1]!, 13n) ^ v[0]; v[0] = rotateLeft(v[0], 32n);
    v[2] = wrap(v[2]! + v[3]!); v[3] = rotateLeft(v[3]!, 16n) ^ v[2];
    v[0] = wrap(v[0] + v[3]); v[3] = rotateLeft(v[3], 21n) ^ v[0];
    v[2] = wrap(v[2] + v[1]); v[1] = rotateLeft(v[1], 17n) ^ v[2]; v[2] = rotateLeft(v[2], 32n);
  }
}

/** TensorFlow's StrongKeyedHash: SipHash-2-4 of `text`'s UTF-8 bytes under the key [k0, k1] (each taken modulo 2⁶⁴). */
export function strongKeyedHash(key: readonly [bigint, bigint], text: string): bigint {
  const [k0, k1] = key.map((k) => BigInt.asUintN(64, k)) as [bigint, bigint];
  const v = [k0 ^ 0x736f6d6570736575n, k1 ^ 0x646f72616e646f6dn, k0 ^ 0x6c7967656e657261n, k1 ^ 0x7465646279746573n];
  const s = new TextEncoder().encode(text);
  const whole = s.length - (s.length % 8);
  const absorb = (m: bigint) => {
    v[3] ^= m;
    sipRounds(v, 2);
    v[0] ^= m;
  };
  for (let at = 0; at < whole; at += 8) absorb(littleEndian(s, at, 8));
  // The last block: the remaining bytes, and the length's low byte on top.
  absorb((BigInt(s.length & 0xff) << 56n) | littleEndian(s, whole, s.length - whole));
  v[2] ^= 0xffn;
  sipRounds(v, 4);
  return v[0]! ^ v[1]! ^ v[2]! ^ v[3]!;
}
