package dev.meridian.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.security.AdminPassword;
import dev.meridian.agent.security.Credential;
import dev.meridian.agent.security.RegistrySecurity;
import dev.meridian.agent.security.ScopeGrant;
import dev.meridian.agent.security.ScopeMap;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/v1/tokens}: tokens (credentials for pipelines) bound to scope maps. {@code POST} with
 * {@code {"name":"ci","scopes":["team-a/*:pull,push"],"admin":false}} creates one and answers its password,
 * the only time it is ever shown (only its bcrypt hash is kept); {@code GET} lists them; {@code DELETE
 * /admin/v1/tokens/NAME} revokes one.
 */
final class CredentialHandler {
  private static final int MAX_BODY = 64 * 1024;

  private final RegistrySecurity security;

  CredentialHandler(RegistrySecurity security) {
    this.security = security;
  }

  Exchange exchange(Call call) {
    if (call.match.route() == Route.ADMIN_TOKENS && call.method().equals("POST")) {
      return BufferedExchange.upTo(call, MAX_BODY, badRequest("request body too large"), this::create);
    }
    return BufferedExchange.bodiless(call, body -> switch (call.match.route()) {
      case ADMIN_TOKENS -> json(HttpResponseStatus.OK, Map.of("tokens", security.credentials().list().stream().map(CredentialHandler::view).toList()));
      case ADMIN_TOKEN -> call.method().equals("DELETE") ? delete(call.match.requireParameter()) : one(call.match.requireParameter());
      default -> throw new IllegalStateException("not a token route: " + call.match.route());
    });
  }

  private Reply create(byte[] body) {
    JsonNode request;
    try {
      request = Responses.JSON.readTree(body);
    } catch (IOException e) {
      throw badRequest("the body is not JSON");
    }
    if (request == null || !request.isObject()) throw badRequest("expected a JSON object with name and scopes");
    String name = request.path("name").asText("");
    List<ScopeGrant> grants = new ArrayList<>();
    try {
      Credential.requireValidName(name);
      for (JsonNode scope : request.path("scopes")) grants.add(ScopeGrant.parse(scope.asText()));
    } catch (IllegalArgumentException e) {
      throw badRequest(e.getMessage());
    }
    boolean admin = request.path("admin").asBoolean(false);
    if (grants.isEmpty() && !admin) throw badRequest("a token needs at least one scope (PATTERN:ACTION[,ACTION...]) or the admin role");
    if (security.credentials().find(name).isPresent()) {
      throw new RegistryException(OciErrorCode.DENIED, "a credential named '" + name + "' exists: delete it first", name, 409);
    }
    String password = AdminPassword.random(32);
    Credential credential = new Credential(name, Credential.Kind.TOKEN, security.hasher().hash(password), new ScopeMap(grants, admin));
    security.credentials().put(credential);
    Map<String, Object> answer = view(credential);
    answer.put("password", password);
    return json(HttpResponseStatus.CREATED, answer);
  }

  private Reply one(String name) {
    return security.credentials().find(name).map(c -> json(HttpResponseStatus.OK, view(c)))
        .orElseThrow(() -> unknown(name));
  }

  private Reply delete(String name) {
    if (!security.credentials().delete(name)) throw unknown(name);
    return new Reply.Full(Responses.empty(HttpResponseStatus.ACCEPTED));
  }

  private static Map<String, Object> view(Credential credential) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", credential.name());
    out.put("kind", credential.kind().name().toLowerCase(java.util.Locale.ROOT));
    out.put("scopes", credential.scopes().grants().stream().map(ScopeGrant::toString).toList());
    out.put("admin", credential.scopes().admin());
    return out;
  }

  private static RegistryException unknown(String name) {
    return new RegistryException(OciErrorCode.NAME_UNKNOWN, "no token named '" + name + "'", name, 404);
  }

  private static RegistryException badRequest(String message) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, message, null, 400);
  }

  private static Reply json(HttpResponseStatus status, Object body) {
    return new Reply.Full(Responses.json(status, body));
  }
}
