package org.icmpecho;

/**
 * Counters of one {@link IcmpClient} since it was built: a consistent snapshot taken by the
 * engine's I/O thread.
 *
 * @param sent echo requests handed to the kernel
 * @param replies echo replies attributed to a request (duplicates not included)
 * @param errors ICMP error answers attributed to a request
 * @param timeouts requests that ended in {@link IpStatus#IP_REQ_TIMED_OUT}
 * @param sendFailures requests the kernel refused to send
 * @param duplicates further replies to a request that was already answered
 * @param late answers to a request that had already timed out (never attributed)
 * @param foreign packets that matched no request of this client (other processes' traffic, stray
 *     sequences)
 * @param corrupted matched replies whose payload differed from what was sent
 * @param badChecksum packets dropped for a wrong ICMP checksum
 * @param inFlight requests submitted and not yet completed
 * @param receiveDrops packets the kernel dropped for this client's open sockets, nearly always
 *     because a receive queue was full (Linux {@code SO_MEMINFO}): answers lost before the engine
 *     could read them, whose echoes then end as timeouts; a larger {@link
 *     IcmpClient.Builder#receiveBufferSize} or fewer echoes in flight avoid them
 */
public record ClientStats(
    long sent,
    long replies,
    long errors,
    long timeouts,
    long sendFailures,
    long duplicates,
    long late,
    long foreign,
    long corrupted,
    long badChecksum,
    long inFlight,
    long receiveDrops) {

  /** Counters without the receive drops (the record before they were counted). */
  public ClientStats(
      long sent,
      long replies,
      long errors,
      long timeouts,
      long sendFailures,
      long duplicates,
      long late,
      long foreign,
      long corrupted,
      long badChecksum,
      long inFlight) {
    this(
        sent,
        replies,
        errors,
        timeouts,
        sendFailures,
        duplicates,
        late,
        foreign,
        corrupted,
        badChecksum,
        inFlight,
        0);
  }
}
