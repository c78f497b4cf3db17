package org.icmpecho.internal.linux;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The C structs the engine exchanges with the kernel, declared once and named after their fields
 * (LP64 Linux). Network-order fields carry a big-endian layout. The sizes and offsets are checked
 * by {@code LayoutsTest}.
 */
public final class Layouts {
  private Layouts() {}

  static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  /** struct sockaddr_in: 16 bytes. */
  public static final StructLayout SOCKADDR_IN =
      structLayout(
          JAVA_SHORT.withName("sin_family"),
          NET_SHORT.withName("sin_port"),
          sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
          sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

  /** struct sockaddr_in6: 28 bytes. */
  public static final StructLayout SOCKADDR_IN6 =
      structLayout(
          JAVA_SHORT.withName("sin6_family"),
          NET_SHORT.withName("sin6_port"),
          JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin6_flowinfo"),
          sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
          JAVA_INT.withName("sin6_scope_id"));

  /** struct iovec: 16 bytes. */
  public static final StructLayout IOVEC =
      structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));

  /** struct msghdr: 56 bytes. */
  public static final StructLayout MSGHDR =
      structLayout(
          ADDRESS.withName("msg_name"),
          JAVA_INT.withName("msg_namelen"),
          paddingLayout(4),
          ADDRESS.withName("msg_iov"),
          JAVA_LONG.withName("msg_iovlen"),
          ADDRESS.withName("msg_control"),
          JAVA_LONG.withName("msg_controllen"),
          JAVA_INT.withName("msg_flags"),
          paddingLayout(4));

  /** struct mmsghdr (recvmmsg): 64 bytes. */
  public static final StructLayout MMSGHDR =
      structLayout(MSGHDR.withName("msg_hdr"), JAVA_INT.withName("msg_len"), paddingLayout(4));

  /** struct cmsghdr: 16 bytes; the data starts at {@link #CMSG_DATA_OFFSET}. */
  public static final StructLayout CMSGHDR =
      structLayout(
          JAVA_LONG.withName("cmsg_len"),
          JAVA_INT.withName("cmsg_level"),
          JAVA_INT.withName("cmsg_type"));

  /** struct sock_extended_err: 16 bytes, followed by the offender's sockaddr. */
  public static final StructLayout SOCK_EXTENDED_ERR =
      structLayout(
          JAVA_INT.withName("ee_errno"),
          JAVA_BYTE.withName("ee_origin"),
          JAVA_BYTE.withName("ee_type"),
          JAVA_BYTE.withName("ee_code"),
          JAVA_BYTE.withName("ee_pad"),
          JAVA_INT.withName("ee_info"),
          JAVA_INT.withName("ee_data"));

  /** struct timespec: 16 bytes. */
  public static final StructLayout TIMESPEC =
      structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

  /**
   * struct epoll_event: packed on x86-64 (12 bytes, data at 4), naturally aligned elsewhere (16
   * bytes, data at 8).
   */
  public static final StructLayout EPOLL_EVENT =
      isX86()
          ? structLayout(
              JAVA_INT_UNALIGNED.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
          : structLayout(JAVA_INT.withName("events"), paddingLayout(4), JAVA_LONG.withName("data"));

  /** struct __user_cap_header_struct (capget/capset): 8 bytes. */
  public static final StructLayout CAP_HEADER =
      structLayout(JAVA_INT.withName("version"), JAVA_INT.withName("pid"));

  /** struct __user_cap_data_struct (one of two for version 3): 12 bytes. */
  public static final StructLayout CAP_DATA =
      structLayout(
          JAVA_INT.withName("effective"),
          JAVA_INT.withName("permitted"),
          JAVA_INT.withName("inheritable"));

  public static final long CMSG_DATA_OFFSET = CMSGHDR.byteSize();
  public static final long EPOLL_DATA_OFFSET =
      EPOLL_EVENT.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("data"));

  /** CMSG_ALIGN: control message lengths round up to the size of a long. */
  public static long cmsgAlign(long len) {
    return (len + 7) & ~7L;
  }

  /** CMSG_SPACE(n). */
  public static long cmsgSpace(long dataLen) {
    return CMSG_DATA_OFFSET + cmsgAlign(dataLen);
  }

  /** CMSG_LEN(n). */
  public static long cmsgLen(long dataLen) {
    return CMSG_DATA_OFFSET + dataLen;
  }

  static boolean isX86() {
    String arch = System.getProperty("os.arch");
    return arch.equals("amd64") || arch.equals("x86_64");
  }
}
