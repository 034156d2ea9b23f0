package dev.meridian.agent.http;

import dev.meridian.agent.registry.RegistryService;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /v2/} (the API version check), {@code /healthz} (the process answers) and {@code /readyz}. */
final class ProbeHandler {
  private final RegistryService service;
  private final BooleanSupplier serving;

  ProbeHandler(RegistryService service, BooleanSupplier serving) {
    this.service = service;
    this.serving = serving;
  }

  Exchange exchange(Call call) {
    return BufferedExchange.bodiless(call, body -> switch (call.match.route()) {
      case BASE -> new Reply.Full(Responses.json(HttpResponseStatus.OK, Map.of()));
      case HEALTHZ -> new Reply.Full(Responses.json(HttpResponseStatus.OK, Map.of("status", "alive")));
      default -> ready();
    });
  }

  private Reply ready() {
    boolean ready = serving.getAsBoolean() && service.ready();
    return new Reply.Full(Responses.json(
        ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        Map.of("status", ready ? "ready" : "not ready", "region", service.region().value())));
  }
}
