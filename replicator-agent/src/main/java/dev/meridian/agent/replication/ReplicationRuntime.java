package dev.meridian.agent.replication;

import dev.meridian.agent.log.DeadLetterPublisher;
import dev.meridian.agent.log.KafkaEventPublisher;
import dev.meridian.agent.log.KafkaEventSubscriber;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.log.KafkaTopologyLog;
import dev.meridian.agent.log.LogRecord;
import dev.meridian.agent.log.RecordBatchHandler;
import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.transfer.ContentCompletion;
import dev.meridian.agent.transfer.PeerClients;
import dev.meridian.agent.transfer.PeerReadThrough;
import dev.meridian.agent.transfer.PrefetchSweeper;
import dev.meridian.core.replication.BlobPresence;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.agent.transfer.TransferListener;
import dev.meridian.agent.transfer.TransferWorker;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.UniqueIds;
import dev.meridian.core.replication.RegisterRepair;
import dev.meridian.core.event.EventSigner;
import dev.meridian.agent.security.FleetKey;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.security.TrustedCertificates;
import dev.meridian.core.replication.ReplayPlanner;
import java.util.function.Function;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Replica;
import dev.meridian.topology.Topology;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Clock;
import java.time.Duration;
import dev.meridian.topology.Region;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;
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
 *
 * <p>The fleet is the replicated topology ({@link KafkaTopologyLog} into a {@link LiveTopology}): it follows
 * every change without a restart. Whether this region replays and fetches follows its own record
 * ({@link RegionMembership}): only an enabled region that is in the fleet does, after its
 * {@link RegionBootstrap} ran; disabling or deleting it stops replay and transfers (the relay keeps shipping
 * its own writes), enabling it again resumes from the offsets stored with the state.
 *
 * <p>The relay signs every event it ships with the fleet key and replay applies only signed events
 * ({@link EventSigner}); Kafka clients get the operator's extra properties (TLS, SASL), and peers are called
 * over https trusting the configured CA bundle when their URLs say https.
 */
public final class ReplicationRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicationRuntime.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final RegionId self;
  private final LiveTopology topology;
  private final KafkaTopologyLog topologyLog;
  private final RegionBootstrap bootstrap;
  private final RegistryState rawState;
  private final BlobStore blobs;
  private final Hlc hlc;
  private final ExecutorService membershipThread;
  private volatile RegionMembership membership;
  private volatile boolean seenSelf;
  private volatile boolean bootstrapped;
  private volatile boolean bootstrapping;
  private volatile boolean logReady;
  private final RegistryState state;
  private final Map<String, String> kafkaProperties;
  private final KafkaEventPublisher publisher;
  private final DeadLetterPublisher deadLetters;
  private final OutboxRelay relay;
  private final InlineManifests inline;
  private final TransferWorker transfers;
  private final PeerClients peers;
  private final EventReplayer replayer;
  private final PrefetchSweeper sweeper;
  private final PeerReadThrough readThrough;
  private final RegisterRepair registerRepair;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread connector;
  private final Seeding seeding;
  private final SeedFrom seedFrom;
  private final SnapshotSeeder seeder;
  private final SnapshotClient snapshots;
  private volatile KafkaEventSubscriber subscriber;
  private volatile String connectError;
  private final Object isolation = new Object();
  private volatile boolean isolated;

  /**
   * @param rawState the region's state without the outbox decorator (the relay reads and trims the outbox)
   * @param state the state every write goes through (replayed writes emit no events, acks append explicitly)
   */
  public ReplicationRuntime(RegionId self, Topology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig, FleetKey fleetKey) {
    this(self, topology, rawState, state, blobs, hlc, clock, transferConfig, ReplayListener.NONE, TransferListener.NONE,
        new ContentGuard(), PrefetchSweeper.Settings.defaults(), fleetKey, SecurityConfig.defaults());
  }

  /** With listeners told what replay and transfers do (metrics). */
  public ReplicationRuntime(RegionId self, Topology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig, ReplayListener replayListener, TransferListener transferListener,
      ContentGuard guard, PrefetchSweeper.Settings prefetch, FleetKey fleetKey, SecurityConfig security) {
    this(self, LiveTopology.seeded(topology), rawState, state, blobs, hlc, clock, transferConfig, replayListener,
        transferListener, guard, prefetch, RegionBootstrap.NONE, SeedFrom.NONE, fleetKey, security, Optional.empty());
  }

  /**
   * Following the replicated topology {@code topology} (seeded from a fleet file, or empty), with
   * {@code bootstrap} run before this region first replays, after seeding from a peer's snapshot when this
   * region's state is empty and {@code seedFrom} allows it (DESIGN.md §7). {@code peerAuthorization} is the
   * {@code Authorization} header (the fleet credential) sent with every request to a peer.
   */
  public ReplicationRuntime(RegionId self, LiveTopology topology, RegistryState rawState, RegistryState state, BlobStore blobs,
      Hlc hlc, Clock clock, TransferConfig transferConfig, ReplayListener replayListener, TransferListener transferListener,
      ContentGuard guard, PrefetchSweeper.Settings prefetch, RegionBootstrap bootstrap, SeedFrom seedFrom,
      FleetKey fleetKey, SecurityConfig security, Optional<String> peerAuthorization) {
    this.self = self;
    this.topology = topology;
    this.bootstrap = bootstrap;
    this.seedFrom = seedFrom;
    this.rawState = rawState;
    this.blobs = blobs;
    this.hlc = hlc;
    this.state = state;
    this.kafkaProperties = security.kafkaProperties();
    EventSigner signer = new EventSigner(fleetKey.eventSigningKey());
    this.topologyLog = new KafkaTopologyLog(topology, true, topology.current().topicReplicationFactor(), security.kafkaProperties());
    this.publisher = KafkaEventPublisher.create(topology.kafkaBootstrap(), kafkaProperties);
    this.deadLetters = DeadLetterPublisher.create(topology.kafkaBootstrap(), kafkaProperties);
    // Read at each event: a filter changed through the replicated topology applies at once.
    Predicate<RepositoryName> admitted = repository -> topology.current().admits(self, repository);
    this.inline = new InlineManifests(blobs, admitted);
    this.relay = new OutboxRelay(rawState, (key, payload, event) -> {
      Map<String, String> headers = new java.util.HashMap<>(event.map(inline::headers).orElse(Map.of()));
      headers.put(EventSigner.HEADER, signer.sign(key, payload));
      return publisher.send(key, payload, headers);
    });
    javax.net.ssl.SSLContext tls = TrustedCertificates.sslContext(security.trustedCa());
    this.peers = PeerClients.http(topology, self, transferConfig, tls, peerAuthorization);
    this.transfers = new TransferWorker(self, topology, peers, state, blobs, hlc, transferConfig, clock, transferListener);
    this.readThrough = new PeerReadThrough(self, topology, state, new ContentCompletion(blobs, transfers.fetcher()), peers,
        hlc, transferConfig.readThroughTimeout(), relay::wake, guard, transferListener);
    ReplicaAcks acks = new ReplicaAcks(self, hlc, new UniqueIds(), new EventCodec());
    Function<RegistryState, ReplayPlanner> planners = view -> new ReplayPlanner(self, view, blobs, acks, clock, admitted);
    // Replay plans one poll per planner under one claim: the blobs a poll's events share are looked up once.
    Function<RegistryState, ReplayPlanner> pollPlanners =
        view -> new ReplayPlanner(self, view, blobs, BlobPresence.withinBatch(blobs), acks, clock, admitted);
    this.replayer = new EventReplayer(state, pollPlanners, hlc, signer, deadLetters::send, transfers::wake, relay::wake,
        replayListener, guard, inline::storeAll);
    this.registerRepair = new RegisterRepair(state, planners, hlc, guard);
    this.sweeper = new PrefetchSweeper(state, blobs, guard, prefetch, clock);
    // Whether there are peers to seed from is known only at bootstrap time (a joining region learns the fleet
    // from the log); with none, seeding is abandoned there at once.
    this.seeding = Seeding.decide(state, seedFrom, true, clock);
    this.seeder = new SnapshotSeeder(state, blobs, planners, hlc, guard);
    // The source writes its whole snapshot to a file before it answers: minutes at a million tags, so the wait for
    // the answer is bounded by SNAPSHOT_EXPORT_TIMEOUT, not by the transfers' read timeout.
    this.snapshots = new SnapshotClient(transferConfig.connectTimeout(),
        max(transferConfig.readTimeout(), SnapshotClient.SNAPSHOT_EXPORT_TIMEOUT), tls, peerAuthorization);
    this.connector = new Thread(this::connect, "meridian-log-connect");
    this.connector.setDaemon(true);
    this.membershipThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "meridian-membership");
      t.setDaemon(true);
      return t;
    });
    this.seenSelf = topology.replica(self).isPresent();
    this.membership = RegionMembership.of(topology.replica(self), seenSelf, false);
    // The same rule as reconcile: start() starts the worker before its first reconcile has run.
    transfers.pause(!membership.transfersRun(false));
  }

  /**
   * Starts reading the replicated topology ahead of {@link #start()}. Reading it to its end is the first step of
   * joining the log and takes a fresh JVM about half a second (the Kafka client's classes, its first metadata
   * round trips), time the agent can spend building the rest of itself on the other core: a region restarted
   * behind the fleet then starts its catch-up that much sooner after it is ready. It only reads the topic (and
   * writes the fleet file's regions the topic lacks, as {@link #start()} would); nothing replays or copies yet.
   */
  public ReplicationRuntime loadTopology() {
    topologyLog.start();
    return this;
  }

  public ReplicationRuntime start() {
    topology.onChange(() -> execute(this::reconcileQuietly));
    topologyLog.start();
    // A topology loaded before this (loadTopology) changed nothing the listener above saw: bring membership in line.
    execute(this::reconcileQuietly);
    transfers.start();
    sweeper.start();
    connector.start();
    if (membership == RegionMembership.WAITING) {
      log.info("replication.waiting region={} reason=\"not in the fleet: run meridian replication create --region {}\"", self, self);
    }
    return this;
  }

  /** The fleet as it is now (the replicated topology). */
  public LiveTopology topology() {
    return topology;
  }

  /** The topology topic: where the admin API writes fleet changes. */
  public KafkaTopologyLog topologyLog() {
    return topologyLog;
  }

  /** Whether the {@link RegionBootstrap} runs now: the region is {@code creating}. */
  public boolean bootstrapping() {
    return bootstrapping;
  }

  /** Where this region stands in the fleet now. */
  public RegionMembership membership() {
    return membership;
  }

  /**
   * Brings replay and transfers in line with this region's record of the topology; runs on the membership
   * thread (after each topology change, and once connected).
   */
  private void reconcile() {
    Optional<Replica> record = topology.replica(self);
    if (record.isPresent()) seenSelf = true;
    RegionMembership next = RegionMembership.of(record, seenSelf, bootstrapped);
    RegionMembership before = membership;
    if (next != before) log.info("replication.membership region={} from={} to={}", self, before, next);
    membership = next;
    boolean replicate = next == RegionMembership.ACTIVE;
    transfers.pause(!next.transfersRun(seedMerging));
    if (!replicate) {
      KafkaEventSubscriber s = subscriber;
      subscriber = null;
      if (s != null) {
        s.close();
        log.info("replication.stopped region={} membership={}", self, next);
      }
    }
    if (next == RegionMembership.CREATING && !bootstrapping && logReady) {
      bootstrapping = true;
      Thread t = new Thread(this::runBootstrap, "meridian-bootstrap");
      t.setDaemon(true);
      t.start();
    }
    if (replicate && subscriber == null && logReady && closing.getCount() > 0) {
      subscriber = KafkaEventSubscriber.start(
          KafkaEventSubscriber.Settings.of(topology.kafkaBootstrap(), KafkaTopics.EVENTS, "meridian-" + self)
              .withClientProperties(kafkaProperties),
          startPositions(), new RecordBatchHandler<EventReplayer.Decoded>() {
            @Override
            public void handle(List<LogRecord> batch) {
              replayUnlessIsolated(batch, null);
            }

            @Override
            public void handle(List<LogRecord> batch, List<EventReplayer.Decoded> prepared) {
              replayUnlessIsolated(batch, prepared);
            }

            @Override
            public List<EventReplayer.Decoded> prepare(List<LogRecord> poll) {
              return isolated ? null : replayer.prepare(poll);
            }
          });
      log.info("replication.started region={}", self);
    }
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      // The subscriber could not start (the log went away): the next change or a reconnect tries again.
      log.warn("replication.reconcile.failed region={} reason={}", self, e.toString());
      if (closing.getCount() > 0) membershipRetry();
    }
  }

  private void membershipRetry() {
    Thread t = new Thread(() -> {
      try {
        if (!closing.await(2, TimeUnit.SECONDS)) execute(this::reconcileQuietly);
      } catch (InterruptedException e) {
        // closing
      }
    }, "meridian-membership-retry");
    t.setDaemon(true);
    t.start();
  }

  /** A seed's merge is under way: the transfer worker runs while the region is still creating. */
  private volatile boolean seedMerging;

  private void runBootstrap() {
    while (closing.getCount() > 0) {
      try {
        log.info("replication.bootstrap.start region={}", self);
        RegionBootstrap.Context context = new RegionBootstrap.Context(self, topology.active(), rawState, blobs, hlc, peers);
        if (seeding.phase() == Seeding.Phase.SEEDING) seed(context.fleet());
        bootstrap.bootstrap(context);
        log.info("replication.bootstrap.done region={}", self);
        bootstrapped = true;
        break;
      } catch (Exception e) {
        log.warn("replication.bootstrap.failed region={} retry_in_ms=5000 reason={}", self, e.toString());
        try {
          if (closing.await(5, TimeUnit.SECONDS)) return;
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
    bootstrapping = false;
    execute(this::reconcileQuietly);
  }

  private void execute(Runnable task) {
    try {
      membershipThread.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Local writes committed events to the outbox. */
  public void outboxAppended() {
    relay.wake();
  }

  /**
   * Cuts this region off from the fleet, as a failover drill does: the relay stops shipping (local writes are
   * acknowledged and wait in the outbox), replay stops applying, and transfers and read-through ask no peer.
   * The region keeps serving its clients. Returns once a batch being shipped, if any, is settled, so the outbox
   * then holds exactly the writes that have not reached the log. Idempotent.
   */
  public void isolate() {
    isolated = true;
    peers.cutOff(true);
    relay.hold(true);
    log.warn("replication.isolated region={} outbox_backlog={}", self, state.outboxSize());
  }

  /** Ends {@link #isolate}: the outbox ships, replay resumes where it stopped, pending transfers run again. */
  public void reconnect() {
    synchronized (isolation) {
      isolated = false;
      isolation.notifyAll();
    }
    peers.cutOff(false);
    relay.hold(false);
    transfers.wake();
    log.info("replication.reconnected region={} outbox_backlog={}", self, state.outboxSize());
  }

  /** Whether the region is cut off from the fleet by {@link #isolate}. */
  public boolean isolated() {
    return isolated;
  }

  /**
   * Replay's batches wait while the region is isolated. The consumer has no group membership (it assigns its
   * partitions), so a held poll thread costs nothing. A batch dropped at close is not lost: offsets live in
   * RocksDB with the state they produced, and a restart reads it again.
   */
  private void replayUnlessIsolated(List<LogRecord> batch, List<EventReplayer.Decoded> prepared) {
    synchronized (isolation) {
      while (isolated) {
        if (closing.getCount() == 0) return;
        try {
          isolation.wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while isolated"); // the batch is delivered again
        }
      }
    }
    replayer.handle(batch, prepared);
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
    return new ReadThrough() {
      @Override
      public boolean manifest(RepositoryName repository, Reference reference) {
        return readsThrough() && readThrough.manifest(repository, reference);
      }

      @Override
      public boolean blob(RepositoryName repository, Digest digest) {
        return readsThrough() && readThrough.blob(repository, digest);
      }

      @Override
      public boolean references(RepositoryName repository, List<Descriptor> references) {
        return readsThrough() && readThrough.references(repository, references);
      }
    };
  }

  /**
   * A region in the fleet with replication enabled fetches on demand, also before it first reached the log
   * (a pull succeeds with the log down); a disabled, deleted or not yet created one does not.
   */
  private boolean readsThrough() {
    return membership == RegionMembership.ACTIVE || membership == RegionMembership.CREATING;
  }

  /** Merges a peer's registers here as replay would (anti-entropy). */
  public RegisterRepair registerRepair() {
    return registerRepair;
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

  /** Where this region is in joining the fleet, and its progress. */
  public Seeding seeding() {
    return seeding;
  }

  /**
   * Merges a peer's snapshot before following the log (DESIGN.md §7): with {@code auto}, the first other region
   * (fleet order) that serves one whole; none answering, the region follows the log from its start. A named region
   * is asked until it answers.
   */
  private void seed(Topology fleet) {
    try {
      seedFromPeers(fleet);
    } finally {
      seedMerging = false;
      execute(this::reconcileQuietly);
    }
  }

  private void seedFromPeers(Topology fleet) {
    List<Region> candidates = seedFrom.region()
        .map(id -> fleet.region(id).map(List::of).orElse(List.of()))
        .orElseGet(() -> fleet.regions().stream().filter(r -> !r.id().equals(self)).toList());
    Duration backoff = Duration.ofMillis(500);
    while (closing.getCount() > 0) {
      for (Region peer : candidates) {
        if (closing.getCount() == 0) return;
        seeding.begin(transfers.bytesFetched());
        log.info("seed.start region={} source={}", self, peer.id());
        try (InputStream in = snapshots.open(peer, blobs.scratchDirectory().orElse(null))) {
          seedMerging = true;
          execute(this::reconcileQuietly);
          seeder.merge(in, seeding);
          transfers.wake();
          relay.wake();
          return;
        } catch (IOException | RuntimeException e) {
          // Whatever went wrong, the region must still get to follow the log: try the next peer, or give up below.
          log.warn("seed.failed region={} source={} reason={}", self, peer.id(), e.toString());
        }
      }
      if (seedFrom.mode() != SeedFrom.Mode.REGION) {
        log.warn("seed.abandoned region={} reason=\"no peer served a snapshot\" then=follow_the_log_from_its_start", self);
        seeding.abandoned();
        return;
      }
      try {
        if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
    }
  }

  private void connect() {
    Duration backoff = Duration.ofMillis(200);
    while (closing.getCount() > 0) {
      try (KafkaTopics topics = new KafkaTopics(topology.kafkaBootstrap(), kafkaProperties)) {
        // The fleet's settings (partitions) come from the topology topic when it has them.
        // Waits in short steps, so that while the log is down the status shows why (the reader's last error).
        while (!topologyLog.awaitLoaded(Duration.ofSeconds(1))) {
          if (closing.getCount() == 0) return;
          topologyLog.lastError().ifPresent(e -> connectError = e);
        }
        Topology fleet = topology.current();
        topics.ensureEventTopics(fleet.topicPartitions(), fleet.topicReplicationFactor(), TOPIC_TIMEOUT);
        logReady = true;
        // Replay starts (if this region replicates) before anyone is told the region is connected.
        try {
          membershipThread.submit(this::reconcile).get();
        } catch (java.util.concurrent.ExecutionException e) {
          logReady = false;
          throw new IllegalStateException("starting replay failed: " + e.getCause(), e.getCause());
        }
        relay.start();
        connected.countDown();
        log.info("replication.connected region={} kafka={} membership={}", self, topology.kafkaBootstrap(), membership);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
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
    membershipThread.shutdownNow();
    try {
      membershipThread.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaEventSubscriber s = subscriber;
    if (s != null) s.close();
    topologyLog.close();
    sweeper.close();
    readThrough.close();
    transfers.close();
    relay.close();
    inline.close();
    peers.close();
    publisher.close();
    deadLetters.close();
  }

  private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
