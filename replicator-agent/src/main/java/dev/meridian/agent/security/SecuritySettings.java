package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A region's security settings: the bootstrap admin's password, the fleet key, where anonymous pull is
 * allowed (nowhere by default), how long registry tokens live, and the bcrypt cost.
 */
public record SecuritySettings(
    AdminPassword adminPassword, FleetKey fleetKey, List<RepositoryPattern> anonymousPull, Duration tokenLifetime, int bcryptCost) {
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

  public SecuritySettings {
    requireNonNull(adminPassword, "adminPassword");
    requireNonNull(fleetKey, "fleetKey");
    anonymousPull = List.copyOf(anonymousPull);
    requireNonNull(tokenLifetime, "tokenLifetime");
  }

  /** The settings of a region with data in {@code dataDir}: secrets from {@code env} or the data dir (made if missing). */
  public static SecuritySettings resolve(Path dataDir, Map<String, String> env) {
    return new SecuritySettings(AdminPassword.resolve(dataDir, env), FleetKey.resolve(dataDir, env), List.of(),
        DEFAULT_TOKEN_LIFETIME, PasswordHasher.DEFAULT_COST);
  }

  public static SecuritySettings of(String adminPassword, FleetKey fleetKey) {
    return new SecuritySettings(new AdminPassword(adminPassword, false), fleetKey, List.of(), DEFAULT_TOKEN_LIFETIME,
        PasswordHasher.DEFAULT_COST);
  }

  public SecuritySettings withAnonymousPull(List<RepositoryPattern> patterns) {
    return new SecuritySettings(adminPassword, fleetKey, patterns, tokenLifetime, bcryptCost);
  }

  public SecuritySettings withTokenLifetime(Duration lifetime) {
    return new SecuritySettings(adminPassword, fleetKey, anonymousPull, lifetime, bcryptCost);
  }

  /** The same settings with another fleet key. */
  public SecuritySettings withFleetKey(FleetKey key) {
    return new SecuritySettings(adminPassword, key, anonymousPull, tokenLifetime, bcryptCost);
  }
}
