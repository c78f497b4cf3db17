package org.icmpecho.internal;

import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;

/**
 * One socket and its sequence slots (65,536 for the I/O threads' sockets; fewer for a caller's own
 * socket, which has one echo in flight at a time). A slot remembers the last probe sent with that
 * sequence number: while it is in flight, after it was answered (to recognise duplicates for a
 * while), or only its serial after it timed out (to recognise late answers). Used by the I/O thread
 * only.
 */
final class ChannelState {
  static final byte EMPTY = 0;
  static final byte IN_FLIGHT = 1;
  static final byte ANSWERED = 2;
  static final byte EXPIRED = 3;

  final Channel channel;
  final ChannelKey key;
  final int token;

  /**
   * Number of sequence slots: a power of two, at most 65,536; sequences run from 0 to {@code
   * capacity - 1}.
   */
  final int capacity;

  final Probe[] probes;
  final int[] serials;
  final byte[] states;
  int nextSequence;
  int inFlight;
  int answered;
  long nextSweep;

  /** Sent on since its last read: worth a non-blocking read before sleeping. */
  boolean sentSinceRead;

  /**
   * Watched by the loop's poller (the default); out of it while the loop is busy
   * (InFlightTable#detach).
   */
  boolean watched = true;

  /** A send reported a pending socket error: the error queue holds an ICMP error to read. */
  boolean errorPending;

  /** Poller clock of the last error-queue read while detached. */
  long errorsCheckedAt;

  /** The I/O loop whose socket this is, for cancelling its echoes; null for a caller's own loop. */
  final IoThread owner;

  ChannelState(Channel channel, ChannelKey key, int token, IoThread owner) {
    this(channel, key, token, 65536, owner);
  }

  ChannelState(Channel channel, ChannelKey key, int token, int capacity, IoThread owner) {
    if (Integer.bitCount(capacity) != 1 || capacity > 65536)
      throw new IllegalArgumentException("capacity " + capacity);
    this.channel = channel;
    this.key = key;
    this.token = token;
    this.capacity = capacity;
    this.owner = owner;
    probes = new Probe[capacity];
    serials = new int[capacity];
    states = new byte[capacity];
    // Start somewhere random-ish so two clients in one namespace don't walk the same sequences in
    // lockstep.
    this.nextSequence = (int) (System.nanoTime() & (capacity - 1));
  }

  /** A free sequence number, or -1 when all are in flight. */
  int allocate() {
    if (inFlight >= capacity) return -1;
    int s = nextSequence;
    int mask = capacity - 1;
    for (int i = 0; i < capacity; i++) {
      if (states[s] != IN_FLIGHT) {
        if (states[s] == ANSWERED) {
          answered--;
          probes[s] = null;
        }
        nextSequence = (s + 1) & mask;
        return s;
      }
      s = (s + 1) & mask;
    }
    return -1;
  }

  /**
   * A time as an answered probe keeps it ({@link Probe#heapIndex}): the clock in units of 2^20 ns
   * (~1.05 ms), wrapping every ~26 days; the difference of two stamps is right up to ~13 days.
   */
  static int stamp(long now) {
    return (int) (now >> 20);
  }

  /** The duplicate window in {@link #stamp} units, rounded up, at most ~6.5 days. */
  static int stampWindow(long windowNanos) {
    return (int) Math.min((windowNanos + (1 << 20) - 1) >> 20, Integer.MAX_VALUE / 4);
  }

  /**
   * True when the answered probe in slot {@code seq} was answered longer than {@code window} ago.
   */
  boolean answeredBefore(int seq, long now, int window) {
    return stamp(now) - probes[seq].heapIndex > window;
  }

  /** Forgets answered probes older than the duplicate window, so their memory returns. */
  void sweep(long now, int window) {
    if (answered == 0) return;
    for (int s = 0; s < capacity; s++) {
      if (states[s] == ANSWERED && answeredBefore(s, now, window)) {
        states[s] = EXPIRED;
        probes[s] = null;
        answered--;
      }
    }
  }
}
