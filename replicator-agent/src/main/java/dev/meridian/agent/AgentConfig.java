package dev.meridian.agent;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.AdminConfig;
import dev.meridian.agent.replication.SeedFrom;
import dev.meridian.agent.repair.RepairConfig;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.lifecycle.LifecycleConfig;
import dev.meridian.agent.security.SecuritySettings;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Topology;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What one region agent needs to start: its region id, where to listen, its data directory (blobs under
 * {@code blobs-root/}, state under {@code state/}), and, for a fleet member, the fleet it replicates with.
 * Port 0 picks a free port. Without a fleet the agent is a standalone single-region registry. The audit log
 * of writes is {@code audit.log} in the data directory. {@code seed} says where a member whose state is empty
 * seeds itself from (DESIGN.md §7); {@code security} holds TLS, client limits, Kafka client properties and the
 * fleet key. Without explicit {@code auth} settings the agent resolves them at start: the admin password and
 * fleet key from the environment, else from (or into) the data directory.
 */
public record AgentConfig(
    RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
    AdminConfig admin,
    SeedFrom seed,
    RepairConfig repair,
    SecurityConfig security,
    LifecycleConfig lifecycle,
    Optional<SecuritySettings> auth) {
  public static final String DEFAULT_BIND = "127.0.0.1";

  public AgentConfig {
    requireNonNull(region, "region");
    requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) throw new IllegalArgumentException("bind address is empty");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("port out of range: " + port);
    requireNonNull(dataDir, "dataDir");
    requireNonNull(fleet, "fleet");
    requireNonNull(transfers, "transfers");
    requireNonNull(admin, "admin");
    requireNonNull(seed, "seed");
    requireNonNull(repair, "repair");
    requireNonNull(security, "security");
    requireNonNull(lifecycle, "lifecycle");
    requireNonNull(auth, "auth");
    seed.region().ifPresent(peer -> {
      if (peer.equals(region)) throw new IllegalArgumentException("a region cannot seed from itself: " + peer);
      fleet.ifPresent(t -> {
        if (!t.regions().isEmpty()) t.requireRegion(peer);
      });
    });
    // A fleet without regions names only the log: the agent learns the regions from the topology topic.
    fleet.ifPresent(t -> {
      if (!t.regions().isEmpty()) t.requireRegion(region);
    });
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, SeedFrom seed, RepairConfig repair, SecurityConfig security, LifecycleConfig lifecycle) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, security, lifecycle, Optional.empty());
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, SeedFrom seed, RepairConfig repair, SecurityConfig security) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, security, LifecycleConfig.defaults());
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, SeedFrom seed, RepairConfig repair) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, SecurityConfig.defaults());
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, SecurityConfig security) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, SeedFrom.AUTO, RepairConfig.defaults(), security);
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, LifecycleConfig lifecycle) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, SeedFrom.AUTO, RepairConfig.defaults(),
        SecurityConfig.defaults(), lifecycle);
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin, SeedFrom seed) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, RepairConfig.defaults());
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, SeedFrom.AUTO);
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers) {
    this(region, bindAddress, port, dataDir, fleet, transfers, AdminConfig.defaults());
  }

  /** The same with other transfer settings. */
  public AgentConfig withTransfers(TransferConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, settings, admin, seed, repair, security, lifecycle, auth);
  }

  /** The same with other operator settings. */
  public AgentConfig withAdmin(AdminConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, settings, seed, repair, security, lifecycle, auth);
  }

  /** The same, seeding from {@code from} when the state is empty. */
  public AgentConfig withSeed(SeedFrom from) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, from, repair, security, lifecycle, auth);
  }

  /** The same with other scrubber and anti-entropy settings. */
  public AgentConfig withRepair(RepairConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, settings, security, lifecycle, auth);
  }

  /** The same with other transport and abuse settings. */
  public AgentConfig withSecurity(SecurityConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, settings, lifecycle, auth);
  }

  /** The same with other lifecycle settings (garbage collection, retention, soft delete, quotas). */
  public AgentConfig withLifecycle(LifecycleConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, security, settings, auth);
  }

  /** The same with these authentication settings (instead of resolving them at start). */
  public AgentConfig withSecurity(SecuritySettings settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, seed, repair, security, lifecycle,
        Optional.of(settings));
  }

  /** Where register snapshots served to joining regions are written (each unlinked once open). */
  public Path snapshotsDir() {
    return dataDir.resolve("snapshots");
  }

  /** A standalone region. */
  public AgentConfig(RegionId region, String bindAddress, int port, Path dataDir) {
    this(region, bindAddress, port, dataDir, Optional.empty(), TransferConfig.defaults());
  }

  /**
   * A region that learns the fleet from the replicated topology on {@code kafka} ({@code serve --kafka}): it
   * replicates once {@code meridian replication create} has added it.
   */
  public static AgentConfig joining(RegionId region, String bindAddress, int port, Path dataDir, String kafka) {
    return member(region, bindAddress, port, dataDir,
        new Topology(kafka, Topology.DEFAULT_PARTITIONS, Topology.DEFAULT_REPLICATION_FACTOR, java.util.List.of()));
  }

  /** A member of {@code fleet}. */
  public static AgentConfig member(RegionId region, String bindAddress, int port, Path dataDir, Topology fleet) {
    return new AgentConfig(region, bindAddress, port, dataDir, Optional.of(fleet), TransferConfig.defaults());
  }

  public Path blobsRoot() {
    return dataDir.resolve("blobs-root");
  }

  /** The audit log of writes, one JSON line each. */
  public Path auditLog() {
    return dataDir.resolve("audit.log");
  }

  public Path stateDir() {
    return dataDir.resolve("state");
  }
}
