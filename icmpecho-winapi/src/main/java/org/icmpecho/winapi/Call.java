package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.icmpecho.EchoResult;
import org.icmpecho.IpOptions;

/**
 * One send function's call, validated: what it sends, where the reply goes and how its completion
 * is signaled; and the argument checks of all send functions, in Wine's order (which reproduces
 * Windows's results).
 */
final class Call {
  /**
   * A thread object that is never started: a segment accessible by it is accessible by any thread.
   */
  private static final Thread NOBODY = Thread.ofPlatform().unstarted(() -> {});

  boolean ipv6;
  MemorySegment reply; // cut to ReplySize
  byte[] sent;
  boolean hasOptions;
  int ttl; // 0..255
  int flags;
  IpOptions options = IpOptions.NONE; // IPv4 only
  int optionsStatus; // IP_BAD_OPTION or IP_OPTION_TOO_BIG for options that cannot go out, else 0
  int timeout;
  boolean async;
  boolean ownerWrites; // async into a confined buffer: only the issuing thread may write it
  EventObject event;
  MemorySegment apc;
  MemorySegment apcContext;
  Apcs.Queue issuer;

  /**
   * Delivers a completion: the event if there is one (the APC is then not called), else the APC.
   */
  void signal(int ntStatus, long information) {
    if (event != null) {
      event.set();
    } else if (apc != null) {
      issuer.add(new Apcs.Apc(apc, apcContext, ntStatus, information));
    }
  }

  /**
   * The engine's answer arrived (on the callback executor, or at once): fill the buffer and signal.
   * A confined buffer is filled later by its owner thread; its event is set now (the owner writes
   * before its wait returns), its APC is queued now, in completion order, and writes the buffer
   * just before it runs.
   */
  void complete(EchoResult result, Throwable failure) {
    int nt =
        failure == null ? NtStatus.STATUS_SUCCESS : IcmpApi.ntStatusOf(IcmpApi.errorOf(failure));
    if (!ownerWrites) {
      signal(nt, write(result, failure));
      return;
    }
    Apcs.OwnerWrite w =
        new Apcs.OwnerWrite(() -> reply.scope().isAlive() ? write(result, failure) : 0);
    issuer.addWrite(w);
    if (event != null) event.set();
    else issuer.add(new Apcs.Apc(apc, apcContext, nt, 0, w));
  }

  /**
   * Writes the outcome; returns the bytes written, 0 when the buffer's arena was closed meanwhile.
   */
  private long write(EchoResult result, Throwable failure) {
    try {
      if (failure != null) {
        return ipv6
            ? ReplyWriter.statusOnly6(reply, IpExport.IP_GENERAL_FAILURE)
            : ReplyWriter.statusOnly4(reply, IpExport.IP_GENERAL_FAILURE);
      }
      return ipv6 ? ReplyWriter.fill6(reply, sent, result) : ReplyWriter.fill4(reply, sent, result);
    } catch (IllegalStateException bufferGone) {
      return 0;
    }
  }

  /**
   * The checks shared by all send functions, in Wine's order (which reproduces Windows's results).
   */
  static Call validate(
      MemorySegment handle,
      MemorySegment event,
      MemorySegment apc,
      MemorySegment apcContext,
      MemorySegment data,
      int size,
      MemorySegment options,
      MemorySegment reply,
      int replySize,
      long structSize,
      boolean ipv6)
      throws Fail {
    if (!(Handles.get(handle) instanceof Handles.IcmpFile))
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    if (Native.isNull(reply) || !reply.isNative()) throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    long rs = Integer.toUnsignedLong(replySize);
    if (rs < structSize) throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    if (!reply.scope().isAlive()
        || rs > reply.byteSize()
        || !reply.isAccessibleBy(Thread.currentThread())) {
      throw new Fail(WinError.ERROR_NOACCESS);
    }
    if (Integer.compareUnsigned(size, IcmpApi.MAX_REQUEST_SIZE) > 0)
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    Call c = new Call();
    c.ipv6 = ipv6;
    c.reply = reply.asSlice(0, rs);
    c.sent = new byte[size];
    if (size > 0) {
      if (Native.isNull(data)) throw new Fail(WinError.ERROR_NOACCESS);
      try {
        MemorySegment.copy(data, JAVA_BYTE, 0, c.sent, 0, size);
      } catch (RuntimeException e) { // out of bounds, closed, or confined to another thread
        throw new Fail(WinError.ERROR_NOACCESS);
      }
    }
    if (!Native.isNull(options)) {
      MemorySegment o = struct(options, IP_OPTION_INFORMATION.sizeof());
      c.hasOptions = true;
      c.ttl = Byte.toUnsignedInt(IP_OPTION_INFORMATION.Ttl(o));
      c.flags = Byte.toUnsignedInt(IP_OPTION_INFORMATION.Flags(o));
      if (!ipv6)
        options(
            c,
            Byte.toUnsignedInt(IP_OPTION_INFORMATION.OptionsSize(o)),
            IP_OPTION_INFORMATION.OptionsData(o));
    }
    if (!Native.isNull(event)) {
      if (!(Handles.get(event) instanceof EventObject e))
        throw new Fail(WinError.ERROR_INVALID_PARAMETER);
      c.event = e;
    }
    if (!Native.isNull(apc)) {
      if (!apc.isNative()) throw new Fail(WinError.ERROR_INVALID_PARAMETER);
      if (!apc.scope().isAlive()) throw new Fail(WinError.ERROR_NOACCESS);
      if (!Native.isCallable(apc))
        throw new Fail(WinError.ERROR_INVALID_PARAMETER); // would crash the JVM later
      if (apcContext != null && !apcContext.isNative())
        throw new Fail(WinError.ERROR_INVALID_PARAMETER);
      c.apc = apc;
      c.apcContext = Native.opaque(apcContext);
    }
    c.async = c.event != null || c.apc != null;
    if (c.async) {
      c.ownerWrites =
          !reply.isAccessibleBy(NOBODY); // confined to this thread: it writes the buffer itself
      if (c.event == null || c.ownerWrites) c.issuer = Apcs.current();
    }
    return c;
  }

  /**
   * Reads {@code OptionsData[0..size)}: RFC 791 bytes, source routes with the full route (the
   * kernel pulls the first hop out, as Windows does). More than 40 bytes, or malformed ones, fail
   * later with their {@code IP_STATUS}.
   */
  private static void options(Call c, int size, MemorySegment data) throws Fail {
    if (size == 0) return;
    if (size > IpExport.MAX_OPT_SIZE) {
      c.optionsStatus = IpExport.IP_OPTION_TOO_BIG;
      return;
    }
    byte[] bytes = Native.readPointer(data, size);
    if (bytes == null) throw new Fail(WinError.ERROR_NOACCESS);
    try {
      c.options = IpOptions.of(bytes);
    } catch (IllegalArgumentException e) {
      c.optionsStatus = IpExport.IP_BAD_OPTION;
    }
  }

  /** Checks that a struct argument is whole and alive. */
  static void checkStruct(MemorySegment s, long size) throws Fail {
    if (!s.scope().isAlive() || s.byteSize() < size || !s.isAccessibleBy(Thread.currentThread())) {
      throw new Fail(WinError.ERROR_NOACCESS);
    }
  }

  /**
   * A struct argument, whole and alive, copied to aligned memory (it may be at any address, or on
   * the heap).
   */
  private static MemorySegment struct(MemorySegment s, long size) throws Fail {
    checkStruct(s, size);
    try {
      return Native.alignedCopy(s, size);
    } catch (RuntimeException e) {
      throw new Fail(WinError.ERROR_NOACCESS);
    }
  }

  /**
   * Reads a {@code sockaddr_in6}: its address, or null for {@code ::}. A NULL pointer is {@code ::}
   * when {@code nullIsAny}, else invalid.
   */
  static InetAddress sockaddr(MemorySegment sa, boolean nullIsAny) throws Fail {
    if (Native.isNull(sa)) {
      if (nullIsAny) return null;
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    }
    sa = struct(sa, sockaddr_in6.sizeof());
    int family = Short.toUnsignedInt(sockaddr_in6.sin6_family(sa));
    if (family != Ws2_32.AF_INET6 && family != 10 && family != 0)
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    byte[] addr = sockaddr_in6.sin6_addr(sa).toArray(JAVA_BYTE);
    boolean any = true;
    for (byte b : addr) any &= b == 0;
    if (any) return null;
    try {
      return Inet6Address.getByAddress(null, addr, sockaddr_in6.sin6_scope_id(sa));
    } catch (UnknownHostException e) {
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    }
  }

  /** True for an address this host may send from: a loopback address or one of an interface. */
  static boolean isLocal(InetAddress a) {
    if (a.isLoopbackAddress()) return true;
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
