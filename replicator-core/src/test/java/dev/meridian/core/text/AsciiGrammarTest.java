package dev.meridian.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.QueuedNotification;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one-pass grammars accept exactly what the regular expressions they replaced accepted: each property draws
 * strings from the grammar's own characters, its neighbours and a few foreign ones, at lengths around its limits.
 */
class AsciiGrammarTest {
  private static final String ALPHABET = "aAzZ09_.-/+!#$&^ :@~\u007f\u0000\u00e9\ud83d\ude00";

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> mixed = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMinLength(0).ofMaxLength(300);
    Arbitrary<String> plain = Arbitraries.strings().withChars("abz09-._".toCharArray()).ofMinLength(0).ofMaxLength(300);
    return Arbitraries.oneOf(mixed, plain, Arbitraries.strings().ascii().ofMaxLength(260));
  }

  @Provide
  Arbitrary<String> mediaTypes() {
    return Arbitraries.oneOf(names(), names().flatMap(a -> names().map(b -> a + "/" + b)));
  }

  private static boolean accepts(Runnable constructor) {
    try {
      constructor.run();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean regex(String grammar, String text) {
    return Pattern.compile(grammar).matcher(text).matches();
  }

  @Property(tries = 3000)
  void regionIdsFollowTheirGrammar(@ForAll("names") String text) {
    assertThat(accepts(() -> new RegionId(text))).isEqualTo(regex("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", text));
  }

  @Property(tries = 3000)
  void tagsFollowTheirGrammar(@ForAll("names") String text) {
    assertThat(Tag.isValid(text)).isEqualTo(regex("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}", text));
    assertThat(accepts(() -> new Tag(text))).isEqualTo(Tag.isValid(text));
  }

  @Property(tries = 3000)
  void topicsFollowKafkasGrammar(@ForAll("names") String text) {
    assertThat(accepts(() -> new LogPosition(text, 0))).isEqualTo(regex("[a-zA-Z0-9._-]{1,249}", text));
  }

  @Property(tries = 3000)
  void queueNamesFollowTheirGrammar(@ForAll("names") String text) {
    assertThat(accepts(() -> QueuedNotification.requireQueueName(text))).isEqualTo(regex("[a-z0-9][a-z0-9.-]{0,62}", text));
  }

  @Property(tries = 3000)
  void eventIdsAreOneTo128VisibleCharacters(@ForAll("names") String text) {
    assertThat(accepts(() -> new TagDelete(text, new RegionId("eastus"), new HlcTimestamp(1, 0), new RepositoryName("app"),
        new Tag("v1")))).isEqualTo(regex("[\\x21-\\x7e]{1,128}", text));
  }

  @Property(tries = 3000)
  void mediaTypesFollowRfc6838(@ForAll("mediaTypes") String text) {
    assertThat(accepts(() -> new MediaType(text)))
        .isEqualTo(regex("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}", text));
  }

  @Example
  void theLimitsAreExact() {
    assertThat(accepts(() -> new RegionId("a".repeat(63)))).isTrue();
    assertThat(accepts(() -> new RegionId("a".repeat(64)))).isFalse();
    assertThat(accepts(() -> new RegionId("a-"))).isFalse();
    assertThat(accepts(() -> new RegionId("-a"))).isFalse();
    assertThat(accepts(() -> new LogPosition("t".repeat(249), 0))).isTrue();
    assertThat(accepts(() -> new LogPosition("t".repeat(250), 0))).isFalse();
    assertThat(accepts(() -> QueuedNotification.requireQueueName("q".repeat(63)))).isTrue();
    assertThat(accepts(() -> QueuedNotification.requireQueueName("q".repeat(64)))).isFalse();
    assertThat(accepts(() -> new MediaType("a".repeat(127) + "/" + "b".repeat(127)))).isTrue();
    assertThat(accepts(() -> new MediaType("a".repeat(128) + "/b"))).isFalse();
    assertThat(accepts(() -> new MediaType("a/b/c"))).isFalse();
    assertThat(accepts(() -> new MediaType("a/"))).isFalse();
    assertThat(accepts(() -> new MediaType(null))).isFalse();
    assertThat(Tag.isValid(null)).isFalse();
    assertThat(accepts(() -> new RegionId(null))).isFalse();
  }
}
