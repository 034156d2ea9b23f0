package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.TagRecord;
import dev.meridian.agent.lifecycle.Lifecycle;
import dev.meridian.agent.lifecycle.Purger;
import dev.meridian.agent.lifecycle.GcReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The admin API without HTTP (DESIGN.md §8): this region's status, the fleet's, and where an image is
 * pullable. Fleet answers ask every other region in parallel ({@link FleetFanOut}) and answer for this
 * region locally; a standalone agent's fleet is itself. Blocking: callers run it off any event loop.
 */
public final class AdminService {
  /**
   * A region of the fleet as the topology lists it.
   *
   * @param admits the repositories its topology filter lets it hold
   */
  public record Member(String id, String url, boolean routingEnabled, Predicate<RepositoryName> admits) {
    public Member {
      requireNonNull(id, "id");
      requireNonNull(url, "url");
      requireNonNull(admits, "admits");
    }

    /** A region that holds every repository. */
    public Member(String id, String url, boolean routingEnabled) {
      this(id, url, routingEnabled, repository -> true);
    }
  }

  private final String self;
  private final Supplier<List<Member>> fleet;
  private final RegionMonitor monitor;
  private final ManifestInspector inspector;
  private final AdminHttpClient peers;
  private final Duration timeout;
  private final Optional<Supplier<BlobContent>> snapshots;
  private final Optional<ReplicationAdmin> replications;
  private final java.util.function.BooleanSupplier inFleet;
  private final RegionIsolation isolation;
  private final Optional<Lifecycle> lifecycle;
  private final Supplier<List<dev.meridian.agent.notify.NotificationStatus>> notifications;

  /**
   * @param fleet every region, this one included; a standalone agent lists only itself
   * @param timeout how long a fleet answer waits for the slowest region
   */
  public AdminService(String self, Supplier<List<Member>> fleet, RegionMonitor monitor, ManifestInspector inspector,
      AdminHttpClient peers, Duration timeout) {
    this(self, fleet, monitor, inspector, peers, timeout, Optional.empty(), Optional.empty(), () -> true,
        RegionIsolation.NONE, Optional.empty());
  }

  /**
   * With this region's register snapshot served to regions joining the fleet, the fleet's regions managed here
   * ({@code /admin/v1/replications}), whether this region is in the fleet now (a region not created yet, or
   * deleted, is not ready: {@code /readyz} answers 503), a way to cut this region off from the fleet
   * (failover drills), and its lifecycle (storage shows in the status; garbage collection, purge and retention
   * run).
   *
   * @param snapshots writes this region's register snapshot, for regions joining the fleet
   */
  public AdminService(String self, Supplier<List<Member>> fleet, RegionMonitor monitor, ManifestInspector inspector,
      AdminHttpClient peers, Duration timeout, Optional<Supplier<BlobContent>> snapshots,
      Optional<ReplicationAdmin> replications, java.util.function.BooleanSupplier inFleet, RegionIsolation isolation,
      Optional<Lifecycle> lifecycle) {
    this(self, fleet, monitor, inspector, peers, timeout, snapshots, replications, inFleet, isolation, lifecycle, List::of);
  }

  /** With the webhook's and the notifications topic's delivery queues shown ({@code /admin/v1/notifications}). */
  public AdminService(String self, Supplier<List<Member>> fleet, RegionMonitor monitor, ManifestInspector inspector,
      AdminHttpClient peers, Duration timeout, Optional<Supplier<BlobContent>> snapshots,
      Optional<ReplicationAdmin> replications, java.util.function.BooleanSupplier inFleet, RegionIsolation isolation,
      Optional<Lifecycle> lifecycle, Supplier<List<dev.meridian.agent.notify.NotificationStatus>> notifications) {
    this.notifications = requireNonNull(notifications, "notifications");
    this.snapshots = requireNonNull(snapshots, "snapshots");
    this.replications = requireNonNull(replications, "replications");
    this.inFleet = requireNonNull(inFleet, "inFleet");
    this.isolation = requireNonNull(isolation, "isolation");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle");
    this.self = requireNonNull(self, "self");
    this.fleet = requireNonNull(fleet, "fleet");
    this.monitor = requireNonNull(monitor, "monitor");
    this.inspector = requireNonNull(inspector, "inspector");
    this.peers = requireNonNull(peers, "peers");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** A fresh register snapshot of this region, open for sending (DESIGN.md §7); empty if not served. */
  public Optional<BlobContent> snapshot() {
    return snapshots.map(Supplier::get);
  }

  /** Managing the fleet's regions, when this agent follows the replicated topology. */
  public Optional<ReplicationAdmin> replications() {
    return replications;
  }

  /** Whether this region is in the fleet (a standalone region always is): part of readiness. */
  public boolean inFleet() {
    return inFleet.getAsBoolean();
  }

  /** This region's cut-off switch (for drills). */
  public RegionIsolation isolation() {
    return isolation;
  }

  public String self() {
    return self;
  }

  public RegionStatus region() {
    RegionStatus status = monitor.status();
    return lifecycle.map(l -> status.withStorage(l.gc().storage()
        .withUsage(l.usage().registryBytes(), l.usage().policy().registryBytes()))).orElse(status);
  }

  /** This region's notification queues (webhook, notifications topic): what waits and how delivery goes. */
  public List<dev.meridian.agent.notify.NotificationStatus> notifications() {
    return notifications.get();
  }

  /** Runs garbage collection in this region now. */
  public GcReport collectGarbage(boolean dryRun) {
    return lifecycle().gc().collect(dryRun);
  }

  /** Purges images from here; the deletes replicate. */
  public Purger.Report purge(Purger.Request request) {
    return lifecycle().purger().purge(request);
  }

  /** Applies the retention policy now, in the region that owns it. */
  public Purger.Report retention(boolean dryRun) {
    return lifecycle().retention().runNow(dryRun);
  }

  /** How long a deleted manifest stays restorable here (zero: soft delete is off). */
  public java.time.Duration softDelete() {
    return lifecycle.map(Lifecycle::softDelete).orElse(java.time.Duration.ZERO);
  }

  private Lifecycle lifecycle() {
    return lifecycle.orElseThrow(() -> new IllegalStateException("no lifecycle in this agent"));
  }

  public List<RegionStatus> regions() {
    return FleetFanOut.gather(fleet.get(),
        m -> m.id().equals(self) ? CompletableFuture.completedFuture(region()) : peers.region(m.url()),
        timeout, (m, error) -> RegionStatus.unreachable(m.id(), m.url(), m.routingEnabled(), error));
  }

  /** This region's facts about {@code reference}; with {@code expected}, also that digest's status here. */
  public ManifestFacts manifestFacts(RepositoryName repository, Reference reference, Optional<Digest> expected) {
    return inspector.facts(repository, reference, expected);
  }

  /**
   * Where the image {@code reference} names (as this region means it: {@link ReplicationVerdict}) is pullable. A
   * region whose filter (in this region's fleet file) keeps the repository out is {@code excluded} without being
   * asked, so a barrier never waits on it, even while it is down.
   */
  public ReplicationReport replicationStatus(RepositoryName repository, Reference reference) {
    Optional<TagRecord> winner = reference instanceof Reference.TagReference tag ? inspector.tag(repository, tag) : Optional.empty();
    Optional<Digest> expected = winner.flatMap(TagRecord::digest);
    Optional<Stamp> expectedStamp = winner.map(TagRecord::stamp);
    List<ReplicationReport.Entry> entries = FleetFanOut.gather(fleet.get(),
        m -> !m.admits().test(repository)
            ? CompletableFuture.completedFuture(
                new ReplicationReport.Entry(m.id(), ManifestStatus.EXCLUDED, Optional.empty(), Optional.empty()))
            : facts(m, repository, reference, expected).thenApply(f -> new ReplicationReport.Entry(m.id(),
                ReplicationVerdict.judge(expected, expectedStamp, f), f.servedDigest(), Optional.empty())),
        timeout, (m, error) -> new ReplicationReport.Entry(m.id(), ManifestStatus.UNKNOWN, Optional.empty(), Optional.of(error)));
    return new ReplicationReport(repository.value(), reference.toString(), expected, entries);
  }

  private CompletableFuture<ManifestFacts> facts(Member member, RepositoryName repository, Reference reference,
      Optional<Digest> expected) {
    if (member.id().equals(self)) return CompletableFuture.completedFuture(manifestFacts(repository, reference, expected));
    Map<String, String> query = new java.util.HashMap<>(Map.of("repository", repository.value(), "reference", reference.toString()));
    expected.ifPresent(d -> query.put("expect", d.toString()));
    return peers.get(member.url(), "/admin/v1/region/manifest-status", query).thenApply(AdminJson::parseFacts);
  }
}
