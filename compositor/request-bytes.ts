/**
 * Memory for encoded bytes, by who holds them. Memory of its own costs 4–10 µs a buffer here, where
 * carving from a shared slab costs well under one: bytes that live no longer than their request (a
 * page no cache keeps, a widget of such a page, a page view's logging record) are carved from
 * shared slabs, as Node's Buffer pool does for bytes under 4 KiB. A slab is freed once nothing carved
 * from it is referenced, so bytes a cache may keep get memory of their own: they must not pin one.
 */
export type BytesHolder = "owned" | "pooled";

const SLAB_BYTES = 512 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

/** `length` bytes, not zeroed, held as `holder` says. */
export function allocateBytes(length: number, holder: BytesHolder): Buffer {
  if (holder === "owned" || length > SLAB_BYTES / 4) return Buffer.allocUnsafeSlow(length);
  if (slabUsed + length > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const bytes = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += (length + 7) & ~7;
  return bytes;
}
