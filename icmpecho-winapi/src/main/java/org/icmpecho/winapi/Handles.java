package org.icmpecho.winapi;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's handle table: ICMP handles and events. A handle is only a token (its value, never
 * dereferenced); values are never reused, so a closed handle stays invalid for good.
 */
final class Handles {
  private Handles() {}

  private static final AtomicLong NEXT = new AtomicLong(0x1000);
  private static final ConcurrentHashMap<Long, Object> TABLE = new ConcurrentHashMap<>();

  /** An ICMP handle's object; requests do not reference it, so closing it cancels nothing. */
  record IcmpFile(boolean ipv6) {}

  static MemorySegment add(Object object) {
    long value = NEXT.getAndAdd(4);
    TABLE.put(value, object);
    return Native.handle(value);
  }

  /**
   * The object behind {@code handle}, or null for NULL, INVALID_HANDLE_VALUE, a closed or unknown
   * handle.
   */
  static Object get(MemorySegment handle) {
    long value = Native.handleValue(handle);
    return value == 0 ? null : TABLE.get(value);
  }

  /** Removes {@code handle} if its object is a {@code kind}; returns the object, or null. */
  static Object remove(MemorySegment handle, Class<?> kind) {
    long value = Native.handleValue(handle);
    if (value == 0) return null;
    Object o = TABLE.get(value);
    if (!kind.isInstance(o) || !TABLE.remove(value, o)) return null;
    return o;
  }
}
