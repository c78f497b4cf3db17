package org.icmpecho.internal;

/**
 * One socket and its 65,536 sequence slots. A slot remembers the last probe sent with that sequence number: while
 * it is in flight, after it was answered (to recognise duplicates for a while), or only its serial after it timed
 * out (to recognise late answers). Used by the I/O thread only.
 */
final class ChannelState {
  static final byte EMPTY = 0;
  static final byte IN_FLIGHT = 1;
  static final byte ANSWERED = 2;
  static final byte EXPIRED = 3;

  final Channel channel;
  final ChannelKey key;
  final int token;
  final Probe[] probes = new Probe[65536];
  final int[] serials = new int[65536];
  final byte[] states = new byte[65536];
  final long[] answeredAt = new long[65536];
  int nextSequence;
  int inFlight;
  int answered;
  long nextSweep;
  /** Sent on since its last read: worth a non-blocking read before sleeping. */
  boolean sentSinceRead;

  ChannelState(Channel channel, ChannelKey key, int token) {
    this.channel = channel;
    this.key = key;
    this.token = token;
    // Start somewhere random-ish so two clients in one namespace don't walk the same sequences in lockstep.
    this.nextSequence = (int) (System.nanoTime() & 0xffff);
  }

  /** A free sequence number, or -1 when all 65,536 are in flight. */
  int allocate() {
    if (inFlight >= 65536) return -1;
    int s = nextSequence;
    for (int i = 0; i < 65536; i++) {
      if (states[s] != IN_FLIGHT) {
        if (states[s] == ANSWERED) {
          answered--;
          probes[s] = null;
        }
        nextSequence = (s + 1) & 0xffff;
        return s;
      }
      s = (s + 1) & 0xffff;
    }
    return -1;
  }

  /** Forgets answered probes older than the duplicate window, so their memory returns. */
  void sweep(long now, long window) {
    if (answered == 0) return;
    for (int s = 0; s < 65536; s++) {
      if (states[s] == ANSWERED && now - answeredAt[s] > window) {
        states[s] = EXPIRED;
        probes[s] = null;
        answered--;
      }
    }
  }
}
