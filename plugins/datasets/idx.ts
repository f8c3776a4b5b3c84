import { readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';

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
  const raw = isGzip(bytes) ? gunzipIdx(bytes, file) : bytes;
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

/** Largest IDX payload read (bytes): 2^31 - 1, the most a Uint8Array of one file sensibly holds here. */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

/** Growing prefixes of the compressed bytes inflated to read the header (at most 4 + 4 * 255 bytes). */
const HEADER_PROBES = [64, 512, 4096];
/** Deflate expands at most about 1032:1, so a prefix of n bytes inflates to less than this many. */
const inflatedBound = (n: number): number => 1100 * n + 1024;

/**
 * Gunzips an IDX file without trusting it: first only the start, to read the header, then the whole with
 * the output bounded by the size that header declares (plus one byte, to detect trailing data). A gzip
 * bomb therefore fails after at most the declared size instead of filling memory.
 */
function gunzipIdx(bytes: Uint8Array, file: string): Uint8Array {
  let head = new Uint8Array(0);
  for (const n of HEADER_PROBES) {
    try {
      // a truncated stream flushed with Z_SYNC_FLUSH inflates what it has without an error
      head = gunzipSync(bytes.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: inflatedBound(n) });
    } catch (err) {
      fail(file, `corrupt gzip data (${err instanceof Error ? err.message : String(err)})`);
    }
    if ((head.length >= 4 && head.length >= 4 + 4 * head[3]!) || n >= bytes.length) break;
  }
  let limit = MAX_IDX_BYTES;
  if (head.length >= 4 && head[3]! > 0 && head.length >= 4 + 4 * head[3]!) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    let count = 1;
    for (let d = 0; d < head[3]!; d++) count *= view.getUint32(4 + 4 * d, false);
    const declared = 4 + 4 * head[3]! + count;
    if (declared > MAX_IDX_BYTES) fail(file, `header declares ${count} data bytes, more than the ${MAX_IDX_BYTES} this reader accepts`);
    limit = declared + 1;
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      fail(file, `gzip data inflates to more than the ${limit - 1} bytes its IDX header declares`);
    }
    fail(file, `corrupt gzip data (${err instanceof Error ? err.message : String(err)})`);
  }
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
