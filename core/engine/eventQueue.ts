import { createRequire } from 'node:module';
import type { Heap } from 'heap-js';

// heap-js is CommonJS (a UMD bundle): require() skips the named-export scan that an ESM import of it costs
// at every start-up (about 0.07 s CPU; docs/benchmarks.md, CLI start-up)
const { Heap: HeapClass } = createRequire(import.meta.url)('heap-js') as typeof import('heap-js');

/**
 * A priority queue of events ordered by (time, kind, sequence number), the tie order that makes a run
 * reproducible bit for bit. Events are pooled records in typed arrays; the heap (heap-js) holds their
 * integer ids, so pushing and popping allocates nothing once the pool has grown.
 */
export class EventQueue {
  private time: Float64Array = new Float64Array(64);
  private kind: Int32Array = new Int32Array(64);
  private seq: Float64Array = new Float64Array(64);
  private a: Int32Array = new Int32Array(64);
  private b: Int32Array = new Int32Array(64);
  private free: number[] = [];
  private used = 0;
  private nextSeq = 0;
  private readonly heap: Heap<number>;

  constructor() {
    this.heap = new HeapClass<number>((x, y) => {
      const dt = this.time[x] - this.time[y];
      if (dt !== 0) return dt;
      const dk = this.kind[x] - this.kind[y];
      return dk !== 0 ? dk : this.seq[x] - this.seq[y];
    });
  }

  get size(): number {
    return this.heap.size();
  }

  /** Adds an event with two integer payload fields. */
  push(timeMs: number, kind: number, payloadA: number, payloadB: number): void {
    let id: number;
    if (this.free.length > 0) id = this.free.pop()!;
    else {
      if (this.used === this.time.length) this.grow();
      id = this.used++;
    }
    this.time[id] = timeMs;
    this.kind[id] = kind;
    this.seq[id] = this.nextSeq++;
    this.a[id] = payloadA;
    this.b[id] = payloadB;
    this.heap.push(id);
  }

  /** Time of the earliest event, Infinity if empty. */
  peekTime(): number {
    const id = this.heap.peek();
    return id === undefined ? Infinity : this.time[id];
  }

  /** Removes the earliest event; its fields are then readable through the accessors until the next push. */
  pop(): void {
    const id = this.heap.pop()!;
    this.lastTime = this.time[id];
    this.lastKind = this.kind[id];
    this.lastA = this.a[id];
    this.lastB = this.b[id];
    this.free.push(id);
  }

  lastTime = 0;
  lastKind = 0;
  lastA = 0;
  lastB = 0;

  clear(): void {
    this.heap.clear();
    this.free.length = 0;
    this.used = 0;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const grow64 = (x: Float64Array): Float64Array => {
      const y = new Float64Array(n);
      y.set(x);
      return y;
    };
    const grow32 = (x: Int32Array): Int32Array => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.time = grow64(this.time);
    this.seq = grow64(this.seq);
    this.kind = grow32(this.kind);
    this.a = grow32(this.a);
    this.b = grow32(this.b);
  }
}
