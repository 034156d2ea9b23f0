package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.security.AccessRequest.AdminNeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private static final FleetKey KEY = FleetKey.generate();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  private final PasswordHasher hasher = new PasswordHasher(4);
  private final InMemoryCredentialStore store = new InMemoryCredentialStore();
  private AccessPolicy policy;

  @BeforeEach
  void setUp() {
    var authenticator = new Authenticator(hasher, hasher.hash("admin-secret"), KEY, store, clock);
    var tokens = new RegistryTokens(KEY.tokenSigningKey(), "meridian", Duration.ofMinutes(5), clock);
    policy = new AccessPolicy(authenticator, tokens, List.of(new RepositoryPattern("public/**")), clock);
    store.put(new Credential("ci", Credential.Kind.TOKEN, hasher.hash("ci-secret"),
        ScopeMap.of(List.of(ScopeGrant.parse("team-a/*:pull,push")))));
  }

  private static Optional<String> basic(String user, String password) {
    return Optional.of(FleetCredential.basic(user, password));
  }

  private String tokenFor(Optional<String> basic, String... scopes) {
    var answer = policy.issue(basic, List.of(scopes));
    assertThat(answer).isInstanceOf(AccessPolicy.TokenAnswer.Issued.class);
    return "Bearer " + ((AccessPolicy.TokenAnswer.Issued) answer).token().token();
  }

  @Test
  void noCredentialsAreAskedToAuthenticateWithTheScopeNeeded() {
    var decision = policy.decide(AccessRequest.repository("team-a/app", Action.PUSH), Optional.empty());
    assertThat(decision).isInstanceOfSatisfying(AccessDecision.Unauthorized.class, u -> {
      assertThat(u.scopes()).containsExactly("repository:team-a/app:pull,push");
      assertThat(u.credentialsRejected()).isFalse();
    });
  }

  @Test
  void anonymousPullIsAllowedOnlyWhereAPatternSaysSo() {
    assertThat(policy.decide(AccessRequest.repository("public/base/alpine", Action.PULL), Optional.empty()))
        .isInstanceOf(AccessDecision.Allowed.class);
    assertThat(policy.decide(AccessRequest.repository("public/base/alpine", Action.PUSH), Optional.empty()))
        .isInstanceOf(AccessDecision.Unauthorized.class);
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PULL), Optional.empty()))
        .isInstanceOf(AccessDecision.Unauthorized.class);
  }

  @Test
  void theBaseEndpointChallengesAnonymousCallersSoClientsLearnTheTokenEndpoint() {
    assertThat(policy.decide(AccessRequest.of(new AccessRequest.SignedInNeed()), Optional.empty()))
        .isInstanceOf(AccessDecision.Unauthorized.class);
    assertThat(policy.decide(AccessRequest.of(new AccessRequest.SignedInNeed()), basic("ci", "ci-secret")))
        .isInstanceOf(AccessDecision.Allowed.class);
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndMarkedAsRejected() {
    var decision = policy.decide(AccessRequest.repository("team-a/app", Action.PULL), basic("ci", "wrong"));
    assertThat(decision).isInstanceOfSatisfying(AccessDecision.Unauthorized.class, u -> assertThat(u.credentialsRejected()).isTrue());
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PULL), basic("nobody", "x")))
        .isInstanceOf(AccessDecision.Unauthorized.class);
  }

  @Test
  void basicCredentialsWithinScopeAreAllowedAndOutsideDenied() {
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PUSH), basic("ci", "ci-secret")))
        .isInstanceOf(AccessDecision.Allowed.class);
    assertThat(policy.decide(AccessRequest.repository("team-b/app", Action.PULL), basic("ci", "ci-secret")))
        .isInstanceOf(AccessDecision.Denied.class);
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.DELETE), basic("ci", "ci-secret")))
        .isInstanceOf(AccessDecision.Denied.class);
    assertThat(policy.decide(AccessRequest.of(new AdminNeed()), basic("ci", "ci-secret"))).isInstanceOf(AccessDecision.Denied.class);
    assertThat(policy.decide(AccessRequest.of(new AdminNeed()), basic("admin", "admin-secret"))).isInstanceOf(AccessDecision.Allowed.class);
  }

  @Test
  void aTokenHoldsOnlyTheScopeGrantedAndTeamBStaysOutOfReach() {
    String bearer = tokenFor(basic("ci", "ci-secret"), "repository:team-a/app:pull,push", "repository:team-b/app:pull,push");
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PUSH), Optional.of(bearer)))
        .isInstanceOf(AccessDecision.Allowed.class);
    assertThat(policy.decide(AccessRequest.repository("team-b/app", Action.PULL), Optional.of(bearer)))
        .isInstanceOf(AccessDecision.Denied.class);
    // in scope for the credential, but not asked for in this token: fetch another one
    assertThat(policy.decide(AccessRequest.repository("team-a/other", Action.PULL), Optional.of(bearer)))
        .isInstanceOf(AccessDecision.Unauthorized.class);
  }

  @Test
  void anExpiredTokenIsUnauthorized() {
    String bearer = tokenFor(basic("ci", "ci-secret"), "repository:team-a/app:pull");
    clock.advance(Duration.ofMinutes(6));
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PULL), Optional.of(bearer)))
        .isInstanceOfSatisfying(AccessDecision.Unauthorized.class, u -> assertThat(u.message()).contains("expired"));
  }

  @Test
  void aRevokedCredentialsTokensStopWorkingAtOnce() {
    String bearer = tokenFor(basic("ci", "ci-secret"), "repository:team-a/app:pull");
    store.delete("ci");
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PULL), Optional.of(bearer)))
        .isInstanceOfSatisfying(AccessDecision.Unauthorized.class, u -> assertThat(u.message()).contains("revoked"));
    assertThat(policy.decide(AccessRequest.repository("team-a/app", Action.PULL), basic("ci", "ci-secret")))
        .isInstanceOf(AccessDecision.Unauthorized.class);
  }

  @Test
  void theTokenEndpointRefusesWrongCredentials() {
    assertThat(policy.issue(basic("ci", "nope"), List.of("repository:team-a/app:pull"))).isInstanceOf(AccessPolicy.TokenAnswer.Refused.class);
  }

  @Test
  void onlyTheFleetCredentialMaySendInternalRequests() {
    var internal = AccessRequest.repository("team-a/app", Action.PULL).asInternal();
    assertThat(policy.decide(internal, Optional.of(FleetCredential.authorization(KEY)))).isInstanceOf(AccessDecision.Allowed.class);
    assertThat(policy.decide(internal, basic("admin", "admin-secret"))).isInstanceOf(AccessDecision.Denied.class);
    assertThat(policy.decide(internal, Optional.empty())).isInstanceOf(AccessDecision.Unauthorized.class);
    assertThat(policy.decide(internal, Optional.of(FleetCredential.authorization(FleetKey.generate()))))
        .isInstanceOf(AccessDecision.Unauthorized.class);
  }

  @Test
  void aSuccessfulBasicCheckIsRememberedSoTheNextOneIsQuick() {
    assertThat(policy.isQuick(basic("ci", "ci-secret"))).isFalse();
    policy.decide(AccessRequest.repository("team-a/app", Action.PULL), basic("ci", "ci-secret"));
    assertThat(policy.isQuick(basic("ci", "ci-secret"))).isTrue();
    assertThat(policy.isQuick(basic("ci", "other"))).isFalse();
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
