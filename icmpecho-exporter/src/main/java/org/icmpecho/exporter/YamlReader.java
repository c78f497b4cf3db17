package org.icmpecho.exporter;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Typed reads over a YAML node tree (snakeyaml-engine's composed nodes keep their line), each failing with a {@link
 * ConfigException} that names the file, the line and the field.
 */
final class YamlReader {
  private final String file;

  YamlReader(String file) {
    this.file = file;
  }

  /** The document's root node, or empty for an empty document. */
  Optional<Node> root(String text) throws ConfigException {
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(file == null ? "config" : file).build();
      return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw ConfigException.at(file, line, null, "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw ConfigException.at(file, 0, null, "not valid YAML: " + e.getMessage());
    }
  }

  Map<String, Node> mapping(Node node, String where) throws ConfigException {
    if (!(node instanceof MappingNode m)) throw error(node, where.isEmpty() ? "top level" : where, "expected a mapping (key: value)");
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = scalar(t.getKeyNode(), where);
      if (out.put(key, t.getValueNode()) != null) throw error(t.getKeyNode(), join(where, key), "appears twice");
    }
    return out;
  }

  void known(Map<String, Node> map, Set<String> allowed, String where) throws ConfigException {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw error(map.get(key), join(where, key), "unknown field (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
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
    String s = text(node, where, null);
    if (s == null) return dflt;
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw error(node, where, "'" + s + "' is not a whole number");
    }
  }

  boolean bool(Node node, String where, boolean dflt) throws ConfigException {
    String s = text(node, where, null);
    if (s == null) return dflt;
    return switch (s) {
      case "true", "True", "TRUE", "yes", "on" -> true;
      case "false", "False", "FALSE", "no", "off" -> false;
      default -> throw error(node, where, "'" + s + "' is not true or false");
    };
  }

  Duration duration(Node node, String where, Duration dflt) throws ConfigException {
    String s = text(node, where, null);
    if (s == null) return dflt;
    try {
      return GoDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw error(node, where, e.getMessage());
    }
  }

  InetAddress address(Node node, String where) throws ConfigException {
    String s = text(node, where, "");
    if (s.isEmpty()) return null;
    try {
      return Addresses.literal(s);
    } catch (IllegalArgumentException e) {
      throw error(node, where, "'" + s + "' is not an IP address");
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
