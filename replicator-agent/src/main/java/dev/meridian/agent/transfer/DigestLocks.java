package dev.meridian.agent.transfer;

import dev.meridian.core.digest.Digest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per digest, held while its upload session is written: two jobs needing the same layer must not
 * append to the same session at once. A lock lives only while someone holds or waits for it.
 */
final class DigestLocks {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users; // guarded by the map's compute
  }

  private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();

  /** Blocks until this thread holds the digest's lock; the returned handle releases it. */
  Held lock(Digest digest) {
    Entry entry = entries.compute(digest, (d, e) -> {
      Entry current = e == null ? new Entry() : e;
      current.users++;
      return current;
    });
    entry.lock.lock();
    return () -> {
      entry.lock.unlock();
      entries.compute(digest, (d, e) -> --e.users == 0 ? null : e);
    };
  }

  /** Whether someone holds or waits for the digest's lock now. */
  boolean isHeld(Digest digest) {
    return entries.containsKey(digest);
  }

  /** A held lock. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
