package dev.meridian.agent.replication;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small manifests travel with their {@code manifest.put} (DESIGN.md §6): the relay attaches the manifest's bytes
 * to the record as a header, and replay stores them before planning the poll, so a manifest whose other content
 * is already here becomes servable in the same commit, with no transfer job and no call to the origin.
 *
 * <p>The header is not covered by the event's signature and needs no such cover: the bytes are stored only if
 * their digest is the one the signed event names (content addressing), and only for a record whose signature
 * replay checked. Anything wrong with a header (bad base64, wrong size or digest) is logged and ignored: the
 * manifest is then fetched from a peer as before. An agent that does not know the header ignores it.
 */
public final class InlineManifests implements AutoCloseable {
  /** The record header carrying the manifest's bytes, base64. */
  public static final String HEADER = "meridian-manifest";
  /** Manifests up to this size travel inline; larger ones (rare: big indexes) are fetched. */
  public static final long MAX_INLINE_BYTES = 32 * 1024;

  private static final Logger log = LoggerFactory.getLogger(InlineManifests.class);

  private static final int WRITERS = 4;

  private final BlobStore blobs;
  private final Predicate<RepositoryName> admitted;
  private final ExecutorService writers;

  /** For a region that admits every repository (and for the shipping side, which never filters). */
  public InlineManifests(BlobStore blobs) {
    this(blobs, repository -> true);
  }

  /**
   * {@code admitted} is the region's repository filter: a manifest of a repository it excludes is never written
   * here, not even until garbage collection would remove it (the filter holds at every door content comes in by).
   */
  public InlineManifests(BlobStore blobs, Predicate<RepositoryName> admitted) {
    this.blobs = blobs;
    this.admitted = admitted;
    AtomicInteger n = new AtomicInteger();
    this.writers = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "meridian-inline-manifest-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The headers to ship {@code event} with: a small {@code manifest.put}'s bytes read from the blob store; none
   * for other events, a large manifest, or one no longer stored here (deleted since the push).
   */
  public Map<String, String> headers(ReplicationEvent event) {
    if (!(event instanceof ManifestPut put) || put.size() > MAX_INLINE_BYTES) return Map.of();
    try (BlobContent content = blobs.open(put.digest())) {
      if (content.info().size() != put.size()) return Map.of();
      byte[] bytes;
      try (InputStream in = content.openStream(0, put.size())) {
        bytes = in.readAllBytes();
      }
      return Map.of(HEADER, Base64.getEncoder().encodeToString(bytes));
    } catch (RegistryException | IOException | UncheckedIOException e) {
      return Map.of(); // gone or unreadable: peers fetch it (and find it gone) as they would without this
    }
  }

  /**
   * Stores the manifests a poll's records carry ({@code events.get(i)} is {@code records.get(i)}'s event, null if
   * it has none), those not stored here yet. Called by replay inside the commit's content claim, before planning,
   * so the planner finds them. Each store syncs its file: they run side by side on a few threads, so their
   * syncs share the file system's journal commits instead of queueing one after another.
   */
  public void storeAll(List<LogRecord> records, List<ReplicationEvent> events) {
    List<CompletableFuture<Void>> stores = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      LogRecord record = records.get(i);
      ReplicationEvent event = events.get(i);
      if (!(event instanceof ManifestPut put) || !record.headers().containsKey(HEADER)) continue;
      if (!admitted.test(put.repository())) continue;
      try {
        stores.add(CompletableFuture.runAsync(() -> store(record, event), writers));
      } catch (RejectedExecutionException closing) {
        return; // the region is stopping: the poll is not committed and will be replayed
      }
    }
    stores.forEach(CompletableFuture::join);
  }

  /**
   * Stores the bytes {@code record} carries for its {@code manifest.put}, if any and if not stored here yet. Never
   * throws: whatever goes wrong, the manifest is fetched from a peer as it would be without the header.
   */
  void store(LogRecord record, ReplicationEvent event) {
    if (!(event instanceof ManifestPut put)) return;
    try {
      storeChecked(record, put);
    } catch (RuntimeException e) {
      ignore(record, put, String.valueOf(e));
    }
  }

  private void storeChecked(LogRecord record, ManifestPut put) {
    String inline = record.headers().get(HEADER);
    if (inline == null || put.size() > MAX_INLINE_BYTES || blobs.stat(put.digest()).isPresent()) return;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(inline);
    } catch (IllegalArgumentException e) {
      ignore(record, put, "not base64");
      return;
    }
    if (bytes.length != put.size()) {
      ignore(record, put, "size " + bytes.length + " is not the event's " + put.size());
      return;
    }
    Digest actual = Digest.of(put.digest().algorithm(), bytes);
    if (!actual.equals(put.digest())) {
      ignore(record, put, "digest " + actual);
      return;
    }
    try {
      blobs.put(put.digest(), new ByteArrayInputStream(bytes));
    } catch (RegistryException | UncheckedIOException e) {
      ignore(record, put, e.getMessage()); // e.g. the disk is full: the transfer job retries later
    }
  }

  private static void ignore(LogRecord record, ManifestPut put, String reason) {
    log.warn("replay.inline_manifest.ignored partition={} offset={} digest={} reason=\"{}\"",
        record.partition(), record.offset(), put.digest(), reason);
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }
}
