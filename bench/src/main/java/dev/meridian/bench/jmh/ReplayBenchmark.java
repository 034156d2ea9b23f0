package dev.meridian.bench.jmh;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.agent.notify.ChangeNotifications;
import dev.meridian.agent.notify.NotificationDestination;
import dev.meridian.agent.notify.NotifyingRegistryState;
import dev.meridian.agent.replication.EventReplayer;
import dev.meridian.agent.replication.ReplayListener;
import dev.meridian.bench.harness.BenchCredentials;
import dev.meridian.bench.harness.SmallImage;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.BlobPresence;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.LocalChangeEvents;
import dev.meridian.core.replication.OutboxingRegistryState;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay alone, without a broker: the agent's {@link EventReplayer} wired as a fleet member wires it (outbox and
 * notifications over RocksDB, the topology's repository filter, signature checks) applies one poll of {@value #POLL} records per
 * invocation, in a temporary directory. The records are those of the {@code apply} scenario: blob.put x2,
 * manifest.put and tag.put per repository, from another region, signed with the fleet key, their content already
 * in the blob store. Each poll is new repositories, committed as one synced batch; the score is events/s.
 *
 * <p>On a shared machine the wall-clock score mostly measures the neighbours: each iteration also prints the
 * replaying thread's own CPU time per event ({@code cpu-us/event}), which contention hardly moves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ReplayBenchmark {
  static final int POLL = 2_000;
  private static final String TOPIC = "meridian.events";
  private static final int PARTITIONS = 8;
  private static final RegionId SELF = new RegionId("eastus");
  private static final RegionId ORIGIN = new RegionId("westeurope");

  private Path directory;
  private RocksDbRegistryState opened;
  private FileSystemBlobStore blobs;
  private EventReplayer replayer;
  private final EventCodec codec = new EventCodec();
  private final EventSigner signer = BenchCredentials.eventSigner();
  private final SmallImage image = new SmallImage(400);
  private byte[] manifest;
  private Digest manifestDigest;
  private int nextRepository;
  private long nextOffset;
  private List<LogRecord> poll;
  private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
  private long cpuNanos;
  private long events;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("meridian-jmh-replay");
    opened = RocksDbRegistryState.open(directory.resolve("state"));
    blobs = new FileSystemBlobStore(directory.resolve("blobs"));
    manifest = image.manifest("apply");
    manifestDigest = Digest.sha256Of(manifest);
    image.blobs().forEach((digest, bytes) -> blobs.put(digest, new ByteArrayInputStream(bytes)));
    blobs.put(manifestDigest, new ByteArrayInputStream(manifest));
    Clock clock = Clock.systemUTC();
    Hlc hlc = new Hlc(clock);
    // As a fleet member wires it: notifications (the notifications topic) under the outbox, over RocksDB.
    var notifying = new NotifyingRegistryState(opened, new ChangeNotifications(SELF, () -> UUID.randomUUID().toString(), clock),
        List.of(NotificationDestination.all(NotificationDestination.KAFKA)), () -> {});
    var state = new OutboxingRegistryState(notifying,
        new LocalChangeEvents(SELF, () -> UUID.randomUUID().toString(), d -> blobs.stat(d).map(BlobInfo::size).orElse(0L)),
        new EventCodec(), () -> {});
    LiveTopology topology = LiveTopology.fixed(new Topology("127.0.0.1:9092", PARTITIONS, (short) 1,
        List.of(Region.of(SELF.value(), "http://127.0.0.1:5000"), Region.of(ORIGIN.value(), "http://127.0.0.1:5001"))));
    ReplicaAcks acks = new ReplicaAcks(SELF, hlc, () -> UUID.randomUUID().toString(), new EventCodec());
    replayer = new EventReplayer(state,
        view -> new ReplayPlanner(SELF, view, blobs, BlobPresence.withinBatch(blobs), acks, clock, repository -> topology.current().admits(SELF, repository)),
        hlc, signer, (record, reason) -> {
          throw new IllegalStateException("dead letter in the benchmark: " + reason);
        }, () -> {}, () -> {}, ReplayListener.NONE, new ContentGuard());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    opened.close();
    blobs.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The next poll: {@code POLL / 4} repositories never seen before, four events each, spread over the partitions. */
  @Setup(Level.Invocation)
  public void nextPoll() {
    poll = new ArrayList<>(POLL);
    long millis = System.currentTimeMillis();
    for (int i = 0; i < POLL / 4; i++) {
      int k = nextRepository++;
      var repository = new RepositoryName("apply/r" + k);
      var hlc = new HlcTimestamp(millis, k % 1000);
      List<ReplicationEvent> events = image.pushEvents(k, ORIGIN, hlc, repository, manifestDigest, manifest.length);
      for (ReplicationEvent event : events) {
        byte[] value = codec.encode(event);
        poll.add(new LogRecord(TOPIC, k % PARTITIONS, nextOffset++, Optional.of(repository.value()), value,
            Map.of(EventSigner.HEADER, signer.sign(repository.value(), value)), millis));
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(POLL)
  public void replayPoll() {
    long before = threads.getCurrentThreadCpuTime();
    replayer.handle(poll);
    cpuNanos += threads.getCurrentThreadCpuTime() - before;
    events += poll.size();
  }

  @TearDown(Level.Iteration)
  public void reportCpu() {
    if (events > 0) System.out.printf("cpu-us/event %.2f (%d events)%n", cpuNanos / 1e3 / events, events);
    cpuNanos = 0;
    events = 0;
  }
}
