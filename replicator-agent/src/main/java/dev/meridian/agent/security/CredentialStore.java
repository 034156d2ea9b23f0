package dev.meridian.agent.security;

import java.util.List;
import java.util.Optional;

/** Where users and tokens are kept. Reads are local and cheap: they run on every authenticated request. */
public interface CredentialStore {
  Optional<Credential> find(String name);

  List<Credential> list();

  void put(Credential credential);

  /** Removes the credential; true if there was one. */
  boolean delete(String name);
}
