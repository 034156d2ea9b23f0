package dev.meridian.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Reference.DigestReference;
import dev.meridian.core.oci.Reference.TagReference;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ReferenceTest {

  @Property
  void aTagParsesToATagReferenceAndPrintsBack(@ForAll("tags") String tag) {
    Reference reference = Reference.parse(tag);
    assertThat(reference).isEqualTo(new TagReference(new Tag(tag)));
    assertThat(Reference.parse(reference.toString())).isEqualTo(reference);
  }

  @Property
  void aDigestParsesToADigestReferenceAndPrintsBack(@ForAll("digests") String digest) {
    Reference reference = Reference.parse(digest);
    assertThat(reference).isEqualTo(new DigestReference(Digest.parse(digest)));
    assertThat(reference).hasToString(digest);
  }

  @Property
  void textWithAColonThatIsNoValidDigestIsRefusedAsDigestInvalid(@ForAll("tags") String left, @ForAll("tags") String right) {
    assertThatThrownBy(() -> Reference.parse(left + ":" + right))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
  }

  @Example
  void emptyNullAndMalformedTagsAreRefused() {
    assertThatThrownBy(() -> Reference.parse("")).isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> Reference.parse(null)).isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> Reference.parse("../latest"))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.TAG_INVALID));
    assertThatThrownBy(() -> Reference.parse("v" .repeat(129)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.TAG_INVALID));
  }

  @Provide
  Arbitrary<String> tags() {
    return TagTest.validTags();
  }

  @Provide
  Arbitrary<String> digests() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> "sha256:" + HexFormat.of().formatHex(b)),
        Arbitraries.bytes().array(byte[].class).ofSize(64).map(b -> "sha512:" + HexFormat.of().formatHex(b)));
  }
}
