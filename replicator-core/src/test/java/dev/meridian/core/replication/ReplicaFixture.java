package dev.meridian.core.replication;

import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** One region's real stores in a temp dir, replaying events the way the agent does: plan, then commit. */
final class ReplicaFixture implements AutoCloseable {
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  final RegionId self;
  final Path dir;
  final RocksDbRegistryState state;
  final FileSystemBlobStore blobs;
  final ReplayPlanner planner;
  final ManifestVisibility visibility;
  final ReplicaAcks acks;

  ReplicaFixture(RegionId self) {
    this.self = self;
    try {
      this.dir = Files.createTempDirectory("meridian-replica-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.state = RocksDbRegistryState.open(dir.resolve("state"));
    this.blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    this.acks = new ReplicaAcks(self, new Hlc(FIXED), () -> UUID.randomUUID().toString(), new EventCodec());
    this.planner = new ReplayPlanner(self, state, blobs, acks, FIXED);
    this.visibility = new ManifestVisibility(state);
  }

  void replay(ReplicationEvent event) {
    state.apply(new StateBatch(planner.plan(event)));
  }

  /** Replays several events as the agent replays one poll: planned against a buffer, committed once. */
  void replayPoll(java.util.List<ReplicationEvent> events) {
    BufferedRegistryState view = new BufferedRegistryState(state);
    ReplayPlanner pollPlanner = new ReplayPlanner(self, view, blobs, acks, FIXED);
    for (ReplicationEvent e : events) view.apply(new StateBatch(pollPlanner.plan(e)));
    state.apply(view.drain(true));
  }

  @Override
  public void close() {
    state.close();
    blobs.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
