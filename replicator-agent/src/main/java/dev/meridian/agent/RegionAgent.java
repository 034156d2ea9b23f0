package dev.meridian.agent;

import dev.meridian.agent.http.HttpServer;
import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.clock.Hlc;
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
 * state and the store, so no request ever sees a closed store.
 */
public final class RegionAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegionAgent.class);

  private final AgentConfig config;
  private final FileSystemBlobStore blobs;
  private final RocksDbRegistryState state;
  private final Optional<ReplicationRuntime> replication;
  private final RegistryService service;
  private final HttpServer server;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private RegionAgent(AgentConfig config) {
    this.config = config;
    this.blobs = new FileSystemBlobStore(config.blobsRoot());
    RocksDbRegistryState opened = null;
    ReplicationRuntime member = null;
    HttpServer started = null;
    try {
      opened = RocksDbRegistryState.open(config.stateDir());
      Clock clock = Clock.systemUTC();
      Hlc hlc = new Hlc(clock);
      RegistryState served = opened;
      if (config.fleet().isPresent()) {
        // Local writes commit with their events (the outbox); the relay is woken after each such commit.
        Runnable[] wake = {() -> {}};
        served = new OutboxingRegistryState(opened,
            new LocalChangeEvents(config.region(), () -> UUID.randomUUID().toString(),
                digest -> blobs.stat(digest).map(BlobInfo::size).orElse(0L)),
            new EventCodec(), () -> wake[0].run());
        member = new ReplicationRuntime(config.region(), config.fleet().get(), opened, served, blobs, hlc, clock,
            config.transfers());
        wake[0] = member::outboxAppended;
      }
      this.service = new RegistryService(blobs, served, hlc, config.region(), clock);
      started = HttpServer.start(service, member == null ? ReadThrough.NONE : member.readThrough(),
          new InetSocketAddress(config.bindAddress(), config.port()));
      if (member != null) member.start();
    } catch (RuntimeException | Error e) {
      if (member != null) member.close();
      if (opened != null) opened.close();
      blobs.close();
      throw e;
    }
    this.state = opened;
    this.replication = Optional.ofNullable(member);
    this.server = started;
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

  /** The fleet membership, for a member of a fleet. */
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
