import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * An IDX array of unsigned bytes (the format of the MNIST and Fashion-MNIST files, LeCun et al.):
 * a big-endian header `00 00 08 <ndim>`, then `ndim` 32-bit big-endian sizes, then the bytes in
 * row-major order.
 */
export interface IdxArray {
  /** The sizes, outermost first (e.g. [60000, 28, 28] for MNIST training images). */
  readonly dims: readonly number[];
  /** prod(dims) bytes, row-major. */
  readonly data: Uint8Array;
}

/** What `parseIdx` checks beyond the format itself. */
export interface IdxExpectation {
  /** Required number of dimensions (3 for images, 1 for labels). Default: any. */
  readonly ndim?: number;
}

/** IDX type code of unsigned bytes, the only one MNIST-style files use. */
const IDX_UBYTE = 0x08;

/** Throws an Error whose one-line message names `file` and the reason. */
function fail(file: string, reason: string): never {
  throw new Error(`${file}: ${reason}`);
}

/** True when `bytes` start with the gzip magic bytes 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (raw, or gzip-compressed: detected by the magic bytes 1f 8b). `file` is used in the
 * error messages only. Throws on a bad magic number, an unsupported type, a dimension count other than
 * `expect.ndim`, a zero size, or a data length that differs from the header's.
 */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation = {}): IdxArray {
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes);
    } catch (err) {
      fail(file, `corrupt gzip data (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (raw.length < 4) fail(file, `too short for an IDX header (${raw.length} bytes)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  const hex = `0x${magic.toString(16).padStart(8, '0')}`;
  if (raw[0] !== 0 || raw[1] !== 0) fail(file, `bad magic number ${hex} (not an IDX file)`);
  if (raw[2] !== IDX_UBYTE) {
    fail(file, `unsupported IDX data type 0x${raw[2]!.toString(16).padStart(2, '0')} (only unsigned bytes, 0x08)`);
  }
  const ndim = raw[3]!;
  if (ndim === 0) fail(file, `bad magic number ${hex} (zero dimensions)`);
  if (expect.ndim !== undefined && ndim !== expect.ndim) {
    fail(file, `expected ${expect.ndim} dimension(s), found ${ndim} (magic ${hex})`);
  }
  const headerBytes = 4 + 4 * ndim;
  if (raw.length < headerBytes) fail(file, `truncated header (${raw.length} of ${headerBytes} bytes)`);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size === 0) fail(file, `dimension ${d} has size 0`);
    dims.push(size);
    count *= size;
  }
  const have = raw.length - headerBytes;
  if (have < count) fail(file, `truncated data (${have} of ${count} bytes for dimensions ${dims.join('x')})`);
  if (have > count) fail(file, `${have - count} unexpected bytes after the data (dimensions ${dims.join('x')})`);
  // A plain Uint8Array view (not a Buffer), whatever the input was.
  return { dims, data: new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, count) };
}

/** Reads and parses the IDX file at `path` (raw or gzip). Errors name the file. */
export function readIdxFile(path: string, expect: IdxExpectation = {}): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(path, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(err)})`);
  }
  return parseIdx(bytes, path, expect);
}

/** Encodes `data` with sizes `dims` as IDX unsigned-byte bytes (for tests and small exports). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new RangeError(`encodeIdx: ${data.length} bytes for dimensions ${dims.join('x')}`);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  dims.forEach((size, d) => view.setUint32(4 + 4 * d, size, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
