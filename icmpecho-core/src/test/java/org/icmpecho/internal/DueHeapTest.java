package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The schedule's heap of targets by due time: order, ties by target number, removal and moving a
 * target.
 */
class DueHeapTest {
  @Test
  void popsByDueTimeThenTargetNumber() {
    long[] due = {50, 10, 40, 20, 30, 10};
    DueHeap h = new DueHeap(due);
    for (int i = due.length - 1; i >= 0; i--) h.push(i);
    List<Integer> order = new ArrayList<>();
    while (!h.isEmpty()) order.add(h.pop());
    assertEquals(List.of(1, 5, 3, 4, 2, 0), order);
  }

  @Test
  void removeAndRepushKeepTheHeapValid() {
    Random rnd = new Random(13);
    int n = 2_000;
    long[] due = new long[n];
    DueHeap h = new DueHeap(due);
    boolean[] in = new boolean[n];
    for (int step = 0; step < 20_000; step++) {
      int t = rnd.nextInt(n);
      switch (rnd.nextInt(3)) {
        case 0 -> { // (re)schedule: a pushed target moves to its new due time
          due[t] = rnd.nextInt(1_000) - 500; // wrap-safe comparison: negative times too
          h.push(t);
          in[t] = true;
        }
        case 1 -> {
          h.remove(t);
          in[t] = false;
        }
        default -> {
          if (!h.isEmpty()) in[h.pop()] = false;
        }
      }
    }
    long last = Long.MIN_VALUE;
    int lastT = -1;
    int count = 0;
    while (!h.isEmpty()) {
      int t = h.pop();
      assertTrue(in[t], "popped a target that was removed: " + t);
      in[t] = false;
      assertTrue(due[t] > last || (due[t] == last && t > lastT), "order broken at " + t);
      last = due[t];
      lastT = t;
      count++;
    }
    for (boolean b : in) assertTrue(!b, "a pushed target was lost");
    assertTrue(count > 0);
  }
}
