/**
 * Column chunks as BLOBs: the raw bytes of a typed array (platform byte order; every platform
 * Flowsight ships on is little-endian). f32 -> Float32Array, f64 -> Float64Array, dict -> Int32Array.
 */
import type { StorageType } from '../../../ml-core/data/types.js';

export type ColumnArray = Float32Array | Float64Array | Int32Array;

/** A Buffer view over the array's bytes (no copy). */
export function toBlob(values: ColumnArray): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function bytesPerValue(storage: StorageType): number {
  return storage === 'f64' ? 8 : 4;
}

/** View a BLOB as the storage's typed array; copies only when the bytes are not aligned. */
export function fromBlob(buf: Uint8Array, storage: StorageType): ColumnArray {
  const width = bytesPerValue(storage);
  if (buf.byteLength % width !== 0) {
    throw new Error(`a ${storage} column chunk of ${buf.byteLength} bytes is not a whole number of values`);
  }
  let bytes = buf;
  if (buf.byteOffset % width !== 0) bytes = new Uint8Array(buf); // copy to a fresh, aligned buffer
  const n = bytes.byteLength / width;
  if (storage === 'f32') return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  if (storage === 'f64') return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  return new Int32Array(bytes.buffer, bytes.byteOffset, n);
}

export function allocColumn(storage: StorageType, n: number): ColumnArray {
  if (storage === 'f32') return new Float32Array(n);
  if (storage === 'f64') return new Float64Array(n);
  return new Int32Array(n);
}

export function storageOf(values: ColumnArray): StorageType {
  if (values instanceof Float32Array) return 'f32';
  if (values instanceof Float64Array) return 'f64';
  return 'dict';
}
