package dev.meridian.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagScenarioTest {
  @Test
  void theObserversPollOnePushInTenOfEveryRepositorySpreadOverTheWindow() {
    int repositories = 10;
    Map<Integer, Integer> perRepository = new HashMap<>();
    int observed = 0;
    int longestGap = 0;
    int last = -1;
    for (int push = 0; push < 1500; push++) {
      if (!LagScenario.observed(push)) continue;
      observed++;
      perRepository.merge(push % repositories, 1, Integer::sum);
      if (last >= 0) longestGap = Math.max(longestGap, push - last);
      last = push;
    }
    assertThat(observed).isEqualTo(1500 / LagScenario.OBSERVED_ONE_IN);
    assertThat(perRepository).hasSize(repositories).allSatisfy((repository, count) -> assertThat(count).isEqualTo(15));
    // One push in each run of ten, not ten in a row every hundred: the sample covers the window evenly.
    assertThat(longestGap).isLessThanOrEqualTo(2 * LagScenario.OBSERVED_ONE_IN);
  }
}
