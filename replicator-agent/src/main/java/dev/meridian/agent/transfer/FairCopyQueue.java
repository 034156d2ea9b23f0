package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The order in which the {@link CopyPool} starts queued copies: round-robin between the jobs that asked for them,
 * and within one request of a job, smallest first. So a job that lists ten 1 GiB layers ahead of another job's
 * 1 KiB config takes one turn, then the config starts: a small image pushed after a big one replicates while the
 * big one's layers are still queued, instead of after all of them (head-of-line blocking in one FIFO).
 *
 * <p>No copy waits for ever, however many jobs come after it: a job (owner) with copies queued has a place in the
 * ring; jobs joining the ring join behind it, and an owner served goes to the back, so between two turns of an
 * owner each other owner in the ring takes at most one. Within an owner, requests are served in the order they
 * came (a later request never goes ahead of an earlier one), and only within one request does a smaller item go
 * first: a request is finite, so its largest item starts after at most as many of the owner's turns as the
 * items before it. Pure and not thread-safe: the pool guards it.
 *
 * @param <O> who asked (a job's run)
 * @param <E> a queued copy
 */
final class FairCopyQueue<O, E> {
  private final ToLongFunction<E> size;
  /** Owners with copies queued, in turn order: the first is served next, then moves to the back. */
  private final LinkedHashMap<O, ArrayDeque<E>> ring = new LinkedHashMap<>();
  private int count;

  /** {@code size} gives an item's size in bytes (as its descriptor states it): smaller items of a request go first. */
  FairCopyQueue(ToLongFunction<E> size) {
    this.size = requireNonNull(size, "size");
  }

  /** Queues one request of {@code owner}: behind its earlier requests, smallest first within this one. */
  void add(O owner, List<E> request) {
    requireNonNull(owner, "owner");
    if (request.isEmpty()) return;
    List<E> sorted = new ArrayList<>(request);
    sorted.sort(Comparator.comparingLong(size)); // stable: equal sizes keep the order the job listed them in
    ring.computeIfAbsent(owner, o -> new ArrayDeque<>()).addAll(sorted);
    count += sorted.size();
  }

  /** The copy to start next, taken out of the queue: the next owner's turn. Empty if nothing is queued. */
  Optional<E> poll() {
    return poll(Long.MAX_VALUE);
  }

  /**
   * The next copy of at most {@code maxSize} bytes: the first owner in turn order whose next copy is that small
   * takes its turn. Owners passed over (their next copy is larger) keep their place in the ring.
   */
  Optional<E> poll(long maxSize) {
    for (var it = ring.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<O, ArrayDeque<E>> turn = it.next();
      if (size.applyAsLong(turn.getValue().peek()) > maxSize) continue;
      it.remove();
      E next = turn.getValue().poll();
      if (!turn.getValue().isEmpty()) ring.put(turn.getKey(), turn.getValue()); // to the back of the ring
      count--;
      return Optional.of(next);
    }
    return Optional.empty();
  }

  /** Removes and returns everything queued (the pool is stopping). */
  List<E> drain() {
    List<E> all = new ArrayList<>(count);
    ring.values().forEach(all::addAll);
    ring.clear();
    count = 0;
    return all;
  }

  int size() {
    return count;
  }
}
