package dev.meridian.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class UniqueIdsTest {
  @Test
  void idsAreVersion4UuidsAsReceiversOfNotificationsExpect() {
    UUID id = UUID.fromString(new UniqueIds().get());

    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
  }

  @Test
  void noIdRepeatsAcrossThreadsOfOneInstanceOrAcrossInstances() throws Exception {
    UniqueIds ids = new UniqueIds();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) seen.add(ids.get());
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) thread.join();
    for (int i = 0; i < 1000; i++) seen.add(new UniqueIds().get());

    assertThat(seen).hasSize(4 * 50_000 + 1000);
  }

  @Test
  void twoInstancesDrawDifferentHighHalves() {
    Set<Long> highs = new HashSet<>();
    for (int i = 0; i < 100; i++) highs.add(UUID.fromString(new UniqueIds().get()).getMostSignificantBits());

    assertThat(highs).hasSize(100);
  }
}
