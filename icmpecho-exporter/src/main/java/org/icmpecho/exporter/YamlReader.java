package org.icmpecho.exporter;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Typed reads over a YAML node tree (snakeyaml-engine's composed nodes keep their line), each
 * failing with a {@link ConfigException} that names the file, the line and the field.
 */
final class YamlReader {
  private final String file;

  /** Each mapping value's key node, so that an unknown key's error points at the key's own line. */
  private final IdentityHashMap<Node, Node> keyOf = new IdentityHashMap<>();

  YamlReader(String file) {
    this.file = file;
  }

  /** The document's root node, or empty for an empty document. */
  Optional<Node> root(String text) throws ConfigException {
    try {
      LoadSettings settings =
          LoadSettings.builder().setLabel(file == null ? "config" : file).build();
      return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
          .getSingleNode();
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw ConfigException.at(file, line, null, "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw ConfigException.at(file, 0, null, "not valid YAML: " + e.getMessage());
    }
  }

  Map<String, Node> mapping(Node node, String where) throws ConfigException {
    if (!(node instanceof MappingNode m))
      throw error(node, where.isEmpty() ? "top level" : where, "expected a mapping (key: value)");
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), where);
      if (out.put(key, t.getValueNode()) != null)
        throw error(t.getKeyNode(), join(where, key), "appears twice");
      keyOf.put(t.getValueNode(), t.getKeyNode());
    }
    return out;
  }

  void known(Map<String, Node> map, Set<String> allowed, String where) throws ConfigException {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw error(
            keyOf.getOrDefault(map.get(key), map.get(key)),
            join(where, key),
            "unknown field (expected one of "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  List<Node> sequence(Node node, String where) throws ConfigException {
    if (node instanceof SequenceNode s) return s.getValue();
    throw error(node, where, "expected a list");
  }

  String scalar(Node node, String where) throws ConfigException {
    if (node instanceof ScalarNode s) return s.getValue();
    throw error(node, where, "expected a single value");
  }

  String text(Node node, String where, String dflt) throws ConfigException {
    return node == null || isNull(node) ? dflt : scalar(node, where).trim();
  }

  int integer(Node node, String where, int dflt) throws ConfigException {
    return parsed(
        node, where, dflt, Integer::parseInt, (s, e) -> "'" + s + "' is not a whole number");
  }

  boolean bool(Node node, String where, boolean dflt) throws ConfigException {
    return parsed(
        node,
        where,
        dflt,
        s ->
            switch (s) {
              case "true", "True", "TRUE", "yes", "on" -> true;
              case "false", "False", "FALSE", "no", "off" -> false;
              default -> throw new IllegalArgumentException();
            },
        (s, e) -> "'" + s + "' is not true or false");
  }

  Duration duration(Node node, String where, Duration dflt) throws ConfigException {
    return parsed(node, where, dflt, GoDuration::parse, (s, e) -> e.getMessage());
  }

  /** An IP address literal, or null when absent or empty. */
  InetAddress address(Node node, String where) throws ConfigException {
    String s = text(node, where, "");
    return s.isEmpty()
        ? null
        : parsed(
            node, where, null, Addresses::literal, (v, e) -> "'" + v + "' is not an IP address");
  }

  /**
   * The node's text through {@code parse}, {@code dflt} when absent; a parse failure says {@code
   * why}.
   */
  private <T> T parsed(
      Node node,
      String where,
      T dflt,
      Function<String, T> parse,
      BiFunction<String, IllegalArgumentException, String> why)
      throws ConfigException {
    String s = text(node, where, null);
    if (s == null) return dflt;
    try {
      return parse.apply(s);
    } catch (IllegalArgumentException e) {
      throw error(node, where, why.apply(s, e));
    }
  }

  /** A file's text, or a one-line error. */
  static String readFile(Path path) throws ConfigException {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + e.getMessage());
    }
  }

  ConfigException error(Node node, String where, String message) {
    return ConfigException.at(file, line(node), where, message);
  }

  int line(Node node) {
    return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
  }

  static String join(String where, String key) {
    return where.isEmpty() ? key : where + "." + key;
  }
}
