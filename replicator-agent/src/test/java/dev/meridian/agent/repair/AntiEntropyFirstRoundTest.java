package dev.meridian.agent.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AntiEntropyFirstRoundTest {
  private static final Duration INTERVAL = Duration.ofMinutes(5);

  @Test
  void theRegionsOfAFleetStartedTogetherTakeTheirFirstRoundsAnEqualShareOfTheIntervalApart() {
    List<Duration> firstRounds = new ArrayList<>();
    for (int place = 0; place < 3; place++) firstRounds.add(AntiEntropy.firstRound(INTERVAL, place, 3));

    assertThat(firstRounds).containsExactly(Duration.ofSeconds(300), Duration.ofSeconds(400), Duration.ofSeconds(500));
  }

  @Test
  void everyFirstRoundComesBetweenOneAndTwoIntervalsAfterTheStart() {
    for (int regions = 1; regions <= 12; regions++) {
      for (int place = 0; place < regions; place++) {
        assertThat(AntiEntropy.firstRound(INTERVAL, place, regions)).as("%d of %d", place, regions)
            .isBetween(INTERVAL, INTERVAL.multipliedBy(2).minusMillis(1));
      }
    }
  }

  @Test
  void aPlaceOutsideTheFleetIsRefused() {
    assertThatThrownBy(() -> AntiEntropy.firstRound(INTERVAL, 3, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AntiEntropy.firstRound(INTERVAL, -1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AntiEntropy.firstRound(INTERVAL, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
