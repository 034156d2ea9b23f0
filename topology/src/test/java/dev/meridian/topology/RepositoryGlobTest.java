package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.oci.RepositoryName;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryGlobTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
      "team-a/*,        team-a/app,         true",
      "team-a/*,        team-a/x/app,       false",
      "team-a/*,        team-a,             false",
      "team-a/*,        team-b/app,         false",
      "team-a/**,       team-a,             true",
      "team-a/**,       team-a/app,         true",
      "team-a/**,       team-a/x/y/app,     true",
      "team-a/**,       team-ab/app,        false",
      "team-a/**,       other/team-a/app,   false",
      "**,              anything,           true",
      "**,              a/b/c,              true",
      "*,               app,                true",
      "*,               a/app,              false",
      "**/app,          app,                true",
      "**/app,          x/y/app,            true",
      "**/app,          x/y/apps,           false",
      "a/**/b,          a/b,                true",
      "a/**/b,          a/x/y/b,            true",
      "a/**/b,          a/xb,               false",
      "a/**/**/b,       a/x/b,              true",
      "team-*,          team-a,             true",
      "team-*,          team-a/app,         false",
      "team-**,         team-a/x/app,       true",
      "team-**,         other,              false",
      "*-prod/*,        eu-prod/app,        true",
      "*-prod/*,        eu-dev/app,         false",
      "app?,            app1,               true",
      "app?,            app,                false",
      "a.b/c,           a.b/c,              true",
      "a.b/c,           axb/c,              false",
      "eu-only/app,     eu-only/app,        true",
      "eu-only/app,     eu-only/app2,       false",
  })
  void matchesByPathSegments(String pattern, String name, boolean matches) {
    assertThat(RepositoryGlob.parse(pattern).matches(name)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "''            | empty",
      "/team-a       | starts or ends with '/'",
      "team-a/       | starts or ends with '/'",
      "team-a//app   | empty segment",
      "team-a/***    | '***'",
      "Team-a/*      | lower case",
      "team a        | never appears",
      "team-a/[ab]   | never appears",
  })
  void badPatternsAreRefusedWithTheReason(String pattern, String reason) {
    assertThat(RepositoryGlob.problem(pattern)).hasValueSatisfying(p -> assertThat(p).contains(reason));
    assertThatThrownBy(() -> RepositoryGlob.parse(pattern)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  @Property
  void aNameMatchesItselfAndEveryGeneralisationOfItsSegments(@ForAll("names") List<String> segments, @ForAll("masks") List<Integer> mask) {
    String name = String.join("/", segments);
    assertThat(RepositoryName.isValid(name)).isTrue();
    assertThat(RepositoryGlob.parse(name).matches(name)).isTrue();
    // Replace some segments by * (one segment each) and, from some point on, the rest by **.
    List<String> pattern = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      int m = mask.get(i % mask.size());
      if (m == 2) {
        pattern.add("**");
        break;
      }
      pattern.add(m == 1 ? "*" : segments.get(i));
    }
    assertThat(RepositoryGlob.parse(String.join("/", pattern)).matches(name)).as("%s matches %s", pattern, name).isTrue();
  }

  @Property
  void aStarSegmentMatchesExactlyOneSegment(@ForAll("names") List<String> segments) {
    String name = String.join("/", segments);
    for (int stars = 1; stars <= 4; stars++) {
      String pattern = String.join("/", java.util.Collections.nCopies(stars, "*"));
      assertThat(RepositoryGlob.parse(pattern).matches(name)).as("%s vs %s", pattern, name).isEqualTo(stars == segments.size());
    }
  }

  @Property
  void aLiteralPatternMatchesOnlyTheSameName(@ForAll("names") List<String> a, @ForAll("names") List<String> b) {
    String left = String.join("/", a);
    String right = String.join("/", b);
    assertThat(RepositoryGlob.parse(left).matches(right)).isEqualTo(left.equals(right));
  }

  @Property
  void aTrailingDoubleStarMatchesThePrefixAndEverythingUnderItOnly(@ForAll("names") List<String> prefix, @ForAll("names") List<String> name) {
    String p = String.join("/", prefix);
    String n = String.join("/", name);
    boolean under = n.equals(p) || n.startsWith(p + "/");
    assertThat(RepositoryGlob.parse(p + "/**").matches(n)).isEqualTo(under);
  }

  @Provide
  Arbitrary<List<String>> names() {
    // A small alphabet so that shared prefixes and equal names come up often.
    Arbitrary<String> word = Arbitraries.of("a", "b", "app", "eu", "team-a", "x.y", "v1_2");
    return word.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Integer>> masks() {
    return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(4);
  }
}
