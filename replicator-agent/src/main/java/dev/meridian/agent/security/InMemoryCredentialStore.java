package dev.meridian.agent.security;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CredentialStore} in this process's memory: credentials are lost when it stops and stay in this region. */
public final class InMemoryCredentialStore implements CredentialStore {
  private final Map<String, Credential> credentials = new ConcurrentHashMap<>();

  @Override
  public Optional<Credential> find(String name) {
    return Optional.ofNullable(credentials.get(name));
  }

  @Override
  public List<Credential> list() {
    return credentials.values().stream().sorted(Comparator.comparing(Credential::name)).toList();
  }

  @Override
  public void put(Credential credential) {
    credentials.put(credential.name(), credential);
  }

  @Override
  public boolean delete(String name) {
    return credentials.remove(name) != null;
  }
}
