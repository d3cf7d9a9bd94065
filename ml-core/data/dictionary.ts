/**
 * String interning straight from bytes. One dictionary per string column, shared across the files
 * of one import.
 *
 * Distinct byte sequences ("entries") live in one byte arena; an open-addressing table holds, per
 * slot, [hash, code + 1, arena start, length * 2 + repaired] side by side, so a repeated value
 * costs a word-wise hash, one table line and one arena compare: no decode, no string, no other
 * memory touched.
 *
 * Codes are per decoded string. Valid UTF-8 and strings correspond one to one, so every string
 * with a code has its UTF-8 bytes in the table: a miss on valid UTF-8 bytes is a new string, and
 * other byte sequences (cp1252 cells, repaired) are entered as aliases of their text's UTF-8.
 */
import { decodeCp1252, decodeUtf8, encodeUtf8, isValidUtf8 } from './text.js';

/** Int32 words per table slot: hash, code + 1 (0 = empty), arena start, length * 2 + repaired. */
const SLOT = 4;

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  // multiplicative hash over 4-byte words (short dependency chain), then a murmur3 finalizer
  // so that the low bits used as the table index depend on every byte
  let h = (end - start) ^ 0x811c9dc5;
  let i = start;
  for (const end4 = end - 3; i < end4; i += 4) {
    h = Math.imul(h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)), 0x9e3779b1);
  }
  for (; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** True unless s holds a lone surrogate (which has no UTF-8 form). */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff || i + 1 >= s.length) return false;
    const d = s.charCodeAt(i + 1);
    if (d < 0xdc00 || d > 0xdfff) return false;
    i++;
  }
  return true;
}

export class StringDictionary {
  /** code -> string */
  readonly values: string[] = [];
  /** cells whose bytes were not valid UTF-8 and were decoded as cp1252 (per occurrence) */
  repaired = 0;

  /** strings without a UTF-8 form (lone surrogates), added through internString only */
  private malformed: Map<string, number> | null = null;
  private arena = new Uint8Array(1 << 12);
  private arenaUsed = 0;
  private nEntries = 0;
  /** power-of-two number of slots, load <= 1/2 */
  private table = new Int32Array(512 * SLOT);
  private mask = 511;

  get size(): number {
    return this.values.length;
  }

  /** Code of the string; adds it when new. */
  internString(s: string): number {
    if (!isWellFormed(s)) {
      if (this.malformed === null) this.malformed = new Map();
      let code = this.malformed.get(s);
      if (code === undefined) {
        code = this.values.length;
        this.values.push(s);
        this.malformed.set(s, code);
      }
      return code;
    }
    const u = encodeUtf8(s);
    const h = hashBytes(u, 0, u.length);
    const slot = this.find(u, 0, u.length, h);
    const code1 = this.table[slot * SLOT + 1];
    if (code1 !== 0) return code1 - 1;
    const code = this.values.length;
    this.values.push(s);
    this.insert(u, 0, u.length, h, slot, code, 0);
    return code;
  }

  /** Code of bytes[start, end) decoded as UTF-8 (or cp1252 when not valid UTF-8). */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    const table = this.table;
    const mask = this.mask;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const t = slot * SLOT;
      const code1 = table[t + 1];
      if (code1 === 0) break;
      if (table[t] === h && table[t + 3] >> 1 === len) {
        const arena = this.arena;
        let p = table[t + 2];
        let j = start;
        while (j < end && arena[p] === bytes[j]) j++, p++;
        if (j === end) {
          if ((table[t + 3] & 1) !== 0) this.repaired++;
          return code1 - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.addBytes(bytes, start, end, h, slot);
  }

  /** A miss: a new string, or (for bytes that are not UTF-8) an alias of its cp1252 text. */
  private addBytes(bytes: Uint8Array, start: number, end: number, h: number, slot: number): number {
    if (isValidUtf8(bytes, start, end)) {
      const code = this.values.length;
      this.values.push(decodeUtf8(bytes, start, end));
      this.insert(bytes, start, end, h, slot, code, 0);
      return code;
    }
    this.repaired++;
    const code = this.internString(decodeCp1252(bytes, start, end));
    // the table may have grown: find the slot again
    this.insert(bytes, start, end, h, this.find(bytes, start, end, h), code, 1);
    return code;
  }

  /** Slot holding these bytes, or the empty slot where they would go. */
  private find(bytes: Uint8Array, start: number, end: number, h: number): number {
    const table = this.table;
    const mask = this.mask;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const t = slot * SLOT;
      if (table[t + 1] === 0) return slot;
      if (table[t] === h && table[t + 3] >> 1 === len) {
        let p = table[t + 2];
        let j = start;
        while (j < end && this.arena[p] === bytes[j]) j++, p++;
        if (j === end) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(bytes: Uint8Array, start: number, end: number, h: number, slot: number, code: number, repaired: number): void {
    const len = end - start;
    if (this.arenaUsed + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaUsed + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    const arena = this.arena;
    let p = this.arenaUsed;
    for (let j = start; j < end; j++) arena[p++] = bytes[j];
    const t = slot * SLOT;
    this.table[t] = h;
    this.table[t + 1] = code + 1;
    this.table[t + 2] = this.arenaUsed;
    this.table[t + 3] = (len << 1) | repaired;
    this.arenaUsed = p;
    this.nEntries++;
    if (this.nEntries * 2 > this.mask + 1) this.rehash();
  }

  private rehash(): void {
    const old = this.table;
    const nSlots = (this.mask + 1) * 2;
    const table = new Int32Array(nSlots * SLOT);
    const mask = nSlots - 1;
    for (let t = 0; t < old.length; t += SLOT) {
      if (old[t + 1] === 0) continue;
      let slot = old[t] & mask;
      while (table[slot * SLOT + 1] !== 0) slot = (slot + 1) & mask;
      const u = slot * SLOT;
      table[u] = old[t];
      table[u + 1] = old[t + 1];
      table[u + 2] = old[t + 2];
      table[u + 3] = old[t + 3];
    }
    this.table = table;
    this.mask = mask;
  }
}
