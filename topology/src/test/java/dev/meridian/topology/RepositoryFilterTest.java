package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.oci.RepositoryName;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RepositoryFilterTest {

  @Test
  void theDefaultFilterAdmitsEveryRepository() {
    assertThat(RepositoryFilter.ALL.admits(new RepositoryName("a"))).isTrue();
    assertThat(RepositoryFilter.ALL.admits("eu-only/x/y/app")).isTrue();
    assertThat(RepositoryFilter.ALL.isDefault()).isTrue();
    assertThat(RepositoryFilter.of(List.of("**"), List.of()).isDefault()).isTrue();
  }

  @Test
  void anExcludedNamespaceStaysOutAtAnyDepthAndNothingElseDoes() {
    RepositoryFilter outsideEu = RepositoryFilter.of(List.of("**"), List.of("eu-only/**"));
    assertThat(outsideEu.admits("eu-only/app")).isFalse();
    assertThat(outsideEu.admits("eu-only/x/app")).isFalse();
    assertThat(outsideEu.admits("eu-only")).isFalse();
    assertThat(outsideEu.admits("eu-only2/app")).isTrue();
    assertThat(outsideEu.admits("team-a/eu-only/app")).isTrue();
    assertThat(outsideEu.isDefault()).isFalse();
  }

  @Test
  void onlyIncludedRepositoriesAreAdmitted() {
    RepositoryFilter teams = RepositoryFilter.of(List.of("team-a/**", "team-b/*"), List.of());
    assertThat(teams.admits("team-a/x/app")).isTrue();
    assertThat(teams.admits("team-b/app")).isTrue();
    assertThat(teams.admits("team-b/x/app")).isFalse();
    assertThat(teams.admits("team-c/app")).isFalse();
  }

  @Test
  void excludeWinsOverInclude() {
    RepositoryFilter filter = RepositoryFilter.of(List.of("team-a/**"), List.of("team-a/secret/*"));
    assertThat(filter.admits("team-a/app")).isTrue();
    assertThat(filter.admits("team-a/secret/app")).isFalse();
  }

  @Test
  void anEmptyIncludeOrABadPatternIsRefused() {
    assertThatThrownBy(() -> RepositoryFilter.of(List.of(), List.of())).hasMessageContaining("admit nothing");
    assertThatThrownBy(() -> RepositoryFilter.of(List.of("**"), List.of("EU/**"))).hasMessageContaining("lower case");
  }

  /** The definition: admitted when some include matches and no exclude does. */
  @Property
  void admitsExactlyWhatSomeIncludeAndNoExcludeMatches(
      @ForAll("patterns") List<String> include, @ForAll("patterns") List<String> exclude, @ForAll("names") String name) {
    if (include.isEmpty()) include = List.of("**");
    RepositoryFilter filter = RepositoryFilter.of(include, exclude);
    boolean included = include.stream().anyMatch(p -> RepositoryGlob.parse(p).matches(name));
    boolean excluded = exclude.stream().anyMatch(p -> RepositoryGlob.parse(p).matches(name));
    assertThat(filter.admits(name)).isEqualTo(included && !excluded);
    assertThat(filter.admits(new RepositoryName(name))).isEqualTo(included && !excluded); // the shortcut for '**'
    // Excluding what is included removes it, whatever else the filter says.
    assertThat(RepositoryFilter.of(include, List.of(name)).admits(name)).isFalse();
  }

  @Provide
  Arbitrary<List<String>> patterns() {
    return Arbitraries.of("**", "*", "eu-only/**", "team-a/*", "team-*", "**/app", "a/**/b", "app?").list().ofMaxSize(3).uniqueElements();
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("app", "eu-only", "eu-only/app", "team-a/app", "team-a/x/app", "team-b", "a/b", "a/x/b", "apps", "x/app");
  }
}
