/** Stable ids and times for fixture objects (what a kubelet reads from its machine). */

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** A stable hex string from a name (ids a kubelet reads from the machine; fixed per fixture). */
export function hexOf(name: string, length: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < length) {
    for (const c of `${name}${out.length}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

export const uuidOf = (name: string) => {
  const h = hexOf(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
