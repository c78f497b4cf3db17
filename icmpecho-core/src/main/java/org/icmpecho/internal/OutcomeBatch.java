package org.icmpecho.internal;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.icmpecho.EchoResult;

/**
 * Outcomes a loop collected during one turn, (target, value) pairs: a probe and its result or
 * exception, or a duplicate listener and the duplicate reply. A loop never runs user code; it hands
 * the batch over once per turn, to its {@link CompletionThread}, to the client's executor, or (a
 * caller loop, whose only targets are its own blocking probes) completes it on the spot.
 */
final class OutcomeBatch {
  private static final System.Logger LOG = System.getLogger("org.icmpecho");

  /**
   * The caller's executor for completions, or null for {@link #completions} (or inline, when that
   * is null too).
   */
  private final Executor executor;

  private final CompletionThread completions;

  private Object[] targets;
  private Object[] values;
  private int size;

  private OutcomeBatch(Executor executor, CompletionThread completions, int capacity) {
    this.executor = executor;
    this.completions = completions;
    targets = new Object[capacity];
    values = new Object[capacity];
  }

  /**
   * For an I/O thread: the client's executor, or a completion thread of its own named {@code
   * threadName}.
   */
  static OutcomeBatch forIoThread(Executor executor, String threadName) {
    return new OutcomeBatch(
        executor, executor == null ? new CompletionThread(threadName) : null, 256);
  }

  /**
   * For a caller loop: completed by the caller itself (its blocking probes complete at once: rarely
   * used).
   */
  static OutcomeBatch inline() {
    return new OutcomeBatch(null, null, 4);
  }

  void add(Object target, Object value) {
    if (size == targets.length) {
      targets = Arrays.copyOf(targets, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    targets[size] = target;
    values[size] = value;
    size++;
  }

  /** Hands what was collected over. */
  void flush() {
    if (size == 0) return;
    if (completions != null) {
      CompletionThread.Batch b = completions.take();
      for (int i = 0; i < size; i++) b.add(targets[i], values[i]);
      clear();
      completions.publish(b);
      return;
    }
    Object[] t = Arrays.copyOf(targets, size);
    Object[] v = Arrays.copyOf(values, size);
    clear();
    if (executor == null) {
      complete(t, v, t.length);
      return;
    }
    Runnable batch = () -> complete(t, v, t.length);
    try {
      executor.execute(batch);
    } catch (RuntimeException e) {
      // A rejecting executor must not strand callers: complete here rather than lose the outcomes.
      batch.run();
    }
  }

  private void clear() {
    Arrays.fill(targets, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }

  /** Stops the completion thread after what was handed to it has run. */
  void stop() {
    if (completions != null) completions.stop();
  }

  /**
   * Completes the first {@code n} outcomes of a batch; runs where the batch was handed (see
   * ENGINE-NOTES).
   */
  static void complete(Object[] targets, Object[] values, int n) {
    // Chunks: this method runs once per batch, too seldom to compile early; the per-outcome loop is
    // called often.
    for (int i = 0; i < n; i += COMPLETE_CHUNK)
      completeRange(targets, values, i, Math.min(n, i + COMPLETE_CHUNK));
  }

  private static final int COMPLETE_CHUNK = 32;

  private static void completeRange(Object[] targets, Object[] values, int from, int to) {
    for (int i = from; i < to; i++) completeOne(targets[i], values[i]);
  }

  @SuppressWarnings("unchecked")
  private static void completeOne(Object t, Object v) {
    try {
      if (t instanceof Probe p) {
        if (v instanceof Throwable th) p.completeExceptionally(th);
        else p.complete((EchoResult) v);
      } else if (t instanceof Consumer<?> c) {
        ((Consumer<Object>) c).accept(v);
      }
    } catch (RuntimeException | Error e) {
      // A listener's exception must not stop the other completions of the batch.
      LOG.log(System.Logger.Level.WARNING, "icmpecho duplicate listener threw", e);
    }
  }
}
