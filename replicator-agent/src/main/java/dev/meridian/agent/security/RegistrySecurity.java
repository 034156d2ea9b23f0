package dev.meridian.agent.security;

import java.time.Clock;

/**
 * A region's security, assembled: the credential store, the authenticator, the token minter and the access
 * policy over them. The bootstrap admin's password is hashed once here and kept only as that hash.
 */
public final class RegistrySecurity {
  public static final String SERVICE = "meridian";

  private final SecuritySettings settings;
  private final CredentialStore credentials;
  private final PasswordHasher hasher;
  private final AccessPolicy policy;

  public RegistrySecurity(SecuritySettings settings, CredentialStore credentials, Clock clock) {
    this.settings = settings;
    this.credentials = credentials;
    this.hasher = new PasswordHasher(settings.bcryptCost());
    Authenticator authenticator = new Authenticator(hasher, hasher.hash(settings.adminPassword().value()),
        settings.fleetKey(), credentials, clock);
    RegistryTokens tokens = new RegistryTokens(settings.fleetKey().tokenSigningKey(), SERVICE, settings.tokenLifetime(), clock);
    this.policy = new AccessPolicy(authenticator, tokens, settings.anonymousPull(), clock);
  }

  public AccessPolicy policy() {
    return policy;
  }

  public CredentialStore credentials() {
    return credentials;
  }

  public PasswordHasher hasher() {
    return hasher;
  }

  public SecuritySettings settings() {
    return settings;
  }

  /** The {@code Authorization} header this region sends to its peers. */
  public String fleetAuthorization() {
    return FleetCredential.authorization(settings.fleetKey());
  }
}
