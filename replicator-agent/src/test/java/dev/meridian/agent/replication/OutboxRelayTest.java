package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay over a real RocksDB outbox and a log whose acknowledgements the test hands out: batches are pipelined,
 * every partition key sees its events in outbox order, and nothing the log refused is deleted or skipped.
 */
class OutboxRelayTest {
  private static final RegionId EAST = new RegionId("eastus");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private RocksDbRegistryState state;
  private OutboxRelay relay;
  private final EventCodec codec = new EventCodec();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  /** Once set, the log refuses every new send at once, as a producer does once its delivery timeout has passed. */
  private volatile boolean logDown;

  /** One publication the test acknowledges or refuses. */
  private record Sent(String key, String tag, CompletableFuture<Void> ack) {}

  @BeforeEach
  void open() {
    state = RocksDbRegistryState.open(dir.resolve("state"));
  }

  @AfterEach
  void close() {
    if (relay != null) relay.close();
    sent.forEach(s -> s.ack().completeExceptionally(new IllegalStateException("test over")));
    state.close();
  }

  private OutboxRelay start() {
    relay = new OutboxRelay(state, (key, payload, event) -> {
      var ack = new CompletableFuture<Void>();
      sent.add(new Sent(key, event.map(e -> ((TagPut) e).tag().value()).orElse("?"), ack));
      if (logDown) ack.completeExceptionally(new IllegalStateException("log down"));
      return ack;
    }).start();
    return relay;
  }

  /** Appends {@code count} tag.put events, spread over three repositories, in one commit. */
  private void append(int from, int count) {
    List<StateWrite> writes = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      ReplicationEvent event = new TagPut("e" + i, EAST, new HlcTimestamp(1_000 + i, 0), new RepositoryName("repo" + (i % 3)),
          new Tag("t" + i), Digest.sha256Of(("m" + i).getBytes(UTF_8)));
      writes.add(new StateWrite.AppendOutbox(codec.encode(event)));
    }
    state.apply(new StateBatch(writes));
  }

  private List<String> tagsSent() {
    return sent.stream().map(Sent::tag).toList();
  }

  private static List<String> tags(int from, int to) {
    List<String> tags = new ArrayList<>();
    for (int i = from; i < to; i++) tags.add("t" + i);
    return tags;
  }

  @Test
  void laterEntriesArePublishedWhileEarlierOnesAwaitTheLogsAcknowledgement() {
    start();
    append(0, 600); // more than one batch
    await().atMost(WAIT).until(() -> sent.size() == 600);
    append(600, 10);
    relay.wake();
    await().atMost(WAIT).until(() -> sent.size() == 610);
    assertThat(tagsSent()).containsExactlyElementsOf(tags(0, 610));
    assertThat(state.outboxSize()).as("nothing deleted before its acknowledgement").isEqualTo(610);

    sent.forEach(s -> s.ack().complete(null));
    await().atMost(WAIT).until(() -> state.outboxSize() == 0);
    assertThat(relay.shipped()).isEqualTo(610);
    assertThat(sent).hasSize(610);
  }

  @Test
  void aRefusedEntryAndEverythingAfterItAreShippedAgainInOrderPerKey() {
    start();
    append(0, 600);
    await().atMost(WAIT).until(() -> sent.size() == 600);
    for (int i = 0; i < 600; i++) {
      if (i == 100) sent.get(i).ack().completeExceptionally(new IllegalStateException("broker gone"));
      else sent.get(i).ack().complete(null);
    }
    // The prefix before the refused entry is in the log and deleted; from it on, the outbox ships again.
    await().atMost(WAIT).until(() -> sent.size() == 1100);
    await().atMost(WAIT).until(() -> state.outboxSize() == 500);
    assertThat(tagsSent().subList(600, 1100)).containsExactlyElementsOf(tags(100, 600));
    assertThat(relay.failing()).isPresent();

    sent.subList(600, 1100).forEach(s -> s.ack().complete(null));
    await().atMost(WAIT).until(() -> state.outboxSize() == 0);
    assertThat(relay.failing()).isEmpty();
    // Per key, the last delivery of each event is in outbox order: what a reader keeps after duplicates.
    for (String key : List.of("repo0", "repo1", "repo2")) {
      List<String> retried = sent.subList(600, 1100).stream().filter(s -> s.key().equals(key)).map(Sent::tag).toList();
      assertThat(retried).isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
    }
  }

  @Test
  void aRefusedBatchFailsAtOnceWithoutWaitingForLaterBatchesTheLogHasNotAnswered() throws Exception {
    start();
    append(0, 1024); // two batches in flight
    await().atMost(WAIT).until(() -> sent.size() == 1024);
    // The log goes down: it refuses the head batch's first entry (and whatever is sent from now on) while the
    // second batch's sends stay unanswered (a producer blocking on metadata): the failure must show at once, and a
    // hold must not wait on those sends.
    logDown = true;
    sent.get(0).ack().completeExceptionally(new IllegalStateException("broker gone"));
    await().atMost(WAIT).until(() -> relay.failing().isPresent());
    var holding = CompletableFuture.runAsync(() -> relay.hold(true));
    holding.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(state.outboxSize()).as("nothing from the refused entry on is deleted").isEqualTo(1024);

    relay.hold(false);
    await().atMost(WAIT).until(() -> sent.size() >= 1024 + 512);
    assertThat(sent.get(1024).tag()).as("shipped again from the oldest entry").isEqualTo("t0");
  }

  @Test
  void holdingWaitsForTheBatchesInFlightAndPublishesNothingNew() throws Exception {
    start();
    append(0, 20);
    await().atMost(WAIT).until(() -> sent.size() == 20);
    var holding = CompletableFuture.runAsync(() -> relay.hold(true));
    await().atMost(WAIT).until(relay::held);
    append(20, 5);
    relay.wake();
    assertThat(holding).as("a hold waits for the acknowledgements").isNotDone();
    sent.forEach(s -> s.ack().complete(null));
    holding.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(state.outboxSize()).isEqualTo(5);
    assertThat(sent).hasSize(20);

    relay.hold(false);
    await().atMost(WAIT).until(() -> sent.size() == 25);
    sent.forEach(s -> s.ack().complete(null));
    await().atMost(WAIT).until(() -> state.outboxSize() == 0);
  }

  @Test
  void entriesAfterASequenceAreReadFromThere() {
    append(0, 10);
    long fourth = state.readOutbox(10).get(3).sequence();
    assertThat(state.readOutboxAfter(fourth, 3)).extracting(e -> e.sequence())
        .containsExactly(fourth + 1, fourth + 2, fourth + 3);
    assertThat(state.readOutboxAfter(-1, 100)).hasSize(10);
    assertThat(state.readOutboxAfter(Long.MAX_VALUE, 100)).isEmpty();
    assertThat(state.readOutboxAfter(fourth + 6, 100)).isEmpty();
  }
}
