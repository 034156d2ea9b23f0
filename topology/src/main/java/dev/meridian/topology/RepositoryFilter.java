package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.oci.RepositoryName;
import java.util.List;

/**
 * Which repositories a region holds: those matching a glob of {@code include} and none of {@code exclude}
 * (exclude wins). A region that does not admit a repository never replays its events, refuses pushes of it,
 * and never fetches it from a peer, e.g. {@code exclude: ["eu-only/**"]} outside the EU for data residency.
 *
 * <p>Pure. The default, {@link #ALL}, includes everything and excludes nothing.
 */
public record RepositoryFilter(List<RepositoryGlob> include, List<RepositoryGlob> exclude) {
  /** Every repository: {@code include: ["**"]}, no exclude. */
  public static final RepositoryFilter ALL = new RepositoryFilter(List.of(RepositoryGlob.parse("**")), List.of());

  public RepositoryFilter {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (include.isEmpty()) throw new IllegalArgumentException("include is empty: it would admit nothing");
  }

  /** The filter of these glob patterns; {@link IllegalArgumentException} names the first bad one. */
  public static RepositoryFilter of(List<String> include, List<String> exclude) {
    return new RepositoryFilter(include.stream().map(RepositoryGlob::parse).toList(),
        exclude.stream().map(RepositoryGlob::parse).toList());
  }

  public boolean admits(RepositoryName repository) {
    requireNonNull(repository, "repository");
    // The default filter, asked at every replayed event: a valid name always matches '**', so skip the regex.
    if (exclude.isEmpty()) {
      for (RepositoryGlob glob : include) if (glob.matchesEveryName()) return true;
    }
    return admits(repository.value());
  }

  public boolean admits(String repository) {
    requireNonNull(repository, "repository");
    return include.stream().anyMatch(g -> g.matches(repository)) && exclude.stream().noneMatch(g -> g.matches(repository));
  }

  /** Whether this is the default filter, which a fleet file need not spell out. */
  public boolean isDefault() {
    return equals(ALL);
  }
}
