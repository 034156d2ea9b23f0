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
 * once that a present manifest references: for the registry, per namespace and per repository (a blob shared by
 * two namespaces or repositories counts in both). From the replicated registers, so every region computes the
 * same usage. A repository quota also bounds blob uploads ({@link #admitUpload}).
 *
 * <p>The scan is cached and refreshed in the background (and after each admitted push the push's bytes are
 * added), so pushes racing within one refresh may together pass a quota by their own size: a quota is a bound
 * on growth, not a transaction. The scan reads every manifest register, so at scale (a million tags) it is
 * seconds of work: it never runs on the starting thread (a push that a quota applies to waits for the first
 * scan instead), it rests at least {@value #REST_FACTOR} times its own duration between runs, and it keeps
 * per-namespace sums only when a namespace quota is set and per-repository sums only for repositories a
 * repository quota applies to, so its memory is that of the distinct content, not of the number of repositories.
 */
public final class StorageUsage {
  /** Usage at one moment: bytes per digest for the registry, per namespace and per repository. */
  private record Snapshot(Map<Digest, Long> registry, Map<String, Map<Digest, Long>> namespaces,
      Map<String, Map<Digest, Long>> repositories) {}

  private final RegistryState state;
  private final QuotaPolicy policy;
  /** Between two scans the scanner rests at least this many times the last scan's duration. */
  static final int REST_FACTOR = 10;

  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of());
  private final java.util.concurrent.CountDownLatch firstScan = new java.util.concurrent.CountDownLatch(1);
  private volatile long lastScanNanos;

  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-storage-usage");
        t.setDaemon(true);
        return t;
      });

  /**
   * Scans in the background at once, then again {@code interval} after each scan ends, or {@value #REST_FACTOR}
   * times the last scan's duration if that is longer.
   */
  public StorageUsage start(java.time.Duration interval) {
    timer.execute(() -> scanAndReschedule(interval));
    return this;
  }

  private void scanAndReschedule(java.time.Duration interval) {
    try {
      refresh();
    } catch (RuntimeException e) {
      // A closing state store, most likely; the next run tries again.
    }
    long rest = Math.max(interval.toNanos(), REST_FACTOR * lastScanNanos);
    try {
      timer.schedule(() -> scanAndReschedule(interval), rest, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed meanwhile
    }
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
    long start = System.nanoTime();
    Map<Digest, Long> registry = new HashMap<>();
    Map<String, Map<Digest, Long>> namespaces = new HashMap<>();
    Map<String, Map<Digest, Long>> repositories = new HashMap<>();
    boolean byNamespace = !policy.namespaceBytes().isEmpty();
    // Manifests come in key order, grouped by repository: the quota rules are matched once per repository.
    RepositoryName[] current = {null};
    boolean[] byRepository = {false};
    state.forEachManifest(m -> {
      if (!m.present()) return;
      if (!m.repository().equals(current[0])) {
        current[0] = m.repository();
        byRepository[0] = policy.repositoryQuota(m.repository().value()).isPresent();
      }
      count(registry, m);
      if (byNamespace) {
        count(namespaces.computeIfAbsent(QuotaPolicy.namespaceOf(m.repository().value()), k -> new HashMap<>()), m);
      }
      if (byRepository[0]) count(repositories.computeIfAbsent(m.repository().value(), k -> new HashMap<>()), m);
    });
    snapshot = new Snapshot(registry, namespaces, repositories);
    lastScanNanos = System.nanoTime() - start;
    firstScan.countDown();
  }

  private static void count(Map<Digest, Long> sizes, dev.meridian.core.state.ManifestRecord m) {
    sizes.put(m.digest(), m.size());
    for (Descriptor d : m.references()) sizes.put(d.digest(), d.size());
  }

  /** Usage is not known before the first scan: a check against a quota waits for it (a start takes no longer). */
  private void awaitFirstScan() {
    try {
      if (!firstScan.await(10, java.util.concurrent.TimeUnit.MINUTES)) {
        throw new RegistryException(OciErrorCode.UNAVAILABLE, "storage usage is still being counted; retry", null, 503);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(OciErrorCode.UNAVAILABLE, "interrupted while storage usage is counted", null, 503);
    }
  }

  public long registryBytes() {
    return sum(snapshot.registry());
  }

  /** The usage of {@code namespace}; counted only while a namespace quota is set (0 otherwise). */
  public long namespaceBytes(String namespace) {
    return sum(snapshot.namespaces().getOrDefault(namespace, Map.of()));
  }

  /** The usage of {@code repository}; counted only for repositories a repository quota applies to (0 otherwise). */
  public long repositoryBytes(String repository) {
    return sum(snapshot.repositories().getOrDefault(repository, Map.of()));
  }

  public QuotaPolicy policy() {
    return policy;
  }

  /**
   * Admits a manifest push of {@code size} bytes referencing {@code references} into {@code repository}, or
   * refuses it with {@code DENIED} (403) naming the quota, its usage and what the push would add.
   */
  public void admit(RepositoryName repository, Digest digest, long size, List<Descriptor> references) {
    if (policy.unlimited()) return;
    // Waits outside the lock: the first scan (refresh) takes the same lock, and a push arriving before it started
    // would otherwise hold it against the scan it waits for.
    awaitFirstScan();
    admitCounted(repository, digest, size, references);
  }

  private synchronized void admitCounted(RepositoryName repository, Digest digest, long size, List<Descriptor> references) {
    Snapshot now = snapshot;
    String namespace = QuotaPolicy.namespaceOf(repository.value());
    Map<Digest, Long> ns = now.namespaces().getOrDefault(namespace, Map.of());
    Map<Digest, Long> repo = now.repositories().getOrDefault(repository.value(), Map.of());
    check("registry", policy.registryBytes(), sum(now.registry()), added(now.registry(), digest, size, references));
    check("namespace " + namespace, Optional.ofNullable(policy.namespaceBytes().get(namespace)), sum(ns),
        added(ns, digest, size, references));
    check("repository " + repository, policy.repositoryQuota(repository.value()), sum(repo), added(repo, digest, size, references));
    // Count the push at once, so the next one before a refresh sees it.
    Map<String, Map<Digest, Long>> namespaces = new HashMap<>(now.namespaces());
    Map<String, Map<Digest, Long>> repositories = new HashMap<>(now.repositories());
    if (!policy.namespaceBytes().isEmpty()) namespaces.put(namespace, grown(ns, digest, size, references));
    if (policy.repositoryQuota(repository.value()).isPresent()) {
      repositories.put(repository.value(), grown(repo, digest, size, references));
    }
    snapshot = new Snapshot(grown(now.registry(), digest, size, references), namespaces, repositories);
  }

  /**
   * Admits an upload into {@code repository} whose session holds {@code held} bytes and whose request adds
   * {@code adds}, or refuses it with {@code DENIED} (403) naming the repository, its usage and its quota: when
   * the repository is already at or over its quota, or when its usage plus the session would pass it. Only a
   * repository quota bounds uploads; registry and namespace quotas are checked when the manifest is pushed.
   */
  public void admitUpload(RepositoryName repository, long held, long adds) {
    Optional<Long> quota = policy.repositoryQuota(repository.value());
    if (quota.isEmpty()) return;
    awaitFirstScan();
    long used = repositoryBytes(repository.value());
    if (used >= quota.get()) {
      throw new RegistryException(OciErrorCode.DENIED, "storage quota of the repository " + repository + " reached: "
          + used + " bytes used of " + quota.get() + "; delete images of it to make room", repository.value(), 403);
    }
    if (used + held + adds > quota.get()) {
      throw new RegistryException(OciErrorCode.DENIED, "storage quota of the repository " + repository + " exceeded: "
          + used + " bytes used of " + quota.get() + ", this upload would hold " + (held + adds), repository.value(), 403);
    }
  }

  private static Map<Digest, Long> grown(Map<Digest, Long> counted, Digest digest, long size, List<Descriptor> references) {
    Map<Digest, Long> grown = new HashMap<>(counted);
    grown.put(digest, size);
    references.forEach(d -> grown.put(d.digest(), d.size()));
    return grown;
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
