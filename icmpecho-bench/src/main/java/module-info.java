/**
 * icmpecho's benchmarks: JMH micro-benchmarks and the Java driver of {@code bench/run}. Reads the
 * exported API and one declared internal hook: the transport seam ({@code
 * org.icmpecho.internal.transport} with its packet type, {@code org.icmpecho.internal.packet}) and
 * {@code InternalAccess} to plug a transport in, which core exports to this module by name. Runs
 * from the class path (JMH forks), where this descriptor only checks the compile.
 */
@SuppressWarnings("requires-automatic") // JMH ships no module descriptor
module org.icmpecho.bench {
  requires org.icmpecho.core;
  requires org.icmpecho.testkit; // bench/soak runs in the lab's namespaces
  requires jmh.core;
  requires java.management;
  requires jdk.management;
}
