package org.icmpecho.bench;

import java.net.InetAddress;
import java.util.concurrent.locks.LockSupport;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * A transport whose every echo is answered at once, in memory: each send queues the matching reply,
 * the next read returns it. With it a benchmark measures the engine's own work per echo (queue,
 * slot, payload, match, outcome, completion) without a kernel. Allocates nothing per echo: replies
 * live in a ring of reused packets.
 */
final class ReflectingTransport implements TransportFactory {
  @Override
  public void enterNamespace(String name) {}

  @Override
  public Poller newPoller() {
    return new IdlePoller();
  }

  @Override
  public Channel open(ChannelKey key, SocketKind kind, int receiveBufferSize) {
    return new Mirror(key.ipv6());
  }

  /**
   * Sleeps until woken or the timeout passes; reports no readiness (the engine reads what it sent
   * on).
   */
  private static final class IdlePoller implements Poller {
    private volatile Thread waiter;
    private volatile boolean woken;

    @Override
    public void register(Channel channel, int token) {}

    @Override
    public void unregister(Channel channel) {}

    @Override
    public int await(long timeoutNanos, ReadySink sink) {
      if (timeoutNanos == 0) return 0;
      waiter = Thread.currentThread();
      long end = System.nanoTime() + (timeoutNanos < 0 ? Long.MAX_VALUE / 2 : timeoutNanos);
      while (!woken && System.nanoTime() - end < 0)
        LockSupport.parkNanos(Math.min(end - System.nanoTime(), 1_000_000L));
      woken = false;
      waiter = null;
      return 0;
    }

    @Override
    public void wakeup() {
      woken = true;
      Thread t = waiter;
      if (t != null) LockSupport.unpark(t);
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void close() {}
  }

  /** One "socket" that answers every echo with its own payload. */
  private static final class Mirror implements Channel {
    private static final int RING = 1 << 16;
    private final boolean ipv6;
    private final Packet[] ring = new Packet[RING];
    private final byte[][] from = new byte[RING][];
    private final byte[][] data = new byte[RING][];
    private int head;
    private int tail;
    private long lastSend;

    /**
     * The last target given as an object, and its bytes (a blocking echo repeats its request's
     * target).
     */
    private InetAddress lastTarget;

    private byte[] lastTargetBytes;

    Mirror(boolean ipv6) {
      this.ipv6 = ipv6;
      for (int i = 0; i < RING; i++) {
        ring[i] = new Packet();
        data[i] = new byte[64];
        from[i] = new byte[16];
      }
    }

    @Override
    public SocketKind kind() {
      return SocketKind.DATAGRAM;
    }

    @Override
    public boolean ipv6() {
      return ipv6;
    }

    @Override
    public int identifier() {
      return 4242;
    }

    @Override
    public int send(
        SendOptions options,
        InetAddress target,
        int address4,
        int sequence,
        byte[] payload,
        int length) {
      if (tail - head == RING) return BUFFER_FULL;
      int i = tail++ & (RING - 1);
      Packet p = ring[i];
      p.clear();
      p.kind = Packet.ECHO_REPLY;
      p.ipv6 = ipv6;
      p.identifier = 4242;
      p.sequence = sequence;
      byte[] a = from[i];
      int len;
      if (target != null) {
        if (target != lastTarget) {
          lastTargetBytes = target.getAddress();
          lastTarget = target;
        }
        byte[] t = lastTargetBytes;
        System.arraycopy(t, 0, a, 0, t.length);
        len = t.length;
      } else {
        a[0] = (byte) (address4 >>> 24);
        a[1] = (byte) (address4 >>> 16);
        a[2] = (byte) (address4 >>> 8);
        a[3] = (byte) address4;
        len = 4;
      }
      p.setFrom(a, 0, len, 0);
      if (data[i].length < length) data[i] = new byte[length];
      p.data = data[i];
      System.arraycopy(payload, 0, p.data, 0, length);
      p.dataOffset = 0;
      p.dataLength = length;
      p.icmpLength = length + 8;
      p.ttl = 64;
      p.tos = 0;
      lastSend = System.nanoTime();
      return SENT;
    }

    @Override
    public boolean reportsFailureDetail(int code) {
      return false;
    }

    @Override
    public long lastSendTime() {
      return lastSend;
    }

    @Override
    public long rttClockNow() {
      return System.nanoTime();
    }

    @Override
    public int receive(PacketSink sink, int max, boolean errors) {
      int n = 0;
      while (n < max && head != tail) {
        sink.accept(this, ring[head++ & (RING - 1)]);
        n++;
      }
      return n;
    }

    @Override
    public String failureName(int code) {
      return "E" + code;
    }

    @Override
    public String failureMessage(int code) {
      return "failure " + code;
    }

    @Override
    public void close() {}
  }
}
