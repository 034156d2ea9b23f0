package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.ManifestContent;
import dev.meridian.core.state.RegistryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Storage usage by the registers, and quota admission of pushes. Usage counts each distinct blob and manifest
 * once that a present manifest references: for the registry, per namespace and per repository (a blob shared by
 * two namespaces or repositories counts in both). From the replicated registers, so every region computes the
 * same usage. A repository quota also bounds blob uploads ({@link #admitUpload}).
 *
 * <p>The scan is cached and refreshed in the background, and each admitted push's new content is added on top of
 * it at once, so pushes racing within one refresh may together pass a quota by their own size: a quota is a bound
 * on growth, not a transaction. The scan reads every manifest register (only the digests, sizes and presence it
 * counts, not the whole register), so at scale (a million tags) it is seconds of work: it never runs on the
 * starting thread (a push that a quota applies to waits for the first scan instead), it works at most
 * {@value #PACED_SHARE} of the time while no push waits for it ({@link Pacer}), it rests at least
 * {@value #REST_FACTOR} times its own work between runs, it keeps per-namespace sums only when a namespace quota is
 * set and per-repository sums only for repositories a repository quota applies to, so its memory is that of the
 * distinct content, not of the number of repositories, and it does not hold the lock admission takes: pushes are
 * admitted while it runs, and those it may have missed are counted again on top of its result. Admission looks up
 * only the push's own digests, so its cost does not grow with the registry.
 */
public final class StorageUsage {
  /**
   * The distinct content one scope counts (the registry, a namespace, a repository): what the last scan saw, and
   * what pushes admitted since added. Not thread-safe: guarded by its {@link StorageUsage}'s lock.
   */
  static final class Tally {
    private final Map<Digest, Long> scanned;
    private final long scannedBytes;
    /** Content pushed since the scan that it did not see. */
    private final Map<Digest, Long> pushed = new HashMap<>();
    private long pushedBytes;

    /** Takes {@code scanned} over: nobody may change it afterwards. */
    Tally(Map<Digest, Long> scanned) {
      this.scanned = requireNonNull(scanned, "scanned");
      long total = 0;
      for (long size : scanned.values()) total += size;
      this.scannedBytes = total;
    }

    long bytes() {
      return scannedBytes + pushedBytes;
    }

    /** The bytes a push of {@code digest} referencing {@code references} would add: content not counted yet, once. */
    long adds(Digest digest, long size, List<Descriptor> references) {
      Map<Digest, Long> fresh = new HashMap<>();
      if (!counts(digest)) fresh.put(digest, size);
      for (Descriptor d : references) {
        if (!counts(d.digest())) fresh.put(d.digest(), d.size());
      }
      long total = 0;
      for (long s : fresh.values()) total += s;
      return total;
    }

    void add(Digest digest, long size, List<Descriptor> references) {
      put(digest, size);
      for (Descriptor d : references) put(d.digest(), d.size());
    }

    private boolean counts(Digest digest) {
      return scanned.containsKey(digest) || pushed.containsKey(digest);
    }

    private void put(Digest digest, long size) {
      if (scanned.containsKey(digest)) return;
      Long before = pushed.put(digest, size);
      pushedBytes += size - (before == null ? 0 : before);
    }
  }

  /** A push admitted: counted at once, and again on top of the next scan's result if that scan missed it. */
  private record Admitted(RepositoryName repository, Digest digest, long size, List<Descriptor> references) {
    /** The manifest register the push writes. */
    record Key(RepositoryName repository, Digest digest) {}

    Key key() {
      return new Key(repository, digest);
    }
  }

  private final RegistryState state;
  private final QuotaPolicy policy;
  /** Between two scans the scanner rests at least this many times the last scan's work (its own rests excluded). */
  static final int REST_FACTOR = 10;
  /**
   * The share of the time a background scan works while no push waits for it. At a million registers a scan is
   * seconds of work, and at full speed it took a core from the request path of a two-core region. Scanning without
   * end beside a warm agent at a million tags, catalog and tag-list pages had p99s of 6.7-7.9 and 5.0-8.8 ms at full
   * speed, 4.0-6.8 and 3.8-5.8 at half, 4.0-4.7 and 2.3-4.4 at a quarter; a scan of 3 CPU-s then takes ~12 s.
   */
  static final double PACED_SHARE = 0.25;
  /** How long a paced scan works before each rest. */
  static final java.time.Duration PACED_SLICE = java.time.Duration.ofMillis(10);

  // Guarded by this.
  private Tally registry = new Tally(Map.of());
  private Map<String, Tally> namespaces = new HashMap<>();
  private Map<String, Tally> repositories = new HashMap<>();
  /**
   * Pushes admitted since the last scan began. The next scan counts again on top of its result those it found no
   * register of, because admission comes before the push's commit: a push admitted just before a scan, or during
   * it, may land after the scan has read its repository.
   */
  private List<Admitted> admittedSinceScan = new ArrayList<>();

  /** One scan at a time; never held by admission. */
  private final Object scanning = new Object();
  private final java.util.concurrent.CountDownLatch firstScan = new java.util.concurrent.CountDownLatch(1);
  private volatile long lastScanNanos;

  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meridian-storage-usage");
        t.setDaemon(true);
        return t;
      });

  /**
   * How long the scanner rests under {@code policy} at least: 5 seconds while a quota is set, so that usage
   * deleted or replicated in is seen soon; 5 minutes without one, when the usage is only shown in the region's
   * status, and a scan every few seconds of a large registry would be work for nobody.
   */
  public static java.time.Duration refreshInterval(QuotaPolicy policy) {
    return policy.unlimited() ? java.time.Duration.ofMinutes(5) : java.time.Duration.ofSeconds(5);
  }

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
      refresh(backgroundShare());
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

  /**
   * The share of the time the next background scan works: paced unless a push waits for it, and only the first scan
   * under a quota has pushes waiting.
   */
  double backgroundShare() {
    return policy.unlimited() || firstScan.getCount() == 0 ? PACED_SHARE : 1;
  }

  public void close() {
    timer.shutdownNow();
  }

  public StorageUsage(RegistryState state, QuotaPolicy policy) {
    this.state = requireNonNull(state, "state");
    this.policy = requireNonNull(policy, "policy");
  }

  /** Scans the manifest registers again at full speed; pushes are admitted meanwhile. */
  public void refresh() {
    refresh(1);
  }

  /** Scans working at most {@code share} of the time (see {@link Pacer}). */
  private void refresh(double share) {
    synchronized (scanning) {
      Pacer pacer = Pacer.of(share, PACED_SLICE);
      List<Admitted> before;
      synchronized (this) {
        before = admittedSinceScan;
        admittedSinceScan = new ArrayList<>();
      }
      try {
        scan(before, pacer);
      } catch (RuntimeException e) {
        synchronized (this) { // the counts stand as they were; the next scan must count these pushes again
          before.addAll(admittedSinceScan);
          admittedSinceScan = before;
        }
        throw e;
      }
      lastScanNanos = pacer.workNanos();
      firstScan.countDown();
    }
  }

  /**
   * Counts the registers, then puts the result in with, on top, the pushes of {@code admittedBefore} whose manifest
   * it found no register of (not landed yet when it read their repository; one it found, present or deleted since,
   * it counted as it is), and every push admitted while it ran.
   */
  private void scan(List<Admitted> admittedBefore, Pacer pacer) {
    Set<Admitted.Key> awaited = new HashSet<>();
    admittedBefore.forEach(a -> awaited.add(a.key()));
    Set<Admitted.Key> registered = new HashSet<>();
    Map<Digest, Long> registrySizes = new HashMap<>();
    Map<String, Map<Digest, Long>> namespaceSizes = new HashMap<>();
    Map<String, Map<Digest, Long>> repositorySizes = new HashMap<>();
    boolean byNamespace = !policy.namespaceBytes().isEmpty();
    // Manifests come in key order, grouped by repository: the quota rules are matched once per repository.
    RepositoryName[] current = {null};
    boolean[] byRepository = {false};
    state.forEachManifestContent(m -> {
      pacer.step();
      if (!awaited.isEmpty()) {
        Admitted.Key key = new Admitted.Key(m.repository(), m.digest());
        if (awaited.contains(key)) registered.add(key);
      }
      if (!m.present()) return;
      if (!m.repository().equals(current[0])) {
        current[0] = m.repository();
        byRepository[0] = policy.repositoryQuota(m.repository().value()).isPresent();
      }
      count(registrySizes, m);
      if (byNamespace) {
        count(namespaceSizes.computeIfAbsent(QuotaPolicy.namespaceOf(m.repository().value()), k -> new HashMap<>()), m);
      }
      if (byRepository[0]) count(repositorySizes.computeIfAbsent(m.repository().value(), k -> new HashMap<>()), m);
    });
    synchronized (this) {
      registry = new Tally(registrySizes);
      namespaces = tallies(namespaceSizes);
      repositories = tallies(repositorySizes);
      // Admission comes before the commit: the scan may have read a pushed repository before the push landed.
      // Content counts once per digest, so counting again a push the scan did see adds nothing.
      for (Admitted push : admittedBefore) {
        if (!registered.contains(push.key())) count(push);
      }
      admittedSinceScan.forEach(this::count);
    }
  }

  private static Map<String, Tally> tallies(Map<String, Map<Digest, Long>> sizes) {
    Map<String, Tally> tallies = new HashMap<>();
    sizes.forEach((scope, counted) -> tallies.put(scope, new Tally(counted)));
    return tallies;
  }

  private static void count(Map<Digest, Long> sizes, ManifestContent m) {
    sizes.put(m.digest(), m.size());
    for (ManifestContent.Reference r : m.references()) sizes.put(r.digest(), r.size());
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

  public synchronized long registryBytes() {
    return registry.bytes();
  }

  /** The usage of {@code namespace}; counted only while a namespace quota is set (0 otherwise). */
  public synchronized long namespaceBytes(String namespace) {
    Tally tally = namespaces.get(namespace);
    return tally == null ? 0 : tally.bytes();
  }

  /** The usage of {@code repository}; counted only for repositories a repository quota applies to (0 otherwise). */
  public synchronized long repositoryBytes(String repository) {
    Tally tally = repositories.get(repository);
    return tally == null ? 0 : tally.bytes();
  }

  public QuotaPolicy policy() {
    return policy;
  }

  /**
   * Admits a manifest push of {@code size} bytes referencing {@code references} into {@code repository}, or
   * refuses it with {@code DENIED} (403) naming the quota, its usage and what the push would add.
   */
  public void admit(RepositoryName repository, Digest digest, long size, List<Descriptor> references) {
    // Without a quota nothing is counted between scans: the usage is only shown, and what pushes added since the
    // last scan would be held in memory for the minutes until the next one.
    if (policy.unlimited()) return;
    // Waits outside the lock: the first scan takes the same lock to put its result in, and a push arriving before
    // it started would otherwise hold it against the scan it waits for.
    awaitFirstScan();
    admitCounted(new Admitted(repository, digest, size, List.copyOf(references)));
  }

  private synchronized void admitCounted(Admitted push) {
    RepositoryName repository = push.repository();
    String namespace = QuotaPolicy.namespaceOf(repository.value());
    check("registry", policy.registryBytes(), registry, push);
    check("namespace " + namespace, Optional.ofNullable(policy.namespaceBytes().get(namespace)),
        namespaces.get(namespace), push);
    check("repository " + repository, policy.repositoryQuota(repository.value()), repositories.get(repository.value()),
        push);
    // Count the push at once, so the next one before a refresh sees it, and again on top of the next scan's result.
    count(push);
    admittedSinceScan.add(push);
  }

  /** Adds an admitted push's content to the scopes counted; the caller holds the lock. */
  private void count(Admitted push) {
    registry.add(push.digest(), push.size(), push.references());
    String repository = push.repository().value();
    if (!policy.namespaceBytes().isEmpty()) {
      namespaces.computeIfAbsent(QuotaPolicy.namespaceOf(repository), k -> new Tally(new HashMap<>()))
          .add(push.digest(), push.size(), push.references());
    }
    if (policy.repositoryQuota(repository).isPresent()) {
      repositories.computeIfAbsent(repository, k -> new Tally(new HashMap<>()))
          .add(push.digest(), push.size(), push.references());
    }
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

  /** Refuses {@code push} if it would take {@code counted} (null: nothing counted yet) past {@code quota}. */
  private static void check(String scope, Optional<Long> quota, Tally counted, Admitted push) {
    if (quota.isEmpty()) return;
    Tally tally = counted == null ? new Tally(Map.of()) : counted;
    long used = tally.bytes();
    long adds = tally.adds(push.digest(), push.size(), push.references());
    if (adds == 0 || used + adds <= quota.get()) return;
    throw new RegistryException(OciErrorCode.DENIED, "storage quota of the " + scope + " exceeded: " + used
        + " bytes used of " + quota.get() + ", this push adds " + adds, scope, 403);
  }
}
