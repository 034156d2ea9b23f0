package dev.meridian.agent.metrics;

import dev.meridian.agent.http.RequestListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** {@code meridian.http.requests}: a timer by method, route template and status (never the raw path). */
final class HttpMeters implements RequestListener {
  /** Methods a client may invent are folded into {@code OTHER}, so labels stay few. */
  private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS");

  private final MeterRegistry registry;

  HttpMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void answered(AnsweredRequest request) {
    Timer.builder("meridian.http.requests").description("HTTP requests answered")
        .tag("method", METHODS.contains(request.method()) ? request.method() : "OTHER").tag("route", request.route()).tag("status", String.valueOf(request.status()))
        .register(registry).record(request.duration());
  }
}
