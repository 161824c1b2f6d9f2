/** Hex SHA-256 of `data`, by the Web Crypto API (global in browsers and in Node >= 20). */
export async function sha256(data: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('sha256: the Web Crypto API (crypto.subtle) is not available in this environment');
  const digest = new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
