package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A region's transport and abuse settings: TLS of its HTTP listener, the CA bundle it trusts when it calls peers
 * over https, properties added to its Kafka clients (TLS, SASL), the per-client limits, and the fleet key that
 * signs its replication events (read from the data directory or the environment when not given).
 */
public record SecurityConfig(
    Optional<TlsFiles> tls, Optional<Path> trustedCa, Map<String, String> kafkaProperties, ClientLimits limits,
    Optional<FleetKey> fleetKey) {
  public SecurityConfig {
    requireNonNull(tls, "tls");
    requireNonNull(trustedCa, "trustedCa");
    kafkaProperties = Map.copyOf(kafkaProperties);
    requireNonNull(limits, "limits");
    requireNonNull(fleetKey, "fleetKey");
  }

  /** Plain http, the JDK's trusted CAs, no Kafka extras, default limits, the fleet key from the data directory. */
  public static SecurityConfig defaults() {
    return new SecurityConfig(Optional.empty(), Optional.empty(), Map.of(), ClientLimits.defaults(), Optional.empty());
  }

  public SecurityConfig withTls(TlsFiles files) {
    return new SecurityConfig(Optional.of(files), trustedCa, kafkaProperties, limits, fleetKey);
  }

  public SecurityConfig withTrustedCa(Path bundle) {
    return new SecurityConfig(tls, Optional.of(bundle), kafkaProperties, limits, fleetKey);
  }

  public SecurityConfig withKafkaProperties(Map<String, String> properties) {
    return new SecurityConfig(tls, trustedCa, properties, limits, fleetKey);
  }

  public SecurityConfig withLimits(ClientLimits clientLimits) {
    return new SecurityConfig(tls, trustedCa, kafkaProperties, clientLimits, fleetKey);
  }

  public SecurityConfig withFleetKey(FleetKey key) {
    return new SecurityConfig(tls, trustedCa, kafkaProperties, limits, Optional.of(key));
  }
}
