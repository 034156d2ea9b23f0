package dev.meridian.agent.metrics;

import dev.meridian.agent.admin.RegionMonitor;
import dev.meridian.agent.http.RequestListener;
import dev.meridian.agent.admin.StorageStatus;
import dev.meridian.agent.lifecycle.GcListener;
import dev.meridian.agent.replication.ReplayListener;
import dev.meridian.agent.transfer.TransferListener;
import dev.meridian.agent.transfer.TransferWorker;
import dev.meridian.core.clock.RegionId;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One agent's meters, in one Prometheus registry (the {@code /metrics} scrape); every meter carries the
 * {@code region} tag. The only package that knows Micrometer: the rest of the agent reports through small
 * listener interfaces ({@link ReplayListener}, {@link TransferListener}, {@link RequestListener}) that the
 * classes here implement, and gauges read the {@link RegionMonitor}'s latest sample, never the state store.
 *
 * <p>Names in dot form; Prometheus shows {@code meridian.blob.transfer} as
 * {@code meridian_blob_transfer_seconds}. Labels stay low-cardinality: region, origin, source, outcome,
 * type, method, route template, status; never a digest, repository or tag.
 */
public final class AgentMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final ReplicationMeters replication;
  private final HttpMeters http;
  private final RepairMeters repair;
  private final LifecycleMeters lifecycle;
  private final NotificationMeters notifications;

  private AgentMetrics(RegionId region, Clock clock) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(List.of(Tag.of("region", region.value())));
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    // The JIT's time: a region back from a restart replays and copies slower until its compilers settle (BENCHMARKS.md).
    new JvmCompilationMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.replication = new ReplicationMeters(registry, clock);
    this.http = new HttpMeters(registry);
    this.repair = new RepairMeters(registry);
    this.lifecycle = new LifecycleMeters(registry);
    this.notifications = new NotificationMeters(registry);
  }

  public static AgentMetrics create(RegionId region, Clock clock) {
    return new AgentMetrics(region, clock);
  }

  /** The scrape, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  public ReplayListener replayListener() {
    return replication;
  }

  public TransferListener transferListener() {
    return replication;
  }

  public RequestListener requestListener() {
    return http;
  }

  public dev.meridian.agent.repair.ScrubListener scrubListener() {
    return repair;
  }

  public dev.meridian.agent.repair.AntiEntropyListener antiEntropyListener() {
    return repair;
  }

  public GcListener gcListener() {
    return lifecycle;
  }

  public dev.meridian.agent.notify.NotificationListener notificationListener() {
    return notifications;
  }

  /** The depth of a notification queue ({@code webhook}, {@code kafka}). */
  public void bindNotificationQueue(String destination, java.util.function.LongSupplier depth) {
    notifications.bindQueue(destination, depth);
  }

  /** The region's stored bytes as garbage collection last counted them. */
  public void bindStorage(java.util.function.Supplier<StorageStatus> storage) {
    gauge("meridian.storage.stored", "bytes of blobs stored, as the last garbage collection counted them", "bytes",
        storage, s -> s.get().storedBytes());
  }

  /** Gauges of pending work, read from the monitor's latest sample. */
  public void bindRegion(RegionMonitor monitor) {
    gauge("meridian.transfers.pending", "transfer jobs waiting", null, monitor, m -> m.sample().pendingTransfers());
    gauge("meridian.transfers.pending.size", "bytes the waiting transfer jobs announced", "bytes", monitor,
        m -> m.sample().pendingBytes());
    gauge("meridian.outbox.backlog", "local events not yet acknowledged by the log", null, monitor,
        m -> m.sample().outboxBacklog());
    gauge("meridian.replication.behind", "log records not replayed here yet (Kafka consumer lag)", null, monitor,
        m -> m.sample().recordsBehind().stream().mapToDouble(l -> l).findFirst().orElse(Double.NaN));
    gauge("meridian.region.log.reachable", "1 when the event log is reachable", null, monitor,
        m -> m.sample().logReachable() ? 1 : 0);
  }

  /** The transfer client's per-peer circuit breakers: state, calls, failure rate (resilience4j-micrometer). */
  public void bindCircuitBreakers(TransferWorker transfers) {
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(transfers.circuitBreakers()).bindTo(registry);
  }

  private <T> void gauge(String name, String description, String unit, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).baseUnit(unit).register(registry);
  }


  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
