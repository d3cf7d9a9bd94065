/**
 * Versioned binary model file: a JSON manifest plus named typed arrays (the TensorFlow.js
 * "manifest + binary weights" idea, in one file).
 *
 * Layout (all integers little-endian):
 *   0   8 bytes  magic 'FSMODEL\0'
 *   8   u32      format version (FORMAT_VERSION)
 *   12  u32      byte length L of the header JSON
 *   16  u32      byte length D of the array section
 *   20  u32      CRC-32 of every byte after the 24-byte header (JSON, padding, arrays)
 *   24  L bytes  header JSON, UTF-8: { "manifest": <caller's manifest>, "arrays": [{ name, dtype, byteOffset, length }] }
 *       zero padding to a multiple of 8
 *   A   D bytes  array section; each array at A + byteOffset, byteOffset a multiple of 8, little-endian elements
 */
import { utf8Decode, utf8Encode } from './utf8.js';

export const MODEL_FILE_MAGIC = 'FSMODEL\0';
export const FORMAT_VERSION = 1;
const HEADER = 24;

export type ModelArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array;
export type ModelDType = 'f32' | 'f64' | 'i32' | 'u8' | 'u16' | 'u32' | 'i16' | 'i8';

export interface ArrayEntry {
  name: string;
  dtype: ModelDType;
  /** offset from the start of the array section (multiple of 8) */
  byteOffset: number;
  /** number of elements */
  length: number;
}

export interface ModelFileContent {
  manifest: Record<string, unknown>;
  arrays: Record<string, ModelArray>;
}

/** Thrown for anything that is not a readable model file (message says what is wrong). */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

const DTYPES: Record<ModelDType, { size: number; make: (buf: ArrayBuffer, n: number) => ModelArray }> = {
  f32: { size: 4, make: (b, n) => new Float32Array(b, 0, n) },
  f64: { size: 8, make: (b, n) => new Float64Array(b, 0, n) },
  i32: { size: 4, make: (b, n) => new Int32Array(b, 0, n) },
  u32: { size: 4, make: (b, n) => new Uint32Array(b, 0, n) },
  i16: { size: 2, make: (b, n) => new Int16Array(b, 0, n) },
  u16: { size: 2, make: (b, n) => new Uint16Array(b, 0, n) },
  i8: { size: 1, make: (b, n) => new Int8Array(b, 0, n) },
  u8: { size: 1, make: (b, n) => new Uint8Array(b, 0, n) },
};

function dtypeOf(a: ModelArray): ModelDType {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Uint8Array) return 'u8';
  throw new ModelFileError('model arrays must be Float32/Float64/Int32/Uint32/Int16/Uint16/Int8/Uint8 arrays');
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Raw bytes of `a` in little-endian order. */
function leBytes(a: ModelArray): Uint8Array {
  const raw = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return raw;
  const out = new Uint8Array(raw.length);
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += w) for (let k = 0; k < w; k++) out[i + k] = raw[i + w - 1 - k]!;
  return out;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zlib) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encodes a manifest (any JSON-serialisable object) and named arrays into one model file. */
export function encodeModelFile(manifest: object, arrays: Record<string, ModelArray>): Uint8Array {
  const entries: ArrayEntry[] = [];
  let dataLen = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const dtype = dtypeOf(a);
    entries.push({ name, dtype, byteOffset: dataLen, length: a.length });
    dataLen = align8(dataLen + a.byteLength);
  }
  const json = utf8Encode(JSON.stringify({ manifest, arrays: entries }));
  const dataStart = align8(HEADER + json.length);
  const total = dataStart + dataLen;
  if (dataLen > 0xffffffff || json.length > 0xffffffff) throw new ModelFileError('model too large for format version 1 (4 GiB of arrays at most)');
  const out = new Uint8Array(total);
  for (let i = 0; i < 8; i++) out[i] = MODEL_FILE_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  view.setUint32(16, dataLen, true);
  out.set(json, HEADER);
  entries.forEach((e) => out.set(leBytes(arrays[e.name]!), dataStart + e.byteOffset));
  view.setUint32(20, crc32(out, HEADER, total), true);
  return out;
}

function fail(message: string): never {
  throw new ModelFileError(message);
}

/** Decodes a model file; throws ModelFileError naming the problem (not a model file, newer version, truncated, corrupt). */
export function decodeModelFile(bytes: Uint8Array): ModelFileContent {
  if (!(bytes instanceof Uint8Array)) fail('a model file must be given as bytes (Uint8Array)');
  if (bytes.length < HEADER) fail(`not a Flowsight model file: only ${bytes.length} bytes`);
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== MODEL_FILE_MAGIC.charCodeAt(i)) fail('not a Flowsight model file (the file does not start with FSMODEL)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > FORMAT_VERSION) {
    fail(`this model file uses format version ${version}, newer than the ${FORMAT_VERSION} this version of Flowsight reads; update Flowsight to open it`);
  }
  if (version < 1) fail(`model file format version ${version} is not valid`);
  const jsonLen = view.getUint32(12, true);
  const dataLen = view.getUint32(16, true);
  const dataStart = align8(HEADER + jsonLen);
  const total = dataStart + dataLen;
  if (bytes.length < total) fail(`the model file is truncated: ${bytes.length} bytes of the ${total} its header announces`);
  if (bytes.length > total) fail(`the model file has ${bytes.length - total} unexpected trailing bytes`);
  const want = view.getUint32(20, true);
  if (crc32(bytes, HEADER, total) !== want) fail('the model file is corrupt (checksum mismatch)');

  let header: unknown;
  try {
    header = JSON.parse(utf8Decode(bytes.subarray(HEADER, HEADER + jsonLen)));
  } catch (e) {
    fail(`the model file's manifest is not valid JSON: ${(e as Error).message}`);
  }
  const h = header as { manifest?: unknown; arrays?: unknown };
  if (!h || typeof h !== 'object' || typeof h.manifest !== 'object' || h.manifest === null || !Array.isArray(h.arrays)) {
    fail('the model file header lacks its manifest or array directory');
  }
  const arrays: Record<string, ModelArray> = {};
  for (const raw of h.arrays as unknown[]) {
    const e = raw as Partial<ArrayEntry>;
    const spec = typeof e.dtype === 'string' ? DTYPES[e.dtype as ModelDType] : undefined;
    if (typeof e.name !== 'string' || !spec || !Number.isInteger(e.byteOffset) || !Number.isInteger(e.length) || e.byteOffset! < 0 || e.length! < 0) {
      fail(`the model file's array directory has an invalid entry: ${JSON.stringify(raw)}`);
    }
    if (e.byteOffset! % 8 !== 0) fail(`array '${e.name}' is not 8-byte aligned`);
    const byteLen = e.length! * spec.size;
    if (e.byteOffset! + byteLen > dataLen) fail(`array '${e.name}' runs past the end of the array section`);
    if (Object.prototype.hasOwnProperty.call(arrays, e.name)) fail(`array '${e.name}' appears twice`);
    const buf = new ArrayBuffer(byteLen);
    const dst = new Uint8Array(buf);
    const src = bytes.subarray(dataStart + e.byteOffset!, dataStart + e.byteOffset! + byteLen);
    if (LITTLE_ENDIAN || spec.size === 1) dst.set(src);
    else for (let i = 0; i < byteLen; i += spec.size) for (let k = 0; k < spec.size; k++) dst[i + k] = src[i + spec.size - 1 - k]!;
    arrays[e.name!] = spec.make(buf, e.length!);
  }
  return { manifest: h.manifest as Record<string, unknown>, arrays };
}
