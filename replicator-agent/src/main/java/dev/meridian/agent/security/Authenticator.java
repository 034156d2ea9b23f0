package dev.meridian.agent.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a username and password: the fleet's user (a constant-time compare with the derived fleet
 * credential), {@code admin} (the bootstrap admin, checked against its bcrypt hash), or a stored credential.
 *
 * <p>bcrypt is slow on purpose, and clients that send Basic auth send it on every request; so a successful
 * check is remembered for a minute, keyed by the name and a SHA-256 of the password, and only while the
 * stored hash is still the one that was checked (a deleted or changed credential stops working at once).
 */
public final class Authenticator {
  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final int MAX_REMEMBERED = 10_000;

  private record Remembered(String hash, Instant until) {}

  private final PasswordHasher hasher;
  private final String adminHash;
  private final FleetKey fleetKey;
  private final CredentialStore store;
  private final Clock clock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

  public Authenticator(PasswordHasher hasher, String adminHash, FleetKey fleetKey, CredentialStore store, Clock clock) {
    this.hasher = hasher;
    this.adminHash = adminHash;
    this.fleetKey = fleetKey;
    this.store = store;
    this.clock = clock;
  }

  /** The principal these credentials prove, or empty. May take tens of milliseconds (see {@link #isQuick}). */
  public Optional<Principal> authenticate(String username, String password) {
    if (username.equals(FleetCredential.USERNAME)) {
      return FleetKey.sameSecret(password, fleetKey.credential())
          ? Optional.of(new Principal(FleetCredential.USERNAME, Principal.Kind.FLEET, ScopeMap.ADMIN)) : Optional.empty();
    }
    Optional<String> hash = currentHash(username);
    if (hash.isEmpty()) return Optional.empty();
    String key = cacheKey(username, password);
    Remembered seen = remembered.get(key);
    boolean ok = seen != null && seen.hash().equals(hash.get()) && clock.instant().isBefore(seen.until());
    if (!ok) ok = verifyOnce(key, password, hash.get());
    return ok ? current(username, username.equals(AdminPassword.USERNAME) ? Principal.Kind.ADMIN : null) : Optional.empty();
  }

  /**
   * Hashes {@code password} against {@code hash}, once for concurrent callers with the same credentials: a client
   * opening several connections at once (skopeo uploads layers in parallel) would otherwise pay for as many
   * hashes, tens of milliseconds of CPU each, before the first success is remembered.
   */
  private boolean verifyOnce(String key, String password, String hash) {
    String flightKey = key + "\n" + hash;
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> flight = inFlight.putIfAbsent(flightKey, mine);
    if (flight != null) return flight.join();
    try {
      boolean ok = hasher.verify(password, hash);
      if (ok) {
        if (remembered.size() >= MAX_REMEMBERED) remembered.clear();
        remembered.put(key, new Remembered(hash, clock.instant().plus(REMEMBER)));
      }
      mine.complete(ok);
      return ok;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(flightKey, mine);
    }
  }

  /** Whether {@link #authenticate} would answer without hashing: the fleet user, or a recent success. */
  public boolean isQuick(String username, String password) {
    if (username.equals(FleetCredential.USERNAME)) return true;
    Remembered seen = remembered.get(cacheKey(username, password));
    return seen != null && clock.instant().isBefore(seen.until());
  }

  /**
   * The principal named {@code subject} as it stands now: how a token issued earlier is checked against
   * revocation. Empty if it no longer exists.
   */
  public Optional<Principal> current(String subject, Principal.Kind kind) {
    if (kind == Principal.Kind.FLEET) return Optional.of(new Principal(FleetCredential.USERNAME, Principal.Kind.FLEET, ScopeMap.ADMIN));
    if (subject.equals(AdminPassword.USERNAME)) return Optional.of(new Principal(subject, Principal.Kind.ADMIN, ScopeMap.ADMIN));
    return store.find(subject).map(Credential::principal);
  }

  private Optional<String> currentHash(String username) {
    if (username.equals(AdminPassword.USERNAME)) return Optional.of(adminHash);
    return store.find(username).map(Credential::passwordHash);
  }

  private static String cacheKey(String username, String password) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
      return username + "\n" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
