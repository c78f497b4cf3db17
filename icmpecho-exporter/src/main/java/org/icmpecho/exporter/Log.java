package org.icmpecho.exporter;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Log lines as the Prometheus exporters write them: logfmt ({@code ts=... level=info msg="..."
 * key=value}) or, with {@code --log.format=json}, one JSON object per line; on stderr, below {@code
 * --log.level} dropped.
 */
final class Log {
  enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  private final PrintWriter out;
  private final Level min;
  private final boolean json;

  Log(PrintWriter out, Level min, boolean json) {
    this.out = out;
    this.min = min;
    this.json = json;
  }

  void debug(String msg, Object... keyValues) {
    log(Level.DEBUG, msg, keyValues);
  }

  void info(String msg, Object... keyValues) {
    log(Level.INFO, msg, keyValues);
  }

  void warn(String msg, Object... keyValues) {
    log(Level.WARN, msg, keyValues);
  }

  void error(String msg, Object... keyValues) {
    log(Level.ERROR, msg, keyValues);
  }

  boolean enabled(Level level) {
    return level.compareTo(min) >= 0;
  }

  private void log(Level level, String msg, Object... kv) {
    if (!enabled(level)) return;
    StringBuilder sb = new StringBuilder(128);
    field(sb, "ts", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), true);
    field(sb, "level", level.name().toLowerCase(Locale.ROOT), false);
    field(sb, "msg", msg, false);
    for (int i = 0; i + 1 < kv.length; i += 2)
      field(sb, String.valueOf(kv[i]), String.valueOf(kv[i + 1]), false);
    if (json) sb.append('}');
    synchronized (out) {
      out.println(sb);
      out.flush();
    }
  }

  private void field(StringBuilder sb, String key, String value, boolean first) {
    if (json) {
      sb.append(first ? "{" : ",");
      quoteJson(sb, key);
      sb.append(':');
      quoteJson(sb, value);
      return;
    }
    if (!first) sb.append(' ');
    sb.append(key).append('=');
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c <= ' ' || c == '"' || c == '=' || c == '\\';
    }
    if (!quote) {
      sb.append(value);
      return;
    }
    quoteJson(
        sb, value); // logfmt's quoting is Go's strconv.Quote, which JSON escaping matches for text
  }

  private static void quoteJson(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
