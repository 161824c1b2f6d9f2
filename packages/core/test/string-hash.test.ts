// TensorFlow's string hashes, which Keras's Hashing and IntegerLookup(oovMethod 'farmhash') use,
// against full 64-bit values published with their sources:
// - Fingerprint64 'a'–'d': tensorflow/python/kernel_tests/strings_ops/string_to_hash_bucket_op_test.py
//   (testStringToHashBucketsFast's comments), and tfjs-core's string_to_hash_bucket_fast_test.ts;
// - Fingerprint64 "Hello", "World": tensorflow/core/platform/fingerprint_test.cc (IsForeverFrozen);
// - "ab" … "abcdefghij": dgryski/go-farm farm_test.go golden64, generated from the C++ FarmHash
//   Hash64, which for up to 16 bytes runs the same code as Fingerprint64 (both give 'a' alike);
//   they cover each of the 1–3, 4–7 and 8–16 byte paths;
// - StrongKeyedHash with key [98765, 132] of 'a', 'b', 'c': the same TensorFlow test file
//   (testStringToHashBucketsStrong's comments).
import { describe, expect, it } from 'vitest';
import { fingerprint64, strongKeyedHash } from '../src/layers/string-hash.js';

describe('string hashes', () => {
  it('fingerprint64 gives the published Fingerprint64 values, for texts of 0 to 10 bytes', () => {
    const published: Record<string, bigint> = {
      a: 12917804110809363939n, b: 11795596070477164822n, c: 11430444447143000872n, d: 4470636696479570465n,
      Hello: 15404698994557526151n, World: 18308117990299812472n,
      ab: 0xaa8d6e5242ada51en, abc: 0x24a5b3a074e7f369n, abcd: 0x1a5502de4a1f8101n, abcde: 0xc22f4663e54e04d4n, abcdef: 0xc329379e6a03c2cdn,
      abcdefg: 0x3c40c92b1ccb7355n, abcdefgh: 0xfee9d22990c82909n, abcdefghi: 0x332c8ed4dae5ba42n, abcdefghij: 0x8a3abb6a5f3fb7fbn,
    };
    expect(Object.fromEntries(Object.keys(published).map((text) => [text, fingerprint64(text)]))).toEqual(published);
    // FarmHash's value for no bytes is its constant k2.
    expect(fingerprint64('')).toBe(0x9ae16a3b2f90404fn);
    expect(() => fingerprint64('-21474836480000000')).toThrow('fingerprint64: only texts of up to 16 bytes are hashed here, got 18 bytes ("-21474836480000000")');
  });

  it('strongKeyedHash gives the published SipHash values for key [98765, 132]', () => {
    expect(['a', 'b', 'c'].map((text) => strongKeyedHash([98765n, 132n], text))).toEqual([7157389809176466784n, 15805638358933211562n, 18100027895074076528n]);
  });
});
