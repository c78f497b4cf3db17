package org.icmpecho.winapi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.*;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * {@code ICMP_ECHO_REPLY} ({@code ipexport.h}), the 64-bit form: 40 bytes, the head of an IPv4
 * reply buffer. The buffer holds this struct, then the reply's IP options (zero-padded to a
 * multiple of 4), then the echoed data; {@code Data} and {@code Options.OptionsData} hold absolute
 * addresses into the buffer, as on Windows. After an asynchronous request {@code Reserved} holds
 * the number of replies until {@link IcmpApi#IcmpParseReplies} is called.
 *
 * <pre>{@code
 * MemorySegment reply = arena.allocate(ICMP_ECHO_REPLY.sizeof() + 32);
 * if (IcmpApi.IcmpSendEcho(h, Ws2_32.inet_addr("127.0.0.1"), data, 32, MemorySegment.NULL, reply, (int) reply.byteSize(), 1000) != 0) {
 *   int rtt = ICMP_ECHO_REPLY.RoundTripTime(reply);
 *   byte ttl = IP_OPTION_INFORMATION.Ttl(ICMP_ECHO_REPLY.Options(reply));
 * }
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class ICMP_ECHO_REPLY {
  private ICMP_ECHO_REPLY() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("Address"),
              JAVA_INT.withName("Status"),
              JAVA_INT.withName("RoundTripTime"),
              JAVA_SHORT.withName("DataSize"),
              JAVA_SHORT.withName("Reserved"),
              ADDRESS.withName("Data"),
              IP_OPTION_INFORMATION.layout().withName("Options"))
          .withName("icmp_echo_reply");

  /** The layout of {@code ICMP_ECHO_REPLY}: 40 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(ICMP_ECHO_REPLY)}: 40 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code ICMP_ECHO_REPLY} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code ICMP_ECHO_REPLY} with {@code allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code ICMP_ECHO_REPLY}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * ICMP_ECHO_REPLY} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code ICMP_ECHO_REPLY} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfInt Address$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Address"));
  private static final long Address$OFFSET = $LAYOUT.byteOffset(groupElement("Address"));

  /** The layout of {@code Address}. */
  public static ValueLayout.OfInt Address$layout() {
    return Address$LAYOUT;
  }

  /** The offset of {@code Address}: 0. */
  public static long Address$offset() {
    return Address$OFFSET;
  }

  /**
   * {@code Address} (offset 0): the replying host, an {@code IPAddr} in network order (see {@link
   * Ws2_32#inet_ntoa}).
   */
  public static int Address(MemorySegment struct) {
    return struct.get(Address$LAYOUT, Address$OFFSET);
  }

  /**
   * Sets {@code Address} (offset 0): the replying host, an {@code IPAddr} in network order (see
   * {@link Ws2_32#inet_ntoa}).
   */
  public static void Address(MemorySegment struct, int fieldValue) {
    struct.set(Address$LAYOUT, Address$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt Status$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Status"));
  private static final long Status$OFFSET = $LAYOUT.byteOffset(groupElement("Status"));

  /** The layout of {@code Status}. */
  public static ValueLayout.OfInt Status$layout() {
    return Status$LAYOUT;
  }

  /** The offset of {@code Status}: 4. */
  public static long Status$offset() {
    return Status$OFFSET;
  }

  /** {@code Status} (offset 4): the {@code IP_STATUS} of the reply ({@link IpExport}). */
  public static int Status(MemorySegment struct) {
    return struct.get(Status$LAYOUT, Status$OFFSET);
  }

  /** Sets {@code Status} (offset 4): the {@code IP_STATUS} of the reply ({@link IpExport}). */
  public static void Status(MemorySegment struct, int fieldValue) {
    struct.set(Status$LAYOUT, Status$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt RoundTripTime$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("RoundTripTime"));
  private static final long RoundTripTime$OFFSET =
      $LAYOUT.byteOffset(groupElement("RoundTripTime"));

  /** The layout of {@code RoundTripTime}. */
  public static ValueLayout.OfInt RoundTripTime$layout() {
    return RoundTripTime$LAYOUT;
  }

  /** The offset of {@code RoundTripTime}: 8. */
  public static long RoundTripTime$offset() {
    return RoundTripTime$OFFSET;
  }

  /** {@code RoundTripTime} (offset 8): the round-trip time in whole milliseconds (unsigned). */
  public static int RoundTripTime(MemorySegment struct) {
    return struct.get(RoundTripTime$LAYOUT, RoundTripTime$OFFSET);
  }

  /**
   * Sets {@code RoundTripTime} (offset 8): the round-trip time in whole milliseconds (unsigned).
   */
  public static void RoundTripTime(MemorySegment struct, int fieldValue) {
    struct.set(RoundTripTime$LAYOUT, RoundTripTime$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfShort DataSize$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("DataSize"));
  private static final long DataSize$OFFSET = $LAYOUT.byteOffset(groupElement("DataSize"));

  /** The layout of {@code DataSize}. */
  public static ValueLayout.OfShort DataSize$layout() {
    return DataSize$LAYOUT;
  }

  /** The offset of {@code DataSize}: 12. */
  public static long DataSize$offset() {
    return DataSize$OFFSET;
  }

  /** {@code DataSize} (offset 12): the number of echoed data bytes at {@code Data} (unsigned). */
  public static short DataSize(MemorySegment struct) {
    return struct.get(DataSize$LAYOUT, DataSize$OFFSET);
  }

  /**
   * Sets {@code DataSize} (offset 12): the number of echoed data bytes at {@code Data} (unsigned).
   */
  public static void DataSize(MemorySegment struct, short fieldValue) {
    struct.set(DataSize$LAYOUT, DataSize$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfShort Reserved$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("Reserved"));
  private static final long Reserved$OFFSET = $LAYOUT.byteOffset(groupElement("Reserved"));

  /** The layout of {@code Reserved}. */
  public static ValueLayout.OfShort Reserved$layout() {
    return Reserved$LAYOUT;
  }

  /** The offset of {@code Reserved}: 14. */
  public static long Reserved$offset() {
    return Reserved$OFFSET;
  }

  /**
   * {@code Reserved} (offset 14): the reply count until {@link IcmpApi#IcmpParseReplies} zeroes it.
   */
  public static short Reserved(MemorySegment struct) {
    return struct.get(Reserved$LAYOUT, Reserved$OFFSET);
  }

  /**
   * Sets {@code Reserved} (offset 14): the reply count until {@link IcmpApi#IcmpParseReplies}
   * zeroes it.
   */
  public static void Reserved(MemorySegment struct, short fieldValue) {
    struct.set(Reserved$LAYOUT, Reserved$OFFSET, fieldValue);
  }

  private static final AddressLayout Data$LAYOUT =
      (AddressLayout) $LAYOUT.select(groupElement("Data"));
  private static final long Data$OFFSET = $LAYOUT.byteOffset(groupElement("Data"));

  /** The layout of {@code Data}. */
  public static AddressLayout Data$layout() {
    return Data$LAYOUT;
  }

  /** The offset of {@code Data}: 16. */
  public static long Data$offset() {
    return Data$OFFSET;
  }

  /**
   * {@code Data} (offset 16), a zero-length segment at the address it holds: the echoed data,
   * inside the reply buffer.
   */
  public static MemorySegment Data(MemorySegment struct) {
    return struct.get(Data$LAYOUT, Data$OFFSET);
  }

  /**
   * Sets {@code Data} (offset 16) to the address of {@code fieldValue} (a native segment): the
   * echoed data, inside the reply buffer.
   */
  public static void Data(MemorySegment struct, MemorySegment fieldValue) {
    struct.set(Data$LAYOUT, Data$OFFSET, fieldValue);
  }

  private static final MemoryLayout Options$LAYOUT = $LAYOUT.select(groupElement("Options"));
  private static final long Options$OFFSET = $LAYOUT.byteOffset(groupElement("Options"));

  /** The layout of {@code Options}. */
  public static MemoryLayout Options$layout() {
    return Options$LAYOUT;
  }

  /** The offset of {@code Options}: 24. */
  public static long Options$offset() {
    return Options$OFFSET;
  }

  /**
   * {@code Options} (offset 24), a slice of {@code struct} (writes go through): the IP options of
   * the reply, an {@link IP_OPTION_INFORMATION}.
   */
  public static MemorySegment Options(MemorySegment struct) {
    return struct.asSlice(Options$OFFSET, Options$LAYOUT.byteSize());
  }

  /**
   * Copies {@code fieldValue} ({@code Options}'s size in bytes) into {@code Options} (offset 24):
   * the IP options of the reply, an {@link IP_OPTION_INFORMATION}.
   */
  public static void Options(MemorySegment struct, MemorySegment fieldValue) {
    MemorySegment.copy(fieldValue, 0L, struct, Options$OFFSET, Options$LAYOUT.byteSize());
  }
}
