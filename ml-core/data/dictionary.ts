/**
 * String interning straight from bytes. One dictionary per string column, shared across the files
 * of one import.
 *
 * Distinct byte sequences ("entries") live in one byte arena; an open-addressing table holds, per
 * slot, [hash, code + 1, arena start, length * 2 + repaired] side by side, so a repeated value
 * costs a word-wise hash, one table line and one arena compare: no decode, no string, no other
 * memory touched. Several byte sequences may map to one code (the cp1252 bytes of "–" and its
 * UTF-8 bytes decode to the same string), so codes are assigned per decoded string.
 */
import { decodeCp1252, decodeUtf8, isValidUtf8 } from './text.js';

/** Int32 words per table slot: hash, code + 1 (0 = empty), arena start, length * 2 + repaired. */
const SLOT = 4;

export class StringDictionary {
  /** code -> string */
  readonly values: string[] = [];
  /** cells whose bytes were not valid UTF-8 and were decoded as cp1252 (per occurrence) */
  repaired = 0;

  private readonly codeOf = new Map<string, number>();
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
    const known = this.codeOf.get(s);
    if (known !== undefined) return known;
    const code = this.values.length;
    this.values.push(s);
    this.codeOf.set(s, code);
    return code;
  }

  /** Code of bytes[start, end) decoded as UTF-8 (or cp1252 when not valid UTF-8). */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start;
    // multiplicative hash over 4-byte words (short dependency chain), then a murmur3 finalizer
    // so that the low bits used as the table index depend on every byte
    let h = len ^ 0x811c9dc5;
    let i = start;
    for (const end4 = end - 3; i < end4; i += 4) {
      h = Math.imul(h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)), 0x9e3779b1);
    }
    for (; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;

    const table = this.table;
    const mask = this.mask;
    const len2 = len << 1;
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
          if (table[t + 3] !== len2) this.repaired++;
          return code1 - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.addEntry(bytes, start, end, h, slot);
  }

  private addEntry(bytes: Uint8Array, start: number, end: number, h: number, slot: number): number {
    const len = end - start;
    let text: string;
    let repaired = 0;
    if (isValidUtf8(bytes, start, end)) {
      text = decodeUtf8(bytes, start, end);
    } else {
      text = decodeCp1252(bytes, start, end);
      repaired = 1;
      this.repaired++;
    }
    const code = this.internString(text);
    if (this.arenaUsed + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaUsed + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    const t = slot * SLOT;
    this.table[t] = h;
    this.table[t + 1] = code + 1;
    this.table[t + 2] = this.arenaUsed;
    this.table[t + 3] = (len << 1) | repaired;
    this.arenaUsed += len;
    this.nEntries++;
    if (this.nEntries * 2 > this.mask + 1) this.rehash();
    return code;
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
      table.set(old.subarray(t, t + SLOT), slot * SLOT);
    }
    this.table = table;
    this.mask = mask;
  }
}
