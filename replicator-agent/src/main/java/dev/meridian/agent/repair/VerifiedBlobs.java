package dev.meridian.agent.repair;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.PublishListener;
import dev.meridian.core.digest.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Blobs recently hashed and found intact, each with the size and modification time its file had then: a
 * verdict holds while the file keeps both and is younger than the time to live. Blob files are published by
 * rename and never written again, so a changed stamp means other bytes (a corruption by a writer, or a blob
 * quarantined and fetched again); bit rot keeps the stamp, which is why a verdict expires.
 *
 * <p>Verdicts come from two places: the {@link Scrubber} hashing a blob before a peer is sent it, and the blob store
 * publishing a file it hashed as it was written ({@link #published}, a {@link PublishListener}): a blob pushed or
 * replicated here is then served to its first peer without being read twice. Both are the same kind of verdict (these
 * bytes hashed to this digest, with this stamp) and live under the same rule.
 *
 * <p>Bounded: at {@link #MAX_ENTRIES} verdicts the expired ones are dropped, and if none had expired the map is
 * emptied (forgetting a verdict only costs one more hash).
 */
public final class VerifiedBlobs implements PublishListener {
  static final int MAX_ENTRIES = 10_000;

  /** What identifies the bytes of one blob file: its size and last modification. */
  record FileStamp(long size, Instant modified) {
    FileStamp {
      requireNonNull(modified, "modified");
    }

    /** The stamp of the blob's file now; empty when it is not in the store. */
    static Optional<FileStamp> of(BlobStore blobs, Digest digest) {
      Optional<BlobInfo> info = blobs.stat(digest);
      Optional<Instant> modified = blobs.lastModified(digest);
      if (info.isEmpty() || modified.isEmpty()) return Optional.empty();
      return Optional.of(new FileStamp(info.get().size(), modified.get()));
    }
  }

  private record Verdict(FileStamp stamp, long atNanos) {}

  private final Map<Digest, Verdict> verdicts = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanoTime;

  /** Verdicts trusted for {@code ttl}; the agent's are trusted for {@link Scrubber#PEER_VERDICT_TTL}. */
  public VerifiedBlobs(Duration ttl) {
    this(ttl, System::nanoTime);
  }

  VerifiedBlobs(Duration ttl, LongSupplier nanoTime) {
    if (ttl.isNegative()) throw new IllegalArgumentException("ttl < 0: " + ttl);
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  /** Whether {@code digest} was found intact with this very stamp less than the time to live ago. */
  boolean stillValid(Digest digest, FileStamp stamp) {
    Verdict verdict = verdicts.get(digest);
    if (verdict == null) return false;
    if (verdict.stamp().equals(stamp) && nanoTime.getAsLong() - verdict.atNanos() < ttlNanos) return true;
    verdicts.remove(digest, verdict);
    return false;
  }

  /** Records that the file with {@code stamp} hashed to {@code digest} just now. */
  void remember(Digest digest, FileStamp stamp) {
    long now = nanoTime.getAsLong();
    if (verdicts.size() >= MAX_ENTRIES) {
      // Every publish records a verdict, so the bound is reached under ordinary write volume: drop the expired
      // first, and only if that frees nothing forget them all (one more hash each).
      verdicts.values().removeIf(v -> now - v.atNanos() >= ttlNanos);
      if (verdicts.size() >= MAX_ENTRIES) verdicts.clear();
    }
    verdicts.put(digest, new Verdict(stamp, now));
  }

  /** A file the blob store verified as it wrote it and has just renamed into place under {@code digest}. */
  @Override
  public void published(Digest digest, long size, Instant modified) {
    remember(digest, new FileStamp(size, modified));
  }

  void forget(Digest digest) {
    verdicts.remove(digest);
  }
}
