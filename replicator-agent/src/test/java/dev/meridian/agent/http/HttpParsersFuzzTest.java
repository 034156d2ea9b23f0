package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.error.RegistryException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The pure parsers of the HTTP edge take whatever a client sends: they answer, or refuse with a
 * {@link RegistryException} (an OCI error), and never fail in any other way (which would be a 500).
 */
class HttpParsersFuzzTest {
  @Property(tries = 2000)
  void anyRequestTargetIsRoutedOrRefusedWithAnOciError(@ForAll("targets") String target) {
    try {
      Optional<RouteMatch> match = new Router().match(target);
      match.ifPresent(m -> assertThat(m.route()).isNotNull());
    } catch (RegistryException refused) {
      assertThat(refused.httpStatus()).isBetween(400, 499);
    }
  }

  @Property(tries = 2000)
  void anyRangeHeaderGivesARangeInsideTheBlobOrAnOciError(@ForAll("ranges") String header, @ForAll @LongRange(max = 1L << 40) long size) {
    try {
      ByteRanges.parseRange(header, size).ifPresent(r -> {
        assertThat(r.first()).isBetween(0L, size - 1);
        assertThat(r.last()).isBetween(r.first(), size - 1);
      });
    } catch (RegistryException refused) {
      assertThat(refused.httpStatus()).isEqualTo(416);
    }
  }

  @Property(tries = 2000)
  void anyContentRangeHeaderGivesAnOrderedRangeOrAnOciError(@ForAll("ranges") String header) {
    try {
      ByteRanges.Inclusive range = ByteRanges.parseContentRange(header);
      assertThat(range.first()).isNotNegative();
      assertThat(range.last()).isGreaterThanOrEqualTo(range.first());
    } catch (RegistryException refused) {
      assertThat(refused.httpStatus()).isIn(400, 416);
    }
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of("..", ".", "%2e%2e", "%2f", "%2F", "%00", "%", "%zz", "%c0%ae", "a", "team", "v2", "blobs", "uploads",
            "manifests", "tags", "list", "referrers", "_catalog", "sha256:" + "a".repeat(64), "", "~", "%252e"),
        Arbitraries.strings().withChars("a-z0-9._-/%").ofMaxLength(300));
    Arbitrary<String> path = segment.list().ofMaxSize(8).map(parts -> "/" + String.join("/", parts));
    Arbitrary<String> query = Arbitraries.strings().withChars("a-z0-9=&%+.:;").ofMaxLength(60);
    return Combinators.combine(Arbitraries.of("/v2", "", "/admin/v1", "http://evil", "//"), path, query, Arbitraries.of(true, false))
        .as((prefix, p, q, withQuery) -> prefix + p + (withQuery ? "?" + q : ""));
  }

  @Provide
  Arbitrary<String> ranges() {
    Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
        Arbitraries.strings().numeric().ofMaxLength(30), Arbitraries.of("", "-1", "+5", "0x10", " 7", "1e3"));
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("bytes=", "bytes ", "", "items=", "bytes=,"), number, number, Arbitraries.of("", "/100", "/*", "/x"))
            .as((unit, a, b, total) -> unit + a + "-" + b + total),
        Arbitraries.strings().ofMaxLength(60));
  }
}
