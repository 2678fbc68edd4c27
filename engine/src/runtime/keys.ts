/**
 * Zeebe-style 64-bit keys: the partition id in the upper 13 bits, a counter in the lower 51.
 * Keys leave this module as decimal strings and are stored as PostgreSQL bigint; they are never
 * JS numbers, which lose precision above 2^53. The counter itself stays below 2^51 and is a
 * safe integer.
 */
const COUNTER_BITS = 51n;

export class KeyGenerator {
  private readonly base: bigint;

  constructor(
    readonly partitionId: number,
    private counter: number,
  ) {
    this.base = BigInt(partitionId) << COUNTER_BITS;
  }

  next(): string {
    this.counter += 1;
    return (this.base + BigInt(this.counter)).toString();
  }

  /** the newest counter value handed out, for persisting */
  get last(): number {
    return this.counter;
  }
}

export function partitionOfKey(key: string): number {
  return Number(BigInt(key) >> COUNTER_BITS);
}

/** True for a decimal string that is a positive 64-bit integer. */
export function isKey(value: string): boolean {
  if (!/^[0-9]{1,19}$/.test(value)) return false;
  const parsed = BigInt(value);
  return parsed > 0n && parsed <= 9223372036854775807n;
}
