package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * One entry of a registry token's {@code access} claim, as the Docker token spec draws it:
 * {@code {"type":"repository","name":"team-a/app","actions":["pull","push"]}}, or
 * {@code {"type":"registry","name":"catalog","actions":["*"]}} for the catalog.
 */
public record TokenAccess(String type, String name, Set<String> actions) {
  public static final String REPOSITORY = "repository";
  public static final String REGISTRY = "registry";
  public static final String CATALOG = "catalog";

  public TokenAccess {
    requireNonNull(type, "type");
    requireNonNull(name, "name");
    actions = Set.copyOf(actions);
  }

  public boolean allows(String wantedType, String wantedName, String action) {
    return type.equals(wantedType) && name.equals(wantedName) && (actions.contains(action) || actions.contains("*"));
  }
}
