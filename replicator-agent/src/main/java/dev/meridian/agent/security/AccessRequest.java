package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a request needs to be allowed, every one of {@link #needs()}: e.g. a cross-repository mount needs
 * push on the target and pull on the source. {@link #internal()} marks a request that claims to come from
 * another region ({@code Meridian-Internal}), which only the fleet credential may send.
 */
public record AccessRequest(List<Need> needs, boolean internal) {
  public AccessRequest {
    needs = List.copyOf(needs);
  }

  /** One thing a request needs. */
  public sealed interface Need {}

  /** Any one of {@code anyOf} on {@code repository}. */
  public record RepositoryNeed(String repository, Set<Action> anyOf) implements Need {
    public RepositoryNeed {
      requireNonNull(repository, "repository");
      if (anyOf.isEmpty()) throw new IllegalArgumentException("no action");
      anyOf = Set.copyOf(anyOf);
    }

    /** The scope a client should ask a token for, e.g. {@code repository:team-a/app:pull,push}. */
    public String scope() {
      Set<Action> actions = EnumSet.copyOf(anyOf);
      if (actions.contains(Action.PUSH)) actions.add(Action.PULL); // clients ask for both when pushing
      actions.remove(Action.METADATA_READ);
      if (actions.isEmpty()) actions.add(Action.PULL);
      return "repository:" + repository + ":" + String.join(",", actions.stream().map(Action::wireName).toList());
    }
  }

  /** Listing every repository. */
  public record CatalogNeed() implements Need {}

  /** The admin API. */
  public record AdminNeed() implements Need {}

  /** Any valid credential, even one that grants nothing ({@code GET /v2/}). */
  public record SignedInNeed() implements Need {}

  public static AccessRequest of(Need... needs) {
    return new AccessRequest(List.of(needs), false);
  }

  public static AccessRequest repository(String repository, Action... anyOf) {
    return of(new RepositoryNeed(repository, Set.of(anyOf)));
  }

  public AccessRequest asInternal() {
    return new AccessRequest(needs, true);
  }
}
