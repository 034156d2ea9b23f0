package dev.meridian.agent.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FairCopyQueueTest {
  private static final long KIB = 1024;
  private static final long GIB = 1024 * 1024 * KIB;

  /** A queued copy: who asked, what, and how big. */
  private record Item(String owner, String name, long size) {}

  private final FairCopyQueue<String, Item> queue = new FairCopyQueue<>(Item::size);

  @Test
  void aSmallImageQueuedAfterABigOneStartsAfterOneOfTheBigOnesLayersNotAllOfThem() {
    List<Item> big = new ArrayList<>();
    for (int i = 0; i < 10; i++) big.add(new Item("A", "layer" + i, GIB));
    queue.add("A", big);
    queue.add("B", List.of(new Item("B", "config", KIB)));

    assertThat(names(pollAll()).subList(0, 3)).containsExactly("layer0", "config", "layer1");
  }

  @Test
  void jobsTakeTurnsOneCopyEach() {
    queue.add("A", List.of(item("A", "a1", 1), item("A", "a2", 1), item("A", "a3", 1)));
    queue.add("B", List.of(item("B", "b1", 1), item("B", "b2", 1)));
    queue.add("C", List.of(item("C", "c1", 1)));

    assertThat(names(pollAll())).containsExactly("a1", "b1", "c1", "a2", "b2", "a3");
  }

  @Test
  void withinOneRequestSmallerBlobsStartFirstAndEqualSizesKeepTheirOrder() {
    queue.add("A", List.of(item("A", "big", 500), item("A", "small", 2), item("A", "tiny", 1), item("A", "small2", 2)));

    assertThat(names(pollAll())).containsExactly("tiny", "small", "small2", "big");
  }

  @Test
  void aLaterRequestOfAJobNeverGoesAheadOfAnEarlierOneHoweverSmall() {
    queue.add("A", List.of(item("A", "big", GIB)));
    queue.add("A", List.of(item("A", "small", 1)));

    assertThat(names(pollAll())).containsExactly("big", "small");
  }

  @Test
  void aBigBlobStartsWhileNewJobsOfSmallBlobsKeepArriving() {
    queue.add("early", List.of(item("early", "e1", 1)));
    queue.add("A", List.of(item("A", "huge", 10 * GIB)));
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 1000 && !started.contains("huge"); i++) {
      queue.add("new" + i, List.of(item("new" + i, "n" + i, 1))); // a flood: a new small job before every start
      queue.add("early", List.of(item("early", "e-again" + i, 1))); // and the early job asks again and again
      started.add(queue.poll().orElseThrow().name());
    }
    // Only the one job ahead of it in turn order went first; none of those that came after.
    assertThat(started).containsExactly("e1", "huge");
  }

  @Test
  void aSizeBoundPassesOverJobsWhoseNextCopyIsLargerAndLeavesThemFirstInTurn() {
    queue.add("A", List.of(item("A", "layer", GIB)));
    queue.add("B", List.of(item("B", "config", KIB), item("B", "layer-b", GIB)));
    queue.add("C", List.of(item("C", "config-c", KIB)));

    assertThat(queue.poll(16 * 1024 * KIB)).map(Item::name).contains("config");
    assertThat(queue.poll(16 * 1024 * KIB)).map(Item::name).contains("config-c");
    assertThat(queue.poll(16 * 1024 * KIB)).isEmpty(); // only large copies are left
    assertThat(names(pollAll())).containsExactly("layer", "layer-b");
  }

  @Test
  void drainEmptiesTheQueue() {
    queue.add("A", List.of(item("A", "a1", 1), item("A", "a2", 2)));
    queue.add("B", List.of(item("B", "b1", 1)));

    assertThat(queue.drain()).hasSize(3);
    assertThat(queue.size()).isZero();
    assertThat(queue.poll()).isEmpty();
  }

  /**
   * Whatever the order of requests and starts: everything queued starts once; a job's copies start request by
   * request, smallest first within one; and while a job waits, no other job takes two turns (so none waits for ever).
   */
  @Property
  void everyCopyStartsOnceInAFairOrder(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 12) Integer> steps) {
    FairCopyQueue<String, Item> q = new FairCopyQueue<>(Item::size);
    Map<String, List<List<Item>>> requests = new HashMap<>();
    Map<String, Integer> queuedOf = new HashMap<>();
    List<Item> added = new ArrayList<>();
    List<Item> started = new ArrayList<>();
    Map<String, Set<String>> servedSince = new HashMap<>(); // per owner: the others served since its last turn
    int n = 0;
    for (int step : steps) {
      if (step < 5) { // a request of owner `step`: 1 to 3 items of sizes derived from the counter
        String owner = "o" + step;
        List<Item> request = new ArrayList<>();
        for (int k = 0; k <= n % 3; k++, n++) request.add(new Item(owner, "i" + n, (n * 7919L) % 13));
        q.add(owner, request);
        requests.computeIfAbsent(owner, o -> new ArrayList<>()).add(request);
        added.addAll(request);
        if (queuedOf.getOrDefault(owner, 0) == 0) servedSince.put(owner, new HashSet<>());
        queuedOf.merge(owner, request.size(), Integer::sum);
      } else {
        Optional<Item> next = q.poll();
        if (next.isEmpty()) {
          assertThat(queuedOf.values()).allMatch(c -> c == 0);
          continue;
        }
        String owner = next.get().owner();
        for (var waiting : servedSince.entrySet()) {
          if (waiting.getKey().equals(owner) || queuedOf.getOrDefault(waiting.getKey(), 0) == 0) continue;
          assertThat(waiting.getValue()).as("%s served twice while %s waited", owner, waiting.getKey()).doesNotContain(owner);
          waiting.getValue().add(owner);
        }
        servedSince.put(owner, new HashSet<>());
        queuedOf.merge(owner, -1, Integer::sum);
        started.add(next.get());
      }
    }
    for (Optional<Item> next = q.poll(); next.isPresent(); next = q.poll()) started.add(next.get());

    assertThat(started).containsExactlyInAnyOrderElementsOf(added);
    for (var entry : requests.entrySet()) {
      List<Item> expected = new ArrayList<>();
      for (List<Item> request : entry.getValue()) {
        List<Item> sorted = new ArrayList<>(request);
        sorted.sort(java.util.Comparator.comparingLong(Item::size));
        expected.addAll(sorted);
      }
      assertThat(started.stream().filter(i -> i.owner().equals(entry.getKey())).toList()).containsExactlyElementsOf(expected);
    }
  }

  private static Item item(String owner, String name, long size) {
    return new Item(owner, name, size);
  }

  private List<Item> pollAll() {
    List<Item> all = new ArrayList<>();
    for (Optional<Item> next = queue.poll(); next.isPresent(); next = queue.poll()) all.add(next.get());
    return all;
  }

  private static List<String> names(List<Item> items) {
    return items.stream().map(Item::name).toList();
  }
}
