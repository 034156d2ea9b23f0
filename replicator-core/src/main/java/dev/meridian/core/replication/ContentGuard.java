package dev.meridian.core.replication;

import dev.meridian.core.digest.Digest;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps a blob sweeper from deleting content that a manifest being committed relies on.
 *
 * <p>A commit that decides "these blobs are here" and then writes a manifest register referencing them
 * runs inside {@link #claiming}: its references are recorded as claims, under a read lock. A sweeper
 * scans the manifest registers without any lock after {@link #startSweep}, then deletes under the write
 * lock only what neither the scan nor a claim made since the sweep started references. A commit is
 * either entirely before the delete (then its claim, or its register in the scan, protects the blob) or
 * entirely after it (then its own presence check sees the blob gone).
 */
public final class ContentGuard {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<Digest> claims = ConcurrentHashMap.newKeySet();

  /** Runs a commit that relies on {@code references} being present. */
  public <T> T claiming(Collection<Digest> references, Supplier<T> commit) {
    lock.readLock().lock();
    try {
      claims.addAll(references);
      return commit.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets old claims: call before the scan whose result {@link #reclaiming} completes. */
  public void startSweep() {
    lock.writeLock().lock();
    try {
      claims.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs the deletion with no commit in flight, given every digest claimed since the sweep started. */
  public <T> T reclaiming(Function<Set<Digest>, T> delete) {
    lock.writeLock().lock();
    try {
      return delete.apply(Set.copyOf(claims));
    } finally {
      lock.writeLock().unlock();
    }
  }
}
