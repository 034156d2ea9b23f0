package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import org.junit.jupiter.api.Test;

class SeedFromTest {

  @Test
  void autoNoneAndARegionIdAreUnderstood() {
    assertThat(SeedFrom.parse("auto")).isEqualTo(SeedFrom.AUTO);
    assertThat(SeedFrom.parse("none")).isEqualTo(SeedFrom.NONE);
    assertThat(SeedFrom.parse("westeurope").region()).contains(new RegionId("westeurope"));
    assertThat(SeedFrom.parse("westeurope")).hasToString("westeurope");
  }

  @Test
  void somethingThatIsNoRegionIdIsRefused() {
    assertThatThrownBy(() -> SeedFrom.parse("West Europe")).isInstanceOf(IllegalArgumentException.class);
  }
}
