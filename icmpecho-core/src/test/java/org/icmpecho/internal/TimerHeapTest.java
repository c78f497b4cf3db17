package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.icmpecho.EchoRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timer queue against a plain list: whatever mix of in-order deadlines (its lane) and
 * out-of-order ones (its heap), answered probes leaving from anywhere, growth and compaction of the
 * lane, it always yields an earliest deadline and holds exactly the probes added and not removed.
 */
class TimerHeapTest {
  private static final EchoRequest REQUEST =
      EchoRequest.to(InetAddress.getLoopbackAddress()).build();

  /**
   * @param outOfOrderPercent how many added probes get a deadline earlier than the last one
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 3, 50, 100})
  void agreesWithAListUnderRandomWork(int outOfOrderPercent) {
    Random rnd = new Random(42 + outOfOrderPercent);
    TimerHeap timers = new TimerHeap();
    List<Probe> live = new ArrayList<>();
    long clock = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = rnd.nextInt(100);
      if (op < 45 || live.isEmpty()) {
        Probe p = new Probe(REQUEST, false);
        clock += rnd.nextInt(3);
        p.deadline =
            rnd.nextInt(100) < outOfOrderPercent ? clock - rnd.nextInt(1000) : clock + 1000;
        timers.add(p);
        live.add(p);
      } else if (op < 80) { // answered: leaves from anywhere
        Probe p = live.remove(rnd.nextInt(live.size()));
        timers.remove(p);
        assertEquals(-1, p.heapIndex);
        timers.remove(p); // twice is harmless
      } else if (op < 95) { // expired: the earliest leaves
        Probe p = timers.poll();
        assertEquals(min(live), p.deadline);
        assertTrue(live.remove(p));
        assertEquals(-1, p.heapIndex);
      } else {
        Probe p = timers.peek();
        assertEquals(min(live), p.deadline);
      }
      assertEquals(live.size(), timers.size());
      // A burst of answers, keeping only an early probe unanswered: the lane's holes must not grow
      // it without bound.
      if (step % 50_000 == 49_999) {
        for (int i = live.size() - 1; i > 0; i--) timers.remove(live.remove(i));
      }
    }
    Set<Probe> drained = new HashSet<>(List.of(timers.drain()));
    assertEquals(new HashSet<>(live), drained);
    for (Probe p : drained) assertEquals(-1, p.heapIndex);
    assertEquals(0, timers.size());
    assertNull(timers.peek());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1000, 100_000})
  void oneTimeoutForAllStaysInOrderAndBounded(int inFlight) {
    TimerHeap timers = new TimerHeap();
    java.util.ArrayDeque<Probe> window = new java.util.ArrayDeque<>();
    Probe stuck =
        new Probe(REQUEST, false); // never answered: holes pile up behind it until it expires
    stuck.deadline = 0;
    timers.add(stuck);
    for (long t = 1; t <= 1_000_000; t++) {
      Probe p = new Probe(REQUEST, false);
      p.deadline = t + 500;
      timers.add(p);
      window.add(p);
      if (window.size() > inFlight) timers.remove(window.poll()); // answered in order
      assertSame(stuck, timers.peek());
    }
    assertEquals(window.size() + 1, timers.size());
    assertSame(stuck, timers.poll());
    assertSame(window.peek(), timers.peek());
    assertTrue(
        laneCapacity(timers) <= 4 * Math.max(1024, inFlight + 1),
        "lane of " + laneCapacity(timers));
  }

  private static long min(List<Probe> live) {
    long m = Long.MAX_VALUE;
    for (Probe p : live) m = Math.min(m, p.deadline);
    return m;
  }

  private static int laneCapacity(TimerHeap t) {
    try {
      java.lang.reflect.Field f = TimerHeap.class.getDeclaredField("lane");
      f.setAccessible(true);
      return ((Object[]) f.get(t)).length;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
