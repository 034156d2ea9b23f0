package dev.meridian.agent;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminService;
import dev.meridian.agent.admin.FleetMemberIsolation;
import dev.meridian.agent.admin.RegionIsolation;
import dev.meridian.agent.admin.ManifestInspector;
import dev.meridian.agent.admin.RegionMonitor;
import dev.meridian.agent.admin.ReplicationSample;
import dev.meridian.agent.admin.ReplicationSampler;
import dev.meridian.agent.audit.AuditLog;
import dev.meridian.agent.http.HttpExtensions;
import dev.meridian.agent.http.HttpServer;
import dev.meridian.agent.http.RequestListener;
import dev.meridian.agent.lifecycle.GarbageCollector;
import dev.meridian.agent.lifecycle.Lifecycle;
import dev.meridian.agent.lifecycle.Purger;
import dev.meridian.agent.lifecycle.RetentionRunner;
import dev.meridian.agent.lifecycle.StorageUsage;
import dev.meridian.agent.metrics.AgentMetrics;
import dev.meridian.agent.admin.RegionState;
import dev.meridian.agent.admin.ReplicationAdmin;
import dev.meridian.agent.replication.RegionBootstrap;
import dev.meridian.agent.replication.RegionMembership;
import dev.meridian.topology.LiveTopology;
import dev.meridian.agent.repair.AntiEntropy;
import dev.meridian.agent.repair.PeerRegisters;
import dev.meridian.agent.repair.RepairService;
import dev.meridian.agent.repair.ScrubListener;
import dev.meridian.agent.repair.Scrubber;
import dev.meridian.agent.repair.VerifiedBlobs;
import dev.meridian.agent.security.FleetKey;
import dev.meridian.agent.log.KafkaNotificationPublisher;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.notify.ChangeNotifications;
import dev.meridian.agent.notify.KafkaNotificationSink;
import dev.meridian.agent.notify.NotificationConfig;
import dev.meridian.agent.notify.NotificationDestination;
import dev.meridian.agent.notify.Notifications;
import dev.meridian.agent.notify.WebhookSecret;
import dev.meridian.agent.notify.WebhookSink;
import dev.meridian.core.event.EventSigner;
import dev.meridian.agent.security.TrustedCertificates;
import javax.net.ssl.SSLContext;
import dev.meridian.agent.security.FleetCredential;
import dev.meridian.agent.security.ReplicatedCredentialStore;
import dev.meridian.agent.security.RegistrySecurity;
import dev.meridian.agent.security.SecuritySettings;
import dev.meridian.topology.Region;
import java.util.List;
import java.util.function.Supplier;
import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.digest.DigestWarmup;
import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.agent.replication.SnapshotExport;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.clock.Hlc;
import dev.meridian.topology.RegionMode;
import dev.meridian.core.oci.RepositoryName;
import java.util.function.Predicate;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.agent.transfer.PrefetchSweeper;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.UniqueIds;
import dev.meridian.core.replication.LocalChangeEvents;
import dev.meridian.core.replication.OutboxingRegistryState;
import dev.meridian.core.state.RegistryState;
import java.util.Optional;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's agent in one process: the blob store, the RocksDB state, the registry service and the HTTP
 * server over them. {@link #close} stops the server first (requests in flight finish), then closes the
 * state and the store, so no request ever sees a closed store. Besides the OCI API it serves the admin API
 * and {@code /metrics}, and appends every acknowledged write to the audit log.
 */
public final class RegionAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegionAgent.class);
  private static final java.time.Duration TOPOLOGY_WRITE_TIMEOUT = java.time.Duration.ofSeconds(10);
  /** How long anti-entropy waits for a peer's answer (a repository's registers may be large). */
  private static final java.time.Duration PEER_TIMEOUT = java.time.Duration.ofSeconds(30);

  private final AgentConfig config;
  private final FileSystemBlobStore blobs;
  private final RocksDbRegistryState state;
  private final Optional<ReplicationRuntime> replication;
  private final RegistryService service;
  private final AgentMetrics metrics;
  private final AuditLog audit;
  private final RegionMonitor monitor;
  private final HttpServer server;
  private final Scrubber scrubber;
  private final Optional<AntiEntropy> antiEntropy;
  private final GarbageCollector gc;
  private final RetentionRunner retention;
  private final StorageUsage usage;
  private final Notifications notifications;

  private final Optional<LiveTopology> topology;
  /** Blobs known intact (hashed at commit, or for a peer): shared by the blob store and the scrubber. */
  private final VerifiedBlobs verifiedForPeers = new VerifiedBlobs(Scrubber.PEER_VERDICT_TTL);

  private RegionAgent(AgentConfig config, RegionBootstrap bootstrap, Clock clock) {
    // While the stores open and the log connects: the first copies after a restart then hash at full speed.
    DigestWarmup.inBackground();
    this.config = config;
    this.topology = config.fleet().map(LiveTopology::seeded);
    this.blobs = new FileSystemBlobStore(config.blobsRoot(), verifiedForPeers);
    this.metrics = AgentMetrics.create(config.region(), clock);
    RocksDbRegistryState opened = null;
    ReplicationRuntime member = null;
    AuditLog auditLog = null;
    RegionMonitor watcher = null;
    HttpServer started = null;
    Scrubber scrub = null;
    AntiEntropy entropy = null;
    GarbageCollector collector = null;
    RetentionRunner retainer = null;
    StorageUsage usage = null;
    RegistrySecurity security;
    Optional<String> peerAuthorization = Optional.empty();
    Notifications notices = null;
    try {
      auditLog = new AuditLog(config.auditLog(), config.region(), clock);
      SecuritySettings resolved = config.auth().orElseGet(() -> SecuritySettings.resolve(config.dataDir(), System.getenv()));
      // One fleet key for everything: the one given explicitly (e.g. by `meridian up`) wins over the resolved one.
      FleetKey fleetKey = config.security().fleetKey().orElse(resolved.fleetKey());
      SecuritySettings securitySettings = resolved.withFleetKey(fleetKey);
      opened = RocksDbRegistryState.open(config.stateDir());
      Hlc hlc = new Hlc(clock);
      ContentGuard guard = new ContentGuard(); // pushes, replay and the prefetch sweeper share it
      SSLContext outgoingTls = TrustedCertificates.sslContext(config.security().trustedCa());
      Optional<FleetKey> key = config.fleet().map(f -> fleetKey); // notifications on the topic are signed like events
      notices = notifications(config, opened, clock, outgoingTls, key);
      // Every batch commits with the notifications it gives rise to (webhook, notifications topic).
      RegistryState served = notices.decorate(opened);
      if (config.fleet().isPresent()) {
        // The fleet credential goes with every request to a peer; resolved before anything depends on it.
        peerAuthorization = Optional.of(FleetCredential.authorization(fleetKey));
        // Local writes commit with their events (the outbox); the relay is woken after each such commit.
        Runnable[] wake = {() -> {}};
        served = new OutboxingRegistryState(served,
            new LocalChangeEvents(config.region(), new UniqueIds(),
                digest -> blobs.stat(digest).map(BlobInfo::size).orElse(0L)),
            new EventCodec(), () -> wake[0].run());
        member = new ReplicationRuntime(config.region(), topology.get(), opened, served, blobs, hlc, clock,
            config.transfers(), metrics.replayListener(), metrics.transferListener(), guard, PrefetchSweeper.Settings.defaults(),
            bootstrap, config.seed(), fleetKey, config.security(), peerAuthorization);
        wake[0] = member::outboxAppended;
        member.loadTopology(); // in the background while the rest of the agent is built
      }
      // The mode and the repository filter are read at each push: `meridian replication update` applies at once.
      Predicate<RepositoryName> admitted = repository -> topology.map(t -> t.current())
          .flatMap(t -> t.region(config.region()))
          .map(r -> r.repositories().admits(repository)).orElse(true);
      usage = new StorageUsage(opened, config.lifecycle().quota());
      this.service = new RegistryService(blobs, served, hlc, config.region(), clock, guard, () -> topology
          .flatMap(t -> t.replica(config.region())).map(r -> r.region().mode() != RegionMode.READ_ONLY).orElse(true),
          admitted, usage::admit, usage::admitUpload);
      collector = new GarbageCollector(opened, blobs, guard, service::expireUpload, config.lifecycle().gc(),
          m -> !config.lifecycle().softDelete().isZero() && m.deletedSince(clock.instant().minus(config.lifecycle().softDelete())),
          clock, metrics.gcListener());
      GarbageCollector storage = collector;
      metrics.bindStorage(storage::storage);
      Purger purger = new Purger(opened, service, clock);
      // The owner is read at each run: the first enabled read-write region of the topology as it is then.
      retainer = new RetentionRunner(config.region(),
          () -> RetentionRunner.owner(topology.map(LiveTopology::active), config.region()),
          config.lifecycle().retention(), purger);
      security = new RegistrySecurity(securitySettings, new ReplicatedCredentialStore(served, hlc, config.region()), clock);
      Supplier<ReplicationSample> sampler = member == null ? ReplicationSample::standalone : new ReplicationSampler(member, served);
      watcher = new RegionMonitor(this::identity, sampler, config.admin().stallThreshold(), clock);
      metrics.bindRegion(watcher);
      if (member != null) metrics.bindCircuitBreakers(member.transfers());
      ReplicationRuntime runtime = member;
      Optional<ReplicationAdmin> replications = Optional.ofNullable(runtime).map(m -> new ReplicationAdmin(m.topology(),
          change -> m.topologyLog().write(change, TOPOLOGY_WRITE_TIMEOUT)));
      AdminService admin = new AdminService(config.region().value(), this::members, watcher,
          new ManifestInspector(config.region().value(), served, admitted),
          new AdminHttpClient(config.admin().fanOutTimeout(), outgoingTls, Optional.of(security.fleetAuthorization())),
          config.admin().fanOutTimeout(), Optional.of(new SnapshotExport(config.region(), opened, config.snapshotsDir())),
          replications, () -> runtime == null || inFleet(runtime.membership()),
          member == null ? RegionIsolation.NONE : new FleetMemberIsolation(member, served),
          Optional.of(new Lifecycle(collector, purger, retainer, config.lifecycle().softDelete(), usage)), notices::status);
      Runnable wakeTransfers = member == null ? () -> {} : member.transfers()::wake;
      scrub = new Scrubber(blobs, served, guard, clock, config.repair().scrubBytesPerSecond(), config.repair().scrubInterval(),
          ScrubListener.all(metrics.scrubListener(), auditLog), wakeTransfers, notices::quarantined, verifiedForPeers);
      if (member != null) {
        entropy = new AntiEntropy(config.region(), member.topology(), served, member.registerRepair(),
            new PeerRegisters(PEER_TIMEOUT, outgoingTls, peerAuthorization), config.repair().antiEntropyInterval(), metrics.antiEntropyListener(),
            wakeTransfers, member::outboxAppended);
      }
      HttpExtensions extensions = new HttpExtensions(Optional.of(admin), Optional.of(metrics::scrape),
          RequestListener.all(metrics.requestListener(), auditLog),
          Optional.of(new RepairService(config.region(), served, scrub, Optional.ofNullable(entropy))))
          .secured(security, auditLog);
      // The first usage scan runs in the background from here, before any push can wait for it.
      usage.start(StorageUsage.refreshInterval(config.lifecycle().quota()));
      started = HttpServer.start(service, new InetSocketAddress(config.bindAddress(), config.port()), extensions,
          member == null ? ReadThrough.NONE : member.readThrough(), config.security().tls(), config.security().limits());
      if (member != null) member.start();
      scrub.start();
      if (entropy != null) entropy.start();
      collector.start();
      retainer.start(config.lifecycle().retentionInterval());
      notices.start();
    } catch (RuntimeException | Error e) {
      if (notices != null) notices.close();
      if (retainer != null) retainer.close();
      if (usage != null) usage.close();
      if (collector != null) collector.close();
      if (entropy != null) entropy.close();
      if (scrub != null) scrub.close();
      if (member != null) member.close();
      if (watcher != null) watcher.close();
      if (opened != null) opened.close();
      if (auditLog != null) auditLog.close();
      metrics.close();
      blobs.close();
      throw e;
    }
    this.state = opened;
    this.scrubber = scrub;
    this.antiEntropy = Optional.ofNullable(entropy);
    this.replication = Optional.ofNullable(member);
    this.audit = auditLog;
    this.server = started;
    this.gc = collector;
    this.retention = retainer;
    this.usage = usage;
    this.notifications = notices;
    this.monitor = watcher.start(config.admin().sampleInterval());
  }

  /**
   * The webhook (if configured) and, for a fleet member, the notifications topic (unless turned off), each with its
   * durable queue in {@code state}.
   */
  private Notifications notifications(AgentConfig config, RocksDbRegistryState state, Clock clock, SSLContext tls,
      Optional<FleetKey> fleetKey) {
    NotificationConfig settings = config.lifecycle().notifications();
    List<Notifications.Route> routes = new java.util.ArrayList<>();
    settings.webhook().ifPresent(hook -> routes.add(new Notifications.Route(
        new NotificationDestination(NotificationDestination.WEBHOOK, hook.events()), hook.url().toString(),
        new WebhookSink(hook.url(), WebhookSecret.load(hook.secretFile(), config.dataDir()), tls, settings.timeout()))));
    if (settings.kafka() && fleetKey.isPresent() && topology.isPresent()) {
      LiveTopology fleet = topology.get();
      routes.add(new Notifications.Route(NotificationDestination.all(NotificationDestination.KAFKA), KafkaTopics.NOTIFICATIONS,
          new KafkaNotificationSink(new KafkaNotificationPublisher(fleet.kafkaBootstrap(), config.security().kafkaProperties()),
              new EventSigner(fleetKey.get().eventSigningKey()), () -> new KafkaNotificationSink.TopicSettings(
                  fleet.current().topicPartitions(), fleet.current().topicReplicationFactor()))));
    }
    for (Notifications.Route route : routes) {
      String queue = route.destination().queue();
      metrics.bindNotificationQueue(queue, () -> state.notificationCount(queue));
    }
    return new Notifications(state, new ChangeNotifications(config.region(), new UniqueIds(), clock),
        routes, settings.backoff(), metrics.notificationListener(), clock);
  }

  /** The webhook's and the notifications topic's queues and deliveries. */
  public Notifications notifications() {
    return notifications;
  }

  /**
   * This region as the admin API shows it: the topology's URL and routing for a member, else its own; the
   * topology imposes {@code creating} (not in the fleet yet, or bootstrapping) and {@code disabled}.
   */
  private RegionMonitor.Identity identity() {
    Optional<Region> declared = topology.flatMap(t -> t.current().region(config.region()));
    HttpServer bound = server;
    String url = declared.map(r -> r.url().toString()).orElse(bound == null ? "" : url());
    boolean routing = declared.map(Region::routingEnabled).orElse(true);
    Optional<RegionState> imposed = Optional.empty();
    Optional<String> reason = Optional.empty();
    RegionMembership membership = replication == null ? null : replication.map(ReplicationRuntime::membership).orElse(null);
    boolean bootstrapping = replication != null && replication.map(ReplicationRuntime::bootstrapping).orElse(false);
    if (membership == RegionMembership.WAITING) {
      imposed = Optional.of(RegionState.CREATING);
      reason = Optional.of("not in the fleet yet: waiting for `meridian replication create --region " + config.region() + "`");
    } else if (bootstrapping) {
      imposed = Optional.of(RegionState.CREATING);
      reason = Optional.of("joining the fleet");
    } else if (membership == RegionMembership.DISABLED) {
      imposed = Optional.of(RegionState.DISABLED);
      reason = Optional.of("replication disabled");
    } else if (membership == RegionMembership.DELETED) {
      imposed = Optional.of(RegionState.DISABLED);
      reason = Optional.of("deleted from the fleet");
    }
    return new RegionMonitor.Identity(config.region().value(), url, routing, imposed, reason);
  }

  private static boolean inFleet(RegionMembership membership) {
    return membership != RegionMembership.WAITING && membership != RegionMembership.DELETED;
  }

  /** Every region of the fleet as it is now (disabled ones included, deleted ones gone). */
  private List<AdminService.Member> members() {
    if (topology.isEmpty()) {
      RegionMonitor.Identity self = identity();
      return List.of(new AdminService.Member(self.id(), self.url(), self.routingEnabled()));
    }
    List<AdminService.Member> members = new java.util.ArrayList<>(topology.get().current().regions().stream()
        .map(r -> new AdminService.Member(r.id().value(), r.url().toString(), r.routingEnabled(), r.repositories()::admits))
        .toList());
    if (members.stream().noneMatch(m -> m.id().equals(config.region().value()))) {
      RegionMonitor.Identity self = identity(); // not created yet, or deleted: it still says how it stands
      members.add(new AdminService.Member(self.id(), self.url(), self.routingEnabled()));
    }
    return members;
  }

  /** Opens the stores and starts serving; the returned agent is ready. */
  public static RegionAgent start(AgentConfig config) {
    return start(config, RegionBootstrap.NONE, Clock.systemUTC());
  }

  /**
   * The same, with {@code bootstrap} run once this region is in the fleet and before it first replays the
   * log (e.g. seeding from a peer's snapshot); the region is {@code creating} meanwhile.
   */
  public static RegionAgent start(AgentConfig config, RegionBootstrap bootstrap) {
    return start(config, bootstrap, Clock.systemUTC());
  }

  /**
   * The same on another clock: it feeds the HLC's physical part and every timestamp of the agent. Only drills and
   * tests pass one other than the system clock ({@code serve --clock-offset}), to rehearse a machine whose clock is off.
   */
  public static RegionAgent start(AgentConfig config, Clock clock) {
    return start(config, RegionBootstrap.NONE, clock);
  }

  /** With both a bootstrap and a clock. */
  public static RegionAgent start(AgentConfig config, RegionBootstrap bootstrap, Clock clock) {
    RegionAgent agent = new RegionAgent(config, bootstrap, clock);
    log.info("agent.start region={} address={} data_dir={}", config.region(), agent.address(), config.dataDir());
    return agent;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** The URL clients use, e.g. {@code http://127.0.0.1:5001} ({@code https://} with TLS). */
  public String url() {
    InetSocketAddress address = address();
    return (server.tls() ? "https://" : "http://") + address.getHostString() + ":" + address.getPort();
  }

  public AgentConfig config() {
    return config;
  }

  public RegistryService service() {
    return service;
  }

  /**
   * The region's state, for reading what it knows (tags, manifests, replica sets, pending transfers), e.g. by
   * operator tools and tests. Writes must go through {@link #service()} so that they reach the outbox.
   */
  public RegistryState state() {
    return state;
  }

  /** This region's garbage collector: {@code collect} runs one now. */
  public GarbageCollector gc() {
    return gc;
  }

  /** Retention of untagged manifests: runs only in the fleet's owner region. */
  public RetentionRunner retention() {
    return retention;
  }

  /** This region's status, as {@code GET /admin/v1/region} answers it. */
  public RegionMonitor monitor() {
    return monitor;
  }

  /** The fleet membership, for a member of a fleet. */
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  public Optional<ReplicationRuntime> replication() {
    return replication;
  }

  /** The fleet as this region knows it now, for a member. */
  public Optional<LiveTopology> topology() {
    return topology;
  }

  /** Stops the agent; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      server.close();
      antiEntropy.ifPresent(AntiEntropy::close);
      scrubber.close();
      gc.close();
      retention.close();
      usage.close();
      notifications.close();
      replication.ifPresent(ReplicationRuntime::close);
      monitor.close();
      audit.close();
      metrics.close();
    } finally {
      try {
        state.close();
      } finally {
        blobs.close();
      }
    }
    log.info("agent.stop region={}", config.region());
  }
}
