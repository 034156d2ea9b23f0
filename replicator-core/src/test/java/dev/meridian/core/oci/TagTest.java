package dev.meridian.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TagTest {

  @Property
  void everyTagOfTheGrammarIsAccepted(@ForAll("validTags") String tag) {
    assertThat(Tag.isValid(tag)).isTrue();
    assertThat(new Tag(tag)).hasToString(tag);
  }

  @Property
  void aLeadingDotOrDashIsRefused(@ForAll("validTags") String tag) {
    String rest = tag.length() == 128 ? tag.substring(1) : tag;
    assertRefused("." + rest);
    assertRefused("-" + rest);
  }

  @Property
  void characterOutsideTheGrammarIsRefused(@ForAll("validTags") String tag, @ForAll("foreignChars") char c) {
    String shorter = tag.length() == 128 ? tag.substring(1) : tag;
    assertRefused(shorter + c);
    assertRefused(c + shorter);
  }

  @Example
  void lengthLimitIsExactly128Characters() {
    assertThat(new Tag("v".repeat(128)).value()).hasSize(128);
    assertRefused("v".repeat(129));
  }

  @Example
  void commonTagsAreAcceptedAndOddOnesRefused() {
    for (String tag : List.of("latest", "v1.2.3", "1.0_rc-1", "_", "SHA-abc", "2024.05.01")) {
      assertThat(new Tag(tag).value()).isEqualTo(tag);
    }
    for (String tag : List.of("", ".", "-", "v1:2", "a/b", "a@b", "a b", "sha256:abc", "\u00e9")) assertRefused(tag);
    assertThatThrownBy(() -> new Tag(null)).isInstanceOf(RegistryException.class);
  }

  @Property
  void orderingIsTheTagsTextOrder(@ForAll("validTags") String a, @ForAll("validTags") String b) {
    assertThat(Integer.signum(new Tag(a).compareTo(new Tag(b)))).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  private static void assertRefused(String tag) {
    assertThat(Tag.isValid(tag)).as("isValid(%s)", tag).isFalse();
    assertThatThrownBy(() -> new Tag(tag))
        .as("tag %s", tag)
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.TAG_INVALID));
  }

  /** {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
  @Provide
  static Arbitrary<String> validTags() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9').with('_');
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars('.', '_', '-').ofMaxLength(127);
    return Combinators.combine(first, rest).as((c, s) -> c + s);
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.chars().filter(c -> !Character.isLetterOrDigit(c) && c != '.' && c != '_' && c != '-'
        || c > 127);
  }
}
