package org.icmpecho.exporter;

/**
 * A configuration the exporter cannot run with, said in one line that names the file, the line and
 * the field, e.g. {@code smokeping.yml:7: targets[0].interval: invalid duration '1x': unknown unit
 * 'x'}.
 */
final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }

  static ConfigException at(String file, int line, String field, String message) {
    StringBuilder sb = new StringBuilder();
    if (file != null) sb.append(file);
    if (line > 0) sb.append(file != null ? ":" : "line ").append(line);
    if (!sb.isEmpty()) sb.append(": ");
    if (field != null && !field.isEmpty()) sb.append(field).append(": ");
    return new ConfigException(sb.append(message).toString());
  }
}
