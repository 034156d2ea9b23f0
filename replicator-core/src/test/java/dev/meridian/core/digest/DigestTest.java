package dev.meridian.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.security.MessageDigest;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class DigestTest {
  private static final String SHA256_HEX = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Property
  void parseAndToStringRoundTrip(@ForAll("digestTexts") String text) {
    Digest digest = Digest.parse(text);
    assertThat(digest.toString()).isEqualTo(text);
    assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
    assertThat(new Digest(digest.algorithm(), digest.hex())).isEqualTo(digest);
  }

  @Property
  void digestOfBytesMatchesTheJdk(@ForAll byte[] bytes, @ForAll DigestAlgorithm algorithm) throws Exception {
    String jca = algorithm == DigestAlgorithm.SHA256 ? "SHA-256" : "SHA-512";
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(bytes));
    assertThat(Digest.of(algorithm, bytes)).hasToString(algorithm.id() + ":" + expected);
  }

  @Example
  void sha256OfTheEmptyJsonObjectIsTheWellKnownEmptyConfigDigest() {
    assertThat(Digest.sha256Of("{}".getBytes())).hasToString("sha256:" + SHA256_HEX);
  }

  @Property
  void upperCaseHexIsRefused(@ForAll("digestTexts") String text, @ForAll @IntRange(max = 127) int position) {
    int colon = text.indexOf(':');
    int at = colon + 1 + position % (text.length() - colon - 1);
    Assume.that(Character.isLetter(text.charAt(at)));
    String upper = text.substring(0, at) + Character.toUpperCase(text.charAt(at)) + text.substring(at + 1);
    assertRefused(upper);
  }

  @Property
  void hexOfTheWrongLengthIsRefused(@ForAll DigestAlgorithm algorithm, @ForAll @IntRange(max = 200) int length) {
    Assume.that(length != (algorithm == DigestAlgorithm.SHA256 ? 64 : 128));
    assertRefused(algorithm.id() + ":" + "a".repeat(length));
  }

  @Property
  void unknownAlgorithmsAreRefused(@ForAll("unknownAlgorithms") String algorithm, @ForAll @IntRange(min = 32, max = 128) int length) {
    assertRefused(algorithm + ":" + "0".repeat(length));
  }

  @Property
  void arbitraryTextIsEitherAValidDigestOrRefusedAsDigestInvalid(@ForAll @StringLength(max = 140) String text) {
    try {
      Digest digest = Digest.parse(text);
      assertThat(digest.toString()).isEqualTo(text);
      assertThat(text).matches("sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})");
    } catch (RegistryException e) {
      assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID);
    }
  }

  @Example
  void malformedTextsAreRefused() {
    for (String text : new String[] {
        "", ":", "sha256", "sha256:", SHA256_HEX, "sha256" + SHA256_HEX, ":" + SHA256_HEX,
        "sha256:../..", "sha256:../../etc/passwd", "sha256:" + SHA256_HEX + "/..", "../sha256:" + SHA256_HEX,
        "sha256:" + SHA256_HEX + "\n", " sha256:" + SHA256_HEX, "sha256: " + SHA256_HEX.substring(1),
        "sha256:" + SHA256_HEX + ":" + SHA256_HEX, "SHA256:" + SHA256_HEX, "sha256:" + SHA256_HEX.replace('a', 'g')}) {
      assertRefused(text);
    }
    assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(InvalidDigestException.class);
    assertThatThrownBy(() -> new Digest(DigestAlgorithm.SHA256, "../..")).isInstanceOf(InvalidDigestException.class);
    assertThatThrownBy(() -> new Digest(DigestAlgorithm.SHA512, SHA256_HEX)).isInstanceOf(InvalidDigestException.class);
  }

  @Example
  void refusalOfHugeTextKeepsItsDetailShort() {
    assertThatThrownBy(() -> Digest.parse("sha256:" + "a".repeat(100_000)))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.getMessage()).hasSizeLessThan(300);
          assertThat(e.httpStatus()).isEqualTo(400);
        });
  }

  @Property
  void orderingAgreesWithTextOrderAndEquality(@ForAll("digestTexts") String a, @ForAll("digestTexts") String b) {
    Digest x = Digest.parse(a);
    Digest y = Digest.parse(b);
    assertThat(Integer.signum(x.compareTo(y))).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(x.compareTo(y) == 0).isEqualTo(x.equals(y));
  }

  private static void assertRefused(String text) {
    assertThatThrownBy(() -> Digest.parse(text))
        .as("digest text %s", text)
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
  }

  @Provide
  Arbitrary<String> digestTexts() {
    Arbitrary<String> sha256 = Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> "sha256:" + HexFormat.of().formatHex(b));
    Arbitrary<String> sha512 = Arbitraries.bytes().array(byte[].class).ofSize(64).map(b -> "sha512:" + HexFormat.of().formatHex(b));
    return Arbitraries.oneOf(sha256, sha512);
  }

  @Provide
  Arbitrary<String> unknownAlgorithms() {
    return Arbitraries.oneOf(
        Arbitraries.of("md5", "sha1", "sha384", "sha224", "blake3", "SHA256", "Sha512", "sha256+b64u", "sha-256"),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
            .filter(s -> !s.equals("sha256") && !s.equals("sha512")));
  }
}
