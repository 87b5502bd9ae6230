// base64url (RFC 4648 §5, no padding) of UTF-8 text: the #r= share link's encoding.
// Pure: no DOM, tested with `node --test` (tests/calculator/js/).

/** The base64url text of `text`'s UTF-8 bytes, without padding. */
export function encode(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  // In slices: String.fromCharCode(...bytes) of a long link would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The UTF-8 text encoded in `value`; throws an Error for anything else. */
export function decode(value) {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) throw new Error("含有无效字符");
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
