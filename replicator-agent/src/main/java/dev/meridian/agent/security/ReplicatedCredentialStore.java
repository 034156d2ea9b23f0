package dev.meridian.agent.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Credentials kept as registers of the region's state (column family {@code credentials}): a put or a
 * delete is a register write stamped with this region's HLC, so through the outbox it becomes a
 * {@code credential.put} or {@code credential.delete} event and every region converges on the same
 * credentials, the latest write winning. The register's value is
 * {@code {"kind":"token","hash":"$2a$...","scopes":["team-a/*:pull"],"admin":false}}: the hash replicates,
 * never the password. A deletion is a tombstone, so a revoked token stays revoked whatever order events
 * arrive in.
 */
public final class ReplicatedCredentialStore implements CredentialStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryState state;
  private final Hlc hlc;
  private final RegionId self;

  /** @param state the state every local write goes through (with the outbox, for a fleet member) */
  public ReplicatedCredentialStore(RegistryState state, Hlc hlc, RegionId self) {
    this.state = state;
    this.hlc = hlc;
    this.self = self;
  }

  @Override
  public Optional<Credential> find(String name) {
    return state.findCredential(name).flatMap(ReplicatedCredentialStore::decode);
  }

  @Override
  public List<Credential> list() {
    List<Credential> credentials = new ArrayList<>();
    for (CredentialRecord record : state.listCredentials()) decode(record).ifPresent(credentials::add);
    return credentials;
  }

  @Override
  public void put(Credential credential) {
    write(credential.name(), Optional.of(encode(credential)));
  }

  @Override
  public boolean delete(String name) {
    if (find(name).isEmpty()) return false;
    write(name, Optional.empty());
    return true;
  }

  private void write(String name, Optional<String> value) {
    state.apply(StateBatch.of(new StateWrite.PutCredential(new CredentialRecord(name, value, new Stamp(hlc.tick(), self)))));
  }

  static String encode(Credential credential) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", credential.kind().name().toLowerCase(Locale.ROOT));
    node.put("hash", credential.passwordHash());
    credential.scopes().grants().forEach(g -> node.withArray("scopes").add(g.toString()));
    if (credential.scopes().grants().isEmpty()) node.putArray("scopes");
    node.put("admin", credential.scopes().admin());
    return node.toString();
  }

  /** The credential a live register holds; empty for a tombstone or a value this version cannot read. */
  static Optional<Credential> decode(CredentialRecord record) {
    if (record.value().isEmpty()) return Optional.empty();
    try {
      JsonNode node = JSON.readTree(record.value().get());
      List<ScopeGrant> grants = new ArrayList<>();
      for (JsonNode scope : node.path("scopes")) grants.add(ScopeGrant.parse(scope.asText()));
      Credential.Kind kind = Credential.Kind.valueOf(node.path("kind").asText("").toUpperCase(Locale.ROOT));
      return Optional.of(new Credential(record.name(), kind, node.path("hash").asText(""),
          new ScopeMap(grants, node.path("admin").asBoolean(false))));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // unreadable: it grants nothing
    }
  }
}
