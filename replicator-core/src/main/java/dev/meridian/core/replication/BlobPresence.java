package dev.meridian.core.replication;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.digest.Digest;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Whether blobs are in the local store, as replay planning asks it. {@link #withinBatch} serves one poll of the log:
 * a blob found present is not looked up again in that poll, so the events of a poll that share layers cost one
 * {@code stat} each; {@link #eachTime} asks the store every time.
 *
 * <p>Only presence is remembered, never absence: a blob that arrives while the poll is planned (a transfer
 * finishing, a manifest carried with its event) is seen at the next question. A blob found present may still be
 * deleted before the poll commits, as after a plain {@code stat}; what a manifest.put's commit relies on is claimed
 * from the sweepers for the whole poll ({@link ContentGuard}), which is why a remembering one must live no longer than
 * one claimed batch (not, e.g., a whole snapshot merge). Not thread-safe.
 */
public final class BlobPresence {
  private final BlobStore blobs;
  /** Digests found present; null when nothing is remembered. */
  private final Set<Digest> present;

  private BlobPresence(BlobStore blobs, boolean remember) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.present = remember ? new HashSet<>() : null;
  }

  /** Asks the store at every question. */
  public static BlobPresence eachTime(BlobStore blobs) {
    return new BlobPresence(blobs, false);
  }

  /** Remembers what it found present: for one batch planned and committed under one claim, then dropped. */
  public static BlobPresence withinBatch(BlobStore blobs) {
    return new BlobPresence(blobs, true);
  }

  /** Whether {@code digest} is in the store: found present earlier in this batch, or by a {@code stat} now. */
  public boolean isPresent(Digest digest) {
    if (present != null && present.contains(digest)) return true;
    if (blobs.stat(digest).isEmpty()) return false;
    if (present != null) present.add(digest);
    return true;
  }
}
