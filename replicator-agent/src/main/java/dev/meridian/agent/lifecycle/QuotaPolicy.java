package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.topology.RepositoryGlob;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage quotas: bytes the registry may hold, and optionally each namespace (a repository name's first path
 * component, {@code team-a} of {@code team-a/app}) and each repository. Unlimited by default.
 *
 * <p>A repository quota names one repository or a glob ({@code team-a/*}, {@code team-a/**}): each matching
 * repository gets that quota of its own (a glob does not pool its repositories). The first rule that matches
 * a repository, in the order given, is its quota.
 */
public record QuotaPolicy(Optional<Long> registryBytes, Map<String, Long> namespaceBytes, List<RepositoryQuota> repositoryBytes) {
  public static final QuotaPolicy UNLIMITED = new QuotaPolicy(Optional.empty(), Map.of());

  /** The quota of each repository {@code pattern} matches (a name matches itself). */
  public record RepositoryQuota(RepositoryGlob pattern, long bytes) {
    public RepositoryQuota {
      requireNonNull(pattern, "pattern");
      if (bytes < 0) throw new IllegalArgumentException("bad repository quota " + pattern.text() + "=" + bytes);
    }
  }

  /** Registry and namespace quotas only. */
  public QuotaPolicy(Optional<Long> registryBytes, Map<String, Long> namespaceBytes) {
    this(registryBytes, namespaceBytes, List.of());
  }

  public QuotaPolicy {
    requireNonNull(registryBytes, "registryBytes");
    registryBytes.ifPresent(b -> {
      if (b < 0) throw new IllegalArgumentException("quota must not be negative: " + b);
    });
    namespaceBytes = Map.copyOf(namespaceBytes);
    namespaceBytes.forEach((ns, b) -> {
      if (b < 0 || ns.isEmpty() || ns.contains("/")) throw new IllegalArgumentException("bad namespace quota " + ns + "=" + b);
    });
    repositoryBytes = List.copyOf(repositoryBytes);
  }

  /** Whether any quota is set at all. */
  public boolean unlimited() {
    return registryBytes.isEmpty() && namespaceBytes.isEmpty() && repositoryBytes.isEmpty();
  }

  /** The quota of {@code repository}: the first repository rule matching it. */
  public Optional<Long> repositoryQuota(String repository) {
    return repositoryBytes.stream().filter(q -> q.pattern().matches(repository)).map(RepositoryQuota::bytes).findFirst();
  }

  /** {@code REPOSITORY=SIZE}, the repository a name or a glob ({@code team-a/*}, {@code team-a/**}). */
  public static RepositoryQuota parseRepository(String text) {
    int eq = text.lastIndexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("repository quota '" + text + "' is not REPOSITORY=SIZE");
    RepositoryGlob pattern;
    try {
      pattern = RepositoryGlob.parse(text.substring(0, eq));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("repository quota '" + text + "': " + e.getMessage());
    }
    return new RepositoryQuota(pattern, parseSize(text.substring(eq + 1)));
  }

  /** The namespace of a repository name. */
  public static String namespaceOf(String repository) {
    int slash = repository.indexOf('/');
    return slash < 0 ? repository : repository.substring(0, slash);
  }

  /** {@code NAMESPACE=BYTES} with an optional K, M, G suffix (binary). */
  public static Map.Entry<String, Long> parseNamespace(String text) {
    int eq = text.lastIndexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("namespace quota '" + text + "' is not NAMESPACE=SIZE");
    return Map.entry(text.substring(0, eq), parseSize(text.substring(eq + 1)));
  }

  /** {@code 500M}, {@code 10G}, or a number of bytes. */
  public static long parseSize(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K")) unit = 1L << 10;
    if (t.endsWith("M")) unit = 1L << 20;
    if (t.endsWith("G")) unit = 1L << 30;
    if (t.endsWith("T")) unit = 1L << 40;
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size like 500M or 10G");
    }
  }
}
