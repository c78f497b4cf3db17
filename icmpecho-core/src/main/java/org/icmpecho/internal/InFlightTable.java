package org.icmpecho.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.Preload;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * A loop's sockets and their sequence slots ({@link ChannelState}): which socket an echo leaves
 * from, which slot it takes, and which sockets the poller watches. Sockets open on demand, one
 * group per key (family, source, interface); a group opens a second socket only when the first has
 * every sequence in flight. Used by the loop's owner only ({@link OwnerToken}).
 */
final class InFlightTable {
  /**
   * Whether {@link Preload} has run for the echo path's classes (any thread; a second run is
   * harmless).
   */
  private static volatile boolean echoPathInitialised;

  private final TransportFactory transport;
  private final SocketKind configuredKind;
  private final int receiveBufferSize;

  /**
   * A caller loop's table: one socket per family, given to it ({@link #adopt}), never opened here.
   */
  private final boolean fixed;

  /** The I/O loop this table belongs to (its sockets' {@link ChannelState#owner}), or null. */
  private final IoThread owner;

  private final List<ChannelState> channels = new ArrayList<>();
  private final ChannelGroup[] defaultGroups = new ChannelGroup[2];
  private final Map<ChannelKey, ChannelGroup> keyedGroups = new HashMap<>();
  private final SocketKind[] resolvedKind = new SocketKind[2];
  private Poller poller;

  /** The sockets are out of the poller while the loop is busy ({@link #detach}). */
  private boolean detached;

  InFlightTable(
      TransportFactory transport,
      SocketKind configuredKind,
      int receiveBufferSize,
      boolean fixed,
      IoThread owner) {
    this.transport = transport;
    this.configuredKind = configuredKind;
    this.receiveBufferSize = receiveBufferSize;
    this.fixed = fixed;
    this.owner = owner;
  }

  /** The poller new sockets register with. */
  void usePoller(Poller poller) {
    this.poller = poller;
  }

  int size() {
    return channels.size();
  }

  /** The socket whose poller token is {@code token} (its index). */
  ChannelState get(int token) {
    return channels.get(token);
  }

  /**
   * Finds (opening when needed) a socket with a free sequence for {@code r}, and gives the sequence
   * to {@code p}.
   */
  ChannelState acquire(EchoRequest r, Probe p, int serial) throws TransportException {
    boolean v6 = r.isIpv6();
    ChannelGroup g;
    if (r.source() == null && r.interfaceName() == null) {
      g = defaultGroup(v6);
    } else {
      ChannelKey k = new ChannelKey(v6, r.source(), r.interfaceName(), 0);
      g = keyedGroups.computeIfAbsent(k, ChannelGroup::new);
    }
    return g.take(p, serial);
  }

  private ChannelGroup defaultGroup(boolean v6) {
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    if (g == null)
      g = defaultGroups[v6 ? 1 : 0] = new ChannelGroup(new ChannelKey(v6, null, null, 0));
    return g;
  }

  /**
   * Frees a probe's slot, leaving {@code newState} (an answered slot keeps its probe for
   * duplicates).
   */
  static void release(ChannelState cs, int seq, byte newState) {
    cs.inFlight--;
    cs.states[seq] = newState;
    if (newState != ChannelState.ANSWERED) cs.probes[seq] = null;
  }

  /** Opens the default socket of a family and reports its kind. */
  SocketKind openDefault(boolean v6) throws TransportException {
    return defaultGroup(v6).first().channel.kind();
  }

  /**
   * True when the default socket of the family is open and has a free sequence (an echo would open
   * nothing).
   */
  boolean hasRoom(boolean v6) {
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    return g != null && g.hasRoom();
  }

  /** True when the family's default socket is open. */
  boolean has(boolean v6) {
    return defaultGroups[v6 ? 1 : 0] != null;
  }

  /** Open default sockets (at most one per family in a caller loop's table). */
  int defaultCount() {
    return (defaultGroups[0] != null ? 1 : 0) + (defaultGroups[1] != null ? 1 : 0);
  }

  /**
   * Gives a caller loop's table its socket for a family, with {@code slots} sequences. Not watched
   * by the poller: only an echo whose answer is not there at once waits in it (a watched socket
   * costs every arriving packet a wake-up callback in the kernel).
   */
  ChannelState adopt(Channel ch, int slots) {
    ChannelKey k = new ChannelKey(ch.ipv6(), null, null, 0);
    ChannelState cs = new ChannelState(ch, k, channels.size(), slots, owner);
    cs.watched = false;
    channels.add(cs);
    ChannelGroup g = new ChannelGroup(k);
    g.members.add(cs);
    defaultGroups[ch.ipv6() ? 1 : 0] = g;
    resolvedKind[ch.ipv6() ? 1 : 0] = ch.kind();
    return cs;
  }

  /**
   * Takes the sockets out of the poller for a busy spell: a watched socket costs every packet that
   * arrives on it a wake-up callback in the kernel even when nobody waits (ENGINE-NOTES §1b), and a
   * busy loop reads its sockets every turn anyway. {@link #attach} puts them back before the loop
   * sleeps; the poller then reports what is already readable, so nothing that arrived meanwhile is
   * slept through.
   */
  void detach(long now) throws TransportException {
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      if (cs.watched) {
        poller.unregister(cs.channel);
        cs.watched = false;
        cs.errorsCheckedAt = now;
      }
    }
    detached = true;
  }

  void attach() throws TransportException {
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      if (!cs.watched) {
        poller.register(cs.channel, cs.token);
        cs.watched = true;
      }
    }
    for (ChannelGroup g : defaultGroups) if (g != null) g.disarmed = false; // registered armed
    detached = false;
  }

  boolean detached() {
    return detached;
  }

  /**
   * Turns input readiness of a family's default sockets off for a caller-run echo (it reads its
   * answer itself). They stay off while nothing is in flight on them, so that echoes one at a time
   * cost no readiness changes at all; {@link #rearm} turns them back on.
   */
  void disarm(boolean v6) throws TransportException {
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    if (g.disarmed) return;
    g.disarmed = true; // first: a failure half-way leaves the rest for rearm, which is harmless
    for (int i = 0, n = g.members.size(); i < n; i++) {
      ChannelState cs = g.members.get(i);
      poller.arm(cs.channel, cs.token, false);
    }
  }

  /** Turns input readiness of a family's default sockets back on, if a caller turned it off. */
  void rearm(boolean v6) throws TransportException {
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    if (g == null || !g.disarmed) return;
    g.disarmed = false;
    for (int i = 0, n = g.members.size(); i < n; i++) {
      ChannelState cs = g.members.get(i);
      poller.arm(cs.channel, cs.token, true);
    }
  }

  /** True when a caller left a family's sockets without input readiness ({@link #disarm}). */
  boolean disarmed() {
    ChannelGroup g4 = defaultGroups[0], g6 = defaultGroups[1];
    return (g4 != null && g4.disarmed) || (g6 != null && g6.disarmed);
  }

  /**
   * True when readiness may stay off after a caller-run echo: no echo is in flight on the family's
   * default sockets, and they are ping sockets, which receive only their own echoes' answers. A raw
   * socket receives every ICMP message of the namespace: left unread while idle, it fills and drops
   * its own answers.
   */
  boolean quiet(boolean v6) {
    if (resolvedKind[v6 ? 1 : 0] != SocketKind.DATAGRAM) return false;
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    for (int i = 0, n = g.members.size(); i < n; i++)
      if (g.members.get(i).inFlight > 0) return false;
    return true;
  }

  /** Closes every socket and forgets them. */
  void closeAll() {
    for (ChannelState cs : channels) cs.channel.close();
    channels.clear();
    keyedGroups.clear();
    defaultGroups[0] = defaultGroups[1] = null;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int f = 0; f < 2; f++) {
      if (resolvedKind[f] != null) sb.append(f == 0 ? " IPv4 " : " IPv6 ").append(resolvedKind[f]);
    }
    return sb.toString();
  }

  private static void occupy(ChannelState cs, int seq, Probe p, int serial) {
    cs.probes[seq] = p;
    cs.serials[seq] = serial;
    cs.states[seq] = ChannelState.IN_FLIGHT;
    cs.inFlight++;
    p.channel(cs);
    p.sequence = (char) seq;
  }

  /**
   * The sockets that share one key: a second opens only when the first has all 65,536 sequences in
   * flight.
   */
  private final class ChannelGroup {
    final ChannelKey key;
    final List<ChannelState> members = new ArrayList<>(1);
    int cursor;

    /** Input readiness is off ({@link #disarm}). */
    boolean disarmed;

    ChannelGroup(ChannelKey key) {
      this.key = key;
    }

    ChannelState take(Probe p, int serial) throws TransportException {
      int n = members.size();
      for (int i = 0; i < n; i++) {
        ChannelState cs = members.get((cursor + i) % n);
        int seq = cs.allocate();
        if (seq >= 0) {
          cursor = (cursor + i) % n;
          occupy(cs, seq, p, serial);
          return cs;
        }
      }
      ChannelState cs = openMember();
      cursor = members.size() - 1;
      occupy(cs, cs.allocate(), p, serial);
      return cs;
    }

    ChannelState openMember() throws TransportException {
      if (fixed) {
        throw new TransportException(
            TransportException.Kind.FAILED,
            "every sequence of the caller's socket is in flight",
            null,
            null);
      }
      ChannelKey k = new ChannelKey(key.ipv6(), key.source(), key.interfaceName(), members.size());
      int fam = key.ipv6() ? 1 : 0;
      SocketKind kind = resolvedKind[fam] != null ? resolvedKind[fam] : configuredKind;
      Channel ch = transport.open(k, kind, receiveBufferSize);
      if (!echoPathInitialised) {
        echoPathInitialised = true;
        Preload.initialise(
            EchoResult.class,
            EchoResult.Reply.class,
            EchoResult.TimedOut.class,
            Probe.class,
            Probe.Templated4.class,
            IcmpCodec.class);
      }
      resolvedKind[fam] = ch.kind();
      ChannelState cs = new ChannelState(ch, k, channels.size(), owner);
      if (detached) {
        cs.watched = false; // joins the others: read every turn until the loop sleeps
        cs.errorsCheckedAt = poller.nanoTime();
      } else {
        poller.register(ch, cs.token);
      }
      channels.add(cs);
      members.add(cs);
      return cs;
    }

    /** True when some member has a free sequence, so {@link #take} will not open a socket. */
    boolean hasRoom() {
      for (int i = 0, n = members.size(); i < n; i++) {
        if (members.get(i).inFlight < members.get(i).capacity) return true;
      }
      return false;
    }

    ChannelState first() throws TransportException {
      return members.isEmpty() ? openMember() : members.get(0);
    }
  }
}
