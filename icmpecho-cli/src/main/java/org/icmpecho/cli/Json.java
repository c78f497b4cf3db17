package org.icmpecho.cli;

/**
 * A one-line JSON object writer for the {@code --json} output (JSON Lines): keys in insertion
 * order, strings escaped per RFC 8259, {@code null} for absent values. Not thread-safe; one
 * instance per line.
 *
 * <pre>{@code
 * String line = new Json().put("type", "reply").put("seq", 1).putNull("ttl").toString();
 * }</pre>
 */
final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder sb = new StringBuilder(160).append('{');

  Json put(String key, String value) {
    key(key);
    if (value == null) sb.append("null");
    else quote(sb, value);
    return this;
  }

  Json put(String key, long value) {
    key(key).append(value);
    return this;
  }

  Json put(String key, boolean value) {
    key(key).append(value);
    return this;
  }

  /** A finite double as a JSON number; NaN and infinities become {@code null}. */
  Json put(String key, double value) {
    key(key).append(Double.isFinite(value) ? Double.toString(value) : "null");
    return this;
  }

  /** A number already formatted as JSON (e.g. by {@link Fmt#jsonMs}), or {@code null}. */
  Json putRaw(String key, String number) {
    key(key).append(number == null ? "null" : number);
    return this;
  }

  Json putNull(String key) {
    key(key).append("null");
    return this;
  }

  private StringBuilder key(String key) {
    if (sb.length() > 1) sb.append(',');
    quote(sb, key);
    return sb.append(':');
  }

  @Override
  public String toString() {
    return sb + "}";
  }

  /**
   * Appends {@code s} as a JSON string: quotes, backslash and control characters escaped, lone
   * surrogates too.
   */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          boolean loneSurrogate =
              Character.isSurrogate(c)
                  && !(Character.isHighSurrogate(c)
                      && i + 1 < s.length()
                      && Character.isLowSurrogate(s.charAt(i + 1)))
                  && !(Character.isLowSurrogate(c)
                      && i > 0
                      && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || loneSurrogate) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 15])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
