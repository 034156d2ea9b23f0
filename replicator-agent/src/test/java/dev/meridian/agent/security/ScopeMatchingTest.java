package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ScopeMatchingTest {
  @Test
  void oneStarCoversExactlyOneLevelBelowItsPrefix() {
    var pattern = new RepositoryPattern("team-a/*");
    assertThat(pattern.matches("team-a/app")).isTrue();
    assertThat(pattern.matches("team-a/x/app")).isFalse();
    assertThat(pattern.matches("team-a")).isFalse();
    assertThat(pattern.matches("team-ab/app")).isFalse();
    assertThat(pattern.matches("team-b/app")).isFalse();
  }

  @Test
  void twoStarsCoverAnyDepthBelowTheirPrefix() {
    var pattern = new RepositoryPattern("team-a/**");
    assertThat(pattern.matches("team-a/app")).isTrue();
    assertThat(pattern.matches("team-a/x/y/app")).isTrue();
    assertThat(pattern.matches("team-a")).isFalse();
    assertThat(pattern.matches("team-ab/app")).isFalse();
    assertThat(new RepositoryPattern("**").matches("any/thing/at/all")).isTrue();
    assertThat(new RepositoryPattern("*").matches("top")).isTrue();
    assertThat(new RepositoryPattern("*").matches("team/app")).isFalse();
  }

  @Test
  void anExactPatternCoversOnlyItsName() {
    var pattern = new RepositoryPattern("team-a/app");
    assertThat(pattern.matches("team-a/app")).isTrue();
    assertThat(pattern.matches("team-a/app2")).isFalse();
    assertThat(pattern.matches("team-a/app/sub")).isFalse();
  }

  @Test
  void malformedPatternsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> new RepositoryPattern("team-a/*/app")).hasMessageContaining("may only end it");
    assertThatThrownBy(() -> new RepositoryPattern("Team-A/*")).hasMessageContaining("name component");
    assertThatThrownBy(() -> new RepositoryPattern("team-a/ap*")).hasMessageContaining("name component");
    assertThatThrownBy(() -> new RepositoryPattern("")).hasMessageContaining("empty");
  }

  @Test
  void aScopeParsesIntoItsPatternAndActions() {
    var grant = ScopeGrant.parse("team-a/*:pull,push");
    assertThat(grant.pattern()).isEqualTo(new RepositoryPattern("team-a/*"));
    assertThat(grant.actions()).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
    assertThat(ScopeGrant.parse("team-a/**:*").actions()).containsExactlyInAnyOrder(Action.values());
    assertThat(ScopeGrant.parse("team-a/app:metadata-read").actions()).containsExactly(Action.METADATA_READ);
    assertThat(grant.toString()).isEqualTo("team-a/*:pull,push");
  }

  @Test
  void badScopesAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> ScopeGrant.parse("team-a/*")).hasMessageContaining("PATTERN:ACTION");
    assertThatThrownBy(() -> ScopeGrant.parse("team-a/*:pull,fly")).hasMessageContaining("unknown action 'fly'");
    assertThatThrownBy(() -> ScopeGrant.parse(":pull")).hasMessageContaining("PATTERN:ACTION");
  }

  @Test
  void aTokenForTeamAGrantsNothingOnTeamB() {
    var scopes = ScopeMap.of(List.of(ScopeGrant.parse("team-a/*:pull,push,delete")));
    assertThat(scopes.granted("team-a/app", Set.of(Action.PULL, Action.PUSH))).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
    assertThat(scopes.granted("team-b/app", Set.of(Action.PULL, Action.PUSH))).isEmpty();
    assertThat(scopes.allows("team-b/app", Action.PULL)).isFalse();
  }

  @Test
  void metadataReadIsGrantedForAPullRequestButPullIsNot() {
    var scopes = ScopeMap.of(List.of(ScopeGrant.parse("team-a/**:metadata-read")));
    assertThat(scopes.granted("team-a/app", Set.of(Action.PULL))).containsExactly(Action.METADATA_READ);
  }

  @Property
  void oneLevelMatchesExactlyWhenTheNameHasThePrefixAndOneMoreComponent(
      @ForAll("components") String prefix, @ForAll("paths") List<String> rest) {
    String name = prefix + "/" + String.join("/", rest);
    assertThat(new RepositoryPattern(prefix + "/*").matches(name)).isEqualTo(rest.size() == 1);
    assertThat(new RepositoryPattern(prefix + "/**").matches(name)).isTrue();
  }

  @Property
  void aPatternNeverMatchesAnotherPrefix(@ForAll("components") String prefix, @ForAll("components") String other,
      @ForAll("paths") List<String> rest) {
    String name = other + "/" + String.join("/", rest);
    boolean samePrefix = other.equals(prefix);
    assertThat(new RepositoryPattern(prefix + "/**").matches(name)).isEqualTo(samePrefix);
  }

  @Property
  void aGrantedSetIsAlwaysWithinTheRequest(@ForAll("components") String repo, @ForAll Set<Action> requested) {
    var scopes = ScopeMap.of(List.of(ScopeGrant.parse(repo + ":pull,push")));
    Set<Action> granted = scopes.granted(repo, requested);
    for (Action a : granted) {
      assertThat(requested.contains(a) || (a == Action.METADATA_READ && requested.contains(Action.PULL))).isTrue();
    }
  }

  @Provide
  Arbitrary<String> components() {
    return Arbitraries.strings().withCharRange('a', 'c').ofMinLength(1).ofMaxLength(3);
  }

  @Provide
  Arbitrary<List<String>> paths() {
    return components().list().ofMinSize(1).ofMaxSize(4);
  }
}
