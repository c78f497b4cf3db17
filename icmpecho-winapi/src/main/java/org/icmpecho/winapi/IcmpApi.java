package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IcmpSaturatedException;
import org.icmpecho.IcmpUnsupportedException;
import org.icmpecho.PathMtuDiscovery;

/**
 * The functions of {@code icmpapi.h}, with the Windows names, parameter order and behaviour (Vista
 * and later): create a handle, send echoes synchronously or asynchronously, parse the replies. See
 * {@code ICMPAPI.md} for the behaviour and the module README for the choices this layer made where
 * Windows leaves them open.
 *
 * <p>A handle is only a token: every echo of every handle goes through one process-wide {@code
 * org.icmpecho.IcmpClient}, created on the first send. One handle carries any number of concurrent
 * requests from any number of threads; closing it does not cancel outstanding requests.
 *
 * <p><b>Memory.</b> The layer never reads or writes outside a segment: a {@code RequestSize} beyond
 * {@code RequestData.byteSize()}, a {@code ReplySize} beyond {@code ReplyBuffer.byteSize()}, a
 * struct argument shorter than its struct, or a segment whose arena is closed gives 0 and {@link
 * WinError#ERROR_NOACCESS}. A reply buffer must be native memory (it receives absolute pointers
 * into itself): a heap segment gives 0 and {@link WinError#ERROR_INVALID_PARAMETER}. Struct
 * arguments ({@code sockaddr_in6}, {@code IP_OPTION_INFORMATION}) may be at any address, native or
 * heap. An asynchronous reply buffer of a confined arena (the natural C-style port) is written by
 * its owner thread, the caller, before any of the layer's waits or {@link #IcmpParseReplies} return
 * on that thread, and before an APC runs; if the arena is closed first, nothing is written. The
 * request data and options are read before the function returns.
 *
 * <pre>{@code
 * MemorySegment h = IcmpApi.IcmpCreateFile();
 * try (Arena arena = Arena.ofConfined()) {
 *   MemorySegment data = arena.allocateFrom("Data Buffer");
 *   MemorySegment reply = arena.allocate(ICMP_ECHO_REPLY.sizeof() + data.byteSize());
 *   int n = IcmpApi.IcmpSendEcho(h, Ws2_32.inet_addr("127.0.0.1"), data, (int) data.byteSize(),
 *       MemorySegment.NULL, reply, (int) reply.byteSize(), 1000);
 *   if (n == 0) System.out.println("error " + Kernel32.GetLastError());
 * }
 * IcmpApi.IcmpCloseHandle(h);
 * }</pre>
 */
public final class IcmpApi {
  private IcmpApi() {}

  /** The largest {@code RequestSize} (the Windows {@code ping} limit). */
  static final int MAX_REQUEST_SIZE = 65500;

  // ------------------------------------------------------------------------------------------------- handles

  /**
   * Opens a handle for IPv4 echo requests. It never fails: the sockets are opened by the first
   * send, so a missing privilege shows there ({@link WinError#ERROR_ACCESS_DENIED}), as in Wine.
   *
   * @return a handle, never {@link Kernel32#INVALID_HANDLE_VALUE}
   */
  public static MemorySegment IcmpCreateFile() {
    return Handles.add(new Handles.IcmpFile(false));
  }

  /**
   * Opens a handle for IPv6 echo requests; see {@link #IcmpCreateFile()}. Both kinds of handle are
   * accepted by all send functions, as in Wine.
   */
  public static MemorySegment Icmp6CreateFile() {
    return Handles.add(new Handles.IcmpFile(true));
  }

  /**
   * Closes an ICMP handle. Outstanding requests are not cancelled: their replies, events and APCs
   * are still delivered.
   *
   * @return TRUE; FALSE with {@link WinError#ERROR_INVALID_HANDLE} for NULL, {@link
   *     Kernel32#INVALID_HANDLE_VALUE}, a closed handle or one that is not an ICMP handle
   */
  public static boolean IcmpCloseHandle(MemorySegment IcmpHandle) {
    if (Handles.remove(IcmpHandle, Handles.IcmpFile.class) == null) {
      Kernel32.SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------------- IPv4

  /**
   * Sends an IPv4 echo request and waits for the reply or the timeout.
   *
   * @param IcmpHandle a handle from {@link #IcmpCreateFile()}
   * @param DestinationAddress the target, an {@code IPAddr} (see {@link Ws2_32#inet_addr})
   * @param RequestData the payload (NULL allowed when {@code RequestSize} is 0)
   * @param RequestSize the payload size, 0..65500
   * @param RequestOptions NULL or an {@link IP_OPTION_INFORMATION}: {@code Ttl} (0 = default) and
   *     the {@link IpExport#IP_FLAG_DF} bit are used
   * @param ReplyBuffer native memory for an {@link ICMP_ECHO_REPLY} followed by the echoed data
   * @param ReplySize the bytes of {@code ReplyBuffer} to use, at least {@code
   *     sizeof(ICMP_ECHO_REPLY)} (40); the data fits when it is at least 40 + {@code RequestSize}
   * @param Timeout milliseconds to wait, unsigned (-1 is 4294967295 ms)
   * @return the number of replies (1): {@code Status} says whether it is an echo reply or an ICMP
   *     error answer (TTL expired, unreachable ...), {@code Address} who sent it, and the last
   *     error is 0. 0 on failure with the last error set: an {@code IP_STATUS} ({@link
   *     IpExport#IP_REQ_TIMED_OUT}, {@link IpExport#IP_GENERAL_FAILURE} when the reply did not fit
   *     ...) also stored in the reply's {@code Status}, or a Win32 error ({@link WinError}) for a
   *     call rejected before sending
   */
  public static int IcmpSendEcho(
      MemorySegment IcmpHandle,
      int DestinationAddress,
      MemorySegment RequestData,
      int RequestSize,
      MemorySegment RequestOptions,
      MemorySegment ReplyBuffer,
      int ReplySize,
      int Timeout) {
    return send4(
        null,
        null,
        null,
        IcmpHandle,
        0,
        DestinationAddress,
        RequestData,
        RequestSize,
        RequestOptions,
        ReplyBuffer,
        ReplySize,
        Timeout);
  }

  /**
   * Sends an IPv4 echo request, synchronously when {@code Event} and {@code ApcRoutine} are both
   * NULL (then exactly as {@link #IcmpSendEcho}), else asynchronously.
   *
   * <p>Asynchronously it returns 0 with last error {@link WinError#ERROR_IO_PENDING} once the
   * request is under way. On completion the reply buffer is filled ({@code Reserved} holds the
   * reply count until {@link #IcmpParseReplies}; 0 for a status-only reply), then {@code Event} is
   * signaled if given (the APC is then not called), else {@code ApcRoutine(ApcContext,
   * IoStatusBlock, 0)} is queued to the calling thread and runs in one of its alertable waits;
   * {@code IoStatusBlock} holds {@link NtStatus#STATUS_SUCCESS} (timeouts and ICMP errors included)
   * and the bytes written. A call rejected before sending returns 0 with its error at once and
   * signals nothing.
   *
   * @param Event NULL or an event handle ({@link Kernel32#CreateEventW})
   * @param ApcRoutine NULL or a {@link PIO_APC_ROUTINE}
   * @param ApcContext passed to the APC routine as is
   * @return see {@link #IcmpSendEcho} (synchronous), or 0 with {@code ERROR_IO_PENDING}
   *     (asynchronous)
   */
  public static int IcmpSendEcho2(
      MemorySegment IcmpHandle,
      MemorySegment Event,
      MemorySegment ApcRoutine,
      MemorySegment ApcContext,
      int DestinationAddress,
      MemorySegment RequestData,
      int RequestSize,
      MemorySegment RequestOptions,
      MemorySegment ReplyBuffer,
      int ReplySize,
      int Timeout) {
    return send4(
        Event,
        ApcRoutine,
        ApcContext,
        IcmpHandle,
        0,
        DestinationAddress,
        RequestData,
        RequestSize,
        RequestOptions,
        ReplyBuffer,
        ReplySize,
        Timeout);
  }

  /**
   * {@link #IcmpSendEcho2} from a given source address.
   *
   * @param SourceAddress the local address to send from, an {@code IPAddr}; 0 for any. One that is
   *     not an address of this host gives 0 and {@link WinError#ERROR_INVALID_NETNAME} at once,
   *     before anything is sent
   */
  public static int IcmpSendEcho2Ex(
      MemorySegment IcmpHandle,
      MemorySegment Event,
      MemorySegment ApcRoutine,
      MemorySegment ApcContext,
      int SourceAddress,
      int DestinationAddress,
      MemorySegment RequestData,
      int RequestSize,
      MemorySegment RequestOptions,
      MemorySegment ReplyBuffer,
      int ReplySize,
      int Timeout) {
    return send4(
        Event,
        ApcRoutine,
        ApcContext,
        IcmpHandle,
        SourceAddress,
        DestinationAddress,
        RequestData,
        RequestSize,
        RequestOptions,
        ReplyBuffer,
        ReplySize,
        Timeout);
  }

  // ------------------------------------------------------------------------------------------------- IPv6

  /**
   * Sends an IPv6 echo request, synchronously or asynchronously as {@link #IcmpSendEcho2}.
   *
   * <p>Synchronously it returns what {@link #Icmp6ParseReplies} would: 1 when the reply's {@code
   * Status} is {@link IpExport#IP_SUCCESS} or {@link IpExport#IP_HOP_LIMIT_EXCEEDED} (last error
   * 0), else 0 with the last error set to the status; the buffer holds an {@link ICMPV6_ECHO_REPLY}
   * (status, replying host or reporting router) and the echoed data at offset 36. {@code
   * RequestOptions} with {@code Ttl} 0 fails: synchronously 0 and {@link
   * IpExport#IP_GENERAL_FAILURE}; asynchronously a completion with {@link
   * NtStatus#STATUS_INVALID_PARAMETER} and {@code Status} 11050.
   *
   * @param SourceAddress NULL or a {@link sockaddr_in6}; {@code ::} for any; not local → {@link
   *     WinError#ERROR_INVALID_NETNAME}
   * @param DestinationAddress a {@link sockaddr_in6}; {@code ::} → {@link
   *     WinError#ERROR_INVALID_NETNAME}
   * @param ReplySize at least {@code sizeof(ICMPV6_ECHO_REPLY)} (36); the data fits with 36 +
   *     {@code RequestSize}
   * @return see above, or 0 with {@link WinError#ERROR_IO_PENDING} (asynchronous)
   */
  public static int Icmp6SendEcho2(
      MemorySegment IcmpHandle,
      MemorySegment Event,
      MemorySegment ApcRoutine,
      MemorySegment ApcContext,
      MemorySegment SourceAddress,
      MemorySegment DestinationAddress,
      MemorySegment RequestData,
      int RequestSize,
      MemorySegment RequestOptions,
      MemorySegment ReplyBuffer,
      int ReplySize,
      int Timeout) {
    try {
      Call c =
          Call.validate(
              IcmpHandle,
              Event,
              ApcRoutine,
              ApcContext,
              RequestData,
              RequestSize,
              RequestOptions,
              ReplyBuffer,
              ReplySize,
              ReplyWriter.S6,
              true);
      c.timeout = Timeout;
      InetAddress dst = Call.sockaddr(DestinationAddress, false);
      if (dst == null) throw new Fail(WinError.ERROR_INVALID_NETNAME);
      InetAddress src = Call.sockaddr(SourceAddress, true);
      if (src != null && !Call.isLocal(src)) throw new Fail(WinError.ERROR_INVALID_NETNAME);
      if (c.hasOptions && c.ttl == 0)
        return refuse(c, IpExport.IP_GENERAL_FAILURE); // as Windows, after accepting
      return send(c, dst, src, StandardProtocolFamily.INET6);
    } catch (Fail f) {
      Kernel32.SetLastError(f.error);
      return 0;
    }
  }

  // ------------------------------------------------------------------------------------------------- parse

  /**
   * Returns the number of replies in a buffer filled by an asynchronous IPv4 request, and zeroes
   * that count ({@code Reserved}). When it is 0 the last error is set to the reply's {@code Status}
   * (even 0); otherwise the last error is left alone. {@code Status} is never changed. Call it
   * once, and not after a synchronous call (which has parsed the buffer already).
   *
   * @param ReplyBuffer the reply buffer (at least 40 bytes)
   * @param ReplySize its size; 0 returns 0
   * @return the count; 0 with {@link WinError#ERROR_INVALID_PARAMETER} for a NULL buffer, a heap
   *     segment or size 0, with {@link WinError#ERROR_NOACCESS} for a buffer shorter than the
   *     struct or closed
   */
  public static int IcmpParseReplies(MemorySegment ReplyBuffer, int ReplySize) {
    Apcs.flushWrites(Apcs.current()); // this thread's confined reply buffers are written first
    if (Native.isNull(ReplyBuffer) || !ReplyBuffer.isNative() || ReplySize == 0) {
      Kernel32.SetLastError(WinError.ERROR_INVALID_PARAMETER);
      return 0;
    }
    try {
      Call.checkStruct(ReplyBuffer, ReplyWriter.S4);
      return parse4(ReplyBuffer);
    } catch (Fail f) {
      Kernel32.SetLastError(f.error);
      return 0;
    }
  }

  /**
   * Tells whether an IPv6 reply buffer holds a reply: 1 when {@code Status} is {@link
   * IpExport#IP_SUCCESS} or {@link IpExport#IP_HOP_LIMIT_EXCEEDED} (last error untouched), else 0
   * with the last error set to {@code Status}.
   *
   * @param ReplyBuffer the reply buffer (at least 36 bytes)
   * @param ReplySize its size; 0 returns 0
   * @return 1 or 0; 0 with {@link WinError#ERROR_GEN_FAILURE} for a NULL buffer or size 0 (as
   *     Microsoft documents), with {@link WinError#ERROR_INVALID_PARAMETER} for a heap segment,
   *     with {@link WinError#ERROR_NOACCESS} for a buffer shorter than the struct or closed
   */
  public static int Icmp6ParseReplies(MemorySegment ReplyBuffer, int ReplySize) {
    Apcs.flushWrites(Apcs.current());
    if (Native.isNull(ReplyBuffer) || ReplySize == 0) {
      Kernel32.SetLastError(WinError.ERROR_GEN_FAILURE);
      return 0;
    }
    if (!ReplyBuffer.isNative()) {
      Kernel32.SetLastError(WinError.ERROR_INVALID_PARAMETER);
      return 0;
    }
    try {
      Call.checkStruct(ReplyBuffer, ReplyWriter.S6);
      return parse6(ReplyBuffer);
    } catch (Fail f) {
      Kernel32.SetLastError(f.error);
      return 0;
    }
  }

  // Unaligned accesses: a reply buffer may be at any address.
  private static int parse4(MemorySegment reply) {
    int n = Short.toUnsignedInt(reply.get(JAVA_SHORT_UNALIGNED, ICMP_ECHO_REPLY.Reserved$offset()));
    reply.set(JAVA_SHORT_UNALIGNED, ICMP_ECHO_REPLY.Reserved$offset(), (short) 0);
    if (n == 0)
      Kernel32.SetLastError(reply.get(JAVA_INT_UNALIGNED, ICMP_ECHO_REPLY.Status$offset()));
    return n;
  }

  private static int parse6(MemorySegment reply) {
    int status = reply.get(JAVA_INT_UNALIGNED, ICMPV6_ECHO_REPLY.Status$offset());
    if (status == IpExport.IP_SUCCESS || status == IpExport.IP_HOP_LIMIT_EXCEEDED) return 1;
    Kernel32.SetLastError(status);
    return 0;
  }

  // ------------------------------------------------------------------------------------------------- the work

  private static int send4(
      MemorySegment event,
      MemorySegment apc,
      MemorySegment apcContext,
      MemorySegment handle,
      int source,
      int destination,
      MemorySegment data,
      int size,
      MemorySegment options,
      MemorySegment reply,
      int replySize,
      int timeout) {
    try {
      Call c =
          Call.validate(
              handle,
              event,
              apc,
              apcContext,
              data,
              size,
              options,
              reply,
              replySize,
              ReplyWriter.S4,
              false);
      c.timeout = timeout;
      if (destination == 0) throw new Fail(WinError.ERROR_INVALID_NETNAME);
      InetAddress src = null;
      if (source != 0) {
        src = Ws2_32.inet4(source);
        if (!Call.isLocal(src)) throw new Fail(WinError.ERROR_INVALID_NETNAME);
      }
      if (c.optionsStatus != 0) return refuse(c, c.optionsStatus);
      return send(c, Ws2_32.inet4(destination), src, StandardProtocolFamily.INET);
    } catch (Fail f) {
      Kernel32.SetLastError(f.error);
      return 0;
    }
  }

  /**
   * A request refused after it was accepted (IPv6 hop limit 0, IPv4 options that cannot go out):
   * synchronously 0 with {@code status} as last error and in the reply; asynchronously pending,
   * then a completion with {@code STATUS_INVALID_PARAMETER} and that status (Windows, case 52).
   */
  private static int refuse(Call c, int status) throws Fail {
    long written =
        c.ipv6
            ? ReplyWriter.statusOnly6(c.reply, status)
            : ReplyWriter.statusOnly4(c.reply, status);
    if (!c.async) throw new Fail(status);
    if (c.event != null) c.event.reset();
    c.signal(NtStatus.STATUS_INVALID_PARAMETER, written);
    Kernel32.SetLastError(WinError.ERROR_IO_PENDING);
    return 0;
  }

  /** Privilege check, request, then the synchronous wait or the asynchronous hand-off. */
  private static int send(Call c, InetAddress dst, InetAddress src, StandardProtocolFamily family)
      throws Fail {
    EchoService service = EchoService.get();
    try {
      service.socketMode(family); // no privilege shows now, not in the completion
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Fail(WinError.ERROR_OPERATION_ABORTED);
    } catch (IOException | RuntimeException e) {
      throw new Fail(errorOf(e));
    }
    EchoRequest request;
    try {
      EchoRequest.Builder b =
          EchoRequest.to(dst)
              .payload(c.sent)
              .timeout(Duration.ofMillis(Integer.toUnsignedLong(c.timeout)))
              .pathMtuDiscovery(
                  (c.flags & IpExport.IP_FLAG_DF) != 0
                      ? PathMtuDiscovery.DO
                      : PathMtuDiscovery.DONT);
      if (c.ttl != 0) b.ttl(c.ttl);
      b.ipOptions(c.options);
      if (src != null) b.source(src);
      request = b.build();
    } catch (IllegalArgumentException e) {
      throw new Fail(WinError.ERROR_INVALID_PARAMETER);
    }
    CompletableFuture<EchoResult> future;
    if (c.event != null) c.event.reset(); // as the NT I/O manager does when it takes the request
    try {
      future = service.submit(request);
    } catch (RuntimeException e) {
      throw new Fail(errorOf(e));
    }
    if (c.async) {
      var _ =
          future.whenComplete(
              c::complete); // the completion reports through the event / APC, not this future
      Kernel32.SetLastError(WinError.ERROR_IO_PENDING);
      return 0;
    }
    EchoResult result;
    try {
      result = future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new Fail(WinError.ERROR_OPERATION_ABORTED);
    } catch (CancellationException e) {
      throw new Fail(WinError.ERROR_OPERATION_ABORTED);
    } catch (ExecutionException e) {
      throw new Fail(errorOf(e.getCause()));
    }
    try {
      if (c.ipv6) {
        ReplyWriter.fill6(c.reply, c.sent, result);
        int n = parse6(c.reply);
        if (n > 0) Kernel32.SetLastError(WinError.NO_ERROR);
        return n;
      }
      ReplyWriter.fill4(c.reply, c.sent, result);
      int n = parse4(c.reply);
      if (n > 0) Kernel32.SetLastError(WinError.NO_ERROR);
      return n;
    } catch (IllegalStateException e) { // the reply buffer's arena was closed meanwhile
      throw new Fail(WinError.ERROR_NOACCESS);
    }
  }

  /** The Win32 error for a system failure of the engine. */
  static int errorOf(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof IcmpPermissionException) return WinError.ERROR_ACCESS_DENIED;
    if (t instanceof IcmpUnsupportedException) return WinError.ERROR_NOT_SUPPORTED;
    if (t instanceof IcmpException e && "EADDRNOTAVAIL".equals(e.errno()))
      return WinError.ERROR_INVALID_NETNAME;
    if (t instanceof IcmpSaturatedException || t instanceof RejectedExecutionException)
      return WinError.ERROR_NOT_ENOUGH_MEMORY;
    return WinError.ERROR_GEN_FAILURE;
  }

  /** The {@code NTSTATUS} an asynchronous completion reports for a Win32 error. */
  static int ntStatusOf(int error) {
    return switch (error) {
      case WinError.ERROR_ACCESS_DENIED -> NtStatus.STATUS_ACCESS_DENIED;
      case WinError.ERROR_NOT_SUPPORTED -> NtStatus.STATUS_NOT_SUPPORTED;
      case WinError.ERROR_INVALID_NETNAME -> NtStatus.STATUS_INVALID_ADDRESS_COMPONENT;
      case WinError.ERROR_NOT_ENOUGH_MEMORY -> NtStatus.STATUS_NO_MEMORY;
      default -> NtStatus.STATUS_UNSUCCESSFUL;
    };
  }
}
