package dev.meridian.agent.replication;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.SnapshotCodec;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.replication.BufferedRegistryState;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges a peer's register snapshot ({@link SnapshotCodec}) into this region, line by line, with the replay rules:
 * each register goes through {@link ReplayPlanner#merge} against a {@link BufferedRegistryState}, so a manifest
 * whose content is missing gets its MANIFEST transfer job exactly as a replayed {@code manifest.put} would, and
 * pages of {@value #PAGE} registers are committed unsynced as they come. Only the last line (the count) commits the
 * offsets, synced: a stream cut short leaves merged registers (harmless, merging is idempotent) and no offsets, and
 * the whole snapshot is merged again.
 *
 * <p>One difference from replay: a blob link is merged as a register only, without a prefetch job. Blobs a
 * manifest references are fetched by its MANIFEST job; a blob no manifest references is fetched on demand
 * (read-through) if ever pulled.
 */
public final class SnapshotSeeder {
  private static final Logger log = LoggerFactory.getLogger(SnapshotSeeder.class);
  static final int PAGE = 500;
  /** Lines decoded ahead of the merge, per hand-over and at most this many hand-overs ahead (DecodedLines). */
  static final int DECODE_CHUNK = 512;
  static final int DECODE_CHUNKS_AHEAD = 16;
  /** Distinct missing digests remembered to not count shared layers twice; beyond it the estimate may count some twice. */
  static final int DEDUP_LIMIT = 200_000;

  private final RegistryState state;
  private final BlobStore blobs;
  private final Function<RegistryState, ReplayPlanner> planners;
  private final Hlc hlc;
  private final ContentGuard guard;
  private final SnapshotCodec codec = new SnapshotCodec();

  public SnapshotSeeder(RegistryState state, BlobStore blobs, Function<RegistryState, ReplayPlanner> planners, Hlc hlc,
      ContentGuard guard) {
    this.state = state;
    this.blobs = blobs;
    this.planners = planners;
    this.hlc = hlc;
    this.guard = guard;
  }

  /** What a merge did. */
  public record Outcome(String source, long registers, long manifestJobs, Map<LogPosition, Long> offsets) {}

  /** Merges the snapshot in {@code in}; {@link SnapshotException} if it is malformed or ends early. */
  public Outcome merge(InputStream in, Seeding seeding) {
    BufferedRegistryState view = new BufferedRegistryState(state);
    ReplayPlanner planner = planners.apply(view);
    Set<Digest> counted = new HashSet<>();
    List<Digest> claims = new ArrayList<>();
    SnapshotCodec.Header header = null;
    long registers = 0;
    long jobs = 0;
    try (DecodedLines lines = new DecodedLines(in, this::decode, DECODE_CHUNK, DECODE_CHUNKS_AHEAD)) {
      for (SnapshotCodec.Line line = lines.next(); line != null; line = lines.next()) {
        if (header == null) {
          if (!(line instanceof SnapshotCodec.Header h)) throw new SnapshotException("snapshot does not start with its header");
          header = h;
        } else if (line instanceof SnapshotCodec.Register r) {
          ReplicationEvent event = r.event();
          hlc.observe(event.hlc());
          List<StateWrite> writes = writes(planner, event);
          view.apply(new StateBatch(writes));
          for (StateWrite w : writes) {
            if (w instanceof StateWrite.PutTransfer t && t.job().kind() == TransferJob.Kind.MANIFEST && event instanceof ManifestPut put) {
              jobs++;
              seeding.expect(missingBytes(put, counted));
            }
          }
          if (event instanceof ManifestPut put) {
            claims.add(put.digest());
            put.references().forEach(d -> claims.add(d.digest()));
          }
          if (++registers % PAGE == 0) {
            commit(view, claims, List.of(), false);
          }
        } else if (line instanceof SnapshotCodec.End end) {
          if (end.records() != registers) {
            throw new SnapshotException("snapshot announced " + end.records() + " registers, " + registers + " arrived");
          }
          Map<LogPosition, Long> offsets = SeedOffsets.choose(state.consumerOffsets(), header.offsets());
          List<StateWrite> closing = new ArrayList<>(seeding.mergedWrites());
          offsets.forEach((position, next) -> closing.add(new StateWrite.PutConsumerOffset(position, next)));
          commit(view, claims, closing, true);
          seeding.merged();
          log.info("seed.merged source={} registers={} manifest_jobs={} offsets={}", header.region(), registers, jobs, offsets);
          return new Outcome(header.region().value(), registers, jobs, offsets);
        } else {
          throw new SnapshotException("unexpected second header in the snapshot");
        }
      }
    } catch (IOException e) {
      throw new SnapshotException("snapshot stream failed after " + registers + " registers: " + e.getMessage(), e);
    }
    // Whatever was merged stays: it is correct, only incomplete. The offsets were not stored.
    commit(view, claims, List.of(), true);
    throw new SnapshotException("snapshot ended after " + registers + " registers without its last line");
  }

  private List<StateWrite> writes(ReplayPlanner planner, ReplicationEvent event) {
    if (event instanceof BlobPut put) {
      return List.of(new StateWrite.PutBlobLink(new BlobLinkRecord(put.repository(), put.digest(), true, put.stamp())));
    }
    return planner.merge(event);
  }

  /** The bytes of this manifest and its references not stored here, each digest counted once. */
  private long missingBytes(ManifestPut put, Set<Digest> counted) {
    long bytes = 0;
    boolean firstManifest = counted.size() >= DEDUP_LIMIT || counted.add(put.digest());
    if (firstManifest && blobs.stat(put.digest()).isEmpty()) bytes += put.size();
    for (Descriptor d : put.references()) {
      boolean first = counted.size() >= DEDUP_LIMIT || counted.add(d.digest());
      if (first && blobs.stat(d.digest()).isEmpty()) bytes += d.size();
    }
    return bytes;
  }

  private void commit(BufferedRegistryState view, List<Digest> claims, List<StateWrite> extra, boolean sync) {
    view.apply(new StateBatch(extra));
    // Some manifests were found complete and acked: nothing may reclaim their blobs before the commit.
    guard.claiming(List.copyOf(claims), () -> {
      state.apply(view.drain(sync));
      return null;
    });
    claims.clear();
  }

  private SnapshotCodec.Line decode(String text) {
    try {
      return codec.decode(text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(e.getMessage(), e);
    }
  }

  /** A snapshot that could not be merged whole; retrying (another peer, or later) is the answer. */
  public static final class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
      super(message);
    }

    public SnapshotException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
