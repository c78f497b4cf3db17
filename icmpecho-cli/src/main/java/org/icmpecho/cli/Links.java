package org.icmpecho.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code icmpecho install-links DIR}: symbolic links named {@code fping} and {@code ping} in DIR,
 * pointing at the launcher, which behaves as the tool it is called as (API-CONTRACT §3.1). Put DIR
 * ahead of /usr/bin on PATH.
 */
final class Links {
  static final List<String> NAMES = List.of("fping", "ping");

  private Links() {}

  static int install(List<String> args, PrintWriter out, PrintWriter err) {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      err.println(
          "usage: icmpecho install-links DIR   (links DIR/fping and DIR/ping to the launcher)");
      err.flush();
      return 2;
    }
    String launcher = System.getenv("ICMPECHO_LAUNCHER");
    if (launcher == null) {
      err.println(
          "icmpecho install-links: run it through the launcher (./icmpecho install-links DIR), or ln -s it yourself");
      err.flush();
      return 2;
    }
    Path dir = Path.of(args.get(0));
    try {
      Files.createDirectories(dir);
      for (String name : NAMES) {
        Path link = dir.resolve(name);
        if (Files.isSymbolicLink(link)) Files.delete(link);
        else if (Files.exists(link))
          throw new IOException(link + " exists and is not a link: left as it is");
        Files.createSymbolicLink(link, Path.of(launcher));
        out.println(link + " -> " + launcher);
      }
    } catch (IOException e) {
      err.println("icmpecho install-links: " + e.getMessage());
      err.flush();
      return 2;
    }
    out.flush();
    return 0;
  }
}
