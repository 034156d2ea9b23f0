package dev.meridian.agent.registry;

import java.util.List;

/** One page of a listing, and whether more items follow it (then the answer carries a {@code Link}). */
public record Page<T>(List<T> items, boolean more) {
  public Page {
    items = List.copyOf(items);
  }

  /** Cuts a list fetched with one item beyond {@code limit} into a page. */
  public static <T> Page<T> ofOverfetched(List<T> fetched, int limit) {
    if (fetched.size() > limit) return new Page<>(fetched.subList(0, limit), true);
    return new Page<>(fetched, false);
  }
}
