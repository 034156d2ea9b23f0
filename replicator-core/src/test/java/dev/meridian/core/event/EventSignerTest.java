package dev.meridian.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventSignerTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
  private final EventSigner signer = new EventSigner(KEY);

  @Property
  void aRecordSignedWithTheFleetKeyVerifies(@ForAll String key, @ForAll byte[] value) {
    assertThat(signer.reject(key, value, Optional.of(signer.sign(key, value)))).isEmpty();
  }

  @Property
  void anyChangedValueByteBreaksTheSignature(@ForAll @Size(min = 1, max = 200) byte[] value, @ForAll int position) {
    String signature = signer.sign("team-a/app", value);
    byte[] changed = value.clone();
    int at = Math.floorMod(position, changed.length);
    changed[at] ^= 1;
    assertThat(signer.reject("team-a/app", changed, Optional.of(signature))).hasValueSatisfying(
        reason -> assertThat(reason).startsWith("SIGNATURE_INVALID"));
  }

  @Property
  void hexIsParsedExactlyAsTheJdkParsesIt(@ForAll String text) {
    byte[] expected;
    try {
      expected = java.util.HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      expected = null;
    }
    assertThat(EventSigner.parseHex("v1=" + text, 3)).isEqualTo(expected);
  }

  @Property
  void hexOfEitherCaseAndAnyByteIsParsedBack(@ForAll byte[] bytes) {
    String hex = java.util.HexFormat.of().formatHex(bytes);
    assertThat(EventSigner.parseHex(hex, 0)).isEqualTo(bytes);
    assertThat(EventSigner.parseHex(hex.toUpperCase(java.util.Locale.ROOT), 0)).isEqualTo(bytes);
  }

  @Property
  void garbageSignaturesAreRejectedNeverThrown(@ForAll String signature, @ForAll byte[] value) {
    assertThat(signer.reject("k", value, Optional.of(signature))).isPresent();
  }

  @Test
  void anotherFleetsKeyDoesNotVerify() {
    byte[] value = "{\"schema\":1}".getBytes(StandardCharsets.UTF_8);
    String foreign = new EventSigner(OTHER_KEY).sign("team-a/app", value);
    assertThat(signer.reject("team-a/app", value, Optional.of(foreign))).contains(
        "SIGNATURE_INVALID: not signed with this fleet's key");
  }

  @Test
  void aMissingSignatureIsRejectedWithItsReason() {
    assertThat(signer.reject("team-a/app", new byte[] {1}, Optional.empty())).hasValueSatisfying(
        reason -> assertThat(reason).startsWith("SIGNATURE_MISSING"));
  }

  @Test
  void theKeyIsSignedSoAValueCannotMoveToAnotherRepository() {
    byte[] value = "{}".getBytes(StandardCharsets.UTF_8);
    String signature = signer.sign("team-a/app", value);
    assertThat(signer.reject("team-b/app", value, Optional.of(signature))).isPresent();
    assertThat(signer.reject(null, value, Optional.of(signature))).isPresent();
  }

  @Test
  void shiftingBytesBetweenKeyAndValueBreaksTheSignature() {
    String signature = signer.sign("ab", "c".getBytes(StandardCharsets.UTF_8));
    assertThat(signer.reject("a", "bc".getBytes(StandardCharsets.UTF_8), Optional.of(signature))).isPresent();
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> new EventSigner(Arrays.copyOf(KEY, 15))).isInstanceOf(IllegalArgumentException.class);
  }
}
