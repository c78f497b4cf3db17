/**
 * icmpecho core: the ICMP echo engine and its idiomatic API ({@code org.icmpecho}). Everything
 * under {@code org.icmpecho.internal} is private to the project; the test lab gets it by a
 * qualified export.
 */
// "module": the test lab's module is not in this module's graph when it is compiled (it depends on
// this one).
@SuppressWarnings("module")
module org.icmpecho.core {
  exports org.icmpecho;
  exports org.icmpecho.internal.linux to
      org.icmpecho.testkit;
  // The bench's one hook: the transport seam (with its packet type) and InternalAccess to plug a
  // transport in.
  exports org.icmpecho.internal to
      org.icmpecho.testkit,
      org.icmpecho.bench;
  exports org.icmpecho.internal.packet to
      org.icmpecho.testkit,
      org.icmpecho.bench;
  exports org.icmpecho.internal.transport to
      org.icmpecho.testkit,
      org.icmpecho.bench;
}
