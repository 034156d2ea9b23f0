package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.RegistryState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage usage by the registers, and quota admission of pushes. Usage counts each distinct blob and manifest
 * once that a present manifest references: for the registry, and per namespace (a blob shared by two namespaces
 * counts in both). From the replicated registers, so every region computes the same usage.
 *
 * <p>The scan is cached and refreshed every few seconds (and after each admitted push the push's bytes are
 * added), so pushes racing within one refresh may together pass a quota by their own size: a quota is a bound
 * on growth, not a transaction.
 */
public final class StorageUsage {
  /** Usage at one moment: bytes per digest for the registry and per namespace. */
  private record Snapshot(Map<Digest, Long> registry, Map<String, Map<Digest, Long>> namespaces) {}

  private final RegistryState state;
  private final QuotaPolicy policy;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-storage-usage");
        t.setDaemon(true);
        return t;
      });

  /** Refreshes now, then every {@code interval} in the background. */
  public StorageUsage start(java.time.Duration interval) {
    refresh();
    timer.scheduleWithFixedDelay(() -> {
      try {
        refresh();
      } catch (RuntimeException e) {
        // A closing state store, most likely; the next tick tries again.
      }
    }, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return this;
  }

  public void close() {
    timer.shutdownNow();
  }

  public StorageUsage(RegistryState state, QuotaPolicy policy) {
    this.state = requireNonNull(state, "state");
    this.policy = requireNonNull(policy, "policy");
  }

  /** Scans the manifest registers again. */
  public synchronized void refresh() {
    Map<Digest, Long> registry = new HashMap<>();
    Map<String, Map<Digest, Long>> namespaces = new HashMap<>();
    state.forEachManifest(m -> {
      if (!m.present()) return;
      Map<Digest, Long> ns = namespaces.computeIfAbsent(QuotaPolicy.namespaceOf(m.repository().value()), k -> new HashMap<>());
      registry.put(m.digest(), m.size());
      ns.put(m.digest(), m.size());
      for (Descriptor d : m.references()) {
        registry.put(d.digest(), d.size());
        ns.put(d.digest(), d.size());
      }
    });
    snapshot = new Snapshot(registry, namespaces);
  }

  public long registryBytes() {
    return sum(snapshot.registry());
  }

  public long namespaceBytes(String namespace) {
    return sum(snapshot.namespaces().getOrDefault(namespace, Map.of()));
  }

  public QuotaPolicy policy() {
    return policy;
  }

  /**
   * Admits a manifest push of {@code size} bytes referencing {@code references} into {@code repository}, or
   * refuses it with {@code DENIED} (403) naming the quota, its usage and what the push would add.
   */
  public synchronized void admit(RepositoryName repository, Digest digest, long size, List<Descriptor> references) {
    if (policy.registryBytes().isEmpty() && policy.namespaceBytes().isEmpty()) return;
    Snapshot now = snapshot;
    String namespace = QuotaPolicy.namespaceOf(repository.value());
    Map<Digest, Long> ns = now.namespaces().getOrDefault(namespace, Map.of());
    long addsToRegistry = added(now.registry(), digest, size, references);
    long addsToNamespace = added(ns, digest, size, references);
    check("registry", policy.registryBytes(), sum(now.registry()), addsToRegistry);
    check("namespace " + namespace, Optional.ofNullable(policy.namespaceBytes().get(namespace)), sum(ns), addsToNamespace);
    // Count the push at once, so the next one before a refresh sees it.
    Map<Digest, Long> registry = new HashMap<>(now.registry());
    Map<String, Map<Digest, Long>> namespaces = new HashMap<>(now.namespaces());
    Map<Digest, Long> grown = new HashMap<>(ns);
    registry.put(digest, size);
    grown.put(digest, size);
    references.forEach(d -> {
      registry.put(d.digest(), d.size());
      grown.put(d.digest(), d.size());
    });
    namespaces.put(namespace, grown);
    snapshot = new Snapshot(registry, namespaces);
  }

  private static long added(Map<Digest, Long> counted, Digest digest, long size, List<Descriptor> references) {
    Map<Digest, Long> fresh = new HashMap<>();
    if (!counted.containsKey(digest)) fresh.put(digest, size);
    references.stream().filter(d -> !counted.containsKey(d.digest())).forEach(d -> fresh.put(d.digest(), d.size()));
    return sum(fresh);
  }

  private static void check(String scope, Optional<Long> quota, long used, long adds) {
    if (quota.isEmpty() || adds == 0 || used + adds <= quota.get()) return;
    throw new RegistryException(OciErrorCode.DENIED, "storage quota of the " + scope + " exceeded: " + used
        + " bytes used of " + quota.get() + ", this push adds " + adds, scope, 403);
  }

  private static long sum(Map<Digest, Long> sizes) {
    long total = 0;
    for (long s : sizes.values()) total += s;
    return total;
  }
}
