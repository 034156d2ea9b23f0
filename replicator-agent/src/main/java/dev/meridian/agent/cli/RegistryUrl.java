package dev.meridian.agent.cli;

import java.net.URI;
import picocli.CommandLine;

/** Checks a {@code --registry} URL up front, so a typo is a usage error (exit 2), not a connection error. */
final class RegistryUrl {
  private RegistryUrl() {}

  static String check(CommandLine.Model.CommandSpec spec, String url) {
    try {
      URI uri = URI.create(url);
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return url;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--registry '" + url + "' is not a URL like http://127.0.0.1:5001 (" + e.getMessage() + ")");
    }
  }
}
