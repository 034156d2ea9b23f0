package dev.meridian.agent.security;

import dev.meridian.agent.security.AccessRequest.AdminNeed;
import dev.meridian.agent.security.AccessRequest.CatalogNeed;
import dev.meridian.agent.security.AccessRequest.Need;
import dev.meridian.agent.security.AccessRequest.RepositoryNeed;
import dev.meridian.agent.security.AccessRequest.SignedInNeed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who may do what, from the {@code Authorization} header alone: Basic credentials, a registry token
 * (Bearer), or nothing (anonymous, which may pull only where {@code anonymousPull} patterns allow). It also
 * issues tokens (the token endpoint), granting only what was asked and is allowed. No I/O beyond the
 * credential store's reads; Basic checks may hash (see {@link #isQuick}).
 *
 * <p>A token is checked against its subject as it stands now, so a deleted credential's tokens stop working
 * at once. A token lacking a scope its subject holds gets 401 (fetch another token); one whose subject may
 * not do it gets 403.
 */
public final class AccessPolicy {
  private final Authenticator authenticator;
  private final RegistryTokens tokens;
  private final ScopeMap anonymous;
  private final Clock clock;

  public AccessPolicy(Authenticator authenticator, RegistryTokens tokens, List<RepositoryPattern> anonymousPull, Clock clock) {
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.anonymous = ScopeMap.of(anonymousPull.stream()
        .map(p -> new ScopeGrant(p, Set.of(Action.PULL, Action.METADATA_READ))).toList());
    this.clock = clock;
  }

  public String service() {
    return tokens.service();
  }

  /** Whether deciding on this header is quick enough for an event loop (no password hashing). */
  public boolean isQuick(Optional<String> authorization) {
    Optional<String[]> basic = authorization.flatMap(AccessPolicy::basic);
    return basic.isEmpty() || authenticator.isQuick(basic.get()[0], basic.get()[1]);
  }

  public AccessDecision decide(AccessRequest request, Optional<String> authorization) {
    if (authorization.isEmpty() || authorization.get().isBlank()) {
      Principal nobody = Principal.anonymous(anonymous);
      // GET /v2/ answers 401 to anonymous callers even where anonymous pull is allowed: that challenge is how
      // clients learn where the token endpoint is (an anonymous token then serves the pull).
      boolean signInNeeded = request.needs().stream().anyMatch(n -> n instanceof SignedInNeed);
      if (!request.internal() && !signInNeeded && allowedBy(nobody.scopes(), request.needs())) return new AccessDecision.Allowed(nobody);
      return unauthorized("authentication required", request, false, Principal.ANONYMOUS_NAME);
    }
    String header = authorization.get().trim();
    String scheme = header.contains(" ") ? header.substring(0, header.indexOf(' ')).toLowerCase(Locale.ROOT) : "";
    if (scheme.equals("bearer")) return decideToken(request, header.substring(header.indexOf(' ') + 1).trim());
    Optional<String[]> basic = basic(header);
    if (basic.isEmpty()) return unauthorized("unsupported or malformed Authorization header", request, true, "unknown");
    Optional<Principal> principal = authenticator.authenticate(basic.get()[0], basic.get()[1]);
    if (principal.isEmpty()) return unauthorized("wrong username or password", request, true, basic.get()[0]);
    return judge(principal.get(), request);
  }

  private AccessDecision decideToken(AccessRequest request, String token) {
    Optional<TokenClaims> claims = tokens.verify(token);
    if (claims.isEmpty()) return unauthorized("invalid or expired token", request, true, "unknown");
    Optional<Principal> subject = authenticator.current(claims.get().subject(), claims.get().kind());
    if (claims.get().kind() == Principal.Kind.ANONYMOUS) subject = Optional.of(Principal.anonymous(anonymous));
    if (subject.isEmpty()) return unauthorized("the token's credential was revoked", request, true, claims.get().subject());
    Principal principal = subject.get();
    if (request.internal() && !principal.isFleet()) return deniedOrUnauthorized(principal, "internal requests need the fleet credential", request);
    for (Need need : request.needs()) {
      if (!tokenAllows(claims.get(), principal, need)) {
        if (allowedBy(principal.scopes(), List.of(need))) {
          return unauthorized("the token does not grant this: ask for a token with the scope in the challenge", request, false, principal.name());
        }
        return deniedOrUnauthorized(principal, describe(need), request);
      }
    }
    return new AccessDecision.Allowed(principal);
  }

  private static boolean tokenAllows(TokenClaims claims, Principal principal, Need need) {
    if (need instanceof RepositoryNeed r) {
      return r.anyOf().stream().anyMatch(a -> claims.allows(TokenAccess.REPOSITORY, r.repository(), a.wireName()))
          && principal.scopes().granted(r.repository(), r.anyOf()).stream().anyMatch(r.anyOf()::contains);
    }
    if (need instanceof CatalogNeed) {
      return claims.allows(TokenAccess.REGISTRY, TokenAccess.CATALOG, "*") && allowedBy(principal.scopes(), List.of(need));
    }
    return allowedBy(principal.scopes(), List.of(need)) && !principal.isAnonymous();
  }

  private AccessDecision judge(Principal principal, AccessRequest request) {
    if (request.internal() && !principal.isFleet()) {
      return new AccessDecision.Denied(principal, "internal requests need the fleet credential");
    }
    for (Need need : request.needs()) {
      if (!allowedBy(principal.scopes(), List.of(need))) return new AccessDecision.Denied(principal, describe(need));
    }
    return new AccessDecision.Allowed(principal);
  }

  private static boolean allowedBy(ScopeMap scopes, List<Need> needs) {
    for (Need need : needs) {
      boolean ok;
      if (need instanceof RepositoryNeed r) {
        ok = r.anyOf().stream().anyMatch(a -> scopes.allows(r.repository(), a));
      } else if (need instanceof CatalogNeed) {
        ok = scopes.allowsEverywhere(Action.PULL) || scopes.allowsEverywhere(Action.METADATA_READ);
      } else if (need instanceof AdminNeed) {
        ok = scopes.admin();
      } else {
        ok = need instanceof SignedInNeed && scopes != null;
      }
      if (!ok) return false;
    }
    return true;
  }

  private AccessDecision deniedOrUnauthorized(Principal principal, String message, AccessRequest request) {
    return principal.isAnonymous() ? unauthorized("authentication required", request, false, principal.name())
        : new AccessDecision.Denied(principal, message);
  }

  private static AccessDecision unauthorized(String message, AccessRequest request, boolean rejected, String who) {
    List<String> scopes = new ArrayList<>();
    for (Need need : request.needs()) {
      if (need instanceof RepositoryNeed r) scopes.add(r.scope());
      if (need instanceof CatalogNeed) scopes.add("registry:catalog:*");
    }
    return new AccessDecision.Unauthorized(message, scopes, rejected, who);
  }

  private static String describe(Need need) {
    if (need instanceof RepositoryNeed r) {
      return "not allowed to " + String.join(" or ", r.anyOf().stream().map(Action::wireName).sorted().toList()) + " " + r.repository();
    }
    if (need instanceof CatalogNeed) return "not allowed to list the catalog";
    if (need instanceof AdminNeed) return "the admin API needs the admin role";
    return "not allowed";
  }

  /**
   * The token endpoint: a token for whoever the header proves (anonymous without one) granting, of each
   * requested scope ({@code repository:NAME:ACTIONS} or {@code registry:catalog:*}), what they may do.
   */
  public TokenAnswer issue(Optional<String> authorization, List<String> scopes) {
    Principal principal;
    if (authorization.isEmpty() || authorization.get().isBlank()) {
      principal = Principal.anonymous(anonymous);
    } else {
      Optional<String[]> basic = basic(authorization.get().trim());
      if (basic.isEmpty()) return new TokenAnswer.Refused("the token endpoint takes Basic credentials", "unknown");
      Optional<Principal> proven = authenticator.authenticate(basic.get()[0], basic.get()[1]);
      if (proven.isEmpty()) return new TokenAnswer.Refused("wrong username or password", basic.get()[0]);
      principal = proven.get();
    }
    List<TokenAccess> access = new ArrayList<>();
    for (String scope : scopes) {
      for (String one : scope.trim().split("\\s+")) grant(principal, one).ifPresent(access::add);
    }
    String token = tokens.mint(principal.name(), principal.kind(), access);
    return new TokenAnswer.Issued(new IssuedToken(token, tokens.lifetime(), clock.instant(), principal));
  }

  private static Optional<TokenAccess> grant(Principal principal, String scope) {
    String[] parts = scope.split(":");
    if (parts.length < 3) return Optional.empty();
    String type = parts[0];
    String actions = parts[parts.length - 1];
    String name = scope.substring(type.length() + 1, scope.length() - actions.length() - 1);
    if (type.equals(TokenAccess.REGISTRY) && name.equals(TokenAccess.CATALOG)) {
      return allowedBy(principal.scopes(), List.of(new CatalogNeed()))
          ? Optional.of(new TokenAccess(type, name, Set.of("*"))) : Optional.empty();
    }
    if (!type.equals(TokenAccess.REPOSITORY)) return Optional.empty();
    try {
      new dev.meridian.core.oci.RepositoryName(name);
    } catch (RuntimeException invalid) {
      return Optional.empty();
    }
    Set<Action> granted = principal.scopes().granted(name, Action.parseAll(actions, true));
    if (granted.isEmpty()) return Optional.empty();
    return Optional.of(new TokenAccess(type, name, Set.copyOf(granted.stream().map(Action::wireName).toList())));
  }

  /** What the token endpoint answers. */
  public sealed interface TokenAnswer {
    record Issued(IssuedToken token) implements TokenAnswer {}

    record Refused(String message, String who) implements TokenAnswer {}
  }

  /** {@code [user, password]} of a Basic header, if it is one. */
  static Optional<String[]> basic(String header) {
    String trimmed = header.trim();
    if (trimmed.length() < 6 || !trimmed.substring(0, 6).equalsIgnoreCase("basic ")) return Optional.empty();
    try {
      String decoded = new String(Base64.getDecoder().decode(trimmed.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) return Optional.empty();
      return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
