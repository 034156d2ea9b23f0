package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bound a prefixed scan stops at: above every key with the prefix, and at no key without it. */
class StateKeysTest {
  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return b;
  }

  @Test
  void aPrefixEndsAtItsLastByteRaisedByOne() {
    assertThat(StateKeys.prefixEnd(StateKeys.notificationQueue("kafka"))).contains(bytes('k', 'a', 'f', 'k', 'a', 1));
    assertThat(StateKeys.prefixEnd(bytes('a', 0x7F))).contains(bytes('a', 0x80));
  }

  @Test
  void trailingFfBytesCarryIntoTheByteBeforeThem() {
    assertThat(StateKeys.prefixEnd(bytes('a', 0xFF, 0xFF))).contains(bytes('b'));
  }

  @Test
  void anEmptyOrAllFfPrefixHasNoEnd() {
    assertThat(StateKeys.prefixEnd(new byte[0])).isEmpty();
    assertThat(StateKeys.prefixEnd(bytes(0xFF, 0xFF))).isEmpty();
  }
}
