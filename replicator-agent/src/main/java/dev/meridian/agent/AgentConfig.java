package dev.meridian.agent;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.AdminConfig;
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
 * of writes is {@code audit.log} in the data directory. Without explicit {@code security} settings the agent
 * resolves them at start: the admin password and fleet key from the environment, else from (or into) the data
 * directory.
 */
public record AgentConfig(
    RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
    AdminConfig admin, Optional<SecuritySettings> security) {
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
    requireNonNull(security, "security");
    fleet.ifPresent(t -> t.requireRegion(region));
  }

  /** Security resolved at start from the environment and the data directory ({@link SecuritySettings#resolve}). */
  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers,
      AdminConfig admin) {
    this(region, bindAddress, port, dataDir, fleet, transfers, admin, Optional.empty());
  }

  public AgentConfig(
      RegionId region, String bindAddress, int port, Path dataDir, Optional<Topology> fleet, TransferConfig transfers) {
    this(region, bindAddress, port, dataDir, fleet, transfers, AdminConfig.defaults());
  }

  /** The same with other operator settings. */
  public AgentConfig withAdmin(AdminConfig settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, settings, security);
  }

  /** The same with these security settings (instead of resolving them at start). */
  public AgentConfig withSecurity(SecuritySettings settings) {
    return new AgentConfig(region, bindAddress, port, dataDir, fleet, transfers, admin, Optional.of(settings));
  }

  /** A standalone region. */
  public AgentConfig(RegionId region, String bindAddress, int port, Path dataDir) {
    this(region, bindAddress, port, dataDir, Optional.empty(), TransferConfig.defaults());
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
