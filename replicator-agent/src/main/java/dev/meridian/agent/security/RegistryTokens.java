package dev.meridian.agent.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies registry tokens: compact JWTs signed with HMAC-SHA256 ({@code HS256}) under the fleet's
 * token key, holding only the access granted (the Docker token spec's {@code access} claim), valid for a
 * short while. Every region holds the same key, so a token minted by one is accepted by all.
 *
 * <p>Verification refuses any other algorithm (no {@code none}), a bad signature (compared in constant time),
 * another audience, and an expired or not-yet-valid token (with 30 s of leeway for clock skew).
 */
public final class RegistryTokens {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  static final String ISSUER = "meridian";
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  private final byte[] key;
  private final String service;
  private final Duration lifetime;
  private final Clock clock;

  public RegistryTokens(byte[] key, String service, Duration lifetime, Clock clock) {
    if (key.length < 16) throw new IllegalArgumentException("token key too short");
    if (lifetime.isNegative() || lifetime.isZero()) throw new IllegalArgumentException("token lifetime must be positive");
    this.key = key.clone();
    this.service = service;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public String service() {
    return service;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A signed token for {@code subject} granting {@code access}. */
  public String mint(String subject, Principal.Kind kind, List<TokenAccess> access) {
    Instant now = clock.instant();
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", service);
    claims.put("iat", now.getEpochSecond());
    claims.put("nbf", now.getEpochSecond());
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode entries = claims.putArray("access");
    for (TokenAccess a : access) {
      ObjectNode entry = entries.addObject();
      entry.put("type", a.type());
      entry.put("name", a.name());
      ArrayNode actions = entry.putArray("actions");
      a.actions().stream().sorted().forEach(actions::add);
    }
    String payload;
    try {
      payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    String signingInput = HEADER + "." + payload;
    return signingInput + "." + B64.encodeToString(sign(signingInput));
  }

  /** The claims of a valid token; empty for anything else (malformed, forged, expired, for another service). */
  public Optional<TokenClaims> verify(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) return Optional.empty();
    try {
      JsonNode header = JSON.readTree(B64D.decode(parts[0]));
      if (header == null || !"HS256".equals(header.path("alg").asText())) return Optional.empty();
      byte[] signature = B64D.decode(parts[2]);
      if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) return Optional.empty();
      JsonNode claims = JSON.readTree(B64D.decode(parts[1]));
      if (claims == null || !claims.isObject()) return Optional.empty();
      if (!ISSUER.equals(claims.path("iss").asText()) || !service.equals(claims.path("aud").asText())) return Optional.empty();
      Instant now = clock.instant();
      Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong(0));
      Instant notBefore = Instant.ofEpochSecond(claims.path("nbf").asLong(0));
      if (!now.isBefore(expires.plus(LEEWAY)) || now.plus(LEEWAY).isBefore(notBefore)) return Optional.empty();
      Principal.Kind kind = Principal.Kind.valueOf(claims.path("kind").asText("").toUpperCase(java.util.Locale.ROOT));
      List<TokenAccess> access = new ArrayList<>();
      for (JsonNode entry : claims.path("access")) {
        Set<String> actions = new HashSet<>();
        entry.path("actions").forEach(a -> actions.add(a.asText()));
        access.add(new TokenAccess(entry.path("type").asText(), entry.path("name").asText(), actions));
      }
      String subject = claims.path("sub").asText("");
      if (subject.isEmpty()) return Optional.empty();
      return Optional.of(new TokenClaims(subject, kind, access, expires));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // bad base64, bad JSON, unknown kind: not a token of ours
    }
  }

  private byte[] sign(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
