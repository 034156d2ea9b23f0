package dev.meridian.agent.repair;

import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.RegisterDigest;
import dev.meridian.core.state.RegistryState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every repository's {@link RegisterDigest}, computed by scanning the registers: the cost is one pass over
 * every tag, manifest and blob link register of the region each time it is asked (a few hundred thousand
 * registers per second), nothing in between. Keeping the sums up to date with each write would make it free
 * to ask; the digest is built so that this can be done later without changing what regions exchange.
 */
public final class RegisterSummary {
  private static final int PAGE = 1000;

  private RegisterSummary() {}

  /** Repository name to digest, in name order. */
  public static Map<RepositoryName, String> of(RegistryState state) {
    Map<RepositoryName, String> digests = new TreeMap<>(java.util.Comparator.comparing(RepositoryName::value));
    Optional<RepositoryName> last = Optional.empty();
    while (true) {
      List<RepositoryName> page = state.listRepositories(last, PAGE);
      for (RepositoryName repository : page) digests.put(repository, RegisterDigest.of(state.repositoryRegisters(repository)));
      if (page.size() < PAGE) return digests;
      last = Optional.of(page.get(page.size() - 1));
    }
  }
}
