package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.BlobPresence;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A poll commits each partition's next offset with its state, whatever the records were. */
class ReplayOffsetsTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId SELF = new RegionId("westeurope");
  private static final String TOPIC = "meridian.events";
  private static final byte[] FLEET_KEY = "replay-offsets-test-fleet-key!!!".getBytes(UTF_8);

  @TempDir Path dir;
  private RocksDbRegistryState state;
  private FileSystemBlobStore blobs;
  private EventReplayer replayer;
  private final EventSigner signer = new EventSigner(FLEET_KEY);
  private final EventCodec codec = new EventCodec();
  private final List<LogRecord> deadLetters = new ArrayList<>();

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
    blobs = new FileSystemBlobStore(dir.resolve("blobs"));
    Clock clock = Clock.systemUTC();
    Hlc hlc = new Hlc(clock);
    ReplicaAcks acks = new ReplicaAcks(SELF, hlc, () -> UUID.randomUUID().toString(), codec);
    replayer = new EventReplayer(state,
        view -> new ReplayPlanner(SELF, view, blobs, BlobPresence.withinBatch(blobs), acks, clock, repository -> true),
        hlc, signer, (record, reason) -> {
          deadLetters.add(record);
          return CompletableFuture.completedFuture(null);
        }, () -> {}, () -> {});
  }

  @AfterEach
  void close() {
    state.close();
    blobs.close();
  }

  @Test
  void eachPartitionResumesAfterItsLastRecordOfThePollDeadLettersIncluded() {
    List<LogRecord> poll = new ArrayList<>();
    for (long offset = 10; offset < 13; offset++) poll.add(tagPut(0, offset, "a" + offset, true));
    for (long offset = 40; offset < 42; offset++) poll.add(tagPut(3, offset, "b" + offset, true));
    poll.add(tagPut(3, 42, "forged", false));
    poll.add(tagPut(0, 13, "a13", true));

    replayer.handle(poll);

    assertThat(state.consumerOffsets())
        .containsExactlyInAnyOrderEntriesOf(Map.of(new LogPosition(TOPIC, 0), 14L, new LogPosition(TOPIC, 3), 43L));
    assertThat(deadLetters).singleElement().satisfies(r -> assertThat(r.offset()).isEqualTo(42));
    assertThat(state.findTag(new RepositoryName("app/a13"), new Tag("v1"))).isPresent();
    assertThat(state.findTag(new RepositoryName("app/b41"), new Tag("v1"))).isPresent();
    assertThat(replayer.applied()).isEqualTo(poll.size());
  }

  @Test
  void aPollDecodedAheadChangesNothingUntilHandledThenAppliesAsIfDecodedThere() {
    List<LogRecord> poll = new ArrayList<>();
    for (long offset = 10; offset < 13; offset++) poll.add(tagPut(0, offset, "a" + offset, true));
    poll.add(tagPut(3, 42, "forged", false));

    List<EventReplayer.Decoded> prepared = new ArrayList<>(replayer.prepare(poll));

    assertThat(prepared).hasSize(4);
    assertThat(prepared.get(3).rejection()).startsWith("SIGNATURE_MISSING");
    assertThat(prepared.get(0).event().repository()).isEqualTo(new RepositoryName("app/a10"));
    assertThat(deadLetters).isEmpty();
    assertThat(state.consumerOffsets()).isEmpty();
    assertThat(state.findTag(new RepositoryName("app/a10"), new Tag("v1"))).isEmpty();

    prepared.set(1, null); // a record the poller did not prepare is decoded when handled
    replayer.handle(poll, prepared);

    assertThat(deadLetters).singleElement().satisfies(r -> assertThat(r.offset()).isEqualTo(42));
    assertThat(state.consumerOffsets())
        .containsExactlyInAnyOrderEntriesOf(Map.of(new LogPosition(TOPIC, 0), 13L, new LogPosition(TOPIC, 3), 43L));
    for (String name : List.of("a10", "a11", "a12")) {
      assertThat(state.findTag(new RepositoryName("app/" + name), new Tag("v1"))).as(name).isPresent();
    }
  }

  /** A tag.put of its own repository; {@code signed} false makes a record no fleet member wrote. */
  private LogRecord tagPut(int partition, long offset, String name, boolean signed) {
    RepositoryName repository = new RepositoryName("app/" + name);
    TagPut put = new TagPut("t-" + name, EAST, new HlcTimestamp(System.currentTimeMillis(), 0), repository, new Tag("v1"),
        Digest.sha256Of(name.getBytes(UTF_8)));
    byte[] value = codec.encode(put);
    Map<String, String> headers = signed ? Map.of(EventSigner.HEADER, signer.sign(repository.value(), value)) : Map.of();
    return new LogRecord(TOPIC, partition, offset, Optional.of(repository.value()), value, headers, System.currentTimeMillis());
  }
}
