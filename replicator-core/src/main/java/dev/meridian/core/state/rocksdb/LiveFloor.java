package dev.meridian.core.state.rocksdb;

import java.util.Arrays;
import java.util.Optional;

/**
 * The lowest key a live entry of a queue-like family can have (the transfer jobs: each is deleted once done). RocksDB
 * keeps a deleted key as a tombstone until a compaction drops it, and an iterator from the family's start steps over
 * every one: a region completing a million seeded jobs in key order deletes them from the front, and every scan from
 * the start (the transfer worker's, the status sample's) then walked all of them before its first live job. A scan
 * from the start seeks to the floor instead.
 *
 * <p>A write that adds a key lowers the floor to it, after its batch is committed. A scan that began at the floor
 * raises it to the first live key it found (past every key when it found none), unless a write added a key since the
 * scan read the floor: that key may be below what the scan saw. So no live key is ever below the floor.
 */
final class LiveFloor {
  /** Sorts after every key of the family (its keys are repository names first: ASCII, never 0xFF). */
  static final byte[] PAST_EVERY_KEY = {(byte) 0xFF};

  /** Where a scan from the start begins, and the count of additions it must match to move the floor. */
  record View(byte[] floor, long additions) {}

  private byte[] floor = new byte[0];
  private long additions;

  synchronized View view() {
    return new View(floor, additions);
  }

  /** A committed batch added (or rewrote) this key. */
  synchronized void added(byte[] key) {
    additions++;
    if (Arrays.compareUnsigned(key, floor) < 0) floor = key;
  }

  /** A scan that began at {@code seen}'s floor found its first live key, or none. */
  synchronized void found(View seen, Optional<byte[]> first) {
    if (seen.additions() != additions) return;
    byte[] next = first.orElse(PAST_EVERY_KEY);
    if (Arrays.compareUnsigned(next, floor) > 0) floor = next;
  }

  /** Where a scan that must not begin before {@code from} begins: the later of the two. */
  static byte[] later(byte[] from, byte[] floor) {
    return Arrays.compareUnsigned(from, floor) >= 0 ? from : floor;
  }
}
