package dev.meridian.agent.cli;

import dev.meridian.agent.security.AdminPassword;
import dev.meridian.agent.security.FleetCredential;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --username}/{@code --password} of the commands that call a registry, defaulting to
 * {@code MERIDIAN_USERNAME}/{@code MERIDIAN_PASSWORD}; with a password but no username the user is
 * {@code admin}. Sent as Basic auth.
 */
public final class CredentialOptions {
  public static final String USERNAME_ENV = "MERIDIAN_USERNAME";
  public static final String PASSWORD_ENV = "MERIDIAN_PASSWORD";

  @Option(names = "--username", description = "User or token name (default: $MERIDIAN_USERNAME, else admin).")
  String username;

  @Option(names = "--password", description = "Its password (default: $MERIDIAN_PASSWORD).")
  String password;

  /** The {@code Authorization} header to send, if a password was given. */
  Optional<String> authorization() {
    return authorization(System.getenv());
  }

  Optional<String> authorization(Map<String, String> env) {
    String secret = password != null ? password : env.get(PASSWORD_ENV);
    if (secret == null || secret.isEmpty()) return Optional.empty();
    String user = username != null ? username : Optional.ofNullable(env.get(USERNAME_ENV)).filter(u -> !u.isBlank()).orElse(AdminPassword.USERNAME);
    return Optional.of(FleetCredential.basic(user, secret));
  }
}
