package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one garbage collection in one region deleted, or would delete in a dry run.
 *
 * @param storedBytes bytes of the blobs left stored (counting, in a dry run, what would be deleted as gone)
 * @param blobs the deleted blobs' digests, at most {@link #LISTED} of them (the counts are complete)
 * @param uploads the deleted upload sessions, at most {@link #LISTED} of them
 */
public record GcReport(
    boolean dryRun,
    Instant startedAt,
    Duration duration,
    long blobsScanned,
    long storedBytes,
    int blobsDeleted,
    long blobBytesReclaimed,
    int uploadsDeleted,
    long uploadBytesReclaimed,
    List<Digest> blobs,
    List<UploadId> uploads) {
  /** How many digests and session ids a report lists at most. */
  public static final int LISTED = 1000;

  public GcReport {
    requireNonNull(startedAt, "startedAt");
    requireNonNull(duration, "duration");
    blobs = List.copyOf(blobs);
    uploads = List.copyOf(uploads);
    if (blobsDeleted < 0 || uploadsDeleted < 0 || blobBytesReclaimed < 0 || uploadBytesReclaimed < 0 || storedBytes < 0) {
      throw new IllegalArgumentException("negative count in a collection report");
    }
  }

  /** Blob and upload bytes together. */
  public long reclaimedBytes() {
    return blobBytesReclaimed + uploadBytesReclaimed;
  }
}
