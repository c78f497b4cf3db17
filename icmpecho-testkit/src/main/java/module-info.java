/**
 * icmpecho's test lab: network-namespace topologies as a JUnit 5 extension ({@link
 * org.icmpecho.testkit.NetNs}) and a scripted raw-socket ICMP responder ({@link
 * org.icmpecho.testkit.ScriptedResponder}). Needs {@code
 * --enable-native-access=org.icmpecho.testkit} on the module path (ALL-UNNAMED on the class path).
 */
module org.icmpecho.testkit {
  requires transitive org.icmpecho.core;
  requires transitive org.junit.jupiter.api;

  exports org.icmpecho.testkit;
}
