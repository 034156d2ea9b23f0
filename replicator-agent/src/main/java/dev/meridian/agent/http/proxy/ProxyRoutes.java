package dev.meridian.agent.http.proxy;

import java.net.InetSocketAddress;

/**
 * Where the reverse proxy sends each request, and what it learns on the way. Implemented outside the HTTP
 * edge (no Netty types cross it); called on an event loop, so implementations must not block.
 */
public interface ProxyRoutes {
  /** The plan for one request, decided from its head alone: the body has not been read yet. */
  ProxyPlan plan(String method, String uri, InetSocketAddress client);

  /** A connection to {@code upstream} could not be opened: passive health checking. */
  void unreachable(String upstream);

  /** The {@code Location} header of a response from {@code upstream}, as the client should see it. */
  String rewriteLocation(String upstream, String uri, String location);
}
