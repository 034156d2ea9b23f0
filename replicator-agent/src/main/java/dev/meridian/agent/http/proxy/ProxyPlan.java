package dev.meridian.agent.http.proxy;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.List;

/** What the proxy does with one request: forward it to the first reachable upstream, or refuse it. */
public sealed interface ProxyPlan {
  /**
   * Try {@code upstreams} in order; the next one is tried only when a connection to the previous could not be
   * opened (nothing was sent yet, so nothing is sent twice). When none connects, answer {@code whenUnreachable}.
   */
  record Forward(List<Upstream> upstreams, Refusal whenUnreachable) implements ProxyPlan {
    public Forward {
      upstreams = List.copyOf(upstreams);
      requireNonNull(whenUnreachable, "whenUnreachable");
    }
  }

  /** Answer at once without asking any upstream. */
  record Refuse(Refusal refusal) implements ProxyPlan {
    public Refuse {
      requireNonNull(refusal, "refusal");
    }
  }

  /** Answer at once, successfully, without asking any upstream (the front door's own admin API). */
  record Answer(int status, String contentType, byte[] body) implements ProxyPlan {
    public Answer {
      if (status < 200 || status > 299) throw new IllegalArgumentException("not a success status: " + status);
      requireNonNull(contentType, "contentType");
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /** One place a request may go, with the request target to send there. */
  record Upstream(String name, InetSocketAddress address, String uri) {
    public Upstream {
      requireNonNull(name, "name");
      requireNonNull(address, "address");
      requireNonNull(uri, "uri");
    }
  }

  /** An OCI error answer: {@code {"errors":[{"code":..,"message":..}]}} with this status. */
  record Refusal(int status, String code, String message) {
    public Refusal {
      if (status < 400 || status > 599) throw new IllegalArgumentException("not an error status: " + status);
      requireNonNull(code, "code");
      requireNonNull(message, "message");
    }
  }
}
