/**
 * A table from small non-negative integer keys to values, by open addressing over typed arrays:
 * how the model finds a state's candidate list, about a key per state, where a Map's lookup of an
 * integer key cost several times as much.
 */
export class KeyTable<V> {
  /** Key + 1 per slot; 0 is an empty slot. */
  private keys = new Int32Array(1024);
  private values: (V | undefined)[] = new Array<V | undefined>(1024);
  /** 32 - log2(slots): a multiplicative hash's top bits index the slots. */
  private shift = 22;
  private count = 0;

  /** The value of `key` (0 to 2^30 - 1), or undefined. */
  get(key: number): V | undefined {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key + 1) return this.values[i];
      if (k === 0) return undefined;
    }
  }

  /** Sets the value of `key`, which must not be in the table yet. */
  add(key: number, value: V): void {
    if (2 * (this.count + 1) > this.keys.length) this.grow();
    this.place(key, value);
    this.count++;
  }

  private place(key: number, value: V): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = this.home(key);
    while (keys[i] !== 0) i = (i + 1) & mask;
    keys[i] = key + 1;
    this.values[i] = value;
  }

  /** The slot `key`'s probe starts at: a multiplicative hash's top bits. */
  private home(key: number): number {
    return Math.imul(key + 1, 0x9e3779b1) >>> this.shift;
  }

  /** Twice the slots, every key placed again. */
  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Array<V | undefined>(keys.length * 2);
    this.shift--;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.place(keys[i] - 1, values[i] as V);
  }
}
