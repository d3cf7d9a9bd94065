/**
 * String interning straight from bytes. One dictionary per string column, shared across the files
 * of one import. Byte sequences are hashed (FNV-1a) into an open-addressing table of "entries"
 * (distinct byte sequences, kept in one byte arena), so a repeated value costs a hash and a byte
 * compare: no decode, no string. Several byte sequences may map to one code (the cp1252 bytes of
 * "–" and its UTF-8 bytes decode to the same string), so codes are assigned per decoded string.
 */
import { decodeCp1252, decodeUtf8, isValidUtf8 } from './text.js';

const EMPTY = -1;

export class StringDictionary {
  /** code -> string */
  readonly values: string[] = [];
  /** cells whose bytes were not valid UTF-8 and were decoded as cp1252 (per occurrence) */
  repaired = 0;

  private readonly codeOf = new Map<string, number>();
  // entries: distinct byte sequences
  private arena = new Uint8Array(1 << 12);
  private arenaUsed = 0;
  private entryStart = new Int32Array(256);
  private entryLen = new Int32Array(256);
  private entryHash = new Int32Array(256);
  private entryCode = new Int32Array(256);
  private entryRepaired = new Uint8Array(256);
  private nEntries = 0;
  // open-addressing table of entry ids, power-of-two size, load <= 1/2
  private table = new Int32Array(512).fill(EMPTY);
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
    // FNV-1a over the bytes
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const mask = this.mask;
    const table = this.table;
    const arena = this.arena;
    let slot = h & mask;
    for (;;) {
      const id = table[slot];
      if (id === EMPTY) break;
      if (this.entryHash[id] === h && this.entryLen[id] === len) {
        let p = this.entryStart[id];
        let i = start;
        while (i < end && arena[p] === bytes[i]) i++, p++;
        if (i === end) {
          if (this.entryRepaired[id] !== 0) this.repaired++;
          return this.entryCode[id];
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
    const id = this.nEntries;
    if (id === this.entryStart.length) this.growEntries();
    if (this.arenaUsed + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaUsed + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = next;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.entryStart[id] = this.arenaUsed;
    this.arenaUsed += len;
    this.entryLen[id] = len;
    this.entryHash[id] = h;
    this.entryCode[id] = code;
    this.entryRepaired[id] = repaired;
    this.nEntries = id + 1;
    this.table[slot] = id;
    if (this.nEntries * 2 > this.table.length) this.rehash();
    return code;
  }

  private growEntries(): void {
    const cap = this.entryStart.length * 2;
    const grow32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.entryStart = grow32(this.entryStart);
    this.entryLen = grow32(this.entryLen);
    this.entryHash = grow32(this.entryHash);
    this.entryCode = grow32(this.entryCode);
    const r = new Uint8Array(cap);
    r.set(this.entryRepaired);
    this.entryRepaired = r;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let id = 0; id < this.nEntries; id++) {
      let slot = this.entryHash[id] & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }

}
