package dev.meridian.agent.http;

import dev.meridian.agent.security.AccessAudit;
import dev.meridian.agent.security.AccessPolicy;
import dev.meridian.agent.security.FleetCredential;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry token endpoint ({@code /auth/token}), as docker, podman, skopeo and containerd speak it:
 * {@code GET ?service=meridian&scope=repository:NAME:pull,push} with Basic credentials (or none, for an
 * anonymous token), or containerd's {@code POST} form with {@code grant_type=password}. It answers
 * {@code {"token":..,"access_token":..,"expires_in":..,"issued_at":..}}; wrong credentials get 401.
 *
 * <p>See <a href="https://distribution.github.io/distribution/spec/auth/token/">the token authentication spec</a>.
 */
final class TokenHandler {
  private static final int MAX_FORM = 64 * 1024;

  private final AccessPolicy policy;
  private final AccessAudit audit;

  TokenHandler(AccessPolicy policy, AccessAudit audit) {
    this.policy = policy;
    this.audit = audit;
  }

  Exchange exchange(Call call) {
    if (call.method().equals("POST")) {
      return BufferedExchange.upTo(call, MAX_FORM, new RegistryException(OciErrorCode.UNSUPPORTED, "form too large", null, 413),
          body -> post(call, body));
    }
    return BufferedExchange.bodiless(call, body -> answer(call, call.header(HttpHeaderNames.AUTHORIZATION),
        call.match.query().getOrDefault("scope", List.of())));
  }

  private Reply post(Call call, byte[] body) {
    Map<String, List<String>> form = Router.parseQuery(new String(body, StandardCharsets.UTF_8));
    String grant = first(form, "grant_type").orElse("");
    if (!grant.equals("password")) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "unsupported grant_type '" + grant + "': use password, or GET", null, 400);
    }
    Optional<String> authorization = first(form, "username")
        .map(user -> FleetCredential.basic(user, first(form, "password").orElse("")));
    return answer(call, authorization, form.getOrDefault("scope", List.of()));
  }

  private Reply answer(Call call, Optional<String> authorization, List<String> scopes) {
    AccessPolicy.TokenAnswer answer = policy.issue(authorization, scopes);
    if (answer instanceof AccessPolicy.TokenAnswer.Refused refused) {
      String address = call.ctx.channel().remoteAddress() instanceof InetSocketAddress inet
          ? inet.getAddress().getHostAddress() : "unknown";
      audit.refused(new AccessAudit.Refusal(refused.who(), address, call.method(), Route.TOKEN.template(), Optional.empty(), 401,
          refused.message()));
      throw new ChallengeException(refused.message(), "Basic realm=\"" + policy.service() + "\"");
    }
    var issued = ((AccessPolicy.TokenAnswer.Issued) answer).token();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("token", issued.token());
    json.put("access_token", issued.token());
    json.put("expires_in", issued.expiresIn().toSeconds());
    json.put("issued_at", issued.issuedAt().toString());
    return new Reply.Full(Responses.json(HttpResponseStatus.OK, json));
  }

  private static Optional<String> first(Map<String, List<String>> form, String key) {
    List<String> values = form.getOrDefault(key, new ArrayList<>());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
