/**
 * icmpecho's Prometheus exporter ({@code icmpecho exporter}): smokeping_prober and
 * blackbox_exporter (ICMP) compatible, built on the engine's public API. The command is the only
 * public type.
 */
// the Prometheus client's jars and bcrypt name their modules in the manifest
@SuppressWarnings("requires-automatic")
module org.icmpecho.exporter {
  requires org.icmpecho.core;
  requires info.picocli;
  requires jdk.httpserver;
  requires jdk.unsupported; // sun.misc.Signal: SIGHUP reloads the config, as the Go exporters do
  requires io.prometheus.metrics.core;
  requires io.prometheus.metrics.model;
  requires io.prometheus.metrics.expositionformats; // protobuf, found by the text writers
  requires io.prometheus.metrics.config;
  requires io.prometheus.metrics.instrumentation.jvm;
  requires io.prometheus.writer.text;
  requires org.snakeyaml.engine;
  requires bcrypt;

  exports org.icmpecho.exporter;

  opens org.icmpecho.exporter to
      info.picocli;
}
