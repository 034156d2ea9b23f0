package dev.meridian.agent;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminService;
import dev.meridian.agent.admin.ManifestInspector;
import dev.meridian.agent.admin.RegionMonitor;
import dev.meridian.agent.admin.ReplicationSample;
import dev.meridian.agent.admin.ReplicationSampler;
import dev.meridian.agent.audit.AuditLog;
import dev.meridian.agent.http.HttpExtensions;
import dev.meridian.agent.http.HttpServer;
import dev.meridian.agent.http.RequestListener;
import dev.meridian.agent.metrics.AgentMetrics;
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
import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.clock.Hlc;
import dev.meridian.topology.RegionMode;
import dev.meridian.core.replication.ContentGuard;
import dev.meridian.agent.transfer.PrefetchSweeper;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.replication.LocalChangeEvents;
import dev.meridian.core.replication.OutboxingRegistryState;
import dev.meridian.core.state.RegistryState;
import java.util.Optional;
import java.util.UUID;
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

  private final AgentConfig config;
  private final FileSystemBlobStore blobs;
  private final RocksDbRegistryState state;
  private final Optional<ReplicationRuntime> replication;
  private final RegistryService service;
  private final AgentMetrics metrics;
  private final AuditLog audit;
  private final RegionMonitor monitor;
  private final HttpServer server;

  private RegionAgent(AgentConfig config) {
    this.config = config;
    this.blobs = new FileSystemBlobStore(config.blobsRoot());
    Clock clock = Clock.systemUTC();
    this.metrics = AgentMetrics.create(config.region(), clock);
    RocksDbRegistryState opened = null;
    ReplicationRuntime member = null;
    AuditLog auditLog = null;
    RegionMonitor watcher = null;
    HttpServer started = null;
    RegistrySecurity security;
    Optional<String> peerAuthorization = Optional.empty();
    try {
      auditLog = new AuditLog(config.auditLog(), config.region(), clock);
      SecuritySettings securitySettings = config.security().orElseGet(() -> SecuritySettings.resolve(config.dataDir(), System.getenv()));
      opened = RocksDbRegistryState.open(config.stateDir());
      Hlc hlc = new Hlc(clock);
      ContentGuard guard = new ContentGuard(); // pushes, replay and the prefetch sweeper share it
      RegistryState served = opened;
      if (config.fleet().isPresent()) {
        // The fleet credential goes with every request to a peer; resolved before anything depends on it.
        peerAuthorization = Optional.of(FleetCredential.authorization(securitySettings.fleetKey()));
        // Local writes commit with their events (the outbox); the relay is woken after each such commit.
        Runnable[] wake = {() -> {}};
        served = new OutboxingRegistryState(opened,
            new LocalChangeEvents(config.region(), () -> UUID.randomUUID().toString(),
                digest -> blobs.stat(digest).map(BlobInfo::size).orElse(0L)),
            new EventCodec(), () -> wake[0].run());
        member = new ReplicationRuntime(config.region(), config.fleet().get(), opened, served, blobs, hlc, clock,
            config.transfers(), metrics.replayListener(), metrics.transferListener(), guard, PrefetchSweeper.Settings.defaults(),
            peerAuthorization);
        wake[0] = member::outboxAppended;
      }
      boolean readOnly = config.fleet().flatMap(f -> f.region(config.region()))
          .map(r -> r.mode() == RegionMode.READ_ONLY).orElse(false);
      this.service = new RegistryService(blobs, served, hlc, config.region(), clock, guard, () -> !readOnly);
      security = new RegistrySecurity(securitySettings, new ReplicatedCredentialStore(served, hlc, config.region()), clock);
      Supplier<ReplicationSample> sampler = member == null ? ReplicationSample::standalone : new ReplicationSampler(member, served);
      watcher = new RegionMonitor(this::identity, sampler, config.admin().stallThreshold(), clock);
      metrics.bindRegion(watcher);
      if (member != null) metrics.bindCircuitBreakers(member.transfers());
      AdminService admin = new AdminService(config.region().value(), this::members, watcher,
          new ManifestInspector(config.region().value(), served),
          new AdminHttpClient(config.admin().fanOutTimeout(), Optional.of(security.fleetAuthorization())),
          config.admin().fanOutTimeout());
      HttpExtensions extensions = new HttpExtensions(Optional.of(admin), Optional.of(metrics::scrape),
          RequestListener.all(metrics.requestListener(), auditLog)).secured(security, auditLog);
      started = HttpServer.start(service, new InetSocketAddress(config.bindAddress(), config.port()), extensions,
          member == null ? ReadThrough.NONE : member.readThrough());
      if (member != null) member.start();
    } catch (RuntimeException | Error e) {
      if (member != null) member.close();
      if (watcher != null) watcher.close();
      if (opened != null) opened.close();
      if (auditLog != null) auditLog.close();
      metrics.close();
      blobs.close();
      throw e;
    }
    this.state = opened;
    this.replication = Optional.ofNullable(member);
    this.audit = auditLog;
    this.server = started;
    this.monitor = watcher.start(config.admin().sampleInterval());
  }

  /** This region as the admin API shows it: the fleet file's URL and routing for a member, else its own. */
  private RegionMonitor.Identity identity() {
    Optional<Region> declared = config.fleet().flatMap(f -> f.region(config.region()));
    HttpServer bound = server;
    String url = declared.map(r -> r.url().toString()).orElse(bound == null ? "" : url());
    return new RegionMonitor.Identity(config.region().value(), url, declared.map(Region::routingEnabled).orElse(true));
  }

  private List<AdminService.Member> members() {
    if (config.fleet().isEmpty()) {
      RegionMonitor.Identity self = identity();
      return List.of(new AdminService.Member(self.id(), self.url(), self.routingEnabled()));
    }
    return config.fleet().get().regions().stream()
        .map(r -> new AdminService.Member(r.id().value(), r.url().toString(), r.routingEnabled())).toList();
  }

  /** Opens the stores and starts serving; the returned agent is ready. */
  public static RegionAgent start(AgentConfig config) {
    RegionAgent agent = new RegionAgent(config);
    log.info("agent.start region={} address={} data_dir={}", config.region(), agent.address(), config.dataDir());
    return agent;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** The URL clients use, e.g. {@code http://127.0.0.1:5001}. */
  public String url() {
    InetSocketAddress address = address();
    return "http://" + address.getHostString() + ":" + address.getPort();
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

  /** This region's status, as {@code GET /admin/v1/region} answers it. */
  public RegionMonitor monitor() {
    return monitor;
  }

  /** The fleet membership, for a member of a fleet. */
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  public Optional<ReplicationRuntime> replication() {
    return replication;
  }

  /** Stops the agent; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      server.close();
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
