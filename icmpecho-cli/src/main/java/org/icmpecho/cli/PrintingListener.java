package org.icmpecho.cli;

import org.icmpecho.EchoResult;
import org.icmpecho.PingSchedule;

/**
 * A command's listener of its {@link PingSchedule}, which counts and prints what comes back. Calls
 * are made under this object's lock (the command's own thread takes it too, to flush and to print
 * the end). Printing that fails (standard output gone: {@link Stdout.Failed}) stops the schedule,
 * and {@link #end} rethrows it on the command's thread, where the command's failure handling turns
 * it into the exit status.
 */
abstract class PrintingListener implements PingSchedule.Listener {
  /** The schedule being listened to; set (under the lock) before its first call can come. */
  PingSchedule schedule;

  private RuntimeException failure;
  private boolean over;

  /** One outcome; under the lock. */
  abstract void result(int target, long probe, EchoResult result);

  /** One duplicate; under the lock. */
  abstract void duplicate(int target, long probe, EchoResult.Reply reply);

  @Override
  public final synchronized void onResult(int target, long probe, EchoResult result) {
    if (over) return;
    try {
      result(target, probe, result);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public final synchronized void onDuplicate(int target, long probe, EchoResult.Reply reply) {
    if (over) return;
    try {
      duplicate(target, probe, reply);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(RuntimeException e) {
    if (failure == null) failure = e;
    schedule.close();
  }

  /**
   * Ends listening (later calls are ignored) and rethrows what printing failed with; call under the
   * lock.
   */
  final void end() {
    over = true;
    if (failure != null) throw failure;
  }
}
