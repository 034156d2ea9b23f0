package dev.meridian.agent.http;

import dev.meridian.agent.security.AccessAudit;
import dev.meridian.agent.security.AccessDecision;
import dev.meridian.agent.security.AccessPolicy;
import dev.meridian.agent.security.AccessRequest;
import dev.meridian.agent.security.AccessRequest.Need;
import dev.meridian.agent.security.Action;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP side of access control: what each route needs ({@link #requestFor}), the policy's decision on the
 * request's {@code Authorization}, and its refusal in OCI form: {@code 401 UNAUTHORIZED} with a
 * {@code WWW-Authenticate} challenge (Bearer with the token endpoint as realm for {@code /v2}, Basic for
 * {@code /admin/v1}), or {@code 403 DENIED}. Probes, {@code /metrics} and the token endpoint are open.
 */
final class AccessGuard {
  private final AccessPolicy policy;
  private final AccessAudit audit;

  AccessGuard(AccessPolicy policy, AccessAudit audit) {
    this.policy = policy;
    this.audit = audit;
  }

  /** What {@code call} needs, or empty for an open route. */
  static Optional<AccessRequest> requestFor(Call call) {
    RouteMatch match = call.match;
    String method = call.method();
    List<Need> needs = new ArrayList<>();
    switch (match.route()) {
      case HEALTHZ, READYZ, METRICS, TOKEN -> {
        return Optional.empty();
      }
      case BASE -> needs.add(new AccessRequest.SignedInNeed());
      case CATALOG -> needs.add(new AccessRequest.CatalogNeed());
      case TAGS_LIST, REFERRERS -> needs.add(repo(match, Action.PULL, Action.METADATA_READ));
      case MANIFEST, BLOB -> needs.add(repo(match, switch (method) {
        case "PUT" -> Action.PUSH;
        case "DELETE" -> Action.DELETE;
        default -> Action.PULL;
      }));
      case UPLOAD_START -> {
        needs.add(repo(match, Action.PUSH));
        match.queryParam("mount").flatMap(m -> match.queryParam("from")).filter(from -> !from.isEmpty())
            .ifPresent(from -> needs.add(new AccessRequest.RepositoryNeed(from, Set.of(Action.PULL))));
      }
      case UPLOAD -> needs.add(repo(match, Action.PUSH));
      case ADMIN_REGION, ADMIN_REGIONS, ADMIN_MANIFEST_STATUS, ADMIN_REPLICATION_STATUS, ADMIN_TOKENS, ADMIN_TOKEN ->
          needs.add(new AccessRequest.AdminNeed());
    }
    boolean internal = call.header(Handlers.INTERNAL_HEADER).isPresent();
    return Optional.of(new AccessRequest(needs, internal));
  }

  private static Need repo(RouteMatch match, Action... anyOf) {
    return new AccessRequest.RepositoryNeed(match.requireName(), Set.of(anyOf));
  }

  /** Whether {@link #refusal} answers without hashing a password, so it may run on the event loop. */
  boolean isQuick(Call call) {
    return policy.isQuick(call.header(HttpHeaderNames.AUTHORIZATION));
  }

  /** The refusal for {@code call}, or empty when it may go on. */
  Optional<RegistryException> refusal(Call call) {
    Optional<AccessRequest> request = requestFor(call);
    if (request.isEmpty()) return Optional.empty();
    AccessDecision decision = policy.decide(request.get(), call.header(HttpHeaderNames.AUTHORIZATION));
    if (decision instanceof AccessDecision.Allowed) return Optional.empty();
    if (decision instanceof AccessDecision.Denied denied) {
      record(call, denied.principal().name(), 403, denied.message());
      return Optional.of(new RegistryException(OciErrorCode.DENIED, denied.message(), null, 403));
    }
    AccessDecision.Unauthorized unauthorized = (AccessDecision.Unauthorized) decision;
    if (unauthorized.credentialsRejected()) record(call, unauthorized.who(), 401, unauthorized.message());
    return Optional.of(new ChallengeException(unauthorized.message(), challenge(call, unauthorized.scopes())));
  }

  private String challenge(Call call, List<String> scopes) {
    if (call.match.route().template().startsWith("/admin/")) return "Basic realm=\"" + policy.service() + "\"";
    StringBuilder out = new StringBuilder("Bearer realm=\"").append(tokenRealm(call)).append("\",service=\"")
        .append(policy.service()).append('"');
    if (!scopes.isEmpty()) out.append(",scope=\"").append(String.join(" ", scopes)).append('"');
    return out.toString();
  }

  /** The token endpoint's URL as the client reached us: through the front door it is the front door's. */
  static String tokenRealm(Call call) {
    Optional<String> host = call.header("X-Forwarded-Host").or(() -> call.header(HttpHeaderNames.HOST));
    String authority = host.orElseGet(() -> {
      InetSocketAddress local = (InetSocketAddress) call.ctx.channel().localAddress();
      return local.getHostString() + ":" + local.getPort();
    });
    // The scheme the client used: https on a TLS listener, else what a proxy in front says, else http.
    String scheme = call.ctx.pipeline().get("tls") != null ? "https"
        : call.header("X-Forwarded-Proto").filter(p -> p.equals("https") || p.equals("http")).orElse("http");
    return scheme + "://" + authority + Route.TOKEN.template();
  }

  private void record(Call call, String who, int status, String reason) {
    String address = call.ctx.channel().remoteAddress() instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress() : String.valueOf(call.ctx.channel().remoteAddress());
    try {
      audit.refused(new AccessAudit.Refusal(who, address, call.method(), call.match.route().template(), call.match.name(), status, reason));
    } catch (RuntimeException ignored) {
      // auditing must never turn a refusal into a failure
    }
  }
}
