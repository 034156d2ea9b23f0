package dev.meridian.agent.replication;

import dev.meridian.agent.log.DeadLetterPublisher;
import dev.meridian.agent.log.KafkaEventPublisher;
import dev.meridian.agent.log.KafkaEventSubscriber;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.transfer.ContentCompletion;
import dev.meridian.agent.transfer.PeerClients;
import dev.meridian.agent.transfer.PeerReadThrough;
import dev.meridian.agent.transfer.PrefetchSweeper;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.agent.transfer.TransferListener;
import dev.meridian.agent.transfer.TransferWorker;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.RegistryState;
import dev.meridian.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region's membership in the fleet: the outbox relay, replay from the log, and the transfer workers.
 *
 * <p>The region serves reads and writes whether or not the log is reachable. Connecting (creating the
 * topics if missing and waiting until every partition answers, STACK.md pitfall 1) runs in the
 * background and is retried until it succeeds; until then local writes wait in the outbox.
 */
public final class ReplicationRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicationRuntime.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final RegionId self;
  private final Topology topology;
  private final RegistryState state;
  private final KafkaEventPublisher publisher;
  private final DeadLetterPublisher deadLetters;
  private final OutboxRelay relay;
  private final TransferWorker transfers;
  private final PeerClients peers;
  private final EventReplayer replayer;
  private final PrefetchSweeper sweeper;
  private final PeerReadThrough readThrough;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread connector;
  private volatile KafkaEventSubscriber subscriber;
  private volatile String connectError;

  /**
   * @param rawState the region's state without the outbox decorator (the relay reads and trims the outbox)
   * @param state the state every write goes through (replayed writes emit no events, acks append explicitly)
   */
  public ReplicationRuntime(RegionId self, Topology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig) {
    this(self, topology, rawState, state, blobs, hlc, clock, transferConfig, ReplayListener.NONE, TransferListener.NONE,
        new ContentGuard(), PrefetchSweeper.Settings.defaults());
  }

  /** With listeners told what replay and transfers do (metrics). */
  public ReplicationRuntime(RegionId self, Topology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig, ReplayListener replayListener, TransferListener transferListener,
      ContentGuard guard, PrefetchSweeper.Settings prefetch) {
    this(self, topology, rawState, state, blobs, hlc, clock, transferConfig, replayListener, transferListener, guard, prefetch,
        Optional.empty());
  }

  /** With {@code peerAuthorization}, the {@code Authorization} header (the fleet credential) sent with every request to a peer. */
  public ReplicationRuntime(RegionId self, Topology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig, ReplayListener replayListener, TransferListener transferListener,
      ContentGuard guard, PrefetchSweeper.Settings prefetch, Optional<String> peerAuthorization) {
    this.self = self;
    this.topology = topology;
    this.state = state;
    this.publisher = KafkaEventPublisher.create(topology.kafkaBootstrap());
    this.deadLetters = DeadLetterPublisher.create(topology.kafkaBootstrap());
    this.relay = new OutboxRelay(rawState, publisher::send);
    this.peers = PeerClients.http(topology, self, transferConfig, peerAuthorization);
    this.transfers = new TransferWorker(self, topology, peers, state, blobs, hlc, transferConfig, clock, transferListener);
    this.readThrough = new PeerReadThrough(self, topology, state, new ContentCompletion(blobs, transfers.fetcher()), peers,
        hlc, transferConfig.readThroughTimeout(), relay::wake, guard);
    ReplicaAcks acks = new ReplicaAcks(self, hlc, () -> UUID.randomUUID().toString(), new EventCodec());
    this.replayer = new EventReplayer(state, view -> new ReplayPlanner(self, view, blobs, acks, clock), hlc,
        deadLetters::send, transfers::wake, relay::wake, replayListener, guard);
    this.sweeper = new PrefetchSweeper(state, blobs, guard, prefetch, clock);
    this.connector = new Thread(this::connect, "meridian-log-connect");
    this.connector.setDaemon(true);
  }

  public ReplicationRuntime start() {
    transfers.start();
    sweeper.start();
    connector.start();
    return this;
  }

  /** Local writes committed events to the outbox. */
  public void outboxAppended() {
    relay.wake();
  }

  /** Whether the log is reachable and replay runs. */
  public boolean isConnected() {
    return connected.getCount() == 0;
  }

  /** Waits until connected to the log; false on timeout. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Pulls of content not replicated here yet, answered from peers. */
  public ReadThrough readThrough() {
    return readThrough;
  }

  public EventReplayer replayer() {
    return replayer;
  }

  public OutboxRelay relay() {
    return relay;
  }

  public TransferWorker transfers() {
    return transfers;
  }

  /** Why the last attempt to connect to the log failed, while not connected. */
  public Optional<String> connectError() {
    return isConnected() ? Optional.empty() : Optional.ofNullable(connectError);
  }

  /** Log records not replayed yet, when the consumer knows. */
  public OptionalLong recordsBehind() {
    KafkaEventSubscriber s = subscriber;
    if (s == null) return OptionalLong.empty();
    return s.isRunning() ? s.recordsBehind() : OptionalLong.empty();
  }

  /** Whether replay's consumer runs (it stops for good only on an unexpected error). */
  public boolean replaying() {
    KafkaEventSubscriber s = subscriber;
    return s != null && s.isRunning();
  }

  private void connect() {
    Duration backoff = Duration.ofMillis(200);
    while (closing.getCount() > 0) {
      try (KafkaTopics topics = new KafkaTopics(topology.kafkaBootstrap())) {
        topics.ensureEventTopics(topology.topicPartitions(), topology.topicReplicationFactor(), TOPIC_TIMEOUT);
        subscriber = KafkaEventSubscriber.start(
            KafkaEventSubscriber.Settings.of(topology.kafkaBootstrap(), KafkaTopics.EVENTS, "meridian-" + self),
            startPositions(), replayer);
        relay.start();
        connected.countDown();
        log.info("replication.connected region={} kafka={}", self, topology.kafkaBootstrap());
        return;
      } catch (RuntimeException e) {
        connectError = e.getMessage() == null ? e.toString() : e.getMessage();
        log.warn("replication.connect.failed region={} kafka={} retry_in_ms={} reason={}",
            self, topology.kafkaBootstrap(), backoff.toMillis(), e.toString());
        try {
          if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
      }
    }
  }

  /** Where replay resumes: the offsets committed with the state they produced. */
  private Map<Integer, Long> startPositions() {
    Map<Integer, Long> positions = new TreeMap<>();
    for (Map.Entry<LogPosition, Long> e : state.consumerOffsets().entrySet()) {
      if (e.getKey().topic().equals(KafkaTopics.EVENTS)) positions.put(e.getKey().partition(), e.getValue());
    }
    return positions;
  }

  @Override
  public void close() {
    closing.countDown();
    connector.interrupt();
    try {
      connector.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaEventSubscriber s = subscriber;
    if (s != null) s.close();
    sweeper.close();
    readThrough.close();
    transfers.close();
    relay.close();
    peers.close();
    publisher.close();
    deadLetters.close();
  }
}
