/**
 * The icmpecho command line: {@code icmpecho ping}, {@code icmpecho sweep} and {@code icmpecho
 * trace}, built on the public API of {@code org.icmpecho} only.
 */
module org.icmpecho.cli {
  requires org.icmpecho.core;
  requires info.picocli;
  requires jdk.unsupported; // sun.misc.Signal: Ctrl-C prints the statistics, as ping and fping do

  opens org.icmpecho.cli to
      info.picocli;
}
