package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveFloorTest {
  private final LiveFloor floor = new LiveFloor();

  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String floorNow() {
    return new String(floor.view().floor(), StandardCharsets.UTF_8);
  }

  @Test
  void aScanFromTheFloorRaisesItToTheFirstLiveKeyItFound() {
    floor.found(floor.view(), Optional.of(key("app/m")));
    assertThat(floorNow()).isEqualTo("app/m");
  }

  @Test
  void anAddedKeyBelowTheFloorLowersIt() {
    floor.found(floor.view(), Optional.of(key("app/m")));
    floor.added(key("app/c"));
    assertThat(floorNow()).isEqualTo("app/c");
    floor.added(key("app/x"));
    assertThat(floorNow()).isEqualTo("app/c");
  }

  @Test
  void aScanThatBeganBeforeAnAdditionDoesNotMoveTheFloor() {
    floor.found(floor.view(), Optional.of(key("app/x")));
    LiveFloor.View seen = floor.view();
    floor.added(key("app/c"));
    floor.found(seen, Optional.of(key("app/m")));
    assertThat(floorNow()).isEqualTo("app/c");
  }

  @Test
  void aScanThatFoundNothingPutsTheFloorPastEveryKeyUntilOneIsAdded() {
    floor.found(floor.view(), Optional.empty());
    assertThat(floor.view().floor()).isEqualTo(LiveFloor.PAST_EVERY_KEY);
    assertThat(LiveFloor.later(key("zzz/last"), floor.view().floor())).isEqualTo(LiveFloor.PAST_EVERY_KEY);
    floor.added(key("zzz/last"));
    assertThat(floorNow()).isEqualTo("zzz/last");
  }

  @Test
  void theFloorNeverFallsWhenAScanFindsALowerKeyThanIt() {
    floor.found(floor.view(), Optional.of(key("app/m")));
    floor.found(floor.view(), Optional.of(key("app/a")));
    assertThat(floorNow()).isEqualTo("app/m");
  }

  @Test
  void aScanBeginsAtTheLaterOfItsStartAndTheFloor() {
    assertThat(LiveFloor.later(key("b"), key("a"))).isEqualTo(key("b"));
    assertThat(LiveFloor.later(key("a"), key("b"))).isEqualTo(key("b"));
    assertThat(LiveFloor.later(new byte[0], key("b"))).isEqualTo(key("b"));
  }
}
