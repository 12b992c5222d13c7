// Remembers response ids in bounded space: each id is kept as a 64-bit hash in typed arrays
// (16 bytes a slot) rather than as a string, so tens of millions of calls fit in a few hundred MB
// less than a Set of strings would take. Two different ids collide with a chance of about n²/2⁶⁵.

/** A set of response ids that answers "seen before?" while adding. */
export class ResponseIdSet {
  private high = new Int32Array(1 << 12);
  private low = new Int32Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    if (h1 === 0 && h2 === 0) h2 = 1; // (0, 0) marks an empty slot
    if ((this.count + 1) * 2 > this.high.length) this.grow();
    return this.insert(h1 | 0, h2 | 0);
  }

  private insert(h1: number, h2: number): boolean {
    const mask = this.high.length - 1;
    let slot = (h1 ^ (h2 >>> 7)) & mask;
    for (;;) {
      const a = this.high[slot];
      const b = this.low[slot];
      if (a === 0 && b === 0) {
        this.high[slot] = h1;
        this.low[slot] = h2;
        this.count++;
        return true;
      }
      if (a === h1 && b === h2) return false;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const high = this.high;
    const low = this.low;
    this.high = new Int32Array(high.length * 2);
    this.low = new Int32Array(low.length * 2);
    this.count = 0;
    for (let i = 0; i < high.length; i++) if (high[i] !== 0 || low[i] !== 0) this.insert(high[i], low[i]);
  }
}
