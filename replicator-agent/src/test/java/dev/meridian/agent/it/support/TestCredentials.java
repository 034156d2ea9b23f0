package dev.meridian.agent.it.support;

import dev.meridian.agent.security.FleetCredential;
import dev.meridian.agent.security.FleetKey;
import dev.meridian.agent.security.SecuritySettings;
import java.util.Map;

/**
 * The credentials every test fleet uses: agents started by tests (in process, or as child processes given
 * {@link #environment()}) accept {@code admin} with {@link #PASSWORD}, and share {@link #FLEET_KEY}. The build
 * sets the same values in the test JVM's environment (root pom), so agents started without explicit settings
 * agree with these.
 */
public final class TestCredentials {
  public static final String USERNAME = "admin";
  public static final String PASSWORD = envOr("MERIDIAN_ADMIN_PASSWORD", "meridian-test-admin");
  public static final String FLEET_KEY_HEX = envOr(FleetKey.ENV, "6d6572696469616e2d746573742d666c6565742d6b65792d3230323620202020");
  public static final FleetKey FLEET_KEY = FleetKey.ofHex(FLEET_KEY_HEX);

  private TestCredentials() {}

  /** {@code Basic ...} for the admin. */
  public static String authorization() {
    return FleetCredential.basic(USERNAME, PASSWORD);
  }

  /** {@code admin:PASSWORD}, for skopeo's {@code --creds}. */
  /** The fleet credential, as regions send it to each other. */
  public static String fleetAuthorization() {
    return dev.meridian.agent.security.FleetCredential.authorization(FLEET_KEY);
  }

  public static String creds() {
    return USERNAME + ":" + PASSWORD;
  }

  /** The settings of an in-process agent of a test fleet. */
  public static SecuritySettings settings() {
    return SecuritySettings.of(PASSWORD, FLEET_KEY);
  }

  /** The environment a child agent process needs to accept these credentials; CLI clients read the last two. */
  public static Map<String, String> environment() {
    return Map.of("MERIDIAN_ADMIN_PASSWORD", PASSWORD, FleetKey.ENV, FLEET_KEY_HEX,
        "MERIDIAN_USERNAME", USERNAME, "MERIDIAN_PASSWORD", PASSWORD);
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
