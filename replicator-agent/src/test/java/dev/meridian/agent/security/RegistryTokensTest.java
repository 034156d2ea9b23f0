package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryTokensTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final FleetKey KEY = FleetKey.ofHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  private static final List<TokenAccess> ACCESS = List.of(new TokenAccess("repository", "team-a/app", Set.of("pull", "push")));

  private static RegistryTokens at(Instant instant, FleetKey key) {
    return new RegistryTokens(key.tokenSigningKey(), "meridian", Duration.ofMinutes(5), Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void aMintedTokenVerifiesWithItsSubjectAndAccess() {
    String token = at(NOW, KEY).mint("ci", Principal.Kind.TOKEN, ACCESS);
    var claims = at(NOW.plusSeconds(60), KEY).verify(token).orElseThrow();
    assertThat(claims.subject()).isEqualTo("ci");
    assertThat(claims.kind()).isEqualTo(Principal.Kind.TOKEN);
    assertThat(claims.allows("repository", "team-a/app", "push")).isTrue();
    assertThat(claims.allows("repository", "team-a/app", "delete")).isFalse();
    assertThat(claims.allows("repository", "team-b/app", "pull")).isFalse();
  }

  @Test
  void anotherRegionWithTheSameFleetKeyAcceptsTheToken() {
    String token = at(NOW, KEY).mint("ci", Principal.Kind.TOKEN, ACCESS);
    assertThat(at(NOW, FleetKey.ofHex(KEY.hex())).verify(token)).isPresent();
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() {
    String token = at(NOW, FleetKey.generate()).mint("ci", Principal.Kind.TOKEN, ACCESS);
    assertThat(at(NOW, KEY).verify(token)).isEmpty();
  }

  @Test
  void anExpiredTokenIsRefusedOnceTheLeewayHasPassed() {
    String token = at(NOW, KEY).mint("ci", Principal.Kind.TOKEN, ACCESS);
    assertThat(at(NOW.plus(Duration.ofMinutes(5)).plusSeconds(10), KEY).verify(token)).isPresent();
    assertThat(at(NOW.plus(Duration.ofMinutes(5)).plusSeconds(31), KEY).verify(token)).isEmpty();
  }

  @Test
  void aTokenWhoseClaimsWereEditedIsRefused() {
    String token = at(NOW, KEY).mint("ci", Principal.Kind.TOKEN, ACCESS);
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("team-a/app", "team-b/app");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(at(NOW, KEY).verify(forged)).isEmpty();
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String token = at(NOW, KEY).mint("ci", Principal.Kind.TOKEN, ACCESS);
    String[] parts = token.split("\\.");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(at(NOW, KEY).verify(none + "." + parts[1] + ".")).isEmpty();
    assertThat(at(NOW, KEY).verify("not-a-token")).isEmpty();
    assertThat(at(NOW, KEY).verify("a.b.c")).isEmpty();
  }

  @Test
  void aTokenForAnotherServiceIsRefused() {
    String token = new RegistryTokens(KEY.tokenSigningKey(), "other", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC))
        .mint("ci", Principal.Kind.TOKEN, ACCESS);
    assertThat(at(NOW, KEY).verify(token)).isEmpty();
  }
}
