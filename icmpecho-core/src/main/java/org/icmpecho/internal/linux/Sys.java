package org.icmpecho.internal.linux;

/** Linux constants (x86-64 / aarch64 values; they agree for everything here). */
public final class Sys {
  private Sys() {}

  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int IPPROTO_IP = 0;
  public static final int IPPROTO_ICMP = 1;
  public static final int IPPROTO_RAW = 255;
  public static final int IPPROTO_IPV6 = 41;
  public static final int IPPROTO_ICMPV6 = 58;

  public static final int SOL_SOCKET = 1;
  public static final int SOL_RAW = 255;
  public static final int SO_RCVBUF = 8;
  public static final int SO_SNDBUF = 7;
  public static final int SO_BINDTODEVICE = 25;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int SO_TIMESTAMPNS = 35;
  public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;

  /** {@code getsockopt}: the socket's memory counters, {@code u32[SK_MEMINFO_VARS]}. */
  public static final int SO_MEMINFO = 55;

  /** Index in {@link #SO_MEMINFO}'s array: packets dropped (full receive queue, filters). */
  public static final int SK_MEMINFO_DROPS = 8;

  public static final int IP_TOS = 1;
  public static final int IP_TTL = 2;

  /** Receive the reply's IPv4 options as a control message of this type. */
  public static final int IP_RECVOPTS = 6;

  /**
   * Send per-message IPv4 options as a control message of this type ({@code IP_OPTIONS} is refused
   * there).
   */
  public static final int IP_RETOPTS = 7;

  public static final int IP_HDRINCL = 3;
  public static final int IP_PKTINFO = 8;
  public static final int IP_MTU_DISCOVER = 10;
  public static final int IP_RECVERR = 11;
  public static final int IP_RECVTTL = 12;
  public static final int IP_RECVTOS = 13;
  public static final int IP_PMTUDISC_DONT = 0;
  public static final int IP_PMTUDISC_WANT = 1;
  public static final int IP_PMTUDISC_DO = 2;

  public static final int IPV6_UNICAST_HOPS = 16;
  public static final int IPV6_MTU_DISCOVER = 23;
  public static final int IPV6_RECVERR = 25;
  public static final int IPV6_RECVHOPLIMIT = 51;
  public static final int IPV6_HOPLIMIT = 52;
  public static final int IPV6_DONTFRAG = 62;
  public static final int IPV6_RECVTCLASS = 66;
  public static final int IPV6_TCLASS = 67;

  public static final int ICMP_FILTER = 1;
  public static final int ICMP6_FILTER = 1;

  public static final int MSG_CTRUNC = 0x8;
  public static final int MSG_TRUNC = 0x20;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int MSG_ERRQUEUE = 0x2000;

  public static final int SO_EE_ORIGIN_LOCAL = 1;
  public static final int SO_EE_ORIGIN_ICMP = 2;
  public static final int SO_EE_ORIGIN_ICMP6 = 3;

  public static final int EPOLLIN = 0x1;
  public static final int EPOLLERR = 0x8;
  public static final int EPOLL_CTL_ADD = 1;
  public static final int EPOLL_CTL_DEL = 2;
  public static final int EPOLL_CTL_MOD = 3;
  public static final int EPOLL_CLOEXEC = 0x80000;
  public static final int EFD_NONBLOCK = 0x800;
  public static final int EFD_CLOEXEC = 0x80000;

  public static final int O_RDONLY = 0;
  public static final int O_CLOEXEC = 0x80000;
  public static final int CLONE_NEWNET = 0x40000000;

  public static final int CLOCK_REALTIME = 0;
  public static final int CLOCK_MONOTONIC = 1;

  /** _LINUX_CAPABILITY_VERSION_3. */
  public static final int CAP_VERSION_3 = 0x20080522;

  public static final int CAP_NET_RAW = 13;
  public static final int CAP_SYS_ADMIN = 21;
}
