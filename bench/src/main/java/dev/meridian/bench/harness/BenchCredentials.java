package dev.meridian.bench.harness;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The credentials of every Meridian process the harness starts (authentication is on by default): they get
 * this admin password and one fleet key through their environment, and every client the harness runs
 * (skopeo, curl, its own HTTP calls) logs in as {@code admin}. Baseline registries run without auth and
 * ignore the credentials.
 */
public final class BenchCredentials {
  public static final String USERNAME = "admin";
  public static final String PASSWORD = "meridian-bench-admin";
  private static final String FLEET_KEY = "6d6572696469616e2d62656e63682d666c6565742d6b65792d3230323620202020";

  private BenchCredentials() {}

  /** {@code admin:PASSWORD}, for skopeo's {@code --creds} and curl's {@code -u}. */
  public static String userAndPassword() {
    return USERNAME + ":" + PASSWORD;
  }

  /** The {@code Authorization} header value. */
  public static String authorization() {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword().getBytes(StandardCharsets.UTF_8));
  }

  /** How the regions the harness starts sign their events: events written straight to the log must be signed so. */
  public static dev.meridian.core.event.EventSigner eventSigner() {
    return dev.meridian.core.event.EventSigner.fromFleetSecret(java.util.HexFormat.of().parseHex(FLEET_KEY));
  }

  /**
   * The {@code Authorization} header of a peer region (user {@code meridian-fleet}, the password derived from the
   * fleet key as {@code FleetKey.credential()} derives it): requests marked internal need it.
   */
  public static String fleetAuthorization() {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(java.util.HexFormat.of().parseHex(FLEET_KEY), "HmacSHA256"));
      String password = java.util.HexFormat.of().formatHex(
          mac.doFinal("meridian/fleet-credential/v1".getBytes(StandardCharsets.UTF_8)));
      return "Basic " + Base64.getEncoder().encodeToString(("meridian-fleet:" + password).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** What a Meridian child process needs in its environment. */
  public static Map<String, String> environment() {
    return Map.of("MERIDIAN_ADMIN_PASSWORD", PASSWORD, "MERIDIAN_FLEET_KEY", FLEET_KEY,
        "MERIDIAN_USERNAME", USERNAME, "MERIDIAN_PASSWORD", PASSWORD);
  }
}
