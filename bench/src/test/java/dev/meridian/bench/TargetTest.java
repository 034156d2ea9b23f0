package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void ratioAtMostPassesUpToItsBoundAndNeedsABaseline() {
    Target target = Target.ratioAtMost(1.5);

    assertThat(target.met(100, 1.5)).isTrue();
    assertThat(target.met(100, 1.51)).isFalse();
    assertThat(target.met(100, null)).isFalse();
    assertThat(target).hasToString("<= 1.50x");
  }
}
