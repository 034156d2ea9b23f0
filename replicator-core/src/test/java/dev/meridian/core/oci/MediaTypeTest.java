package dev.meridian.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.RegistryException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MediaTypeTest {

  @Property
  void parametersAndSurroundingSpaceAreStripped(
      @ForAll("mediaTypes") String type, @ForAll("parameters") String parameters, @ForAll("spaces") String before,
      @ForAll("spaces") String after) {
    MediaType parsed = MediaType.parse(before + type + after + parameters);
    assertThat(parsed).isEqualTo(new MediaType(type));
    assertThat(parsed.value()).isEqualTo(type);
    assertThat(MediaType.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Example
  void realContentTypesParseToTheirType() {
    assertThat(MediaType.parse("application/vnd.oci.image.manifest.v1+json; charset=utf-8"))
        .isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(MediaType.parse("application/json;charset=UTF-8")).isEqualTo(MediaType.JSON);
    assertThat(MediaType.parse(" application/octet-stream ")).isEqualTo(MediaType.OCTET_STREAM);
  }

  @Example
  void malformedMediaTypesAreRefused() {
    for (String text : List.of("", " ", "application", "application/", "/json", "application/json/x", "a b/c",
        "application/js on", "+json/x", "application/" + "x".repeat(128), "x".repeat(128) + "/json", ";a=b",
        "application/jsön")) {
      assertThatThrownBy(() -> MediaType.parse(text)).as(text).isInstanceOf(RegistryException.class);
    }
    assertThatThrownBy(() -> MediaType.parse(null)).isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> new MediaType("application/json; charset=utf-8")).isInstanceOf(RegistryException.class);
  }

  @Example
  void exactlyTheFourManifestTypesAreManifestsAndTwoOfThemIndexes() {
    assertThat(List.of(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST,
        MediaType.DOCKER_MANIFEST_LIST)).allMatch(MediaType::isManifest);
    assertThat(List.of(MediaType.OCI_CONFIG, MediaType.OCI_EMPTY, MediaType.DOCKER_CONFIG, MediaType.JSON,
        MediaType.OCTET_STREAM)).noneMatch(MediaType::isManifest).noneMatch(MediaType::isIndex);
    assertThat(MediaType.OCI_INDEX.isIndex()).isTrue();
    assertThat(MediaType.DOCKER_MANIFEST_LIST.isIndex()).isTrue();
    assertThat(MediaType.OCI_MANIFEST.isIndex()).isFalse();
    assertThat(MediaType.DOCKER_MANIFEST.isIndex()).isFalse();
  }

  @Provide
  Arbitrary<String> mediaTypes() {
    Arbitrary<String> name = Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('!', '#', '$', '&', '^', '_', '.', '+', '-').ofMaxLength(126))
        .as(String::concat);
    return Combinators.combine(name, name).as((type, subtype) -> type + "/" + subtype);
  }

  @Provide
  Arbitrary<String> parameters() {
    Arbitrary<String> parameter = Arbitraries.of("charset=utf-8", "charset=\"UTF-8\"", "version=1", "q=0.9", "x=a;b", "");
    return parameter.list().ofMaxSize(3).map(list -> list.isEmpty() ? "" : ";" + String.join("; ", list));
  }

  @Provide
  Arbitrary<String> spaces() {
    return Arbitraries.strings().withChars(' ', '\t').ofMaxLength(3);
  }
}
