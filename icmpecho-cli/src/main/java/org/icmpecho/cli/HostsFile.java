package org.icmpecho.cli;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /etc/hosts}, read once, for the names the C library would answer from it.
 *
 * <p>Why: the C library reads the file from the top for every name it is asked, so N names from the
 * file cost N²/2 lines (4,096 names took ~0.6 s). Used only where the answer is the C library's
 * own: when {@code /etc/nsswitch.conf} consults {@code files} first for hosts, and for names whose
 * every line parses here; anything else goes to the system resolver as before. The addresses are
 * every matching line's (canonical name or alias, any case; glibc's {@code multi on}, its default
 * since 2.26), ordered as the JDK orders the C library's answer: IPv4 first unless {@code
 * java.net.preferIPv6Addresses} says otherwise.
 */
final class HostsFile {
  private static final Path HOSTS = Path.of("/etc/hosts");
  private static final Path NSSWITCH = Path.of("/etc/nsswitch.conf");

  /** Names whose lines did not all parse: the system resolver answers them. */
  private static final List<InetAddress> UNSURE = List.of();

  private final Map<String, List<InetAddress>> byName;

  private HostsFile(Map<String, List<InetAddress>> byName) {
    this.byName = byName;
  }

  /** The machine's hosts file, or null when the C library would not answer from it first. */
  static HostsFile system() {
    String prefer = System.getProperty("java.net.preferIPv6Addresses", "false");
    if (prefer.equals("system")) return null; // the C library's own order: ask it
    try {
      if (!filesFirst(Files.readAllLines(NSSWITCH, StandardCharsets.ISO_8859_1))) return null;
      return parse(
          Files.readAllLines(HOSTS, StandardCharsets.ISO_8859_1), prefer.equalsIgnoreCase("true"));
    } catch (IOException | RuntimeException e) {
      return null; // no file, unreadable: the system resolver decides as before
    }
  }

  /** True when the {@code hosts:} line of nsswitch.conf consults {@code files} first. */
  static boolean filesFirst(List<String> nsswitch) {
    for (String line : nsswitch) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (!l.startsWith("hosts:")) continue;
      String[] sources = l.substring(6).strip().split("\\s+", -1);
      return sources.length > 0 && sources[0].equals("files");
    }
    return false; // no hosts line: glibc's default order starts with dns
  }

  static HostsFile parse(List<String> lines, boolean v6First) {
    Map<String, List<InetAddress>> byName = new HashMap<>();
    for (String line : lines) {
      int hash = line.indexOf('#');
      String[] f = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+", -1);
      if (f.length < 2) continue;
      // a scope (fe80::1%eth0) is read by the C library its own way: those names stay with it
      InetAddress a = f[0].indexOf('%') >= 0 ? null : Addr.parse(f[0]);
      for (int i = 1; i < f.length; i++) {
        String name = f[i].toLowerCase(Locale.ROOT);
        List<InetAddress> known = byName.get(name);
        if (known == UNSURE) continue;
        if (a == null) {
          byName.put(name, UNSURE);
          continue;
        }
        if (known == null) {
          known = new ArrayList<>(1);
          byName.put(name, known);
        }
        if (!known.contains(a)) known.add(a);
      }
    }
    for (Map.Entry<String, List<InetAddress>> e : byName.entrySet()) {
      if (e.getValue() == UNSURE) continue;
      List<InetAddress> first = new ArrayList<>(), second = new ArrayList<>();
      for (InetAddress a : e.getValue())
        ((a instanceof Inet4Address) != v6First ? first : second).add(a);
      first.addAll(second);
      e.setValue(List.copyOf(first));
    }
    return new HostsFile(byName);
  }

  /** The addresses of {@code name} in the file, or null when the system resolver must answer. */
  List<InetAddress> lookup(String name) {
    List<InetAddress> all = byName.get(name.toLowerCase(Locale.ROOT));
    return all == null || all == UNSURE ? null : all;
  }
}
