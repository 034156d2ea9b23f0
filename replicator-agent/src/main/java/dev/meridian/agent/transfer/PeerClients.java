package dev.meridian.agent.transfer;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.http.HttpClient;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The clients of the regions a region may copy from, one per peer. */
public final class PeerClients implements AutoCloseable {
  private final Map<RegionId, PeerClient> clients;
  private final AutoCloseable resources;
  private final Runnable abortReads;

  private PeerClients(Map<RegionId, PeerClient> clients, AutoCloseable resources, Runnable abortReads) {
    this.clients = Map.copyOf(clients);
    this.resources = resources;
    this.abortReads = abortReads;
  }

  /** HTTP clients for every region of the fleet but {@code self}, sharing one connection pool. */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config) {
    return http(topology, self, config, Optional.empty());
  }

  /** As {@link #http(Topology, RegionId, TransferConfig)}, each request carrying {@code authorization} (the fleet credential). */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config, Optional<String> authorization) {
    HttpClient http = HttpPeerClient.newHttpClient(config);
    ReadTimeouts readTimeouts = new ReadTimeouts();
    Map<RegionId, PeerClient> clients = new LinkedHashMap<>();
    for (Region peer : topology.peersOf(self)) {
      clients.put(peer.id(), new HttpPeerClient(peer, http, config.readTimeout(), readTimeouts, authorization));
    }
    return new PeerClients(clients, readTimeouts, readTimeouts::abortAll);
  }

  /** Given clients (for tests, or peers reached another way). */
  public static PeerClients of(Collection<? extends PeerClient> clients) {
    Map<RegionId, PeerClient> byRegion = new LinkedHashMap<>();
    for (PeerClient client : clients) byRegion.put(client.region(), client);
    return new PeerClients(byRegion, () -> {}, () -> {});
  }

  public Optional<PeerClient> forRegion(RegionId region) {
    return Optional.ofNullable(clients.get(region));
  }

  /** Fails every body read in progress at once (a stopping worker); the clients stay usable. */
  public void abortReads() {
    abortReads.run();
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing peer clients", e);
    }
  }
}
