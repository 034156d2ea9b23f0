package dev.meridian.agent.transfer;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Topology;
import java.net.http.HttpClient;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The clients of the regions a region may copy from, one per peer. */
public final class PeerClients implements AutoCloseable {
  private final Map<RegionId, PeerClient> clients;
  private final java.util.function.Function<RegionId, Optional<PeerClient>> lookup;
  private final AutoCloseable resources;
  private final Runnable abortReads;
  private volatile boolean cutOff;

  private PeerClients(Map<RegionId, PeerClient> clients, AutoCloseable resources, Runnable abortReads) {
    this(clients, null, resources, abortReads);
  }

  private PeerClients(Map<RegionId, PeerClient> clients, java.util.function.Function<RegionId, Optional<PeerClient>> lookup,
      AutoCloseable resources, Runnable abortReads) {
    this.clients = Map.copyOf(clients);
    this.lookup = lookup != null ? lookup : id -> Optional.ofNullable(this.clients.get(id));
    this.resources = resources;
    this.abortReads = abortReads;
  }

  /** HTTP clients for every region of the fleet but {@code self}, sharing one connection pool. */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config) {
    return http(topology, self, config, HttpPeerClient.defaultTls(), Optional.empty());
  }

  /** As {@link #http(Topology, RegionId, TransferConfig)}, calling https peers with {@code tls}'s trust. */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config, javax.net.ssl.SSLContext tls) {
    return http(topology, self, config, tls, Optional.empty());
  }

  /** As {@link #http(Topology, RegionId, TransferConfig)}, each request carrying {@code authorization} (the fleet credential). */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config, Optional<String> authorization) {
    return http(topology, self, config, HttpPeerClient.defaultTls(), authorization);
  }

  /** With {@code tls}'s trust for https peers, and {@code authorization} (the fleet credential) on each request. */
  public static PeerClients http(Topology topology, RegionId self, TransferConfig config, javax.net.ssl.SSLContext tls,
      Optional<String> authorization) {
    HttpClient http = HttpPeerClient.newHttpClient(config, tls);
    ReadTimeouts readTimeouts = new ReadTimeouts();
    Map<RegionId, PeerClient> clients = new LinkedHashMap<>();
    for (Region peer : topology.peersOf(self)) {
      clients.put(peer.id(), new HttpPeerClient(peer, http, config.readTimeout(), readTimeouts, authorization));
    }
    return new PeerClients(clients, readTimeouts, readTimeouts::abortAll);
  }

  /**
   * HTTP clients for the regions of a changing fleet, made when first asked for and made again when a
   * region's URL changes; a region no longer in the fleet has none.
   */
  public static PeerClients http(LiveTopology fleet, RegionId self, TransferConfig config) {
    return http(fleet, self, config, HttpPeerClient.defaultTls());
  }

  /** As {@link #http(LiveTopology, RegionId, TransferConfig)}, calling https peers with {@code tls}'s trust. */
  public static PeerClients http(LiveTopology fleet, RegionId self, TransferConfig config, javax.net.ssl.SSLContext tls) {
    return http(fleet, self, config, tls, Optional.empty());
  }

  /** With {@code tls}'s trust for https peers, and {@code authorization} (the fleet credential) on each request. */
  public static PeerClients http(LiveTopology fleet, RegionId self, TransferConfig config, javax.net.ssl.SSLContext tls,
      Optional<String> authorization) {
    HttpClient http = HttpPeerClient.newHttpClient(config, tls);
    ReadTimeouts readTimeouts = new ReadTimeouts();
    Map<Region, PeerClient> made = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.function.Function<RegionId, Optional<PeerClient>> lookup = id -> id.equals(self) ? Optional.empty()
        : fleet.current().region(id).map(r -> made.computeIfAbsent(r, x -> new HttpPeerClient(x, http, config.readTimeout(), readTimeouts, authorization)));
    return new PeerClients(Map.of(), lookup, readTimeouts, readTimeouts::abortAll);
  }

  /** Given clients (for tests, or peers reached another way). */
  public static PeerClients of(Collection<? extends PeerClient> clients) {
    Map<RegionId, PeerClient> byRegion = new LinkedHashMap<>();
    for (PeerClient client : clients) byRegion.put(client.region(), client);
    return new PeerClients(byRegion, () -> {}, () -> {});
  }

  /** The client of {@code region}; none while {@link #cutOff cut off}, so transfers and read-through ask nobody. */
  public Optional<PeerClient> forRegion(RegionId region) {
    return cutOff ? Optional.empty() : lookup.apply(region);
  }

  /** Cuts this region off from its peers (a failover drill's isolation) or connects it again. */
  public void cutOff(boolean cut) {
    cutOff = cut;
    if (cut) abortReads.run();
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
