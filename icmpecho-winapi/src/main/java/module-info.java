/**
 * The Windows ICMP Helper API ({@code IcmpSendEcho} and friends), faithful in Java: the functions,
 * structs and constants of {@code icmpapi.h}, {@code ipexport.h} and the few {@code kernel32} /
 * {@code ws2_32} pieces they need, rendered as {@code jextract} would render them, over the engine
 * of {@code org.icmpecho.core}.
 *
 * <p>Reply buffers hold absolute addresses, so this module calls native code (an APC routine is
 * called through its address): run with {@code --enable-native-access=org.icmpecho.winapi} on the
 * module path, or {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
module org.icmpecho.winapi {
  requires org.icmpecho.core;

  exports org.icmpecho.winapi;
}
