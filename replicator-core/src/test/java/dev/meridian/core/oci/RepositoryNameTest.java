package dev.meridian.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RepositoryNameTest {
  /** The distribution spec's grammar as written there: what the one-pass matcher must agree with. */
  private static final java.util.regex.Pattern SPEC_GRAMMAR =
      java.util.regex.Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  @Property(tries = 3000)
  void theMatcherAgreesWithTheSpecsRegularExpression(@ForAll("nearNames") String name) {
    assertThat(RepositoryName.isValid(name)).as(name).isEqualTo(SPEC_GRAMMAR.matcher(name).matches());
  }

  @Provide
  Arbitrary<String> nearNames() {
    return Arbitraries.strings().withChars("ab09._-/_-A").ofMinLength(0).ofMaxLength(12);
  }

  @Property
  void everyNameOfTheGrammarIsAccepted(@ForAll("validNames") String name) {
    assertThat(RepositoryName.isValid(name)).isTrue();
    assertThat(new RepositoryName(name)).hasToString(name);
  }

  @Property
  void anUpperCaseLetterAnywhereIsRefused(@ForAll("validNames") String name, @ForAll @IntRange(max = 254) int position) {
    int at = position % name.length();
    Assume.that(Character.isLetter(name.charAt(at)));
    assertRefused(name.substring(0, at) + Character.toUpperCase(name.charAt(at)) + name.substring(at + 1));
  }

  @Property
  void separatorsAtEitherEndOfAComponentAreRefused(
      @ForAll("validNames") String name, @ForAll("separators") String separator) {
    assertRefused(separator + name);
    assertRefused(name + separator);
    assertRefused(name + separator + "/x");
    assertRefused("x/" + separator + name);
  }

  @Property
  void emptyComponentsAreRefused(@ForAll("validNames") String a, @ForAll("validNames") String b) {
    Assume.that(a.length() + b.length() < 250);
    assertRefused(a + "//" + b);
    assertRefused("/" + a);
    assertRefused(a + "/");
  }

  @Property
  void characterOutsideTheGrammarIsRefused(@ForAll("validNames") String name, @ForAll("foreignChars") char c) {
    Assume.that(name.length() < 255);
    int at = name.length() / 2;
    assertRefused(name.substring(0, at) + c + name.substring(at));
  }

  @Example
  void lengthLimitIsExactly255Characters() {
    assertThat(new RepositoryName("a".repeat(255)).value()).hasSize(255);
    String components = ("abcdefg/".repeat(32)).substring(0, 255); // ends inside a component
    assertThat(RepositoryName.isValid(components)).isTrue();
    assertRefused("a".repeat(256));
    assertRefused(components + "h");
  }

  @Example
  void pathTricksAndOddSeparatorsAreRefused() {
    for (String name : List.of("", ".", "..", "a/..", "../a", "a/../b", "a/./b", "a..b", "a___b", "a.-b", "a-.b",
        "a_-b", "a b", "a:b", "a@b", "a\\b", "A", "team-a/App", "\u00e9t\u00e9")) {
      assertRefused(name);
    }
    assertThatThrownBy(() -> new RepositoryName(null)).isInstanceOf(RegistryException.class);
    assertThat(RepositoryName.isValid(null)).isFalse();
  }

  @Example
  void separatorsTheGrammarAllowsAreAccepted() {
    for (String name : List.of("a", "0", "team-a/app", "a.b", "a_b", "a__b", "a---b", "a/b/c/d", "library/ubuntu")) {
      assertThat(new RepositoryName(name).value()).isEqualTo(name);
    }
  }

  @Property
  void orderingIsTheNamesTextOrder(@ForAll("validNames") String a, @ForAll("validNames") String b) {
    assertThat(Integer.signum(new RepositoryName(a).compareTo(new RepositoryName(b))))
        .isEqualTo(Integer.signum(a.compareTo(b)));
  }

  private static void assertRefused(String name) {
    assertThat(RepositoryName.isValid(name)).as("isValid(%s)", name).isFalse();
    assertThatThrownBy(() -> new RepositoryName(name))
        .as("name %s", name)
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(OciErrorCode.NAME_INVALID));
  }

  /** {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*}, at most 255 characters. */
  @Provide
  Arbitrary<String> validNames() {
    Arbitrary<String> alnum = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> separator = separators();
    Arbitrary<String> component = Combinators.combine(alnum, Combinators.combine(separator, alnum).as(String::concat).list().ofMaxSize(3))
        .as((head, tail) -> head + String.join("", tail));
    return component.list().ofMinSize(1).ofMaxSize(8).map(parts -> String.join("/", parts))
        .filter(name -> name.length() <= RepositoryName.MAX_LENGTH);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.oneOf(Arbitraries.of(".", "_", "__"), Arbitraries.strings().withChars('-').ofMinLength(1).ofMaxLength(4));
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.chars().filter(c -> !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '/' && c != '.'
        && c != '_' && c != '-');
  }
}
