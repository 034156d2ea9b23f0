package dev.meridian.agent.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The credential one region presents to another (transfers, read-through, admin fan-out): Basic auth as user
 * {@value #USERNAME} with the password derived from the fleet key. No user can hold that name.
 */
public final class FleetCredential {
  public static final String USERNAME = "meridian-fleet";

  private FleetCredential() {}

  /** The {@code Authorization} header value for {@code key}. */
  public static String authorization(FleetKey key) {
    return basic(USERNAME, key.credential());
  }

  /** {@code Basic base64(user:password)}. */
  public static String basic(String username, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
